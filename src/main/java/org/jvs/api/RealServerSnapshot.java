package org.jvs.api;

import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;
import org.jvs.stats.Stats;

/** A consistent copy of one real server for listings, taken on the data-plane thread. */
public record RealServerSnapshot(IpAddress address, int port, ForwardingMethod method, int weight, int upperThreshold,
                                 int lowerThreshold, int activeConnections, int inactiveConnections,
                                 int persistentConnections, Stats stats, Tunnel tunnel) {

    /** A server without tunnel options (an -i one tunnels with IPIP). */
    public RealServerSnapshot(IpAddress address, int port, ForwardingMethod method, int weight, int upperThreshold,
                              int lowerThreshold, int activeConnections, int inactiveConnections,
                              int persistentConnections, Stats stats) {
        this(address, port, method, weight, upperThreshold, lowerThreshold, activeConnections, inactiveConnections,
                persistentConnections, stats, Tunnel.IPIP);
    }

    /** An IPv4 server. */
    public RealServerSnapshot(int address, int port, ForwardingMethod method, int weight, int upperThreshold,
                              int lowerThreshold, int activeConnections, int inactiveConnections,
                              int persistentConnections, Stats stats, Tunnel tunnel) {
        this(IpAddress.ofIpv4(address), port, method, weight, upperThreshold, lowerThreshold, activeConnections,
                inactiveConnections, persistentConnections, stats, tunnel);
    }

    /** An IPv4 server without tunnel options. */
    public RealServerSnapshot(int address, int port, ForwardingMethod method, int weight, int upperThreshold,
                              int lowerThreshold, int activeConnections, int inactiveConnections,
                              int persistentConnections, Stats stats) {
        this(IpAddress.ofIpv4(address), port, method, weight, upperThreshold, lowerThreshold, activeConnections,
                inactiveConnections, persistentConnections, stats, Tunnel.IPIP);
    }
}
