package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class NeighborMessageTest {
    private static final List<byte[]> CAPTURE = CapturedFrames.load("/packet/linux-icmpv6-capture.txt");
    private static final int DAD = 0;
    private static final int SOLICITATION = 1;
    private static final int ADVERTISEMENT = 2;
    private static final int IP = Ipv6FrameBuilder.IP;
    private static final int ICMP = IP + Ipv6Header.LENGTH;
    private static final long A_MAC = 0x0200_0000_0A01L;
    private static final long B_MAC = 0x0200_0000_0B02L;

    private final Ipv6Header ip = new Ipv6Header();
    private final NeighborMessage message = new NeighborMessage();

    private MemorySegment wrap(byte[] frame) {
        // room after the frame, for lengths that claim more than it holds
        MemorySegment segment = FrameBuilder.copyToNative(java.util.Arrays.copyOf(frame, frame.length + 16));
        ip.wrap(segment, IP);
        message.wrap(segment, ICMP);
        return segment;
    }

    @Test
    void shouldReadLinuxsSolicitation() {
        wrap(CAPTURE.get(SOLICITATION));
        int length = ip.payloadLength();
        assertEquals(NeighborMessage.OK, message.validate(ip, length));
        assertEquals(Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION, message.icmp().type());
        assertEquals(Ipv6FrameBuilder.DOC_HI, message.targetHi());
        assertEquals(0xBL, message.targetLo());
        assertEquals(A_MAC, message.sourceLinkLayerAddress(length));
        assertEquals(NeighborMessage.NO_LINK_LAYER_ADDRESS, message.targetLinkLayerAddress(length));
        assertTrue(Ipv6Multicast.isSolicitedNode(ip.destinationHi(), ip.destinationLo()));
        assertEquals(Ipv6Multicast.solicitedNodeLo(message.targetLo()), ip.destinationLo());
        assertEquals(0x3333_FF00_000BL, new EthernetHeader().wrap(ip.segment(), 0).destination());
        assertEquals(Ipv6Multicast.ethernetMac(ip.destinationLo()), new EthernetHeader().wrap(ip.segment(), 0).destination());
    }

    @Test
    void shouldReadLinuxsAdvertisement() {
        wrap(CAPTURE.get(ADVERTISEMENT));
        int length = ip.payloadLength();
        assertEquals(NeighborMessage.OK, message.validate(ip, length));
        assertEquals(NeighborMessage.SOLICITED | NeighborMessage.OVERRIDE, message.flags());
        assertTrue(message.solicited());
        assertTrue(message.override());
        assertFalse(message.router());
        assertEquals(0xBL, message.targetLo());
        assertEquals(B_MAC, message.targetLinkLayerAddress(length));
        assertEquals(NeighborMessage.NO_LINK_LAYER_ADDRESS, message.sourceLinkLayerAddress(length));
    }

    @Test
    void shouldAcceptDuplicateAddressDetectionWithItsNonceOption() {
        for (int frame : new int[] {DAD, 5}) {
            wrap(CAPTURE.get(frame));
            assertTrue(Ipv6Multicast.isUnspecified(ip.sourceHi(), ip.sourceLo()));
            assertEquals(NeighborMessage.OK, message.validate(ip, ip.payloadLength()), "frame " + frame);
            assertEquals(0xFE80_0000_0000_0000L, message.targetHi());
            assertEquals(NeighborMessage.NO_LINK_LAYER_ADDRESS, message.sourceLinkLayerAddress(ip.payloadLength()));
        }
    }

    /** Breaks one rule of RFC 4861 section 7.1 in a captured message, fixing the checksum unless that is the rule. */
    private int broken(int frame, Consumer<MemorySegment> change, int length, boolean fixChecksum) {
        MemorySegment segment = wrap(CAPTURE.get(frame));
        change.accept(segment);
        if (fixChecksum) {
            message.icmp().updateChecksum(length, ip);
        }
        return message.validate(ip, length);
    }

    private int broken(int frame, Consumer<MemorySegment> change) {
        return broken(frame, change, 32, true);
    }

    @Test
    void shouldRefuseEveryMessageBreakingARuleOfSection71() {
        assertEquals(NeighborMessage.BAD_HOP_LIMIT, broken(SOLICITATION, s -> ip.hopLimit(254)));
        assertEquals(NeighborMessage.BAD_CHECKSUM,
                broken(SOLICITATION, s -> message.icmp().checksum(message.icmp().checksum() ^ 1), 32, false));
        assertEquals(NeighborMessage.BAD_CODE, broken(SOLICITATION, s -> message.icmp().code(1)));
        assertEquals(NeighborMessage.TOO_SHORT, broken(SOLICITATION, s -> { }, 20, true));
        assertEquals(NeighborMessage.NOT_NEIGHBOR_MESSAGE, broken(3, s -> { }, 24, true));
        assertEquals(NeighborMessage.NOT_NEIGHBOR_MESSAGE, broken(SOLICITATION, s -> { }, 7, false));
        assertEquals(NeighborMessage.MULTICAST_TARGET,
                broken(SOLICITATION, s -> NetworkOrder.u64(s, ICMP + 8, Ipv6Multicast.ALL_NODES_HI)));
        assertEquals(NeighborMessage.BAD_OPTION, broken(SOLICITATION, s -> NetworkOrder.u8(s, ICMP + 25, 0)));
        assertEquals(NeighborMessage.BAD_OPTION, broken(SOLICITATION, s -> NetworkOrder.u8(s, ICMP + 25, 2)));
        assertEquals(NeighborMessage.BAD_OPTION, broken(SOLICITATION, s -> { }, 33, true));
        // DAD (unspecified source): only to the solicited-node group, and never with a source link-layer address
        assertEquals(NeighborMessage.BAD_UNSPECIFIED_SOURCE, broken(SOLICITATION, s -> ip.source(0, 0)));
        assertEquals(NeighborMessage.BAD_UNSPECIFIED_SOURCE,
                broken(DAD, s -> ip.destination(Ipv6Multicast.ALL_NODES_HI, Ipv6Multicast.ALL_NODES_LO)));
        assertEquals(NeighborMessage.SOLICITED_TO_MULTICAST,
                broken(ADVERTISEMENT, s -> ip.destination(Ipv6Multicast.ALL_NODES_HI, Ipv6Multicast.ALL_NODES_LO)));
        assertEquals(NeighborMessage.OK, broken(ADVERTISEMENT, s -> {
            ip.destination(Ipv6Multicast.ALL_NODES_HI, Ipv6Multicast.ALL_NODES_LO);
            NetworkOrder.u8(s, ICMP + 4, NeighborMessage.OVERRIDE);
        }));
    }

    @Test
    void shouldNameEveryValidationResult() {
        assertEquals("ok", NeighborMessage.validationName(NeighborMessage.OK));
        assertEquals("bad_unspecified_source", NeighborMessage.validationName(NeighborMessage.BAD_UNSPECIFIED_SOURCE));
        assertEquals("solicited_to_multicast", NeighborMessage.validationName(NeighborMessage.SOLICITED_TO_MULTICAST));
    }

    @Test
    void shouldMapAddressesToTheirSolicitedNodeGroupAndMac() {
        // RFC 4291 section 2.7.1: 2001:db8::12:3456:789a -> ff02::1:ff56:789a, 33:33:ff:56:78:9a
        long lo = Ipv6Multicast.solicitedNodeLo(0x0000_0012_3456_789AL);
        assertEquals(0x0000_0001_FF56_789AL, lo);
        assertTrue(Ipv6Multicast.isSolicitedNode(Ipv6Multicast.SOLICITED_NODE_HI, lo));
        assertFalse(Ipv6Multicast.isSolicitedNode(Ipv6Multicast.ALL_NODES_HI, Ipv6Multicast.ALL_NODES_LO));
        assertEquals(0x3333_FF56_789AL, Ipv6Multicast.ethernetMac(lo));
        assertEquals(0x3333_0000_0001L, Ipv6Multicast.ethernetMac(Ipv6Multicast.ALL_NODES_LO));
        assertTrue(Ipv6Multicast.isMulticast(0xFF05_0000_0000_0000L));
        assertFalse(Ipv6Multicast.isMulticast(0xFE80_0000_0000_0000L));
        assertTrue(Ipv6Multicast.isUnspecified(0, 0));
        assertFalse(Ipv6Multicast.isUnspecified(0, 1));
    }
}
