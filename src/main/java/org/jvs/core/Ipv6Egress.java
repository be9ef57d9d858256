package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.net.HostNetwork;
import org.jvs.net.Ipv6Output;
import org.jvs.net.NetInterface;
import org.jvs.net.NextHop6;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Fragmenter;
import org.jvs.packet.Ipv6Fragmenter;

/**
 * The director's IPv6 output, {@link Egress}'s counterpart: routes through the host's IPv6 table
 * ({@link HostNetwork#route6}) and hands the frame to {@link NeighbourSolicitor}, which fills the MACs or holds the
 * frame while Neighbour Discovery resolves the next hop. A datagram the director reassembled
 * ({@link Ipv6Output#REASSEMBLED}) that does not fit the way out leaves in fragments ({@link Ipv6Fragmenter}), as the
 * kernel's ip6_fragment sends on what nf_defrag_ipv6 made whole. Data-plane thread only; allocates nothing.
 */
final class Ipv6Egress implements Ipv6Output {
    private final HostNetwork network;
    private final NeighbourSolicitor solicitor;
    private final Counters counters;
    private final Ipv6Fragmenter fragmenter = new Ipv6Fragmenter();
    private final Ipv4Fragmenter.Output sendFragment = this::sendFragment;
    private NextHop6 fragmentHop;
    private int identification;

    Ipv6Egress(HostNetwork network, NeighbourSolicitor solicitor, Counters counters) {
        this.network = network;
        this.solicitor = solicitor;
        this.counters = counters;
    }

    @Override
    public boolean route6(long destinationHi, long destinationLo, NextHop6 hop) {
        return network.route6(destinationHi, destinationLo, hop);
    }

    @Override
    public boolean send6(NextHop6 hop, MemorySegment frame, long offset, int length, int flags) {
        if ((flags & REASSEMBLED) != 0) {
            NetInterface port = network.interfaceByIndex(hop.ifindex);
            int mtu = Math.min(hop.mtu, port == null ? hop.mtu : port.mtu());
            if (length - EthernetHeader.LENGTH > mtu) {
                fragmentHop = hop;
                identification++;
                if (fragmenter.fragment(frame, offset, length, mtu, identification, sendFragment) < 0) {
                    return false;
                }
                counters.increment(Counter.DATAGRAMS_FRAGMENTED);
                return true;
            }
        }
        return solicitor.send(hop.ifindex, hop.gatewayHi, hop.gatewayLo, frame, offset, length, flags & ~REASSEMBLED);
    }

    private boolean sendFragment(MemorySegment fragment, long offset, int length) {
        return solicitor.send(fragmentHop.ifindex, fragmentHop.gatewayHi, fragmentHop.gatewayLo, fragment, offset,
                length, 0);
    }
}
