package org.jvs.keepalived;

import java.time.InstantSource;

/**
 * keepalived's rules for taking real servers in and out of a virtual server (check/ipwrapper.c), one method per
 * function mirrored. Callers serialize; nothing here waits on anything but the director's control calls.
 */
final class PoolRules {
    private final IpvsDestinations ipvs;
    private final ScriptRunner scripts;
    private final InstantSource clock;

    PoolRules(IpvsDestinations ipvs, ScriptRunner scripts, InstantSource clock) {
        this.ipvs = ipvs;
        this.scripts = scripts;
        this.clock = clock;
    }

    /**
     * perform_svr_state: a server that went up is added (weight restored under inhibit_on_failure), one that
     * went down removed (weight 0 under inhibit_on_failure), but only while the sorry server does not stand in;
     * then notify_up/notify_down, then the quorum may have changed.
     */
    void serverHealth(VirtualServerState vs, RealServerState rs, boolean up) {
        rs.failed = !up;
        if (rs.alive == up) {
            return;
        }
        if (vs.poolActive()) {
            if (up) {
                ipvs.add(vs, rs);
            } else {
                ipvs.remove(vs, rs);
            }
        }
        setAlive(rs, up);
        serverNotify(rs);
        updateQuorum(vs, false);
    }

    /**
     * update_svr_checker_state for a checker's first result that leaves it as it was: do_rs_notifies when the
     * checker has alpha or failed ({@code checker->alpha || !alive}), so an alpha server whose first check fails
     * is told it is down though it never was up, and a reloaded alpha server whose new checker passes is told it
     * is up. keepalived starts a checker down only under alpha; JVS starts every new checker of a server that is
     * down (reload) down, so here alpha alone decides.
     */
    void firstCheck(RealServerState rs) {
        if (rs.config.alpha()) {
            serverNotify(rs);
        }
    }

    /**
     * update_svr_wgt: the new weight reaches IPVS now only when the server is in the pool; otherwise when it
     * comes back. Either way it counts towards the quorum at once.
     */
    void weight(VirtualServerState vs, RealServerState rs, int weight) {
        int old = rs.realWeight();
        rs.effectiveWeight = weight;
        if (rs.realWeight() == old) {
            return;
        }
        if (rs.set() && rs.alive && vs.poolActive()) {
            ipvs.edit(vs, rs, rs.realWeight(), false);
        }
        updateQuorum(vs, false);
    }

    /**
     * update_quorum_state. Thresholds: quorum + hysteresis to gain it, quorum - hysteresis (or no live weight
     * at all) to lose it. Gaining takes the sorry server out and the alive servers back in; losing (or starting
     * without quorum, {@code init}) takes the alive servers out and the sorry server in. quorum_up/quorum_down
     * run on each change.
     */
    void updateQuorum(VirtualServerState vs, boolean init) {
        long weightSum = vs.liveWeight();
        long threshold = vs.config.quorum() + (long) (vs.quorumUp ? -1 : 1) * vs.config.hysteresis();
        RealServerState sorry = vs.sorry;
        if (!vs.quorumUp && weightSum >= threshold) {
            vs.quorumUp = true;
            if (sorry != null && sorry.alive) {
                ipvs.remove(vs, sorry);
                setAlive(sorry, false);
                quorumPool(vs, true);
            }
            quorumNotify(vs);
        } else if ((vs.quorumUp && (weightSum == 0 || weightSum < threshold))
                || (init && !vs.quorumUp && sorry != null && !sorry.alive)) {
            vs.quorumUp = false;
            if (sorry != null && !sorry.alive) {
                quorumPool(vs, false);
                ipvs.add(vs, sorry);
                setAlive(sorry, true);
            }
            quorumNotify(vs);
        }
    }

    /** perform_quorum_state: the alive servers into, or out of, IPVS. */
    void quorumPool(VirtualServerState vs, boolean add) {
        for (RealServerState rs : vs.realServers.values()) {
            if (rs.alive) {
                if (add) {
                    ipvs.add(vs, rs);
                } else {
                    ipvs.remove(vs, rs);
                }
            }
        }
    }

    /**
     * init_service_rs for a server new to IPVS: one without failed checks goes in and is alive; with alpha its
     * checks start failed, so it stays out, or goes in at weight 0 with inhibit_on_failure. While the sorry
     * server stands in, it is only marked alive (JVS: keepalived adds it and fails to add it again later).
     */
    void initRealServer(VirtualServerState vs, RealServerState rs) {
        if (!rs.failed || rs.inhibit) {
            if (vs.poolActive() || (rs.inhibit && rs.failed)) {
                ipvs.add(vs, rs);
            }
            if (!rs.failed) {
                setAlive(rs, true);
            }
        }
    }

    /** init_service_vs: with sorry_server_inhibit the sorry server waits in IPVS at weight 0. */
    void initSorryInhibit(VirtualServerState vs) {
        if (vs.sorry != null && vs.sorry.inhibit && !vs.sorry.set()) {
            ipvs.addAt(vs, vs.sorry, 0);
        }
    }

    /** update_vs_notifies: after servers were taken away, the quorum may be gone (no sorry server put in). */
    void quorumAfterRemoval(VirtualServerState vs) {
        long weightSum = vs.liveWeight();
        long threshold = vs.config.quorum() - (long) vs.config.hysteresis();
        if (vs.quorumUp && (weightSum == 0 || weightSum < threshold)) {
            vs.quorumUp = false;
            quorumNotify(vs);
        }
    }

    /** do_rs_notifies. */
    void serverNotify(RealServerState rs) {
        run(rs.alive ? rs.config.notifyUp() : rs.config.notifyDown());
    }

    /** do_vs_notifies. */
    void quorumNotify(VirtualServerState vs) {
        run(vs.quorumUp ? vs.config.quorumUp() : vs.config.quorumDown());
    }

    void setAlive(RealServerState rs, boolean alive) {
        if (rs.alive != alive) {
            rs.alive = alive;
            rs.since = clock.instant();
        }
    }

    private void run(String commandLine) {
        if (commandLine != null && !commandLine.isBlank()) {
            scripts.run(commandLine);
        }
    }
}
