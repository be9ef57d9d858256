package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The IPv6 flyweights, the extension-header walk, every checksum path, Neighbour Discovery (validate, answer,
 * solicit) and the fragmenter allocate nothing per packet, as VrrpAllocationTest checks for adverts.
 */
class Ipv6AllocationTest {
    private static final int ROUNDS = 20_000;
    /** Class loading and each path's first pass, not JIT compilation (see SteadyStateAllocationTest). */
    private static final int WARM_UP_ROUNDS = 100;
    /** Far below one object per packet (16 bytes x ROUNDS): leaves room for a compilation's stray allocation. */
    private static final long SLACK_BYTES = 16 * 1024;
    private static final List<byte[]> CAPTURE = CapturedFrames.load("/packet/linux-icmpv6-capture.txt");
    private static final int IP = Ipv6FrameBuilder.IP;

    private final MemorySegment chain = new Ipv6FrameBuilder().udp().extension(0, 0).extension(43, 1)
            .extension(60, 0).payloadLength(3000).segment();
    private final MemorySegment solicitation = FrameBuilder.copyToNative(CAPTURE.get(1));
    private final MemorySegment out = FrameBuilder.copyToNative(new byte[128]);
    private final Ipv6Header ip = new Ipv6Header();
    private final Ipv6Header ndIp = new Ipv6Header();
    private final Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();
    private final Icmpv6Header icmp = new Icmpv6Header();
    private final NeighborMessage message = new NeighborMessage();
    private final NeighborDiscoveryWriter writer = new NeighborDiscoveryWriter();
    private final Ipv6Fragmenter fragmenter = new Ipv6Fragmenter();
    private long fragments;
    private final Ipv4Fragmenter.Output countFragment = (frame, offset, length) -> {
        fragments++;
        return true;
    };

    @Test
    void shouldAllocateNothingPerPacket() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long results = 0;
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            results += exercise();
        }
        long before = threads.getCurrentThreadAllocatedBytes();

        for (int i = 0; i < ROUNDS; i++) {
            results += exercise();
        }

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(3L * (ROUNDS + WARM_UP_ROUNDS), fragments, "every round fragmented its packet in three");
        assertTrue(results != 0);
        assertTrue(allocated < SLACK_BYTES, allocated + " bytes allocated over " + ROUNDS + " rounds");
    }

    private long exercise() {
        long results = 0;
        ip.wrap(chain, IP);
        int length = ip.packetLength();
        results += ip.validate(length) + ip.trafficClass() + ip.flowLabel() + ip.hopLimit();
        results += headers.walk(chain, IP, length) + headers.protocol() + headers.upperLayerOffset();
        long l4 = headers.upperLayerOffset();
        int l4Length = (int) (IP + length - l4);
        long sourceHi = ip.sourceHi();
        long sourceLo = ip.sourceLo();
        long destinationHi = ip.destinationHi();
        long destinationLo = ip.destinationLo();
        int checksum = Ipv6Checksum.udp(chain, l4, l4Length, sourceHi, sourceLo, destinationHi, destinationLo);
        results += Ipv6Checksum.valid(chain, l4, l4Length, 17, sourceHi, sourceLo, destinationHi, destinationLo) ? 1 : 0;
        int moved = Ipv6Checksum.updateUdp128(checksum, destinationHi, destinationLo, destinationHi, destinationLo + 1);
        moved = Ipv6Checksum.updateUdp16(moved, 80, 8080);
        results += moved + Ipv6Checksum.updatePartial128(0x1234, sourceHi, sourceLo, sourceHi, sourceLo + 1);
        results += Nat64Checksum.udpSixToFour(checksum, sourceHi, sourceLo, destinationHi, destinationLo,
                0xC0000201, 0xC0000202);
        results += Nat64Checksum.tcpFourToSix(checksum, 0xC0000201, 0xC0000202, sourceHi, sourceLo,
                destinationHi, destinationLo);
        results += Ipv6Checksum.tcp(chain, l4, l4Length, sourceHi, sourceLo, destinationHi, destinationLo);

        ndIp.wrap(solicitation, IP);
        message.wrap(solicitation, IP + Ipv6Header.LENGTH);
        int ndLength = ndIp.payloadLength();
        if (message.validate(ndIp, ndLength) == NeighborMessage.OK) {
            results += message.sourceLinkLayerAddress(ndLength) + message.targetLo();
            results += writer.answer(out, 0, solicitation, 0, IP + Ipv6Header.LENGTH, ndLength, 0x0200_0000_0B02L,
                    NeighborMessage.OVERRIDE);
        }
        results += writer.solicit(out, 0, 0x0200_0000_0A01L, sourceHi, sourceLo, destinationHi, destinationLo);
        results += icmp.wrap(out, IP + Ipv6Header.LENGTH).checksum();

        results += fragmenter.fragment(chain, 0, IP + length, Ipv6Header.MIN_MTU, 0x1234, countFragment);
        return results;
    }
}
