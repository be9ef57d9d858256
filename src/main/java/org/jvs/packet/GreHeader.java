package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over a GRE header (RFC 2784, with RFC 2890's key and sequence number bits):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S| Reserved0       | Ver |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Checksum (when C)        |       Reserved1 (when C)      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Key (when K)                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Sequence Number (when S)                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The checksum covers the GRE header and its payload. R (routing, RFC 1701) and versions other than 0 are what
 * Linux's gre_parse_header refuses.
 */
public final class GreHeader {
    public static final int LENGTH = 4;
    public static final int CHECKSUM_LENGTH = 4;
    public static final int FLAG_CHECKSUM = 0x8000;
    public static final int FLAG_ROUTING = 0x4000;
    public static final int FLAG_KEY = 0x2000;
    public static final int FLAG_SEQUENCE = 0x1000;
    public static final int VERSION_MASK = 0x0007;
    /** Protocol type of an IPv4 payload (ETH_P_IP). */
    public static final int PROTOCOL_IPV4 = 0x0800;
    /** Offset of the checksum field, present when {@link #FLAG_CHECKSUM} is set. */
    public static final int CHECKSUM_OFFSET = 4;

    private static final int FLAGS_OFFSET = 0;
    private static final int PROTOCOL_OFFSET = 2;
    private static final int OPTION_LENGTH = 4;

    private MemorySegment segment;
    private long offset;

    public GreHeader wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** The C R K S bits, reserved bits and version, as one 16-bit word. */
    public int flags() {
        return NetworkOrder.u16(segment, offset + FLAGS_OFFSET);
    }

    public GreHeader flags(int flags) {
        NetworkOrder.u16(segment, offset + FLAGS_OFFSET, flags);
        return this;
    }

    public int protocolType() {
        return NetworkOrder.u16(segment, offset + PROTOCOL_OFFSET);
    }

    public GreHeader protocolType(int type) {
        NetworkOrder.u16(segment, offset + PROTOCOL_OFFSET, type);
        return this;
    }

    /** The header's length as its flags say: 4, plus 4 for each of checksum, key and sequence number. */
    public int headerLength() {
        int flags = flags();
        return LENGTH + ((flags & FLAG_CHECKSUM) != 0 ? OPTION_LENGTH : 0) + ((flags & FLAG_KEY) != 0 ? OPTION_LENGTH : 0)
                + ((flags & FLAG_SEQUENCE) != 0 ? OPTION_LENGTH : 0);
    }

    public int checksum() {
        return NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET);
    }

    /** Sets the checksum field and the reserved word after it. */
    public GreHeader checksum(int checksum) {
        NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET, checksum);
        NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET + 2, 0);
        return this;
    }
}
