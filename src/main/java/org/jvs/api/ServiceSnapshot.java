package org.jvs.api;

import java.util.List;

import org.jvs.stats.Stats;

/**
 * A consistent copy of one virtual service and its real servers (in the order they were added).
 * {@code onePacket} is ipvsadm's -o (IP_VS_SVC_F_ONEPACKET).
 */
public record ServiceSnapshot(ServiceKey key, String scheduler, String schedulerFlags, int persistenceTimeoutS,
                              int persistenceNetmask, boolean onePacket, Stats stats,
                              List<RealServerSnapshot> realServers) {

    /** A service without -o. */
    public ServiceSnapshot(ServiceKey key, String scheduler, String schedulerFlags, int persistenceTimeoutS,
                           int persistenceNetmask, Stats stats, List<RealServerSnapshot> realServers) {
        this(key, scheduler, schedulerFlags, persistenceTimeoutS, persistenceNetmask, false, stats, realServers);
    }
}
