package org.jvs.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Finds the inner IPv4 packet of an IPIP packet as a raw IPPROTO_IPIP socket delivers it: outer header included,
 * already reassembled and checksum-verified by the kernel. A flyweight: {@link #decapsulate} validates and
 * remembers where the inner packet starts; nothing is copied or allocated. Not thread-safe.
 *
 * <p>The inner header's checksum is left to the kernel, which checks it again when the inner packet is injected.
 */
public final class IpipDecapsulator {
    /** Reasons {@link #decapsulate} refuses a packet (all negative, so any result &gt; 0 is a length). */
    public static final int TRUNCATED = -1;
    public static final int OUTER_NOT_IPV4 = -2;
    public static final int NOT_IPIP = -3;
    public static final int INNER_NOT_IPV4 = -4;
    public static final int BAD_HEADER_LENGTH = -5;
    public static final int BAD_TOTAL_LENGTH = -6;

    private static final int IPV4_MIN_HEADER = 20;
    private static final int VERSION_IHL = 0;
    private static final int TOTAL_LENGTH = 2;
    private static final int PROTOCOL = 9;
    private static final int IPPROTO_IPIP = 4;
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private int innerOffset;

    /**
     * Validates packet[0, length): outer IPv4 carrying protocol 4, sane header and total lengths, inner IPv4 whose
     * total length fits in what the outer one carries. Returns the inner packet's total length, or a negative
     * reason; on success {@link #innerOffset()} is where the inner packet begins.
     */
    public int decapsulate(MemorySegment packet, int length) {
        if (length < IPV4_MIN_HEADER || length > packet.byteSize()) {
            return TRUNCATED;
        }
        int outerVersionIhl = packet.get(ValueLayout.JAVA_BYTE, VERSION_IHL) & 0xFF;
        if (outerVersionIhl >>> 4 != 4) {
            return OUTER_NOT_IPV4;
        }
        int outerHeader = (outerVersionIhl & 0x0F) * 4;
        if (outerHeader < IPV4_MIN_HEADER || outerHeader > length) {
            return BAD_HEADER_LENGTH;
        }
        if ((packet.get(ValueLayout.JAVA_BYTE, PROTOCOL) & 0xFF) != IPPROTO_IPIP) {
            return NOT_IPIP;
        }
        int outerTotal = packet.get(BE_SHORT, TOTAL_LENGTH) & 0xFFFF;
        if (outerTotal < outerHeader || outerTotal > length) {
            return BAD_TOTAL_LENGTH;
        }
        int carried = outerTotal - outerHeader;
        if (carried < IPV4_MIN_HEADER) {
            return TRUNCATED;
        }
        int innerVersionIhl = packet.get(ValueLayout.JAVA_BYTE, outerHeader + VERSION_IHL) & 0xFF;
        if (innerVersionIhl >>> 4 != 4) {
            return INNER_NOT_IPV4;
        }
        int innerHeader = (innerVersionIhl & 0x0F) * 4;
        int innerTotal = packet.get(BE_SHORT, outerHeader + TOTAL_LENGTH) & 0xFFFF;
        if (innerHeader < IPV4_MIN_HEADER || innerHeader > innerTotal) {
            return BAD_HEADER_LENGTH;
        }
        if (innerTotal > carried) {
            return BAD_TOTAL_LENGTH;
        }
        innerOffset = outerHeader;
        return innerTotal;
    }

    /** Offset of the inner packet found by the last successful {@link #decapsulate}: the outer header's length. */
    public int innerOffset() {
        return innerOffset;
    }
}
