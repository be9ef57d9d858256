package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over an IPv4 header (RFC 791):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Flags are 0, DF, MF from the most significant bit. Accessors do no bounds checks beyond the segment's own:
 * call {@link #validate} on received packets first.
 */
public final class Ipv4Header {
    public static final int MIN_LENGTH = 20;
    public static final int MAX_TOTAL_LENGTH = 0xFFFF;

    static final int VERSION_IHL_OFFSET = 0;
    static final int TOS_OFFSET = 1;
    static final int TOTAL_LENGTH_OFFSET = 2;
    static final int IDENTIFICATION_OFFSET = 4;
    static final int FLAGS_FRAGMENT_OFFSET = 6;
    static final int TTL_OFFSET = 8;
    static final int PROTOCOL_OFFSET = 9;
    static final int CHECKSUM_OFFSET = 10;
    static final int SOURCE_OFFSET = 12;
    static final int DESTINATION_OFFSET = 16;

    private static final int DONT_FRAGMENT_BIT = 0x4000;
    private static final int MORE_FRAGMENTS_BIT = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    /** {@link #validate} results: OK, or why the packet must be dropped (as ip_rcv_core checks them). */
    public static final int OK = 0;
    public static final int TRUNCATED = 1;
    public static final int BAD_VERSION = 2;
    public static final int BAD_HEADER_LENGTH = 3;
    public static final int BAD_TOTAL_LENGTH = 4;
    public static final int BAD_CHECKSUM = 5;

    private static final String[] VALIDATION_NAMES = {
        "ok", "truncated", "bad_version", "bad_header_length", "bad_total_length", "bad_checksum"};

    private MemorySegment segment;
    private long offset;

    public Ipv4Header wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks a received header against {@code capturedLength} bytes available from its start: version 4,
     * 5 <= IHL, header and total length within what was captured, total length covering the header, and the
     * header checksum. Returns {@link #OK} or the drop reason; never throws for any content.
     */
    public int validate(int capturedLength) {
        long available = NetworkOrder.available(segment, offset, capturedLength);
        if (available < MIN_LENGTH) {
            return TRUNCATED;
        }
        if (version() != 4) {
            return BAD_VERSION;
        }
        int headerLength = headerLength();
        if (headerLength < MIN_LENGTH || headerLength > available) {
            return BAD_HEADER_LENGTH;
        }
        int totalLength = totalLength();
        if (totalLength < headerLength || totalLength > available) {
            return BAD_TOTAL_LENGTH;
        }
        if (Checksum.sum(segment, offset, headerLength) != 0xFFFF) {
            return BAD_CHECKSUM;
        }
        return OK;
    }

    /** A {@link #validate} result as a counter name. */
    public static String validationName(int result) {
        return VALIDATION_NAMES[result];
    }

    public int version() {
        return NetworkOrder.u8(segment, offset + VERSION_IHL_OFFSET) >>> 4;
    }

    /** Header length in 32-bit words (IHL). */
    public int ihl() {
        return NetworkOrder.u8(segment, offset + VERSION_IHL_OFFSET) & 0x0F;
    }

    /** Header length in bytes, options included. */
    public int headerLength() {
        return ihl() << 2;
    }

    /** Sets version 4 and the header length in bytes (a multiple of 4). */
    public Ipv4Header versionAndHeaderLength(int headerLengthBytes) {
        NetworkOrder.u8(segment, offset + VERSION_IHL_OFFSET, 0x40 | (headerLengthBytes >>> 2));
        return this;
    }

    public int tos() {
        return NetworkOrder.u8(segment, offset + TOS_OFFSET);
    }

    public Ipv4Header tos(int tos) {
        NetworkOrder.u8(segment, offset + TOS_OFFSET, tos);
        return this;
    }

    public int totalLength() {
        return NetworkOrder.u16(segment, offset + TOTAL_LENGTH_OFFSET);
    }

    public Ipv4Header totalLength(int totalLength) {
        NetworkOrder.u16(segment, offset + TOTAL_LENGTH_OFFSET, totalLength);
        return this;
    }

    public int identification() {
        return NetworkOrder.u16(segment, offset + IDENTIFICATION_OFFSET);
    }

    public Ipv4Header identification(int identification) {
        NetworkOrder.u16(segment, offset + IDENTIFICATION_OFFSET, identification);
        return this;
    }

    /** The 16 bits holding flags and fragment offset, as on the wire. */
    public int flagsAndFragmentOffset() {
        return NetworkOrder.u16(segment, offset + FLAGS_FRAGMENT_OFFSET);
    }

    public Ipv4Header flagsAndFragmentOffset(int value) {
        NetworkOrder.u16(segment, offset + FLAGS_FRAGMENT_OFFSET, value);
        return this;
    }

    public boolean dontFragment() {
        return (flagsAndFragmentOffset() & DONT_FRAGMENT_BIT) != 0;
    }

    public Ipv4Header dontFragment(boolean set) {
        int value = flagsAndFragmentOffset();
        return flagsAndFragmentOffset(set ? value | DONT_FRAGMENT_BIT : value & ~DONT_FRAGMENT_BIT);
    }

    public boolean moreFragments() {
        return (flagsAndFragmentOffset() & MORE_FRAGMENTS_BIT) != 0;
    }

    /** Fragment offset in 8-byte units. */
    public int fragmentOffset() {
        return flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK;
    }

    /** True for any fragment, first included: MF set or a non-zero offset. */
    public boolean isFragment() {
        return (flagsAndFragmentOffset() & (MORE_FRAGMENTS_BIT | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return NetworkOrder.u8(segment, offset + TTL_OFFSET);
    }

    public Ipv4Header ttl(int ttl) {
        NetworkOrder.u8(segment, offset + TTL_OFFSET, ttl);
        return this;
    }

    /**
     * Decrements the TTL and patches the header checksum incrementally (ip_decrease_ttl); the caller has checked
     * that TTL > 1.
     */
    public void decrementTtl() {
        int before = NetworkOrder.u16(segment, offset + TTL_OFFSET);
        int after = before - 0x100;
        NetworkOrder.u16(segment, offset + TTL_OFFSET, after);
        headerChecksum(Checksum.update16(headerChecksum(), before, after));
    }

    public int protocol() {
        return NetworkOrder.u8(segment, offset + PROTOCOL_OFFSET);
    }

    public Ipv4Header protocol(int protocol) {
        NetworkOrder.u8(segment, offset + PROTOCOL_OFFSET, protocol);
        return this;
    }

    public int headerChecksum() {
        return NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET);
    }

    public Ipv4Header headerChecksum(int checksum) {
        NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int source() {
        return NetworkOrder.u32(segment, offset + SOURCE_OFFSET);
    }

    public Ipv4Header source(int address) {
        NetworkOrder.u32(segment, offset + SOURCE_OFFSET, address);
        return this;
    }

    public int destination() {
        return NetworkOrder.u32(segment, offset + DESTINATION_OFFSET);
    }

    public Ipv4Header destination(int address) {
        NetworkOrder.u32(segment, offset + DESTINATION_OFFSET, address);
        return this;
    }

    /** Offset of the payload (the transport header) within the segment. */
    public long payloadOffset() {
        return offset + headerLength();
    }

    /** Payload length in bytes according to the header. */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /** The header checksum computed from scratch over the current header (the checksum field counts as zero). */
    public int computeHeaderChecksum() {
        return Checksum.ipv4Header(segment, offset, headerLength());
    }

    /** Recomputes the header checksum from scratch and stores it. */
    public Ipv4Header updateHeaderChecksum() {
        return headerChecksum(computeHeaderChecksum());
    }
}
