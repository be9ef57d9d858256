package org.jvs.keepalived;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.jvs.api.IpAddress;
import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.check.CheckedServer;
import org.jvs.keepalived.config.KeepalivedConfig;
import org.jvs.keepalived.config.RealServerConfig;
import org.jvs.keepalived.config.VirtualServerConfig;
import org.jvs.keepalived.config.VirtualServerGroup;

/**
 * Brings IPVS from the virtual servers applied so far to those of a new configuration, as keepalived's reload
 * does (clear_diff_services, then init_services): what did not change is not touched, so its connections and
 * health state carry on. The first configuration is a reload from nothing.
 */
final class ConfigDiff {
    /** A range in a group is expanded into services one by one; keep typos like 10.0.0.1-10.9.0.1 bounded. */
    private static final long MAX_GROUP_ADDRESSES = 65_536;

    private final DirectorControl control;
    private final IpvsDestinations ipvs;
    private final PoolRules rules;
    private final HealthWatcher watcher;
    private final InstantSource clock;
    private final LocalAddresses laddrs;

    ConfigDiff(DirectorControl control, IpvsDestinations ipvs, PoolRules rules, HealthWatcher watcher,
               InstantSource clock) {
        this.control = control;
        this.ipvs = ipvs;
        this.rules = rules;
        this.watcher = watcher;
        this.clock = clock;
        this.laddrs = new LocalAddresses(control, ipvs);
    }

    /** Returns the virtual servers now applied, by identity, in file order. */
    Map<String, VirtualServerState> apply(Map<String, VirtualServerState> current, KeepalivedConfig config) {
        Map<String, VirtualServerConfig> wanted = new LinkedHashMap<>();
        Map<String, List<ServiceKey>> keysOf = new HashMap<>();
        for (VirtualServerConfig vsc : config.virtualServers()) {
            String identity = VirtualServerState.identity(vsc);
            List<ServiceKey> keys = expand(vsc, config);
            if (keys == null) {
                continue;
            }
            if (wanted.putIfAbsent(identity, vsc) != null) {
                ipvs.fail(vsc.where() + ": virtual_server " + identity + " is defined twice; the first one is used");
                continue;
            }
            keysOf.put(identity, keys);
        }
        for (VirtualServerState old : current.values()) {
            if (!wanted.containsKey(old.identity)) {
                removeVirtualServer(old);
            }
        }
        Map<String, VirtualServerState> next = new LinkedHashMap<>();
        for (Map.Entry<String, VirtualServerConfig> entry : wanted.entrySet()) {
            String identity = entry.getKey();
            VirtualServerState old = current.get(identity);
            VirtualServerState vs = old == null
                    ? createVirtualServer(identity, entry.getValue(), keysOf.get(identity), config)
                    : updateVirtualServer(old, entry.getValue(), keysOf.get(identity), config);
            next.put(identity, vs);
        }
        return next;
    }

    /** Stops watching everything (the director is going away); omega runs the down scripts (clear_services). */
    void shutdown(Map<String, VirtualServerState> current) {
        for (VirtualServerState vs : current.values()) {
            for (RealServerState rs : vs.realServers.values()) {
                unwatch(rs);
                if (vs.config.omega() && rs.alive) {
                    rules.setAlive(rs, false);
                    rules.serverNotify(rs);
                }
            }
            if (vs.config.omega()) {
                vs.quorumUp = false;
                rules.quorumNotify(vs);
            }
        }
    }

