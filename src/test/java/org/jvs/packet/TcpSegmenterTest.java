package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpSegmenterTest {
    private static final int IP = Reference.ETHERNET;
    private static final int IFINDEX = 7;
    private static final int SEQUENCE = 0xFFFF_F000; // wraps around 2^32 within the payload
    private static final byte[] TIMESTAMP_OPTION = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};

    private final TcpSegmenter segmenter = new TcpSegmenter();
    private final List<byte[]> segments = new ArrayList<>();
    private final List<Integer> ifindexes = new ArrayList<>();
    private final List<Integer> flags = new ArrayList<>();

    private int segment(MemorySegment frame, int length, int mtu) {
        return segmenter.segment(IFINDEX, frame, 0, length, mtu, (ifindex, bytes, offset, frameLength, frameFlags) -> {
            segments.add(FrameBuilder.toBytes(bytes, offset, frameLength));
            ifindexes.add(ifindex);
            flags.add(frameFlags);
            // The handler may rewrite the segment in place; the next one must not inherit that.
            bytes.fill((byte) 0x5A);
        });
    }

    private static FrameBuilder superPacket(int payloadLength) {
        return new FrameBuilder().sequence(SEQUENCE).identification(0xFFFE).payloadLength(payloadLength)
                .tcpFlags(TcpHeader.ACK | TcpHeader.PSH | TcpHeader.FIN | TcpHeader.CWR | TcpHeader.ECE)
                .partialChecksum();
    }

    @Test
    void shouldSplitTenThousandBytesIntoMtuSizedSegments() {
        FrameBuilder builder = superPacket(10_000);
        byte[] original = builder.bytes();

        int count = segment(FrameBuilder.copyToNative(original), original.length, 1500);

        assertEquals(7, count);
        assertEquals(7, segments.size());
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int index = 0; index < count; index++) {
            byte[] frame = segments.get(index);
            int payloadLength = index < 6 ? 1460 : 10_000 - 6 * 1460;
            assertEquals(IP + 40 + payloadLength, frame.length, "frame length of segment " + index);
            assertEquals(40 + payloadLength, Reference.u16(frame, IP + 2), "IP total length");
            assertEquals((0xFFFE + index) & 0xFFFF, Reference.u16(frame, IP + 4), "identification");
            assertEquals(Reference.ipChecksum(frame, IP), Reference.u16(frame, IP + 10), "IP checksum");
            assertEquals(SEQUENCE + index * 1460, Reference.u32(frame, IP + 24), "sequence");
            int tcpFlags = Reference.u8(frame, IP + 33);
            int expectedFlags = TcpHeader.ACK | TcpHeader.ECE
                    | (index == 0 ? TcpHeader.CWR : 0) | (index == 6 ? TcpHeader.PSH | TcpHeader.FIN : 0);
            assertEquals(expectedFlags, tcpFlags, "flags of segment " + index);
            assertEquals(Reference.transportChecksum(frame, IP), Reference.storedTransportChecksum(frame, IP));
            assertArrayEquals(Arrays.copyOfRange(original, 0, IP + 2), Arrays.copyOfRange(frame, 0, IP + 2));
            assertArrayEquals(Arrays.copyOfRange(original, IP + 12, IP + 24), Arrays.copyOfRange(frame, IP + 12, IP + 24));
            payload.write(frame, IP + 40, payloadLength);
        }
        assertArrayEquals(Arrays.copyOfRange(original, IP + 40, original.length), payload.toByteArray());
        assertTrue(ifindexes.stream().allMatch(ifindex -> ifindex == IFINDEX));
        assertTrue(flags.stream().allMatch(flag -> flag == 0), "segments carry complete checksums");
    }

    @Test
    void shouldCarryIpAndTcpOptionsIntoEverySegment() {
        byte[] original = superPacket(3000).ipOptions(new byte[] {1, 1, 1, 0}).tcpOptions(TIMESTAMP_OPTION).bytes();
        int headers = 24 + 32;

        assertEquals(3, segment(FrameBuilder.copyToNative(original), original.length, 1500));

        assertEquals(IP + 1500, segments.get(0).length);
        assertEquals(IP + headers + 3000 - 2 * (1500 - headers), segments.get(2).length);
        for (byte[] frame : segments) {
            assertArrayEquals(Arrays.copyOfRange(original, IP + 20, IP + 24), Arrays.copyOfRange(frame, IP + 20, IP + 24));
            assertArrayEquals(TIMESTAMP_OPTION, Arrays.copyOfRange(frame, IP + 44, IP + 56));
            assertEquals(Reference.ipChecksum(frame, IP), Reference.u16(frame, IP + 10));
            assertEquals(Reference.transportChecksum(frame, IP), Reference.storedTransportChecksum(frame, IP));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1460})
    void shouldPassAFrameThatFitsAsOneSegmentWithAFullChecksum(int payloadLength) {
        byte[] original = superPacket(payloadLength).bytes();

        assertEquals(1, segment(FrameBuilder.copyToNative(original), original.length, 1500));

        byte[] frame = segments.getFirst();
        assertEquals(original.length, frame.length);
        assertEquals(Reference.transportChecksum(frame, IP), Reference.storedTransportChecksum(frame, IP));
        assertEquals(Reference.u32(original, IP + 24), Reference.u32(frame, IP + 24));
        assertEquals(Reference.u8(original, IP + 33), Reference.u8(frame, IP + 33));
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "non-ipv4", "fragment", "bad-ip-checksum", "truncated", "tcp-offset", "tiny-mtu"})
    void shouldRefuseFramesItCannotSegment(String kind) {
        FrameBuilder builder = superPacket(3000);
        switch (kind) {
            case "udp" -> builder.udp();
            case "fragment" -> builder.flagsAndFragment(0x2000);
            default -> { }
        }
        byte[] bytes = builder.bytes();
        int length = bytes.length;
        int mtu = 1500;
        switch (kind) {
            case "non-ipv4" -> Reference.u16(bytes, 12, 0x0806);
            case "bad-ip-checksum" -> bytes[IP + 10] ^= 1;
            case "truncated" -> length = 1000;
            case "tcp-offset" -> bytes[IP + 32] = 0x40;
            case "tiny-mtu" -> mtu = 40;
            default -> { }
        }

        assertEquals(0, segment(FrameBuilder.copyToNative(bytes), length, mtu));
        assertTrue(segments.isEmpty());
    }

    private static Ipv6FrameBuilder superPacket6(int payloadLength) {
        return new Ipv6FrameBuilder().tcp().sequence(SEQUENCE).payloadLength(payloadLength)
                .tcpFlags(TcpHeader.ACK | TcpHeader.PSH | TcpHeader.FIN | TcpHeader.CWR | TcpHeader.ECE);
    }

    @Test
    void shouldCutAnIpv6SuperPacketWithItsExtensionHeadersIntoSegmentsOfTheMtu() {
        // hop-by-hop (8 bytes) and destination options (16): copied into every segment, as ipv6_gso_segment
        byte[] original = superPacket6(10_000).extension(0, 0).extension(60, 1).bytes();
        Reference.u16(original, IP + 40 + 24 + 16, 0x1234); // a partial checksum's pseudo-header sum: not kept
        int headers = 40 + 24 + 20;
        int mss = 1460 - headers;

        int count = segment(FrameBuilder.copyToNative(original), original.length, 1460);

        int expected = (10_000 + mss - 1) / mss;
        assertEquals(expected, count);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int index = 0; index < count; index++) {
            byte[] frame = segments.get(index);
            int payloadLength = Math.min(mss, 10_000 - index * mss);
            int tcp = IP + 40 + 24;
            assertEquals(IP + headers + payloadLength, frame.length, "frame length of segment " + index);
            assertEquals(24 + 20 + payloadLength, Reference.u16(frame, IP + 4), "IPv6 payload length");
            assertArrayEquals(Arrays.copyOfRange(original, 0, IP + 4), Arrays.copyOfRange(frame, 0, IP + 4));
            assertArrayEquals(Arrays.copyOfRange(original, IP + 6, tcp + 4), Arrays.copyOfRange(frame, IP + 6, tcp + 4),
                    "addresses, extension headers and ports of segment " + index);
            assertEquals(SEQUENCE + index * mss, Reference.u32(frame, tcp + 4), "sequence");
            int expectedFlags = TcpHeader.ACK | TcpHeader.ECE | (index == 0 ? TcpHeader.CWR : 0)
                    | (index == count - 1 ? TcpHeader.PSH | TcpHeader.FIN : 0);
            assertEquals(expectedFlags, Reference.u8(frame, tcp + 13), "flags of segment " + index);
            assertEquals(Ipv6FrameBuilder.upperLayerChecksum(frame, tcp, 20 + payloadLength, 6),
                    Reference.u16(frame, tcp + 16), "checksum of segment " + index);
            payload.write(frame, tcp + 20, payloadLength);
        }
        assertArrayEquals(Arrays.copyOfRange(original, IP + headers, original.length), payload.toByteArray());
        assertTrue(flags.stream().allMatch(flag -> flag == 0), "segments carry complete checksums");
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "fragment", "truncated", "tiny-mtu"})
    void shouldRefuseIpv6FramesItCannotSegment(String kind) {
        Ipv6FrameBuilder builder = superPacket6(3000);
        switch (kind) {
            case "udp" -> builder.udp();
            case "fragment" -> builder.fragment(0, false, 7);
            default -> { }
        }
        byte[] bytes = builder.bytes();
        int length = kind.equals("truncated") ? 1000 : bytes.length;

        assertEquals(0, segment(FrameBuilder.copyToNative(bytes), length, kind.equals("tiny-mtu") ? 60 : 1500));
        assertTrue(segments.isEmpty());
    }
}
