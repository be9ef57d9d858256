package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jvs.service.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpCoalescerTest {
    private static final int HEADROOM = 10;
    private static final int SEQUENCE = 0xFFFF_F000; // wraps around 2^32 within a few segments
    private static final int MSS = 1000;
    private static final byte[] TIMESTAMP_OPTION = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};

    /** What the output was handed, copied at once (the coalescer reuses its buffer). */
    private record Delivered(byte[] packet, int segmentSize, int segments, MemorySegment buffer, long offset) {
    }

    private final List<Delivered> delivered = new ArrayList<>();
    private final TcpCoalescer coalescer = new TcpCoalescer(HEADROOM, (buffer, offset, length, segmentSize, segments) -> {
        assertEquals(true, offset >= HEADROOM || segmentSize == 0, "headroom before a super-packet");
        delivered.add(new Delivered(FrameBuilder.toBytes(buffer, offset, length), segmentSize, segments, buffer, offset));
    });

    /** Segment {@code index} of a bulk transfer with MSS-sized payloads. */
    private static FrameBuilder segment(int index) {
        return new FrameBuilder().sequence(SEQUENCE + index * MSS).identification(100 + index)
                .payload(payloadOf(index, MSS)).tcpOptions(TIMESTAMP_OPTION);
    }

    private static byte[] payloadOf(int index, int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (index * 31 + i * 7);
        }
        return payload;
    }

    /** The IP packet of a builder's frame (the builder makes Ethernet frames). */
    private static byte[] ipPacket(FrameBuilder builder) {
        byte[] frame = builder.bytes();
        return Arrays.copyOfRange(frame, Reference.ETHERNET, frame.length);
    }

    /** Adds the packet where a receive slot would hold it: behind an outer header's worth of room. */
    private MemorySegment add(byte[] packet) {
        MemorySegment slot = FrameBuilder.copyToNative(concat(new byte[20], packet));
        coalescer.add(slot, 20, packet.length);
        return slot;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void shouldJoinConsecutiveSegmentsIntoOneSuperPacketWithPartialChecksum() {
        for (int index = 0; index < 3; index++) {
            add(ipPacket(segment(index)));
        }
        coalescer.flush();

        assertEquals(1, delivered.size());
        Delivered superPacket = delivered.get(0);
        assertEquals(MSS, superPacket.segmentSize());
        assertEquals(3, superPacket.segments());
        // what a sender leaving segmentation to offload would have built: one packet, checksum partial
        byte[] expected = ipPacket(new FrameBuilder().sequence(SEQUENCE).identification(100)
                .payload(concat(payloadOf(0, MSS), payloadOf(1, MSS), payloadOf(2, MSS)))
                .tcpOptions(TIMESTAMP_OPTION).partialChecksum());
        assertArrayEquals(expected, superPacket.packet());
        assertEquals(Reference.ipChecksum(superPacket.packet(), 0), Reference.u16(superPacket.packet(), 10));
    }

    /** Segments whose sender left their checksums to offload (as a veth peer's kernel forwards them) join unverified. */
    @Test
    void shouldJoinSegmentsWhosePartialChecksumsTheSenderLeftToOffload() {
        for (int index = 0; index < 3; index++) {
            add(ipPacket(segment(index).partialChecksum()));
        }
        coalescer.flush();

        assertEquals(1, delivered.size());
        assertEquals(3, delivered.get(0).segments());
        byte[] expected = ipPacket(new FrameBuilder().sequence(SEQUENCE).identification(100)
                .payload(concat(payloadOf(0, MSS), payloadOf(1, MSS), payloadOf(2, MSS)))
                .tcpOptions(TIMESTAMP_OPTION).partialChecksum());
        assertArrayEquals(expected, delivered.get(0).packet());
    }

    @Test
    void shouldHandOnALoneSegmentWhereItLiesUnchanged() {
        byte[] packet = ipPacket(segment(0));
        MemorySegment slot = add(packet);
        coalescer.flush();

        assertEquals(1, delivered.size());
        assertSame(slot, delivered.get(0).buffer());
        assertEquals(20, delivered.get(0).offset());
        assertEquals(0, delivered.get(0).segmentSize());
        assertArrayEquals(packet, delivered.get(0).packet());
    }

    @Test
    void shouldHoldNothingAfterFlush() {
        add(ipPacket(segment(0)));
        add(ipPacket(segment(1)));
        coalescer.flush();
        coalescer.flush();

        assertEquals(1, delivered.size());
    }

    @Test
    void shouldEndTheBatchAtASequenceGap() {
        byte[] first = ipPacket(segment(0));
        byte[] third = ipPacket(segment(2));
        add(first);
        add(third);
        coalescer.flush();

        assertEquals(2, delivered.size());
        assertArrayEquals(first, delivered.get(0).packet());
        assertArrayEquals(third, delivered.get(1).packet());
        assertEquals(0, delivered.get(0).segmentSize());
        assertEquals(0, delivered.get(1).segmentSize());
    }

    @Test
    void shouldNotJoinARetransmission() {
        add(ipPacket(segment(0)));
        add(ipPacket(segment(0)));
        coalescer.flush();

        assertEquals(List.of(0, 0), delivered.stream().map(Delivered::segmentSize).toList());
    }

    @ParameterizedTest(name = "flag {0}")
    @ValueSource(ints = {TcpHeader.PSH, TcpHeader.FIN})
    void shouldJoinASegmentWithPshOrFinAsTheLastAndCloseTheBatch(int flag) {
        add(ipPacket(segment(0)));
        add(ipPacket(segment(1).tcpFlags(TcpHeader.ACK | flag)));
        byte[] third = ipPacket(segment(2));
        add(third);
        assertEquals(1, delivered.size(), "the super-packet leaves as soon as its last segment came");
        coalescer.flush();

        assertEquals(2, delivered.size());
        Delivered superPacket = delivered.get(0);
        assertEquals(2, superPacket.segments());
        assertEquals(TcpHeader.ACK | flag, Reference.u8(superPacket.packet(), 20 + 13));
        assertArrayEquals(third, delivered.get(1).packet());
    }

    @Test
    void shouldPassASegmentWithPshAtTheHeadOnAlone() {
        byte[] first = ipPacket(segment(0).tcpFlags(TcpHeader.ACK | TcpHeader.PSH));
        add(first);
        add(ipPacket(segment(1)));
        coalescer.flush();

        assertEquals(2, delivered.size());
        assertArrayEquals(first, delivered.get(0).packet());
    }

    @ParameterizedTest(name = "flag {0}")
    @ValueSource(ints = {TcpHeader.RST, TcpHeader.URG, TcpHeader.SYN, TcpHeader.CWR})
    void shouldNeverJoinASegmentWithRstUrgSynOrCwr(int flag) {
        byte[] first = ipPacket(segment(0));
        byte[] flagged = ipPacket(segment(1).tcpFlags(TcpHeader.ACK | flag));
        add(first);
        add(flagged);
        coalescer.flush();

        assertEquals(2, delivered.size());
        assertArrayEquals(first, delivered.get(0).packet());
        assertArrayEquals(flagged, delivered.get(1).packet());
    }

    @Test
    void shouldNotJoinSegmentsWhoseOptionsDiffer() {
        add(ipPacket(segment(0)));
        add(ipPacket(segment(1).tcpOptions(new byte[] {1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 2})));
        coalescer.flush();

        assertEquals(List.of(0, 0), delivered.stream().map(Delivered::segmentSize).toList());
    }

    @Test
    void shouldNotJoinSegmentsOfAnotherFlow() {
        add(ipPacket(segment(0)));
        add(ipPacket(segment(1).ports(40001, 80)));
        add(ipPacket(segment(2).source(Reference.ip(203, 0, 113, 8))));
        coalescer.flush();

        assertEquals(List.of(0, 0, 0), delivered.stream().map(Delivered::segmentSize).toList());
    }

    @Test
    void shouldNotJoinSegmentsWithAnotherAcknowledgment() {
        add(ipPacket(segment(0)));
        add(ipPacket(segment(1).acknowledgment(0x55667789)));
        coalescer.flush();

        assertEquals(List.of(0, 0), delivered.stream().map(Delivered::segmentSize).toList());
    }

    @Test
    void shouldPassASegmentWithABadTcpChecksumOnUnchangedAfterTheBatchBeforeIt() {
        add(ipPacket(segment(0)));
        add(ipPacket(segment(1)));
        byte[] damaged = ipPacket(segment(2));
        damaged[damaged.length - 1] ^= 0x01;
        add(damaged);
        add(ipPacket(segment(3)));
        coalescer.flush();

        assertEquals(List.of(MSS, 0, 0), delivered.stream().map(Delivered::segmentSize).toList());
        assertArrayEquals(damaged, delivered.get(1).packet());
    }

    @Test
    void shouldNotJoinASegmentWithABadIpHeaderChecksum() {
        add(ipPacket(segment(0)));
        byte[] damaged = ipPacket(segment(1));
        damaged[8] = 63; // TTL changed, header checksum not
        add(damaged);
        coalescer.flush();

        assertEquals(List.of(0, 0), delivered.stream().map(Delivered::segmentSize).toList());
    }

    @Test
    void shouldJoinAShorterSegmentAsTheLastOne() {
        add(ipPacket(segment(0)));
        add(ipPacket(segment(1).payload(payloadOf(1, 300))));
        add(ipPacket(new FrameBuilder().sequence(SEQUENCE + MSS + 300).payload(payloadOf(2, MSS))
                .tcpOptions(TIMESTAMP_OPTION)));
        coalescer.flush();

        assertEquals(2, delivered.size());
        assertEquals(2, delivered.get(0).segments());
        assertEquals(20 + 32 + MSS + 300, delivered.get(0).packet().length);
        assertEquals(0, delivered.get(1).segmentSize());
    }

    @Test
    void shouldNotJoinALongerSegmentThanTheFirst() {
        add(ipPacket(segment(0).payload(payloadOf(0, 500))));
        add(ipPacket(new FrameBuilder().sequence(SEQUENCE + 500).payload(payloadOf(1, MSS)).tcpOptions(TIMESTAMP_OPTION)));
        coalescer.flush();

        assertEquals(List.of(0, 0), delivered.stream().map(Delivered::segmentSize).toList());
    }

    @Test
    void shouldStartANewSuperPacketBeforeTheIpTotalLengthOverflows() {
        int mss = 1448;
        for (int index = 0; index < 50; index++) {
            add(ipPacket(new FrameBuilder().sequence(SEQUENCE + index * mss).payload(payloadOf(index, mss))
                    .tcpOptions(TIMESTAMP_OPTION)));
        }
        coalescer.flush();

        int firstSegments = (65535 - 52) / mss;
        assertEquals(List.of(firstSegments, 50 - firstSegments), delivered.stream().map(Delivered::segments).toList());
        assertEquals(52 + firstSegments * mss, Reference.u16(delivered.get(0).packet(), 2));
    }

    @Test
    void shouldCarryTheNewestWindow() {
        add(ipPacket(segment(0).window(1000)));
        add(ipPacket(segment(1).window(2000)));
        coalescer.flush();

        assertEquals(2000, Reference.u16(delivered.get(0).packet(), 20 + 14));
    }

    @Test
    void shouldPassOtherPacketsOnInOrderAfterTheOpenBatch() {
        add(ipPacket(segment(0)));
        add(ipPacket(segment(1)));
        byte[] udp = ipPacket(new FrameBuilder().udp().payloadLength(100));
        byte[] pureAck = ipPacket(new FrameBuilder());
        byte[] withoutDontFragment = ipPacket(segment(2).dontFragment(false));
        add(udp);
        add(pureAck);
        add(withoutDontFragment);
        coalescer.flush();

        assertEquals(4, delivered.size());
        assertEquals(2, delivered.get(0).segments());
        assertArrayEquals(udp, delivered.get(1).packet());
        assertArrayEquals(pureAck, delivered.get(2).packet());
        assertArrayEquals(withoutDontFragment, delivered.get(3).packet());
    }

    @Test
    void shouldNotJoinPacketsWithIpOptions() {
        add(ipPacket(segment(0).ipOptions(new byte[] {1, 1, 1, 0})));
        add(ipPacket(segment(1).ipOptions(new byte[] {1, 1, 1, 0})));
        coalescer.flush();

        assertEquals(List.of(0, 0), delivered.stream().map(Delivered::segmentSize).toList());
    }

    /** Segment {@code index} of a bulk transfer over IPv6. */
    private static Ipv6FrameBuilder segment6(int index) {
        return new Ipv6FrameBuilder().tcp().sequence(SEQUENCE + index * MSS).tcpFlags(TcpHeader.ACK)
                .payload(payloadOf(index, MSS));
    }

    private static byte[] ipPacket(Ipv6FrameBuilder builder) {
        byte[] frame = builder.bytes();
        return Arrays.copyOfRange(frame, Reference.ETHERNET, frame.length);
    }

    @Test
    void shouldJoinIpv6SegmentsIntoOneSuperPacketWithPartialChecksum() {
        for (int index = 0; index < 3; index++) {
            add(ipPacket(segment6(index)));
        }
        coalescer.flush();

        assertEquals(1, delivered.size());
        Delivered superPacket = delivered.get(0);
        assertEquals(MSS, superPacket.segmentSize());
        assertEquals(3, superPacket.segments());
        byte[] expected = ipPacket(segment6(0).payload(concat(payloadOf(0, MSS), payloadOf(1, MSS), payloadOf(2, MSS))));
        // CHECKSUM_PARTIAL: the field holds the folded RFC 8200 8.1 pseudo-header sum, not the checksum
        int tcpLength = expected.length - 40;
        int pseudo = Reference.sum(expected, 8, 40, 0);
        for (int word : new int[] {tcpLength >>> 16, tcpLength & 0xFFFF, 0, Protocol.TCP}) {
            pseudo += word;
            pseudo = (pseudo & 0xFFFF) + (pseudo >>> 16);
        }
        Reference.u16(expected, 40 + 16, pseudo);
        assertArrayEquals(expected, superPacket.packet());
    }

    @Test
    void shouldNotJoinIpv6SegmentsWithExtensionHeadersNorAcrossFamilies() {
        add(ipPacket(segment(0)));
        add(ipPacket(segment6(1).sequence(SEQUENCE + MSS)));
        add(ipPacket(segment6(2).extension(60, 0)));
        add(ipPacket(segment6(3).extension(60, 0)));
        coalescer.flush();

        assertEquals(4, delivered.size());
        assertEquals(true, delivered.stream().allMatch(packet -> packet.segmentSize() == 0));
    }
}
