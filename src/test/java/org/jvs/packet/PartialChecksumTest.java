package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** A partial checksum told from a complete one by the packet alone, as the real-server helper must. */
class PartialChecksumTest {
    private static final int TCP_FIELD = 20 + 16;
    private static final int UDP_FIELD = 20 + 6;

    private static int field(byte[] ipPacket) {
        MemorySegment slot = FrameBuilder.copyToNative(ipPacket);
        return PartialChecksum.field(slot, 0, ipPacket.length);
    }

    private static byte[] ip(FrameBuilder builder) {
        byte[] frame = builder.bytes();
        return Arrays.copyOfRange(frame, Reference.ETHERNET, frame.length);
    }

    @Test
    void shouldFindTheFieldOfATcpSegmentLeftPartial() {
        assertEquals(TCP_FIELD, field(ip(new FrameBuilder().payloadLength(1400).partialChecksum())));
    }

    @Test
    void shouldFindTheFieldOfAUdpDatagramLeftPartial() {
        assertEquals(UDP_FIELD, field(ip(new FrameBuilder().udp().payloadLength(100).partialChecksum())));
    }

    @Test
    void shouldTakeACompleteChecksumAsComplete() {
        assertEquals(PartialChecksum.NONE, field(ip(new FrameBuilder().payloadLength(1400))));
        assertEquals(PartialChecksum.NONE, field(ip(new FrameBuilder().udp().payloadLength(100))));
    }

    @Test
    void shouldTakeAUdpDatagramWithoutChecksumAsNotPartial() {
        assertEquals(PartialChecksum.NONE, field(ip(new FrameBuilder().udp().udpChecksum(false).payloadLength(100))));
    }

    @Test
    void shouldFindTheFieldAfterIpOptions() {
        byte[] packet = ip(new FrameBuilder().ipOptions(new byte[] {1, 1, 1, 1}).payloadLength(10).partialChecksum());
        assertEquals(TCP_FIELD + 4, field(packet));
    }

    @Test
    void shouldLeaveFragmentsOtherProtocolsAndTruncatedPacketsAlone() {
        assertEquals(PartialChecksum.NONE,
                field(ip(new FrameBuilder().flagsAndFragment(0x2000).payloadLength(100).partialChecksum())));
        assertEquals(PartialChecksum.NONE, field(ip(new FrameBuilder().protocol(1).payloadLength(100))));
        byte[] tcp = ip(new FrameBuilder().partialChecksum());
        assertEquals(PartialChecksum.NONE, field(Arrays.copyOf(tcp, TCP_FIELD + 1)));
    }

    @Test
    void shouldFindTheFieldOfAnIpv6SegmentLeftPartial() {
        byte[] frame = new Ipv6FrameBuilder().tcp().payloadLength(500).noChecksum().bytes();
        byte[] packet = Arrays.copyOfRange(frame, Reference.ETHERNET, frame.length);
        // the pseudo-header sum by hand: addresses, upper-layer length, next header (RFC 8200 8.1)
        long sum = 6 + (packet.length - 40);
        for (int i = 8; i < 40; i += 2) {
            sum += Reference.u16(packet, i);
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        Reference.u16(packet, 40 + 16, (int) sum);
        assertEquals(40 + 16, field(packet));
        Reference.u16(packet, 40 + 16, (int) sum ^ 1);
        assertEquals(PartialChecksum.NONE, field(packet));
    }
}