    private List<ServiceKey> expand(VirtualServerConfig vsc, KeepalivedConfig config) {
        if (vsc.group().isEmpty()) {
            return List.of(new ServiceKey(vsc.protocol(), vsc.address(), vsc.port()));
        }
        VirtualServerGroup group = config.virtualServerGroups().get(vsc.group());
        if (group == null) {
            ipvs.fail(vsc.where() + ": virtual_server group " + vsc.group() + ": no virtual_server_group of that name");
            return null;
        }
        List<ServiceKey> keys = new ArrayList<>();
        for (VirtualServerGroup.Member member : group.members()) {
            IpAddress first = member.firstAddress();
            IpAddress last = member.lastAddress();
            // both ends are of one family (GroupParser); only the low 64 bits may differ within a range's limit
            if (first.hi() != last.hi() || Long.compareUnsigned(last.lo() - first.lo(), MAX_GROUP_ADDRESSES) >= 0) {
                ipvs.fail(group.where() + ": virtual_server_group " + group.name() + ": address range too large");
                continue;
            }
            for (long i = 0; i <= last.lo() - first.lo(); i++) {
                keys.add(new ServiceKey(vsc.protocol(), new IpAddress(first.family(), first.hi(), first.lo() + i),
                        member.port()));
            }
        }
        return List.copyOf(new LinkedHashSet<>(keys));
    }

    /** clear_service_vs: the services go, with their real servers; their down notifications run. */
    private void removeVirtualServer(VirtualServerState vs) {
        for (ServiceKey key : vs.keys) {
            deleteService(key);
        }
        for (RealServerState rs : vs.realServers.values()) {
            unwatch(rs);
            if (rs.alive) {
                rules.setAlive(rs, false);
                rules.serverNotify(rs);
            }
        }
        rules.quorumAfterRemoval(vs);
    }

    /** init_service_vs for a virtual server new to IPVS. */
    private VirtualServerState createVirtualServer(String identity, VirtualServerConfig vsc, List<ServiceKey> keys,
                                                   KeepalivedConfig config) {
        VirtualServerState vs = new VirtualServerState(identity, vsc, List.of());
        vs.localAddresses = laddrs.of(vsc, config);
        vs.keys = addServices(vsc, keys, vs.localAddresses);
        for (RealServerConfig rsc : vsc.realServers()) {
            addRealServer(vs, rsc);
        }
        vs.sorry = vsc.sorryServer() == null ? null : sorryState(vs, vsc);
        rules.updateQuorum(vs, true);
        rules.initSorryInhibit(vs);
        return vs;
    }

    private List<ServiceKey> addServices(VirtualServerConfig vsc, List<ServiceKey> keys,
                                         List<LocalAddressSpec> laddrs) {
        List<ServiceKey> added = new ArrayList<>();
        for (ServiceKey key : keys) {
            try {
                control.addService(serviceSpec(key, vsc));
                added.add(key);
            } catch (ControlException e) {
                ipvs.fail(vsc.where() + ": cannot add virtual server " + key + ": " + e.getMessage());
                continue;
            }
            for (LocalAddressSpec laddr : laddrs) {
                this.laddrs.add(vsc, key, laddr);
            }
        }
        return List.copyOf(added);
    }

