package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class IncrementalChecksumPropertyTest {
    private static final int IP = Reference.ETHERNET;

    @Property(tries = 500)
    void shouldMatchFullRecomputationAfterRewritingAddressAndPort(
            @ForAll boolean udp, @ForAll int source, @ForAll int destination, @ForAll int newAddress,
            @ForAll @IntRange(max = 0xFFFF) int sourcePort, @ForAll @IntRange(max = 0xFFFF) int destinationPort,
            @ForAll @IntRange(max = 0xFFFF) int newPort, @ForAll @Size(max = 300) byte[] payload,
            @ForAll boolean rewriteSource) {
        FrameBuilder builder = new FrameBuilder().source(source).destination(destination)
                .ports(sourcePort, destinationPort).payload(payload);
        if (udp) {
            builder.udp();
        }
        MemorySegment frame = builder.segment();
        Ipv4Header ip = new Ipv4Header().wrap(frame, IP);
        long l4 = ip.payloadOffset();
        int checksumOffset = udp ? UdpHeader.CHECKSUM_OFFSET : TcpHeader.CHECKSUM_OFFSET;
        int addressOffset = rewriteSource ? Ipv4Header.SOURCE_OFFSET : Ipv4Header.DESTINATION_OFFSET;
        int portOffset = rewriteSource ? 0 : 2;

        int oldAddress = NetworkOrder.u32(frame, IP + addressOffset);
        int oldPort = NetworkOrder.u16(frame, l4 + portOffset);
        NetworkOrder.u32(frame, IP + addressOffset, newAddress);
        NetworkOrder.u16(frame, l4 + portOffset, newPort);
        ip.headerChecksum(Checksum.update32(ip.headerChecksum(), oldAddress, newAddress));
        int checksum = NetworkOrder.u16(frame, l4 + checksumOffset);
        checksum = udp ? Checksum.updateUdp32(checksum, oldAddress, newAddress)
                : Checksum.update32(checksum, oldAddress, newAddress);
        checksum = udp ? Checksum.updateUdp16(checksum, oldPort, newPort)
                : Checksum.update16(checksum, oldPort, newPort);
        NetworkOrder.u16(frame, l4 + checksumOffset, checksum);

        byte[] bytes = FrameBuilder.toBytes(frame, 0, (int) frame.byteSize());
        assertEquals(Reference.ipChecksum(bytes, IP), ip.headerChecksum());
        assertEquals(Reference.transportChecksum(bytes, IP), checksum);
        assertEquals(ip.computeHeaderChecksum(), ip.headerChecksum());
    }

    @Property(tries = 300)
    void shouldComputeTheSameTransportChecksumAsTheReference(
            @ForAll boolean udp, @ForAll int source, @ForAll int destination, @ForAll @Size(max = 1500) byte[] payload) {
        FrameBuilder builder = new FrameBuilder().source(source).destination(destination).payload(payload);
        if (udp) {
            builder.udp();
        }
        byte[] bytes = builder.bytes();
        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        Ipv4Header ip = new Ipv4Header().wrap(frame, IP);
        int computed = udp
                ? new UdpHeader().wrap(frame, ip.payloadOffset()).computeChecksum(ip.payloadLength(), source, destination)
                : new TcpHeader().wrap(frame, ip.payloadOffset()).computeChecksum(ip.payloadLength(), source, destination);
        assertEquals(Reference.storedTransportChecksum(bytes, IP), computed);
    }

    @Property(tries = 300)
    void shouldLeaveAnAbsentUdpChecksumAbsent(@ForAll int newAddress, @ForAll @IntRange(max = 0xFFFF) int newPort) {
        MemorySegment frame = new FrameBuilder().udp().udpChecksum(false).payloadLength(33).segment();
        UdpHeader udp = new UdpHeader().wrap(frame, IP + 20);
        int checksum = Checksum.updateUdp32(udp.checksum(), Reference.ip(192, 0, 2, 10), newAddress);
        assertEquals(Checksum.UDP_NONE, Checksum.updateUdp16(checksum, udp.destinationPort(), newPort));
    }
}
