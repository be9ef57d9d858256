package org.jvs.keepalived;

import java.util.ArrayList;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;

/**
 * keepalived's ipvs_cmd (check/ipvswrapper.c) for real servers, applied to every service of a virtual server.
 * Refusals do not stop the others; they are kept as one line each for whoever applied the change.
 */
final class IpvsDestinations {
    private final DirectorControl control;
    private final List<String> failures = new ArrayList<>();

    IpvsDestinations(DirectorControl control) {
        this.control = control;
    }

    /**
     * LVS_CMD_ADD_DEST. An inhibited server already in IPVS gets its weight back (EDITDEST); a new entry for an
     * inhibited server whose checks fail goes in at weight 0. A server already in IPVS is not added twice.
     */
    void add(VirtualServerState vs, RealServerState rs) {
        if (rs.set()) {
            if (rs.inhibit) {
                edit(vs, rs, rs.realWeight(), false);
            }
            return;
        }
        int weight = rs.inhibit && rs.failed ? 0 : rs.realWeight();
        addAt(vs, rs, weight);
    }

    /** An entry at an explicit weight, e.g. 0 for sorry_server_inhibit (init_service_vs). */
    void addAt(VirtualServerState vs, RealServerState rs, int weight) {
        if (rs.set()) {
            edit(vs, rs, weight, false);
            return;
        }
        for (ServiceKey key : vs.keys) {
            try {
                control.addRealServer(key, spec(key, rs, weight));
            } catch (ControlException e) {
                fail(key, rs, "add", e);
            }
        }
        rs.ipvsWeight = weight;
    }

    /** LVS_CMD_DEL_DEST: an inhibited server stays in IPVS at weight 0. */
    void remove(VirtualServerState vs, RealServerState rs) {
        if (rs.inhibit) {
            if (rs.set()) {
                edit(vs, rs, 0, false);
            }
            return;
        }
        forceRemove(vs, rs);
    }

    /** clear_service_rs: removed whatever inhibit_on_failure says. */
    void forceRemove(VirtualServerState vs, RealServerState rs) {
        if (!rs.set()) {
            return;
        }
        for (ServiceKey key : vs.keys) {
            try {
                control.deleteRealServer(key, rs.config.address(), port(key, rs));
            } catch (ControlException e) {
                fail(key, rs, "remove", e);
            }
        }
        rs.ipvsWeight = RealServerState.NOT_IN_IPVS;
    }

    /** LVS_CMD_EDIT_DEST; skipped when IPVS already has that weight, unless other fields changed. */
    void edit(VirtualServerState vs, RealServerState rs, int weight, boolean otherFieldsChanged) {
        if (!rs.set() || (rs.ipvsWeight == weight && !otherFieldsChanged)) {
            return;
        }
        for (ServiceKey key : vs.keys) {
            try {
                control.editRealServer(key, spec(key, rs, weight));
            } catch (ControlException e) {
                fail(key, rs, "change", e);
            }
        }
        rs.ipvsWeight = weight;
    }

    /** Puts every server IPVS holds for this virtual server into services new to it (sync_service_vsg). */
    void copyTo(VirtualServerState vs, ServiceKey key) {
        List<RealServerState> all = new ArrayList<>(vs.realServers.values());
        if (vs.sorry != null) {
            all.add(vs.sorry);
        }
        for (RealServerState rs : all) {
            if (rs.set()) {
                try {
                    control.addRealServer(key, spec(key, rs, rs.ipvsWeight));
                } catch (ControlException e) {
                    fail(key, rs, "add", e);
                }
            }
        }
    }

    /** Refusals since the last call, one line each. */
    List<String> drainFailures() {
        List<String> drained = List.copyOf(failures);
        failures.clear();
        return drained;
    }

    void fail(String line) {
        failures.add(line);
    }

    private void fail(ServiceKey key, RealServerState rs, String what, ControlException e) {
        failures.add(key + ": cannot " + what + " real server " + rs.endpoint() + ": " + e.getMessage());
    }

    private static RealServerSpec spec(ServiceKey key, RealServerState rs, int weight) {
        return new RealServerSpec(rs.config.address(), port(key, rs), rs.config.method(), weight,
                rs.config.upperThreshold(), rs.config.lowerThreshold(), rs.config.tunnel());
    }

    /** As ipvs_cmd: only NAT (and full NAT) may change the port; DR and TUN keep the service's. */
    private static int port(ServiceKey key, RealServerState rs) {
        return rs.config.method().translatesReplies() ? rs.config.port() : key.port();
    }
}
