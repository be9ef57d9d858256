package org.jvs.api;

import java.util.List;

import org.jvs.stats.Stats;

/** A consistent copy of one virtual service and its real servers (in the order they were added). */
public record ServiceSnapshot(ServiceKey key, String scheduler, String schedulerFlags, int persistenceTimeoutS,
                              int persistenceNetmask, Stats stats, List<RealServerSnapshot> realServers) {
}
