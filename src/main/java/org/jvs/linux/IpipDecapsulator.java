package org.jvs.linux;

import java.lang.foreign.MemorySegment;

/**
 * Finds the inner IPv4 packet of an IPIP packet as a raw IPPROTO_IPIP socket delivers it: outer header included,
 * already reassembled and checksum-verified by the kernel. A flyweight: {@link #decapsulate} validates and
 * remembers where the inner packet starts; nothing is copied or allocated. Not thread-safe.
 *
 * <p>The inner header's checksum is left to the kernel, which checks it again when the inner packet is injected.
 */
public final class IpipDecapsulator implements TunnelDecapsulator {
    /** An IPIP packet's outer header carries another protocol. */
    public static final int NOT_IPIP = WRONG_PROTOCOL;
    private static final int IPPROTO_IPIP = 4;

    private int innerOffset;

    /**
     * Validates packet[0, length): outer IPv4 carrying protocol 4, sane header and total lengths, inner IPv4 whose
     * total length fits in what the outer one carries. Returns the inner packet's total length, or a negative
     * reason; on success {@link #innerOffset()} is where the inner packet begins.
     */
    @Override
    public int decapsulate(MemorySegment packet, int length) {
        int outerHeader = Ipv4Checks.outerHeader(packet, length, IPPROTO_IPIP);
        if (outerHeader < 0) {
            return outerHeader;
        }
        int innerTotal = Ipv4Checks.inner(packet, outerHeader, Ipv4Checks.outerTotal(packet) - outerHeader);
        if (innerTotal > 0) {
            innerOffset = outerHeader;
        }
        return innerTotal;
    }

    /** Offset of the inner packet found by the last successful {@link #decapsulate}: the outer header's length. */
    @Override
    public int innerOffset() {
        return innerOffset;
    }
}
