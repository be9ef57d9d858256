package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChecksumOffloadTest {
    private static final int IP = Reference.ETHERNET;
    private final ChecksumOffload offload = new ChecksumOffload();

    @ParameterizedTest
    @CsvSource({"6, 0", "6, 1", "6, 1400", "17, 0", "17, 513"})
    void shouldCompleteAPartialChecksum(int protocol, int payloadLength) {
        byte[] expected = new FrameBuilder().protocol(protocol).payloadLength(payloadLength).padding(3).bytes();
        MemorySegment frame = new FrameBuilder().protocol(protocol).payloadLength(payloadLength).padding(3)
                .partialChecksum().segment();
        assertNotEquals(Reference.storedTransportChecksum(expected, IP),
                Reference.storedTransportChecksum(FrameBuilder.toBytes(frame, 0, expected.length), IP));

        assertTrue(offload.complete(frame, 0, expected.length));

        byte[] completed = FrameBuilder.toBytes(frame, 0, expected.length);
        assertArrayEquals(expected, completed);
        assertEquals(Reference.transportChecksum(completed, IP), Reference.storedTransportChecksum(completed, IP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"icmp", "non-ipv4", "fragment", "truncated", "tcp-offset-too-big", "udp-length-too-big"})
    void shouldLeaveFramesItCannotCompleteUntouched(String kind) {
        FrameBuilder builder = new FrameBuilder().payloadLength(30);
        switch (kind) {
            case "icmp" -> builder.protocol(1);
            case "fragment" -> builder.flagsAndFragment(0x2000);
            case "udp-length-too-big" -> builder.udp();
            default -> { }
        }
        byte[] bytes = builder.bytes();
        int length = bytes.length;
        switch (kind) {
            case "non-ipv4" -> Reference.u16(bytes, 12, 0x86DD);
            case "truncated" -> length = 30;
            case "tcp-offset-too-big" -> bytes[IP + 20 + 12] = (byte) 0xF0;
            case "udp-length-too-big" -> Reference.u16(bytes, IP + 20 + 4, 8 + 30 + 2);
            default -> { }
        }
        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        assertFalse(offload.complete(frame, 0, length));
        assertArrayEquals(bytes, FrameBuilder.toBytes(frame, 0, bytes.length));
    }
}
