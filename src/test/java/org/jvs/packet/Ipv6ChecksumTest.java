package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.junit.jupiter.api.Test;

class Ipv6ChecksumTest {
    private static final List<byte[]> CAPTURE = CapturedFrames.load("/packet/linux-icmpv6-capture.txt");
    private static final int IP = Ipv6FrameBuilder.IP;
    private static final int ICMP = IP + Ipv6Header.LENGTH;

    @Test
    void shouldComputeTheChecksumsLinuxSentOnEveryCapturedMessage() {
        int[] expected = {0x222C, 0x120C, 0x7F56, 0x9E98, 0x9D98, 0x20A5};
        assertEquals(expected.length, CAPTURE.size());
        for (int i = 0; i < CAPTURE.size(); i++) {
            MemorySegment frame = FrameBuilder.copyToNative(CAPTURE.get(i));
            Ipv6Header ip = new Ipv6Header().wrap(frame, IP);
            Icmpv6Header icmp = new Icmpv6Header().wrap(frame, ICMP);
            assertEquals(expected[i], icmp.checksum(), "frame " + i);
            assertEquals(expected[i], icmp.computeChecksum(ip.payloadLength(), ip.sourceHi(), ip.sourceLo(),
                    ip.destinationHi(), ip.destinationLo()), "frame " + i);
            assertTrue(icmp.checksumValid(ip.payloadLength(), ip), "frame " + i);
        }
    }

    @Test
    void shouldSumTheRfc8200PseudoHeaderByHand() {
        // 2001:db8::1 -> 2001:db8::2, TCP, 20 bytes: 2001+0db8+1 + 2001+0db8+2 + 20 + 6 = 0x5B8F
        long sum = Ipv6Checksum.pseudoHeaderSum(0x2001_0DB8_0000_0000L, 1, 0x2001_0DB8_0000_0000L, 2, 6, 20);
        assertEquals(0x5B8F, Checksum.fold(sum));
        assertEquals(Checksum.fold(0x2001 + 0x0DB8 + 0xFFFF * 6),
                Checksum.fold(Ipv6Checksum.addressSum(0x2001_0DB8_FFFF_FFFFL, -1L)));
    }

    @Test
    void shouldSendAComputedZeroUdpChecksumAsAllOnes() {
        byte[] bytes = new Ipv6FrameBuilder().udp().payload(new byte[2]).noChecksum().bytes();
        int l4 = IP + Ipv6Header.LENGTH;
        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        // a payload word equal to the checksum without it brings the sum to 0xFFFF, the checksum to zero
        int without = Ipv6Checksum.udp(frame, l4, 10, Ipv6FrameBuilder.DOC_HI, 0xA, Ipv6FrameBuilder.DOC_HI, 0xB);
        NetworkOrder.u16(frame, l4 + 8, without);
        assertEquals(0xFFFF, Ipv6Checksum.udp(frame, l4, 10, Ipv6FrameBuilder.DOC_HI, 0xA,
                Ipv6FrameBuilder.DOC_HI, 0xB));
        long pseudo = Ipv6Checksum.pseudoHeaderSum(Ipv6FrameBuilder.DOC_HI, 0xA, Ipv6FrameBuilder.DOC_HI, 0xB, 17, 10);
        assertEquals(0, Checksum.computeSkippingField(pseudo, frame, l4, 10, UdpHeader.CHECKSUM_OFFSET),
                "the sum really is all ones");
    }

    @Test
    void shouldRefuseAZeroUdpChecksumOverIpv6() {
        byte[] bytes = new Ipv6FrameBuilder().udp().payloadLength(20).noChecksum().bytes();
        int l4 = IP + Ipv6Header.LENGTH;
        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        assertFalse(Ipv6Checksum.valid(frame, l4, 28, 17, Ipv6FrameBuilder.DOC_HI, 0xA, Ipv6FrameBuilder.DOC_HI, 0xB));
        NetworkOrder.u16(frame, l4 + 6, Ipv6Checksum.udp(frame, l4, 28, Ipv6FrameBuilder.DOC_HI, 0xA,
                Ipv6FrameBuilder.DOC_HI, 0xB));
        assertTrue(Ipv6Checksum.valid(frame, l4, 28, 17, Ipv6FrameBuilder.DOC_HI, 0xA, Ipv6FrameBuilder.DOC_HI, 0xB));
    }

    @Test
    void shouldNeverLetAnIncrementalUdpUpdateWriteZero() {
        // ~0xFFFF + ~0 + 0 sums to zero, which update16 returns as 0: UDP over IPv6 must send 0xFFFF instead
        assertEquals(0, Checksum.update16(0xFFFF, 0xFFFF, 0));
        assertEquals(0xFFFF, Ipv6Checksum.updateUdp16(0xFFFF, 0xFFFF, 0));
        assertEquals(0xFFFF, Ipv6Checksum.updateUdp128(0xFFFF, -1L, -1L, 0, 0));
    }

    @Test
    void shouldLeaveAnIpv4DatagramWithoutChecksumToBeComputedInFull() {
        assertEquals(Checksum.UDP_NONE, Nat64Checksum.udpFourToSix(Checksum.UDP_NONE, 0xC0000201, 0xC0000202,
                Ipv6FrameBuilder.DOC_HI, 1, Ipv6FrameBuilder.DOC_HI, 2));
    }
}
