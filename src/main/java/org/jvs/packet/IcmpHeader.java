package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over an ICMP header (RFC 792; next-hop MTU from RFC 1191):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Rest of Header                            |
 * |   (fragmentation needed: unused (16)  |  Next-Hop MTU (16))    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Data (errors: the offending IP header + first 8 bytes) ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The checksum covers the whole ICMP message, without a pseudo-header.
 */
public final class IcmpHeader {
    public static final int LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_SOURCE_QUENCH = 4;
    public static final int TYPE_REDIRECT = 5;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;

    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    public static final int CODE_TTL_EXCEEDED = 0;

    static final int TYPE_OFFSET = 0;
    static final int CODE_OFFSET = 1;
    static final int CHECKSUM_OFFSET = 2;
    static final int REST_OF_HEADER_OFFSET = 4;
    static final int NEXT_HOP_MTU_OFFSET = 6;

    private MemorySegment segment;
    private long offset;

    public IcmpHeader wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** True for the types that report an error about another packet, which must never trigger an ICMP error. */
    public static boolean isError(int type) {
        return type == TYPE_DESTINATION_UNREACHABLE || type == TYPE_REDIRECT || type == TYPE_TIME_EXCEEDED
                || type == TYPE_PARAMETER_PROBLEM || type == TYPE_SOURCE_QUENCH;
    }

    public int type() {
        return NetworkOrder.u8(segment, offset + TYPE_OFFSET);
    }

    public IcmpHeader type(int type) {
        NetworkOrder.u8(segment, offset + TYPE_OFFSET, type);
        return this;
    }

    public int code() {
        return NetworkOrder.u8(segment, offset + CODE_OFFSET);
    }

    public IcmpHeader code(int code) {
        NetworkOrder.u8(segment, offset + CODE_OFFSET, code);
        return this;
    }

    public int checksum() {
        return NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET);
    }

    public IcmpHeader checksum(int checksum) {
        NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    /** The type-specific second word (identifier/sequence, gateway, unused/MTU). */
    public int restOfHeader() {
        return NetworkOrder.u32(segment, offset + REST_OF_HEADER_OFFSET);
    }

    public IcmpHeader restOfHeader(int value) {
        NetworkOrder.u32(segment, offset + REST_OF_HEADER_OFFSET, value);
        return this;
    }

    /** Next-hop MTU of a fragmentation-needed message (RFC 1191). */
    public int nextHopMtu() {
        return NetworkOrder.u16(segment, offset + NEXT_HOP_MTU_OFFSET);
    }

    public IcmpHeader nextHopMtu(int mtu) {
        NetworkOrder.u16(segment, offset + NEXT_HOP_MTU_OFFSET, mtu);
        return this;
    }

    /** The checksum of an ICMP message of {@code length} bytes from scratch (the field counts as zero). */
    public int computeChecksum(int length) {
        return Checksum.computeSkippingField(0, segment, offset, length, CHECKSUM_OFFSET);
    }

    public IcmpHeader updateChecksum(int length) {
        return checksum(computeChecksum(length));
    }
}
