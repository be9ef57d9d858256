package org.jvs.api;

import org.jvs.service.ForwardingMethod;
import org.jvs.stats.Stats;

/** A consistent copy of one real server for listings, taken on the data-plane thread. */
public record RealServerSnapshot(int address, int port, ForwardingMethod method, int weight, int upperThreshold,
                                 int lowerThreshold, int activeConnections, int inactiveConnections,
                                 int persistentConnections, Stats stats) {
}
