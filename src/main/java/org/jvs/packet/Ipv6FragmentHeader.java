package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over the IPv6 fragment header (RFC 8200 section 4.5):
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Identification                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The offset counts 8-byte units in the top 13 bits, so the 16-bit word with its low three bits masked is the
 * offset in bytes.
 */
public final class Ipv6FragmentHeader {
    public static final int LENGTH = Ipv6ExtensionHeaders.FRAGMENT_HEADER_LENGTH;

    static final int NEXT_HEADER_OFFSET = 0;
    static final int OFFSET_FLAGS_OFFSET = 2;
    static final int IDENTIFICATION_OFFSET = 4;
    static final int OFFSET_MASK = 0xFFF8;
    static final int RESERVED_FLAGS = 0x0006;
    static final int MORE_FRAGMENTS = 0x0001;

    private MemorySegment segment;
    private long offset;

    public Ipv6FragmentHeader wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public int nextHeader() {
        return NetworkOrder.u8(segment, offset + NEXT_HEADER_OFFSET);
    }

    /** Writes the whole header: the reserved fields zero, {@code offsetBytes} a multiple of 8 below 65 536. */
    public Ipv6FragmentHeader write(int nextHeader, int offsetBytes, boolean moreFragments, int identification) {
        NetworkOrder.u16(segment, offset + NEXT_HEADER_OFFSET, nextHeader << 8);
        NetworkOrder.u16(segment, offset + OFFSET_FLAGS_OFFSET,
                offsetBytes & OFFSET_MASK | (moreFragments ? MORE_FRAGMENTS : 0));
        NetworkOrder.u32(segment, offset + IDENTIFICATION_OFFSET, identification);
        return this;
    }

    /** The fragment's place in the fragmentable part of the original packet, in bytes. */
    public int fragmentOffset() {
        return NetworkOrder.u16(segment, offset + OFFSET_FLAGS_OFFSET) & OFFSET_MASK;
    }

    public boolean moreFragments() {
        return (NetworkOrder.u16(segment, offset + OFFSET_FLAGS_OFFSET) & MORE_FRAGMENTS) != 0;
    }

    public int identification() {
        return NetworkOrder.u32(segment, offset + IDENTIFICATION_OFFSET);
    }
}
