package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class NeighborDiscoveryWriterTest {
    private static final List<byte[]> CAPTURE = CapturedFrames.load("/packet/linux-icmpv6-capture.txt");
    private static final int IP = Ipv6FrameBuilder.IP;
    private static final int ICMP = IP + Ipv6Header.LENGTH;
    private static final long A_MAC = 0x0200_0000_0A01L;
    private static final long B_MAC = 0x0200_0000_0B02L;

    private final NeighborDiscoveryWriter writer = new NeighborDiscoveryWriter();
    private final MemorySegment out = FrameBuilder.copyToNative(new byte[4 + NeighborDiscoveryWriter.FRAME_LENGTH]);

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private String written(int length) {
        return hex(FrameBuilder.toBytes(out, 4, length));
    }

    @Test
    void shouldAnswerASolicitationByteForByteAsLinuxDid() {
        byte[] solicitation = CAPTURE.get(1);
        int length = writer.answer(out, 4, FrameBuilder.copyToNative(solicitation), 0, ICMP, 32, B_MAC,
                NeighborMessage.OVERRIDE);
        assertEquals(NeighborDiscoveryWriter.FRAME_LENGTH, length);
        assertEquals(hex(CAPTURE.get(2)), written(length));
    }

    @Test
    void shouldSolicitByteForByteAsLinuxDid() {
        int length = writer.solicit(out, 4, A_MAC, Ipv6FrameBuilder.DOC_HI, 0xA, Ipv6FrameBuilder.DOC_HI, 0xB);
        assertEquals(hex(CAPTURE.get(1)), written(length));
    }

    @Test
    void shouldWriteTheUnsolicitedAdvertisementOfANewVrrpMasterByteForByteAsKeepalivedDid() {
        // keepalived 2.2.7 on becoming master for 2001:db8::1 on an interface with MAC 02:00:00:00:00:0a
        byte[] keepalived = CapturedFrames.load("/vrrp/keepalived-ipv6-capture.txt").get(2);
        int length = writer.unsolicited(out, 4, 0x0200_0000_000AL, Ipv6FrameBuilder.DOC_HI, 1,
                NeighborMessage.OVERRIDE);
        assertEquals(hex(keepalived), written(length));
    }

    @Test
    void shouldAnswerDuplicateAddressDetectionToAllNodesWithoutSolicitedFlag() {
        MemorySegment dad = FrameBuilder.copyToNative(CAPTURE.get(0));
        int length = writer.answer(out, 4, dad, 0, ICMP, 32, B_MAC,
                NeighborMessage.OVERRIDE | NeighborMessage.SOLICITED);

        Ipv6Header ip = new Ipv6Header().wrap(out, 4 + IP);
        NeighborMessage advert = new NeighborMessage().wrap(out, 4 + ICMP);
        assertEquals(NeighborMessage.OK, advert.validate(ip, ip.payloadLength()));
        assertEquals(0x3333_0000_0001L, new EthernetHeader().wrap(out, 4).destination());
        assertEquals(Ipv6Multicast.ALL_NODES_HI, ip.destinationHi());
        assertEquals(Ipv6Multicast.ALL_NODES_LO, ip.destinationLo());
        assertEquals(NeighborMessage.OVERRIDE, advert.flags());
        assertEquals(0xFE80_0000_0000_0000L, ip.sourceHi());
        assertEquals(0x0000_00FF_FE00_0A01L, advert.targetLo());
        assertEquals(B_MAC, advert.targetLinkLayerAddress(32));
        assertEquals(NeighborDiscoveryWriter.FRAME_LENGTH, length);
    }

    @Test
    void shouldAnswerAUnicastSolicitationWithoutSourceOptionToTheFramesSender() {
        // neighbour unreachability detection: unicast, no source link-layer address option (RFC 4861 section 7.2.2)
        byte[] bytes = CAPTURE.get(1).clone();
        bytes[11] = 0x0F;
        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        Ipv6Header ip = new Ipv6Header().wrap(frame, IP).payloadLength(24).destination(Ipv6FrameBuilder.DOC_HI, 0xB);
        NeighborMessage solicitation = new NeighborMessage().wrap(frame, ICMP);
        solicitation.icmp().updateChecksum(24, ip);
        assertEquals(NeighborMessage.OK, solicitation.validate(ip, 24));

        writer.answer(out, 4, frame, 0, ICMP, 24, B_MAC, NeighborMessage.ROUTER);

        assertEquals(0x0200_0000_0A0FL, new EthernetHeader().wrap(out, 4).destination());
        NeighborMessage advert = new NeighborMessage().wrap(out, 4 + ICMP);
        assertEquals(NeighborMessage.ROUTER | NeighborMessage.SOLICITED, advert.flags());
        Ipv6Header answer = new Ipv6Header().wrap(out, 4 + IP);
        assertEquals(NeighborMessage.OK, advert.validate(answer, 32));
        assertEquals(0xAL, answer.destinationLo());
    }
}