    /** clear_diff_services for a virtual server in both configurations, then init_service_vs. */
    private VirtualServerState updateVirtualServer(VirtualServerState vs, VirtualServerConfig vsc,
                                                   List<ServiceKey> keys, KeepalivedConfig config) {
        VirtualServerConfig old = vs.config;
        List<ServiceKey> kept = new ArrayList<>();
        for (ServiceKey key : vs.keys) {
            if (keys.contains(key)) {
                kept.add(key);
            } else {
                deleteService(key);
            }
        }
        List<ServiceKey> fresh = new ArrayList<>(keys);
        fresh.removeAll(kept);
        vs.keys = List.copyOf(kept);

        Map<String, RealServerConfig> wanted = new LinkedHashMap<>();
        for (RealServerConfig rsc : vsc.realServers()) {
            wanted.putIfAbsent(RealServerState.endpointKey(rsc), rsc);
        }
        for (RealServerState rs : List.copyOf(vs.realServers.values())) {
            if (!wanted.containsKey(RealServerState.endpointKey(rs.config))) {
                removeRealServer(vs, rs);
            }
        }
        rules.quorumAfterRemoval(vs);

        vs.config = vsc;
        for (ServiceKey key : kept) {
            if (!serviceSpec(key, old).equals(serviceSpec(key, vsc))) {
                editService(vsc, key);
            }
        }
        List<LocalAddressSpec> oldLaddrs = vs.localAddresses;
        List<LocalAddressSpec> newLaddrs = laddrs.of(vsc, config);
        for (ServiceKey key : kept) {
            laddrs.update(vsc, key, oldLaddrs, newLaddrs);
        }
        vs.localAddresses = newLaddrs;
        for (ServiceKey key : addServices(vsc, fresh, newLaddrs)) {
            ipvs.copyTo(vs, key);
            kept.add(key);
        }
        vs.keys = List.copyOf(kept);

        for (RealServerConfig rsc : wanted.values()) {
            RealServerState rs = vs.realServers.get(RealServerState.endpointKey(rsc));
            if (rs == null) {
                addRealServer(vs, rsc);
            } else {
                updateRealServer(vs, rs, rsc);
            }
        }
        vs.realServers.keySet().retainAll(wanted.keySet());
        reorder(vs, wanted);
        updateSorryServer(vs, vsc);
        rules.updateQuorum(vs, true);
        rules.initSorryInhibit(vs);
        return vs;
    }

    private static void reorder(VirtualServerState vs, Map<String, RealServerConfig> wanted) {
        Map<String, RealServerState> ordered = new LinkedHashMap<>();
        for (String endpoint : wanted.keySet()) {
            ordered.put(endpoint, vs.realServers.get(endpoint));
        }
        vs.realServers.clear();
        vs.realServers.putAll(ordered);
    }

    /** A real server new to its virtual server: alpha starts it failed until its checks pass. */
    private void addRealServer(VirtualServerState vs, RealServerConfig rsc) {
        String endpoint = RealServerState.endpointKey(rsc);
        if (vs.realServers.containsKey(endpoint)) {
            ipvs.fail(rsc.where() + ": real_server " + RealServerState.endpoint(rsc) + " is already in " + vs.identity
                    + "; the first one is used");
            return;
        }
        RealServerState rs = new RealServerState(vs.checkedName(endpoint), rsc, inhibit(vs.config, rsc),
                clock.instant());
        rs.failed = rsc.alpha() && !rsc.checkers().isEmpty();
        vs.realServers.put(endpoint, rs);
        rules.initRealServer(vs, rs);
        watch(rs, !rs.failed);
    }

    /** clear_diff_rs for a server that is gone: removed from IPVS whatever inhibit_on_failure says. */
    private void removeRealServer(VirtualServerState vs, RealServerState rs) {
        unwatch(rs);
        ipvs.forceRemove(vs, rs);
        if (rs.alive) {
            rules.setAlive(rs, false);
            rules.serverNotify(rs);
        }
        vs.realServers.remove(RealServerState.endpointKey(rs.config));
    }

    /**
     * clear_diff_rs and migrate_checkers for a server in both: a new configured weight is one edit, new
     * checkers are watched from the server's present state, and a down server follows a new inhibit_on_failure.
     */
    private void updateRealServer(VirtualServerState vs, RealServerState rs, RealServerConfig rsc) {
        RealServerConfig old = rs.config;
        rs.config = rsc;
        boolean inhibit = inhibit(vs.config, rsc);
        boolean otherFields = old.method() != rsc.method() || !old.tunnel().equals(rsc.tunnel())
                || old.upperThreshold() != rsc.upperThreshold() || old.lowerThreshold() != rsc.lowerThreshold();
        if (old.weight() != rsc.weight()) {
            rs.effectiveWeight = rsc.weight();
        }
        if (!old.checkers().equals(rsc.checkers())) {
            unwatch(old.checkers(), rs.name);
            if (rsc.checkers().isEmpty()) {
                rules.serverHealth(vs, rs, true);
            } else {
                watch(rs, rs.alive);
            }
        }
        if (rs.inhibit != inhibit) {
            rs.inhibit = inhibit;
            if (rs.failed && rs.set() != inhibit) {
                if (inhibit) {
                    ipvs.add(vs, rs);
                } else {
                    ipvs.forceRemove(vs, rs);
                }
            }
        }
        if (rs.set()) {
            int weight = rs.alive && vs.poolActive() ? rs.realWeight() : rs.ipvsWeight;
            ipvs.edit(vs, rs, weight, otherFields);
        }
    }

