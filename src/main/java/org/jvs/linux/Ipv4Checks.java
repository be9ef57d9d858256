package org.jvs.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The IPv4 checks every decapsulator makes, of the outer header a raw socket hands over and of the inner packet:
 * version 4, a header length of at least 20 bytes within what was received, a total length between the header
 * and what is there. Each returns a length, or a negative {@link TunnelDecapsulator} reason.
 */
final class Ipv4Checks {
    static final int MIN_HEADER = 20;
    private static final int TOTAL_LENGTH = 2;
    private static final int PROTOCOL = 9;
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Ipv4Checks() {
    }

    /** The outer header's length when packet[0, length) is IPv4 carrying {@code protocol}, else a reason. */
    static int outerHeader(MemorySegment packet, int length, int protocol) {
        if (length < MIN_HEADER || length > packet.byteSize()) {
            return TunnelDecapsulator.TRUNCATED;
        }
        int versionIhl = u8(packet, 0);
        if (versionIhl >>> 4 != 4) {
            return TunnelDecapsulator.OUTER_NOT_IPV4;
        }
        int header = (versionIhl & 0x0F) * 4;
        if (header < MIN_HEADER || header > length) {
            return TunnelDecapsulator.BAD_HEADER_LENGTH;
        }
        if (u8(packet, PROTOCOL) != protocol) {
            return TunnelDecapsulator.WRONG_PROTOCOL;
        }
        int total = u16(packet, TOTAL_LENGTH);
        if (total < header || total > length) {
            return TunnelDecapsulator.BAD_TOTAL_LENGTH;
        }
        return header;
    }

    /** The outer total length (after {@link #outerHeader} accepted the packet). */
    static int outerTotal(MemorySegment packet) {
        return u16(packet, TOTAL_LENGTH);
    }

    /** The inner packet's total length when an IPv4 packet fits the {@code carried} bytes at offset, else a reason. */
    static int inner(MemorySegment packet, int offset, int carried) {
        if (carried < MIN_HEADER) {
            return TunnelDecapsulator.TRUNCATED;
        }
        int versionIhl = u8(packet, offset);
        if (versionIhl >>> 4 != 4) {
            return TunnelDecapsulator.INNER_NOT_IPV4;
        }
        int header = (versionIhl & 0x0F) * 4;
        int total = u16(packet, offset + TOTAL_LENGTH);
        if (header < MIN_HEADER || header > total) {
            return TunnelDecapsulator.BAD_HEADER_LENGTH;
        }
        if (total > carried) {
            return TunnelDecapsulator.BAD_TOTAL_LENGTH;
        }
        return total;
    }

    static int u8(MemorySegment packet, long offset) {
        return packet.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    static int u16(MemorySegment packet, long offset) {
        return packet.get(BE_SHORT, offset) & 0xFFFF;
    }

    static void u16(MemorySegment packet, long offset, int value) {
        packet.set(BE_SHORT, offset, (short) value);
    }
}
