package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.jvs.service.Ipv4;

class ProxyProtocolHeaderTest {
    private static final int AT = 5;
    private static final byte FILL = (byte) 0xA5;

    private static MemorySegment filled(int size) {
        MemorySegment segment = Arena.ofAuto().allocate(size);
        segment.fill(FILL);
        return segment;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // the spec's own examples (section 2.1): a typical header and the longest one for TCP4
        "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\\r\\n | 192.168.0.1 | 56324 | 192.168.0.11 | 443",
        "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\\r\\n | 255.255.255.255 | 65535 | 255.255.255.255 | 65535",
        "PROXY TCP4 0.0.0.0 0.0.0.0 0 0\\r\\n | 0.0.0.0 | 0 | 0.0.0.0 | 0",
        "PROXY TCP4 203.0.113.77 192.0.2.1 51234 80\\r\\n | 203.0.113.77 | 51234 | 192.0.2.1 | 80",
        "PROXY TCP4 198.18.10.100 198.51.100.9 9 10\\r\\n | 198.18.10.100 | 9 | 198.51.100.9 | 10",
    })
    void shouldWriteTheV1LineAsTheSpecSpellsIt(String line, String client, int clientPort, String virtual,
                                                int virtualPort) {
        byte[] expected = line.strip().replace("\\r\\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
        MemorySegment segment = filled(AT + expected.length + 3);

        int written = ProxyProtocolHeader.writeV1(segment, AT, Ipv4.parse(client), clientPort, Ipv4.parse(virtual),
                virtualPort);

        assertEquals(expected.length, written);
        assertEquals(expected.length, ProxyProtocolHeader.length(ProxyProtocolHeader.V1, Ipv4.parse(client),
                clientPort, Ipv4.parse(virtual), virtualPort));
        assertEquals(new String(expected, StandardCharsets.US_ASCII),
                new String(bytes(segment, AT, written), StandardCharsets.US_ASCII));
        assertUntouchedAround(segment, written);
    }

    @Test
    void shouldFitTheSpecsLongestTcp4LineInItsStatedMaximum() {
        assertEquals(ProxyProtocolHeader.V1_TCP4_MAX_LENGTH, ProxyProtocolHeader.length(ProxyProtocolHeader.V1,
                -1, 65535, -1, 65535));
    }

    @Test
    void shouldWriteTheV2BinaryHeaderForTcpOverIpv4() {
        MemorySegment segment = filled(AT + ProxyProtocolHeader.V2_TCP4_LENGTH + 3);

        int written = ProxyProtocolHeader.write(ProxyProtocolHeader.V2, segment, AT, Ipv4.parse("192.168.0.1"), 56324,
                Ipv4.parse("192.168.0.11"), 443);

        byte[] expected = {
            0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, // signature
            0x21,                                                                     // version 2, PROXY
            0x11,                                                                     // AF_INET, STREAM
            0x00, 0x0C,                                                               // 12 address bytes
            (byte) 192, (byte) 168, 0, 1,                                             // source: the client
            (byte) 192, (byte) 168, 0, 11,                                            // destination: the VIP
            (byte) 0xDC, 0x04,                                                        // 56324
            0x01, (byte) 0xBB,                                                        // 443
        };
        assertEquals(ProxyProtocolHeader.V2_TCP4_LENGTH, written);
        assertArrayEquals(expected, bytes(segment, AT, written));
        assertUntouchedAround(segment, written);
    }

    @Test
    void shouldWriteNothingForNoOrAnUnknownVersion() {
        MemorySegment segment = filled(64);
        for (int version : new int[] {ProxyProtocolHeader.NONE, 3, -1}) {
            assertEquals(0, ProxyProtocolHeader.write(version, segment, 0, 1, 2, 3, 4));
            assertEquals(0, ProxyProtocolHeader.length(version, 1, 2, 3, 4));
        }
        byte[] all = new byte[64];
        Arrays.fill(all, FILL);
        assertArrayEquals(all, bytes(segment, 0, 64));
    }

    private static void assertUntouchedAround(MemorySegment segment, int written) {
        for (long i = 0; i < segment.byteSize(); i++) {
            if (i < AT || i >= AT + written) {
                assertEquals(FILL, segment.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
            }
        }
    }

    private static byte[] bytes(MemorySegment segment, long offset, int length) {
        return segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }
}
