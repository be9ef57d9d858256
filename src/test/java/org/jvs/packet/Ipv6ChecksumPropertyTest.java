package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Full IPv6 checksums against the word-by-word oracle, and every incremental form against a full recomputation. */
class Ipv6ChecksumPropertyTest {
    private static final int IP = Ipv6FrameBuilder.IP;

    @Provide
    Arbitrary<Integer> upperLayer() {
        return Arbitraries.of(6, 17, 58);
    }

    /** Addresses with long zero runs and all-ones words as often as random ones: the carries checksums get wrong. */
    @Provide
    Arbitrary<Long> half() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, -1L, 0xFFFF_0000_0000_0000L, 1L,
                0x2001_0DB8_0000_0000L, 0x0000_FFFF_C000_0201L));
    }

    private static Ipv6FrameBuilder packet(int protocol, long sourceHi, long sourceLo, long destinationHi,
                                           long destinationLo, byte[] payload, boolean extensions) {
        Ipv6FrameBuilder builder = new Ipv6FrameBuilder().protocol(protocol).source(sourceHi, sourceLo)
                .destination(destinationHi, destinationLo).payload(payload);
        return extensions ? builder.extension(0, 0).extension(60, 1) : builder;
    }

    @Property(tries = 400)
    void shouldComputeTheSameChecksumAsTheOracle(
            @ForAll("upperLayer") int protocol, @ForAll("half") long sourceHi, @ForAll("half") long sourceLo,
            @ForAll("half") long destinationHi, @ForAll("half") long destinationLo,
            @ForAll @Size(max = 1500) byte[] payload, @ForAll boolean extensions) {
        Ipv6FrameBuilder builder = packet(protocol, sourceHi, sourceLo, destinationHi, destinationLo, payload,
                extensions);
        byte[] bytes = builder.bytes();
        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        int l4 = bytes.length - builder.upperLayerHeaderLength() - payload.length;
        int length = bytes.length - l4;
        int computed = switch (protocol) {
            case 6 -> Ipv6Checksum.tcp(frame, l4, length, sourceHi, sourceLo, destinationHi, destinationLo);
            case 17 -> Ipv6Checksum.udp(frame, l4, length, sourceHi, sourceLo, destinationHi, destinationLo);
            default -> Ipv6Checksum.icmpv6(frame, l4, length, sourceHi, sourceLo, destinationHi, destinationLo);
        };
        assertEquals(Reference.u16(bytes, l4 + Ipv6FrameBuilder.checksumField(protocol)), computed);
        assertTrue(Ipv6Checksum.valid(frame, l4, length, protocol, sourceHi, sourceLo, destinationHi, destinationLo));
    }

    @Property(tries = 300)
    void shouldTellAnyChangedByteFromAValidMessage(
            @ForAll("upperLayer") int protocol, @ForAll("half") long sourceLo, @ForAll @Size(max = 300) byte[] payload,
            @ForAll @IntRange(max = 307) int at, @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] bytes = packet(protocol, Ipv6FrameBuilder.DOC_HI, sourceLo, Ipv6FrameBuilder.DOC_HI, 0xB, payload,
                false).bytes();
        int l4 = IP + Ipv6Header.LENGTH;
        int length = bytes.length - l4;
        int position = l4 + at % length;
        bytes[position] ^= (byte) flip;
        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        // one changed byte moves its word by less than 0xFFFF, so the sum always changes (RFC 1071)
        assertFalse(Ipv6Checksum.valid(frame, l4, length, protocol, Ipv6FrameBuilder.DOC_HI, sourceLo,
                Ipv6FrameBuilder.DOC_HI, 0xB));
    }

    @Property(tries = 500)
    void shouldMatchFullRecomputationAfterANat66Rewrite(
            @ForAll boolean udp, @ForAll("half") long sourceHi, @ForAll("half") long sourceLo,
            @ForAll("half") long destinationHi, @ForAll("half") long destinationLo,
            @ForAll("half") long newHi, @ForAll("half") long newLo,
            @ForAll @IntRange(max = 0xFFFF) int newPort, @ForAll boolean rewriteSource,
            @ForAll @Size(max = 300) byte[] payload) {
        int protocol = udp ? 17 : 6;
        byte[] bytes = packet(protocol, sourceHi, sourceLo, destinationHi, destinationLo, payload, false).bytes();
        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        Ipv6Header ip = new Ipv6Header().wrap(frame, IP);
        long l4 = ip.payloadOffset();
        int field = Ipv6FrameBuilder.checksumField(protocol);
        int portOffset = rewriteSource ? 0 : 2;

        long oldHi = rewriteSource ? ip.sourceHi() : ip.destinationHi();
        long oldLo = rewriteSource ? ip.sourceLo() : ip.destinationLo();
        if (rewriteSource) {
            ip.source(newHi, newLo);
        } else {
            ip.destination(newHi, newLo);
        }
        int oldPort = NetworkOrder.u16(frame, l4 + portOffset);
        NetworkOrder.u16(frame, l4 + portOffset, newPort);
        int checksum = NetworkOrder.u16(frame, l4 + field);
        checksum = udp ? Ipv6Checksum.updateUdp128(checksum, oldHi, oldLo, newHi, newLo)
                : Ipv6Checksum.update128(checksum, oldHi, oldLo, newHi, newLo);
        checksum = udp ? Ipv6Checksum.updateUdp16(checksum, oldPort, newPort)
                : Checksum.update16(checksum, oldPort, newPort);

        byte[] rewritten = FrameBuilder.toBytes(frame, 0, bytes.length);
        assertEquals(Ipv6FrameBuilder.upperLayerChecksum(rewritten, (int) l4, bytes.length - (int) l4, protocol),
                checksum);
    }

    @Property(tries = 300)
    void shouldMoveAPartialChecksumToTheNewPseudoHeader(
            @ForAll("half") long sourceHi, @ForAll("half") long sourceLo, @ForAll("half") long destinationHi,
            @ForAll("half") long destinationLo, @ForAll("half") long newHi, @ForAll("half") long newLo,
            @ForAll @IntRange(min = 8, max = 0xFFFF) int length, @ForAll("upperLayer") int protocol) {
        int partial = Checksum.fold(Ipv6Checksum.pseudoHeaderSum(sourceHi, sourceLo, destinationHi, destinationLo,
                protocol, length));
        int moved = Ipv6Checksum.updatePartial128(partial, destinationHi, destinationLo, newHi, newLo);
        int expected = Checksum.fold(Ipv6Checksum.pseudoHeaderSum(sourceHi, sourceLo, newHi, newLo, protocol, length));
        // the same ones' complement value; 0 and 0xFFFF are its two spellings
        assertEquals(expected % 0xFFFF, moved % 0xFFFF);
    }

    @Property(tries = 400)
    void shouldCarryAChecksumFromIpv6ToIpv4(
            @ForAll boolean udp, @ForAll("half") long sourceHi, @ForAll("half") long sourceLo,
            @ForAll("half") long destinationHi, @ForAll("half") long destinationLo,
            @ForAll int source, @ForAll int destination, @ForAll @Size(max = 300) byte[] payload) {
        int protocol = udp ? 17 : 6;
        byte[] bytes = packet(protocol, sourceHi, sourceLo, destinationHi, destinationLo, payload, false).bytes();
        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        long l4 = IP + Ipv6Header.LENGTH;
        int length = bytes.length - (int) l4;
        int field = Ipv6FrameBuilder.checksumField(protocol);
        int six = NetworkOrder.u16(frame, l4 + field);

        int carried = udp
                ? Nat64Checksum.udpSixToFour(six, sourceHi, sourceLo, destinationHi, destinationLo, source, destination)
                : Nat64Checksum.tcpSixToFour(six, sourceHi, sourceLo, destinationHi, destinationLo, source, destination);

        int full = udp ? Checksum.udp(frame, l4, length, source, destination)
                : Checksum.tcp(frame, l4, length, source, destination);
        assertEquals(full, carried);
    }

    @Property(tries = 400)
    void shouldCarryAChecksumFromIpv4ToIpv6(
            @ForAll boolean udp, @ForAll int source, @ForAll int destination,
            @ForAll("half") long sourceHi, @ForAll("half") long sourceLo,
            @ForAll("half") long destinationHi, @ForAll("half") long destinationLo,
            @ForAll @Size(max = 300) byte[] payload) {
        FrameBuilder builder = new FrameBuilder().source(source).destination(destination).payload(payload);
        if (udp) {
            builder.udp();
        }
        MemorySegment frame = builder.segment();
        Ipv4Header ip = new Ipv4Header().wrap(frame, IP);
        long l4 = ip.payloadOffset();
        int length = ip.payloadLength();
        int four = NetworkOrder.u16(frame, l4 + (udp ? UdpHeader.CHECKSUM_OFFSET : TcpHeader.CHECKSUM_OFFSET));

        int carried = udp
                ? Nat64Checksum.udpFourToSix(four, source, destination, sourceHi, sourceLo, destinationHi, destinationLo)
                : Nat64Checksum.tcpFourToSix(four, source, destination, sourceHi, sourceLo, destinationHi, destinationLo);

        int full = udp ? Ipv6Checksum.udp(frame, l4, length, sourceHi, sourceLo, destinationHi, destinationLo)
                : Ipv6Checksum.tcp(frame, l4, length, sourceHi, sourceLo, destinationHi, destinationLo);
        assertEquals(full, carried);
    }
}
