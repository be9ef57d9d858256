package org.jvs.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IpipDecapsulatorTest {
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment packet = arena.allocate(256);
    private final IpipDecapsulator decapsulator = new IpipDecapsulator();

    @AfterEach
    void freeBuffer() {
        arena.close();
    }

    /** Writes outer IPv4 (ihl words, protocol, total length) carrying inner IPv4 (version, ihl words, total length). */
    private int ipip(int outerIhl, int protocol, int outerTotal, int innerVersion, int innerIhl, int innerTotal) {
        int inner = outerIhl * 4;
        packet.set(ValueLayout.JAVA_BYTE, 0, (byte) (0x40 | outerIhl));
        packet.set(BE_SHORT, 2, (short) outerTotal);
        packet.set(ValueLayout.JAVA_BYTE, 9, (byte) protocol);
        packet.set(ValueLayout.JAVA_BYTE, inner, (byte) (innerVersion << 4 | innerIhl));
        packet.set(BE_SHORT, inner + 2, (short) innerTotal);
        return inner;
    }

    @ParameterizedTest(name = "outer ihl {0}, outer total {1}, inner total {2}, received {3}")
    @CsvSource({
            "5, 48, 28, 48",
            "6, 52, 28, 52",
            "15, 88, 28, 88",
            "5, 48, 20, 48",
            "5, 48, 28, 60",
    })
    void shouldFindInnerPacketBehindOuterHeader(int outerIhl, int outerTotal, int innerTotal, int received) {
        int inner = ipip(outerIhl, 4, outerTotal, 4, 5, innerTotal);
        assertEquals(innerTotal, decapsulator.decapsulate(packet, received));
        assertEquals(inner, decapsulator.innerOffset());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "shorter than an IPv4 header, 5, 4, 48, 4, 5, 28, 19, -1",
            "longer than the buffer, 5, 4, 48, 4, 5, 28, 257, -1",
            "outer not IPv4, 5, 4, 48, 4, 5, 28, 48, -2",
            "not IPIP, 5, 17, 48, 4, 5, 28, 48, -3",
            "inner IPv6, 5, 4, 48, 6, 5, 28, 48, -4",
            "outer ihl below 5, 4, 4, 48, 4, 5, 28, 48, -5",
            "outer header beyond received, 15, 4, 48, 4, 5, 28, 48, -5",
            "inner ihl below 5, 5, 4, 48, 4, 4, 28, 48, -5",
            "inner header beyond inner total, 5, 4, 48, 4, 8, 28, 48, -5",
            "outer total beyond received, 5, 4, 60, 4, 5, 28, 48, -6",
            "outer total below its header, 5, 4, 12, 4, 5, 28, 48, -6",
            "inner total beyond outer, 5, 4, 48, 4, 5, 40, 48, -6",
            "no room for an inner header, 5, 4, 39, 4, 5, 19, 48, -1",
    })
    void shouldRefuseMalformedPacket(String why, int outerIhl, int protocol, int outerTotal, int innerVersion, int innerIhl,
            int innerTotal, int received, int reason) {
        ipip(outerIhl, protocol, outerTotal, innerVersion, innerIhl, innerTotal);
        if (why.equals("outer not IPv4")) {
            packet.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x65);
        }
        assertEquals(reason, decapsulator.decapsulate(packet, received), why);
    }
}
