package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A CHECKSUM_PARTIAL packet rewritten as NAT does (address through {@link Checksum#updatePartial32}, port left
 * out of the field) must complete to the same checksum as the packet built from scratch with the new values.
 */
class PartialChecksumPropertyTest {
    private static final int IP = Reference.ETHERNET;

    @Property(tries = 1000)
    void shouldCompleteAsIfBuiltWithTheNewAddressAndPort(
            @ForAll boolean udp, @ForAll int source, @ForAll int destination, @ForAll int newAddress,
            @ForAll @IntRange(max = 0xFFFF) int sourcePort, @ForAll @IntRange(max = 0xFFFF) int destinationPort,
            @ForAll @IntRange(max = 0xFFFF) int newPort, @ForAll @Size(max = 300) byte[] payload,
            @ForAll boolean rewriteSource) {
        FrameBuilder builder = builder(udp, source, destination, sourcePort, destinationPort, payload);
        byte[] bytes = builder.partialChecksum().bytes();
        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        Ipv4Header ip = new Ipv4Header().wrap(frame, IP);
        long l4 = ip.payloadOffset();
        int checksumOffset = udp ? UdpHeader.CHECKSUM_OFFSET : TcpHeader.CHECKSUM_OFFSET;
        int addressOffset = rewriteSource ? Ipv4Header.SOURCE_OFFSET : Ipv4Header.DESTINATION_OFFSET;
        int portOffset = rewriteSource ? 0 : 2;

        int oldAddress = NetworkOrder.u32(frame, IP + addressOffset);
        NetworkOrder.u32(frame, IP + addressOffset, newAddress);
        NetworkOrder.u16(frame, l4 + portOffset, newPort);
        ip.headerChecksum(Checksum.update32(ip.headerChecksum(), oldAddress, newAddress));
        int field = NetworkOrder.u16(frame, l4 + checksumOffset);
        NetworkOrder.u16(frame, l4 + checksumOffset, Checksum.updatePartial32(field, oldAddress, newAddress));

        int newSource = rewriteSource ? newAddress : source;
        int newDestination = rewriteSource ? destination : newAddress;
        int newSourcePort = rewriteSource ? newPort : sourcePort;
        int newDestinationPort = rewriteSource ? destinationPort : newPort;
        byte[] partialFromScratch = builder(udp, newSource, newDestination, newSourcePort, newDestinationPort, payload)
                .partialChecksum().bytes();
        assertArrayEquals(partialFromScratch, FrameBuilder.toBytes(frame, 0, bytes.length), "partial field");

        assertTrue(new ChecksumOffload().complete(frame, 0, bytes.length));
        byte[] completeFromScratch = builder(udp, newSource, newDestination, newSourcePort, newDestinationPort, payload)
                .bytes();
        assertArrayEquals(completeFromScratch, FrameBuilder.toBytes(frame, 0, bytes.length), "completed");
    }

    @Property(tries = 300)
    void shouldNeverYieldZeroForAPartialSum(@ForAll @IntRange(min = 1, max = 0xFFFF) int field,
                                           @ForAll int oldAddress, @ForAll int newAddress) {
        assertNotEquals(0, Checksum.updatePartial32(field, oldAddress, newAddress));
    }

    @Property(tries = 300)
    void shouldBeUndoneByTheReverseUpdate(@ForAll @IntRange(min = 1, max = 0xFFFE) int field,
                                          @ForAll int oldAddress, @ForAll int newAddress) {
        int there = Checksum.updatePartial32(field, oldAddress, newAddress);
        assertEquals(field, Checksum.updatePartial32(there, newAddress, oldAddress));
    }

    private static FrameBuilder builder(boolean udp, int source, int destination, int sourcePort, int destinationPort,
                                        byte[] payload) {
        FrameBuilder builder = new FrameBuilder().source(source).destination(destination)
                .ports(sourcePort, destinationPort).payload(payload);
        return udp ? builder.udp() : builder;
    }
}
