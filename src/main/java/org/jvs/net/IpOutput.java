package org.jvs.net;

import java.lang.foreign.MemorySegment;

/**
 * The director's IPv4 output: routing plus the link layer. Transmitters build IPv4 packets behind a 14-byte
 * Ethernet header they leave blank, then hand them here; the output fills in the MACs (resolving the next hop
 * by ARP when needed, holding the packet meanwhile) and sends.
 */
public interface IpOutput {

    int ETHERNET_HEADER_LENGTH = 14;

    /** Fills {@code hop} with the route towards {@code destination}; false when unroutable. */
    boolean route(int destination, NextHop hop);

    /**
     * Sends the frame at {@code frame[offset, offset+length)} (Ethernet header first, IPv4 after it) to the next
     * hop. Returns false when it was dropped (no neighbour after resolution, ring full); true when sent or held
     * for ARP resolution. The bytes are copied before return.
     */
    default boolean send(NextHop hop, MemorySegment frame, long offset, int length) {
        return send(hop, frame, offset, length, 0);
    }

    /**
     * As {@link #send(NextHop, MemorySegment, long, int)} for a frame whose checksum or segmentation is left to
     * the kernel: {@code flags} as in {@link FrameHandler} (0: a plain frame).
     */
    boolean send(NextHop hop, MemorySegment frame, long offset, int length, int flags);
}
