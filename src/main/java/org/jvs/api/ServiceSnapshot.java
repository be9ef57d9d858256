package org.jvs.api;

import java.util.List;

import org.jvs.stats.Stats;

/**
 * A consistent copy of one virtual service and its real servers (in the order they were added).
 * {@code onePacket} is ipvsadm's -o (IP_VS_SVC_F_ONEPACKET); {@code proxyProtocol} and {@code localAddresses}
 * as in {@link ServiceSpec} and {@link LocalAddressSpec} (local addresses in the order they were added).
 */
public record ServiceSnapshot(ServiceKey key, String scheduler, String schedulerFlags, int persistenceTimeoutS,
                              int persistenceNetmask, boolean onePacket, int proxyProtocol, Stats stats,
                              List<RealServerSnapshot> realServers, List<LocalAddressSpec> localAddresses) {

    /** A service without a PROXY protocol header or local addresses. */
    public ServiceSnapshot(ServiceKey key, String scheduler, String schedulerFlags, int persistenceTimeoutS,
                           int persistenceNetmask, boolean onePacket, Stats stats,
                           List<RealServerSnapshot> realServers) {
        this(key, scheduler, schedulerFlags, persistenceTimeoutS, persistenceNetmask, onePacket,
                ServiceSpec.PROXY_PROTOCOL_NONE, stats, realServers, List.of());
    }

    /** A service without -o. */
    public ServiceSnapshot(ServiceKey key, String scheduler, String schedulerFlags, int persistenceTimeoutS,
                           int persistenceNetmask, Stats stats, List<RealServerSnapshot> realServers) {
        this(key, scheduler, schedulerFlags, persistenceTimeoutS, persistenceNetmask, false, stats, realServers);
    }
}
