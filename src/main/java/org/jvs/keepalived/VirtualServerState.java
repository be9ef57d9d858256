package org.jvs.keepalived;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvs.api.LocalAddressSpec;
import org.jvs.api.ServiceKey;
import org.jvs.keepalived.config.VirtualServerConfig;
import org.jvs.service.Protocol;

/**
 * One virtual_server block and the IPVS services it stands for: one, or one per member address of its
 * virtual_server_group. As in keepalived, health, quorum and the sorry server are shared by all of them.
 */
final class VirtualServerState {
    /** Stable across reloads (keepalived's vs_iseq): protocol and VIP:PORT, or protocol and group name. */
    final String identity;
    VirtualServerConfig config;
    List<ServiceKey> keys;
    /** laddr_group_name's addresses, given to every service. */
    List<LocalAddressSpec> localAddresses = List.of();
    final Map<String, RealServerState> realServers = new LinkedHashMap<>();
    RealServerState sorry;
    /** vs->quorum_state_up. */
    boolean quorumUp;

    VirtualServerState(String identity, VirtualServerConfig config, List<ServiceKey> keys) {
        this.identity = identity;
        this.config = config;
        this.keys = keys;
    }

    static String identity(VirtualServerConfig config) {
        String protocol = Protocol.name(config.protocol());
        return config.group().isEmpty()
                ? protocol + " " + config.address().withPort(config.port())
                : protocol + " group " + config.group();
    }

    /** keepalived's weigh_live_realservers. */
    long liveWeight() {
        long sum = 0;
        for (RealServerState rs : realServers.values()) {
            if (rs.alive) {
                sum += rs.realWeight();
            }
        }
        return sum;
    }

    /** perform_svr_state's guard: real servers go in and out of IPVS unless the sorry server stands in. */
    boolean poolActive() {
        return quorumUp || sorry == null || !sorry.alive;
    }

    String checkedName(String endpoint) {
        return identity + " -> " + endpoint;
    }
}
