package org.jvs.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Big-endian (network order) unaligned access to header fields; headers sit at any offset inside a frame. */
final class NetworkOrder {
    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private NetworkOrder() {
    }

    /**
     * How many bytes of a received packet are there from {@code offset}: the lesser of what was captured and what
     * the segment holds, or -1 for an offset outside it. What a header's validation measures lengths against.
     */
    static long available(MemorySegment segment, long offset, int capturedLength) {
        return offset < 0 ? -1 : Math.min(capturedLength, segment.byteSize() - offset);
    }

    static int u8(MemorySegment segment, long offset) {
        return segment.get(U8, offset) & 0xFF;
    }

    static void u8(MemorySegment segment, long offset, int value) {
        segment.set(U8, offset, (byte) value);
    }

    static int u16(MemorySegment segment, long offset) {
        return segment.get(U16, offset) & 0xFFFF;
    }

    static void u16(MemorySegment segment, long offset, int value) {
        segment.set(U16, offset, (short) value);
    }

    static int u32(MemorySegment segment, long offset) {
        return segment.get(U32, offset);
    }

    static void u32(MemorySegment segment, long offset, int value) {
        segment.set(U32, offset, value);
    }

    /** Eight bytes as one long, first byte most significant: each half of an IPv6 address. */
    static long u64(MemorySegment segment, long offset) {
        return segment.get(U64, offset);
    }

    static void u64(MemorySegment segment, long offset, long value) {
        segment.set(U64, offset, value);
    }

    /** A 48-bit MAC address as the low bits of a long. */
    static long mac(MemorySegment segment, long offset) {
        return ((long) u16(segment, offset) << 32) | (u32(segment, offset + 2) & 0xFFFF_FFFFL);
    }

    static void mac(MemorySegment segment, long offset, long mac) {
        u16(segment, offset, (int) (mac >>> 32));
        u32(segment, offset + 2, (int) mac);
    }
}
