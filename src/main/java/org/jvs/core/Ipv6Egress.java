package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.net.HostNetwork;
import org.jvs.net.Ipv6Output;
import org.jvs.net.NextHop6;

/**
 * The director's IPv6 output, {@link Egress}'s counterpart: routes through the host's IPv6 table
 * ({@link HostNetwork#route6}) and hands the frame to {@link NeighbourSolicitor}, which fills the MACs or holds the
 * frame while Neighbour Discovery resolves the next hop. Data-plane thread only; allocates nothing.
 */
final class Ipv6Egress implements Ipv6Output {
    private final HostNetwork network;
    private final NeighbourSolicitor solicitor;

    Ipv6Egress(HostNetwork network, NeighbourSolicitor solicitor) {
        this.network = network;
        this.solicitor = solicitor;
    }

    @Override
    public boolean route6(long destinationHi, long destinationLo, NextHop6 hop) {
        return network.route6(destinationHi, destinationLo, hop);
    }

    @Override
    public boolean send6(NextHop6 hop, MemorySegment frame, long offset, int length, int flags) {
        return solicitor.send(hop.ifindex, hop.gatewayHi, hop.gatewayLo, frame, offset, length, flags);
    }
}
