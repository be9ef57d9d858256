package org.jvs.net;

import java.lang.foreign.MemorySegment;

/**
 * The director's IPv6 output, as {@link IpOutput} is its IPv4 one: routing plus the link layer. Transmitters build
 * IPv6 packets behind a 14-byte Ethernet header they leave blank; the output fills in the MACs (resolving the next
 * hop by Neighbour Discovery, holding the packet meanwhile) and sends.
 */
public interface Ipv6Output {

    /**
     * A flag beside {@link FrameHandler}'s: the packet is a datagram the director reassembled from fragments. The
     * MTU checks let it pass and the output fragments it again where it does not fit the way out, as the kernel's
     * ip6_fragment does for a defragmented packet IPVS forwards; it never reaches a {@link FrameSink}.
     */
    int REASSEMBLED = 1 << 1;

    /** An output with no IPv6 routes, for an IPv4-only transmitter. */
    Ipv6Output NONE = new Ipv6Output() {
        @Override
        public boolean route6(long destinationHi, long destinationLo, NextHop6 hop) {
            return false;
        }

        @Override
        public boolean send6(NextHop6 hop, MemorySegment frame, long offset, int length, int flags) {
            return false;
        }
    };

    /** Fills {@code hop} with the route towards {@code destinationHi/Lo}; false when unroutable. */
    boolean route6(long destinationHi, long destinationLo, NextHop6 hop);

    /**
     * Sends the frame (Ethernet header first, IPv6 after it) to {@code hop}'s gateway. False when it was dropped;
     * true when sent or held for Neighbour Discovery. The bytes are copied before return. {@code flags} as in
     * {@link FrameHandler}.
     */
    boolean send6(NextHop6 hop, MemorySegment frame, long offset, int length, int flags);
}
