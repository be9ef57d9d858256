package org.jvs.keepalived;

import java.time.Instant;

import org.jvs.keepalived.config.RealServerConfig;

/**
 * What keepalived's real_server_t remembers about one real server (or a sorry server) of one virtual server:
 * whether it counts as alive, whether IPVS holds an entry for it and at which weight.
 */
final class RealServerState {
    /** ipvsWeight when IPVS holds no entry. */
    static final int NOT_IN_IPVS = -1;
    /** The largest weight ipvsadm accepts (keepalived clamps to IPVS_WEIGHT_LIMIT in real_weight). */
    static final int MAX_IPVS_WEIGHT = 65535;

    /** The CheckedServer name, unique per virtual server and real server. */
    final String name;
    RealServerConfig config;
    /** inhibit_on_failure (sorry_server_inhibit for the sorry server): down means weight 0, not removed. */
    boolean inhibit;
    /** rs->alive: counted in the quorum and, while the quorum holds, in the pool. */
    boolean alive;
    /** rs->num_failed_checkers != 0. */
    boolean failed;
    /** rs->effective_weight: the configured weight, or the last misc_dynamic one. */
    int effectiveWeight;
    /** The weight of its IPVS entry (rs->set when not NOT_IN_IPVS). */
    int ipvsWeight = NOT_IN_IPVS;
    Instant since;
    String reason = "";

    RealServerState(String name, RealServerConfig config, boolean inhibit, Instant since) {
        this.name = name;
        this.config = config;
        this.inhibit = inhibit;
        this.effectiveWeight = config.weight();
        this.since = since;
    }

    boolean set() {
        return ipvsWeight != NOT_IN_IPVS;
    }

    /** keepalived's real_weight(): what IPVS accepts. */
    int realWeight() {
        return Math.max(0, Math.min(effectiveWeight, MAX_IPVS_WEIGHT));
    }

    String endpoint() {
        return endpoint(config);
    }

    static String endpoint(RealServerConfig config) {
        return config.address().withPort(config.port());
    }

    /** What tells a virtual server's real servers apart: address and port, as ipvsadm writes them. */
    static String endpointKey(RealServerConfig config) {
        return endpoint(config);
    }
}
