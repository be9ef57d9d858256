package org.jvs.linux;

import java.lang.foreign.MemorySegment;

import org.jvs.packet.Checksum;
import org.jvs.packet.GreHeader;
import org.jvs.service.Protocol;

/**
 * Finds the inner IPv4 packet of a GRE packet as a raw IPPROTO_GRE socket delivers it (outer header included,
 * reassembled, outer checksum verified), checking what Linux's gre_parse_header checks: version 0, no routing
 * (RFC 1701's R bit), the header's optional words (checksum, key, sequence number) within the packet, and a
 * checksum, when C is set, that verifies over the GRE header and payload. Only protocol 0x0800 is taken, as
 * IPVS sends. A flyweight; allocates nothing. Not thread-safe.
 */
public final class GreDecapsulator implements TunnelDecapsulator {
    /** The ones' complement sum of a checksummed range whose checksum is right. */
    private static final int VERIFIED_SUM = 0xFFFF;

    private final GreHeader gre = new GreHeader();
    private int innerOffset;

    @Override
    public int decapsulate(MemorySegment packet, int length) {
        int outerHeader = Ipv4Checks.outerHeader(packet, length, Protocol.GRE);
        if (outerHeader < 0) {
            return outerHeader;
        }
        int carried = Ipv4Checks.outerTotal(packet) - outerHeader;
        if (carried < GreHeader.LENGTH) {
            return TRUNCATED;
        }
        gre.wrap(packet, outerHeader);
        int flags = gre.flags();
        if ((flags & (GreHeader.VERSION_MASK | GreHeader.FLAG_ROUTING)) != 0) {
            return UNSUPPORTED;
        }
        if (gre.protocolType() != GreHeader.PROTOCOL_IPV4) {
            return WRONG_PROTOCOL;
        }
        int greLength = gre.headerLength();
        if (greLength > carried) {
            return TRUNCATED;
        }
        if ((flags & GreHeader.FLAG_CHECKSUM) != 0 && Checksum.sum(packet, outerHeader, carried) != VERIFIED_SUM) {
            return BAD_CHECKSUM;
        }
        int innerTotal = Ipv4Checks.inner(packet, outerHeader + greLength, carried - greLength);
        if (innerTotal > 0) {
            innerOffset = outerHeader + greLength;
        }
        return innerTotal;
    }

    @Override
    public int innerOffset() {
        return innerOffset;
    }
}
