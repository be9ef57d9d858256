package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class Icmpv6HeaderTest {
    private static final List<byte[]> CAPTURE = CapturedFrames.load("/packet/linux-icmpv6-capture.txt");
    private static final int ICMP = Ipv6FrameBuilder.IP + Ipv6Header.LENGTH;

    @Test
    void shouldReadCapturedEchoRequestAndReply() {
        Icmpv6Header request = new Icmpv6Header().wrap(FrameBuilder.copyToNative(CAPTURE.get(3)), ICMP);
        Icmpv6Header reply = new Icmpv6Header().wrap(FrameBuilder.copyToNative(CAPTURE.get(4)), ICMP);
        assertEquals(Icmpv6Header.TYPE_ECHO_REQUEST, request.type());
        assertEquals(Icmpv6Header.TYPE_ECHO_REPLY, reply.type());
        assertEquals(0, request.code());
        assertEquals(0x6691, request.identifier());
        assertEquals(1, request.sequence());
        assertEquals(request.identifier(), reply.identifier());
        assertEquals(request.sequence(), reply.sequence());
    }

    @Test
    void shouldTurnAnEchoRequestIntoItsReplyAsLinuxDid() {
        MemorySegment frame = FrameBuilder.copyToNative(CAPTURE.get(3));
        Ipv6Header ip = new Ipv6Header().wrap(frame, Ipv6FrameBuilder.IP);
        ip.swapAddresses();
        new Icmpv6Header().wrap(frame, ICMP).type(Icmpv6Header.TYPE_ECHO_REPLY).updateChecksum(ip.payloadLength(), ip);
        byte[] reply = CAPTURE.get(4);
        // the IPv6 packet after the first word (Linux chose its own flow label), ICMPv6 checksum included
        assertEquals(HexFormat.of().formatHex(reply, 18, reply.length),
                HexFormat.of().formatHex(FrameBuilder.toBytes(frame, 18, reply.length - 18)));
    }

    @Test
    void shouldBuildAPacketTooBigQuotingTheInvokingPacket() {
        byte[] invoking = new Ipv6FrameBuilder().tcp().ports(40000, 443).payloadLength(1400).bytes();
        int quoted = 1280 - Ipv6Header.LENGTH - Icmpv6Header.LENGTH;
        MemorySegment message = FrameBuilder.copyToNative(new byte[2 + Icmpv6Header.LENGTH + quoted]);
        MemorySegment.copy(MemorySegment.ofArray(invoking), Ipv6FrameBuilder.IP, message, 2 + Icmpv6Header.LENGTH, quoted);
        Icmpv6Header icmp = new Icmpv6Header().wrap(message, 2).type(Icmpv6Header.TYPE_PACKET_TOO_BIG).code(0)
                .mtu(1280);
        icmp.checksum(icmp.computeChecksum(Icmpv6Header.LENGTH + quoted, Ipv6FrameBuilder.DOC_HI, 1,
                Ipv6FrameBuilder.DOC_HI, 0xA));

        assertEquals("0200", HexFormat.of().formatHex(FrameBuilder.toBytes(message, 2, 2)));
        assertEquals("00000500", HexFormat.of().formatHex(FrameBuilder.toBytes(message, 6, 4)));
        assertEquals(1280, icmp.mtu());
        assertEquals(10, icmp.quotedPacketOffset());
        Ipv6Header inner = new Ipv6Header().wrap(message, icmp.quotedPacketOffset());
        Ipv6ExtensionHeaders walk = new Ipv6ExtensionHeaders();
        // the quoted packet is cut short of its own length: walk what is there
        assertEquals(Ipv6ExtensionHeaders.UPPER_LAYER, walk.walk(message, icmp.quotedPacketOffset(), quoted));
        assertEquals(6, walk.protocol());
        TcpHeader tcp = new TcpHeader().wrap(message, walk.upperLayerOffset());
        assertEquals(443, tcp.destinationPort());
        assertEquals(0xAL, inner.sourceLo());
        byte[] bytes = FrameBuilder.toBytes(message, 0, (int) message.byteSize());
        long pseudo = Ipv6Checksum.pseudoHeaderSum(Ipv6FrameBuilder.DOC_HI, 1, Ipv6FrameBuilder.DOC_HI, 0xA, 58,
                Icmpv6Header.LENGTH + quoted);
        assertEquals(Reference.checksumWithoutField(bytes, 2, bytes.length, 4, Checksum.fold(pseudo)), icmp.checksum());
    }

    @Test
    void shouldKeepTheParameterProblemPointer() {
        MemorySegment message = FrameBuilder.copyToNative(new byte[8]);
        Icmpv6Header icmp = new Icmpv6Header().wrap(message, 0).type(Icmpv6Header.TYPE_PARAMETER_PROBLEM)
                .code(Icmpv6Header.CODE_UNRECOGNIZED_NEXT_HEADER).pointer(40);
        assertEquals("0401000000000028", HexFormat.of().formatHex(FrameBuilder.toBytes(message, 0, 8)));
        assertEquals(40, icmp.pointer());
        assertEquals(Icmpv6Header.CODE_UNRECOGNIZED_NEXT_HEADER, icmp.code());
    }

    @Test
    void shouldTellErrorsFromInformationalMessagesByTheHighBit() {
        assertTrue(Icmpv6Header.isError(Icmpv6Header.TYPE_DESTINATION_UNREACHABLE));
        assertTrue(Icmpv6Header.isError(Icmpv6Header.TYPE_PACKET_TOO_BIG));
        assertTrue(Icmpv6Header.isError(Icmpv6Header.TYPE_TIME_EXCEEDED));
        assertTrue(Icmpv6Header.isError(Icmpv6Header.TYPE_PARAMETER_PROBLEM));
        assertTrue(Icmpv6Header.isError(127));
        assertFalse(Icmpv6Header.isError(Icmpv6Header.TYPE_ECHO_REQUEST));
        assertFalse(Icmpv6Header.isError(Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION));
    }
}