    /** clear_diff_s_srv: the sorry server is kept when it is the same one, else replaced. */
    private void updateSorryServer(VirtualServerState vs, VirtualServerConfig vsc) {
        RealServerState old = vs.sorry;
        RealServerConfig wanted = vsc.sorryServer();
        if (old != null && wanted != null
                && RealServerState.endpointKey(old.config).equals(RealServerState.endpointKey(wanted))) {
            if (old.inhibit == vsc.sorryServerInhibit() || old.alive) {
                RealServerConfig was = old.config;
                old.config = wanted;
                old.inhibit = vsc.sorryServerInhibit();
                old.effectiveWeight = wanted.weight();
                if (old.set()) {
                    boolean otherFields = was.method() != wanted.method() || !was.tunnel().equals(wanted.tunnel())
                            || was.upperThreshold() != wanted.upperThreshold()
                            || was.lowerThreshold() != wanted.lowerThreshold();
                    ipvs.edit(vs, old, old.alive ? old.realWeight() : old.ipvsWeight, otherFields);
                }
                return;
            }
        }
        if (old != null) {
            boolean reinstate = old.alive && wanted == null;
            ipvs.forceRemove(vs, old);
            if (reinstate) {
                rules.quorumPool(vs, true);
            }
        }
        vs.sorry = wanted == null ? null : sorryState(vs, vsc);
    }

    private RealServerState sorryState(VirtualServerState vs, VirtualServerConfig vsc) {
        RealServerConfig sorry = vsc.sorryServer();
        return new RealServerState(vs.identity + " sorry " + RealServerState.endpoint(sorry), sorry, vsc.sorryServerInhibit(),
                clock.instant());
    }

    private static boolean inhibit(VirtualServerConfig vsc, RealServerConfig rsc) {
        return rsc.inhibitOnFailure() || vsc.inhibitOnFailure();
    }

    private void watch(RealServerState rs, boolean startsUp) {
        if (!rs.config.checkers().isEmpty()) {
            watcher.watch(new CheckedServer(rs.name, rs.config.address().inetAddress(), rs.config.port(),
                    rs.config.checkers(), startsUp));
        }
    }

    private void unwatch(RealServerState rs) {
        unwatch(rs.config.checkers(), rs.name);
    }

    private void unwatch(List<?> checkers, String name) {
        if (!checkers.isEmpty()) {
            watcher.unwatch(name);
        }
    }

    static ServiceSpec serviceSpec(ServiceKey key, VirtualServerConfig vsc) {
        // no persistence_granularity: the whole address, /32 or /128
        int mask = vsc.persistenceNetmask() == -1 && !key.address().isIpv4() ? IpAddress.Family.IPV6.bits()
                : vsc.persistenceNetmask();
        return new ServiceSpec(key, vsc.scheduler(), vsc.schedulerFlags(), vsc.persistenceTimeoutS(),
                mask, vsc.onePacket(), vsc.proxyProtocol());
    }

    private void editService(VirtualServerConfig vsc, ServiceKey key) {
        try {
            control.editService(serviceSpec(key, vsc));
        } catch (ControlException e) {
            ipvs.fail(vsc.where() + ": cannot change virtual server " + key + ": " + e.getMessage());
        }
    }

    private void deleteService(ServiceKey key) {
        try {
            control.deleteService(key);
        } catch (ControlException e) {
            ipvs.fail("cannot remove virtual server " + key + ": " + e.getMessage());
        }
    }
}
