package org.jvs.xmit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.jvs.packet.Reference;

/** Checks an ICMP error frame field by field against RFC 792, checksums recomputed by {@link Reference}. */
final class IcmpErrorAssertions {
    private static final int IP = Reference.ETHERNET;
    private static final int ICMP = IP + 20;

    private IcmpErrorAssertions() {
    }

    /** {@code quoted} is the offending packet from its IP header on, as the error should quote it. */
    static void assertIcmpError(byte[] frame, int type, int code, int restOfHeader, int source, int destination,
                                byte[] quoted) {
        int quoteLength = Math.min(Reference.ipHeaderLength(quoted, 0) + 8, Reference.u16(quoted, 2));
        assertEquals(ICMP + 8 + quoteLength, frame.length, "frame length");
        assertEquals(0x45, Reference.u8(frame, IP), "version/IHL");
        assertEquals(20 + 8 + quoteLength, Reference.u16(frame, IP + 2), "IP total length");
        assertEquals(0, Reference.u16(frame, IP + 6) & 0x3FFF, "not a fragment");
        assertEquals(64, Reference.u8(frame, IP + 8), "TTL");
        assertEquals(1, Reference.u8(frame, IP + 9), "protocol ICMP");
        assertEquals(Reference.ipChecksum(frame, IP), Reference.u16(frame, IP + 10), "IP header checksum");
        assertEquals(source, Reference.u32(frame, IP + 12), "source");
        assertEquals(destination, Reference.u32(frame, IP + 16), "destination");
        assertEquals(type, Reference.u8(frame, ICMP), "ICMP type");
        assertEquals(code, Reference.u8(frame, ICMP + 1), "ICMP code");
        assertEquals(Reference.checksumWithoutField(frame, ICMP, frame.length, ICMP + 2, 0),
                Reference.u16(frame, ICMP + 2), "ICMP checksum");
        assertEquals(restOfHeader, Reference.u32(frame, ICMP + 4), "rest of header");
        assertArrayEquals(Arrays.copyOfRange(quoted, 0, quoteLength), Arrays.copyOfRange(frame, ICMP + 8, frame.length),
                "quoted header + 8 bytes");
    }
}
