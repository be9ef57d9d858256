package org.jvs.packet;

import java.lang.foreign.MemorySegment;

import org.jvs.service.Protocol;

/**
 * Flyweight over an ICMPv6 message (RFC 4443):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  echo: Identifier | Sequence; packet too big: MTU;           |
 * |  parameter problem: Pointer; other errors: unused             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  errors: as much of the invoking packet as fits in 1280 bytes |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The checksum covers an IPv6 pseudo-header ({@link Ipv6Checksum#icmpv6}). Neighbour Discovery's messages have
 * their own flyweight, {@link NeighborMessage}.
 */
public final class Icmpv6Header {
    public static final int LENGTH = 8;

    public static final int TYPE_DESTINATION_UNREACHABLE = 1;
    public static final int TYPE_PACKET_TOO_BIG = 2;
    public static final int TYPE_TIME_EXCEEDED = 3;
    public static final int TYPE_PARAMETER_PROBLEM = 4;
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;

    /** Destination unreachable codes (RFC 4443 section 3.1). */
    public static final int CODE_NO_ROUTE = 0;
    public static final int CODE_ADMINISTRATIVELY_PROHIBITED = 1;
    public static final int CODE_ADDRESS_UNREACHABLE = 3;
    public static final int CODE_PORT_UNREACHABLE = 4;
    /** Time exceeded codes (section 3.3). */
    public static final int CODE_HOP_LIMIT_EXCEEDED = 0;
    public static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;
    /** Parameter problem codes (section 3.4). */
    public static final int CODE_ERRONEOUS_HEADER_FIELD = 0;
    public static final int CODE_UNRECOGNIZED_NEXT_HEADER = 1;

    static final int TYPE_OFFSET = 0;
    static final int CODE_OFFSET = 1;
    static final int CHECKSUM_OFFSET = 2;
    static final int IDENTIFIER_OFFSET = 4;
    static final int SEQUENCE_OFFSET = 6;
    static final int PARAMETER_OFFSET = 4;

    private MemorySegment segment;
    private long offset;

    public Icmpv6Header wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** Error messages have types 0-127, informational ones 128-255 (RFC 4443 section 2.1). */
    public static boolean isError(int type) {
        return type < 128;
    }

    public int type() {
        return NetworkOrder.u8(segment, offset + TYPE_OFFSET);
    }

    public Icmpv6Header type(int type) {
        NetworkOrder.u8(segment, offset + TYPE_OFFSET, type);
        return this;
    }

    public int code() {
        return NetworkOrder.u8(segment, offset + CODE_OFFSET);
    }

    public Icmpv6Header code(int code) {
        NetworkOrder.u8(segment, offset + CODE_OFFSET, code);
        return this;
    }

    public int checksum() {
        return NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET);
    }

    public Icmpv6Header checksum(int checksum) {
        NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    /** Echo request/reply identifier (RFC 4443 section 4). */
    public int identifier() {
        return NetworkOrder.u16(segment, offset + IDENTIFIER_OFFSET);
    }

    public Icmpv6Header identifier(int identifier) {
        NetworkOrder.u16(segment, offset + IDENTIFIER_OFFSET, identifier);
        return this;
    }

    public int sequence() {
        return NetworkOrder.u16(segment, offset + SEQUENCE_OFFSET);
    }

    public Icmpv6Header sequence(int sequence) {
        NetworkOrder.u16(segment, offset + SEQUENCE_OFFSET, sequence);
        return this;
    }

    /** The MTU of the next hop of a packet too big message (section 3.2). */
    public int mtu() {
        return NetworkOrder.u32(segment, offset + PARAMETER_OFFSET);
    }

    public Icmpv6Header mtu(int mtu) {
        NetworkOrder.u32(segment, offset + PARAMETER_OFFSET, mtu);
        return this;
    }

    /** The offset within the invoking packet of the field a parameter problem is about (section 3.4). */
    public int pointer() {
        return NetworkOrder.u32(segment, offset + PARAMETER_OFFSET);
    }

    public Icmpv6Header pointer(int pointer) {
        NetworkOrder.u32(segment, offset + PARAMETER_OFFSET, pointer);
        return this;
    }

    /** Where an error message's invoking packet starts: its IPv6 header, for an {@link Ipv6Header} to wrap. */
    public long quotedPacketOffset() {
        return offset + LENGTH;
    }

    /** The checksum of a message of {@code length} bytes from scratch (the field counts as zero). */
    public int computeChecksum(int length, long sourceHi, long sourceLo, long destinationHi, long destinationLo) {
        return Ipv6Checksum.icmpv6(segment, offset, length, sourceHi, sourceLo, destinationHi, destinationLo);
    }

    /** Computes the checksum of this message, carried by {@code ip}, of {@code length} bytes, and stores it. */
    public Icmpv6Header updateChecksum(int length, Ipv6Header ip) {
        return checksum(computeChecksum(length, ip.sourceHi(), ip.sourceLo(), ip.destinationHi(), ip.destinationLo()));
    }

    /** True when a received message of {@code length} bytes, carried by {@code ip}, sums correctly. */
    public boolean checksumValid(int length, Ipv6Header ip) {
        return Ipv6Checksum.valid(segment, offset, length, Protocol.ICMPV6, ip.sourceHi(), ip.sourceLo(),
                ip.destinationHi(), ip.destinationLo());
    }
}
