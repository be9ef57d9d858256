package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over a GUE header, variant 0 (draft-ietf-intarea-gue; Linux's struct guehdr), as IPVS writes it
 * after the outer UDP header:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Ver|C|  Hlen   |  Proto/ctype  |             Flags           |P|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|                  Private flags (when P)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Checksum start (when R)  |    Checksum offset (when R)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Hlen counts the optional words after the first. P (GUE_FLAG_PRIV) announces the private flags word, whose R
 * (GUE_PFLAG_REMCSUM) announces remote checksum offload: the inner packet's checksum is still partial, to be
 * completed over [start, end) into the field at offset, both counted from the start of the inner packet.
 */
public final class GueHeader {
    public static final int LENGTH = 4;
    /** The GUE_FLAG_PRIV bit of the flags field. */
    public static final int FLAG_PRIVATE = 0x0001;
    /** The GUE_PFLAG_REMCSUM bit of the private flags word. */
    public static final int PRIVATE_FLAG_REMOTE_CHECKSUM = 0x8000_0000;
    public static final int PRIVATE_FLAGS_LENGTH = 4;
    public static final int REMOTE_CHECKSUM_LENGTH = 4;

    private static final int FIRST_BYTE_OFFSET = 0;
    private static final int PROTOCOL_OFFSET = 1;
    private static final int FLAGS_OFFSET = 2;
    private static final int HLEN_MASK = 0x1F;
    private static final int CONTROL_BIT = 0x20;

    private MemorySegment segment;
    private long offset;

    public GueHeader wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** 0 for the GUE header proper; 1 is the headerless variant where an IP header follows UDP directly. */
    public int variant() {
        return NetworkOrder.u8(segment, offset + FIRST_BYTE_OFFSET) >>> 6;
    }

    /** True for a control message, which carries no packet. */
    public boolean control() {
        return (NetworkOrder.u8(segment, offset + FIRST_BYTE_OFFSET) & CONTROL_BIT) != 0;
    }

    /** Length of the optional fields in bytes (Hlen words). */
    public int optionsLength() {
        return (NetworkOrder.u8(segment, offset + FIRST_BYTE_OFFSET) & HLEN_MASK) * 4;
    }

    /** The first word of a data message: variant 0, no control bit, {@code optionsLength} bytes of options. */
    public GueHeader data(int optionsLength, int protocol, int flags) {
        NetworkOrder.u8(segment, offset + FIRST_BYTE_OFFSET, optionsLength / 4);
        NetworkOrder.u8(segment, offset + PROTOCOL_OFFSET, protocol);
        NetworkOrder.u16(segment, offset + FLAGS_OFFSET, flags);
        return this;
    }

    /** The inner packet's IP protocol (4: IPv4). */
    public int protocol() {
        return NetworkOrder.u8(segment, offset + PROTOCOL_OFFSET);
    }

    public int flags() {
        return NetworkOrder.u16(segment, offset + FLAGS_OFFSET);
    }

    /** The private flags word (only when {@link #FLAG_PRIVATE} is set). */
    public int privateFlags() {
        return NetworkOrder.u32(segment, offset + LENGTH);
    }

    /** Writes the private flags and the remote checksum option announcing {@code start} and {@code fieldOffset}. */
    public GueHeader remoteChecksum(int start, int fieldOffset) {
        NetworkOrder.u32(segment, offset + LENGTH, PRIVATE_FLAG_REMOTE_CHECKSUM);
        NetworkOrder.u16(segment, offset + LENGTH + PRIVATE_FLAGS_LENGTH, start);
        NetworkOrder.u16(segment, offset + LENGTH + PRIVATE_FLAGS_LENGTH + 2, fieldOffset);
        return this;
    }

    /** The remote checksum's start, from the inner packet's first byte. */
    public int remoteChecksumStart() {
        return NetworkOrder.u16(segment, offset + LENGTH + PRIVATE_FLAGS_LENGTH);
    }

    /** Where the remote checksum goes, from the inner packet's first byte. */
    public int remoteChecksumOffset() {
        return NetworkOrder.u16(segment, offset + LENGTH + PRIVATE_FLAGS_LENGTH + 2);
    }
}
