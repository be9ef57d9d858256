package org.jvs.xmit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.jvs.net.FrameHandler;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.ProxyProtocolHeader;
import org.jvs.packet.Reference;
import org.jvs.packet.TcpHeader;
import org.jvs.service.Ipv4;

class ProxyProtocolInserterTest {
    private static final int CLIENT = Ipv4.parse("203.0.113.77");
    private static final int CLIENT_PORT = 51234;
    private static final int VIP = Ipv4.parse("192.0.2.1");
    private static final int VIRTUAL_PORT = 80;
    private static final int ISN = 0xFFFF_FF80;
    private static final int P = ISN + 1;
    private static final int ROOM = 64;
    private static final int TCP = Reference.ETHERNET + 20;
    private static final byte[] REQUEST = "GET / HTTP/1.0\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ProxyProtocolInserter inserter = new ProxyProtocolInserter();

    private static FrameBuilder fromClient(int sequence, int flags, byte[] payload) {
        return new FrameBuilder().source(CLIENT).destination(VIP).ports(CLIENT_PORT, VIRTUAL_PORT).sequence(sequence)
                .tcpFlags(flags).payload(payload);
    }

    private static byte[] header(int version) {
        int length = ProxyProtocolHeader.length(version, CLIENT, CLIENT_PORT, VIP, VIRTUAL_PORT);
        MemorySegment segment = Arena.ofAuto().allocate(length);
        ProxyProtocolHeader.write(version, segment, 0, CLIENT, CLIENT_PORT, VIP, VIRTUAL_PORT);
        return FrameBuilder.toBytes(segment, 0, length);
    }

    /** A received frame in native memory with {@link #ROOM} spare bytes after it. */
    private static MemorySegment withRoom(byte[] frame) {
        MemorySegment segment = Arena.ofAuto().allocate(frame.length + ROOM);
        segment.fill((byte) 0xEE);
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, segment, 0, frame.length);
        return segment;
    }

    private int toRealServer(MemorySegment frame, int length, int flags, int version) {
        return inserter.toRealServer(frame, 0, length, flags, ISN, version, CLIENT, CLIENT_PORT, VIP, VIRTUAL_PORT);
    }

    @ParameterizedTest(name = "PROXY v{0}")
    @ValueSource(ints = {ProxyProtocolHeader.V1, ProxyProtocolHeader.V2})
    void shouldPutTheHeaderInFrontOfTheFirstSegmentsPayloadWithLengthsAndChecksumsRight(int version) {
        byte[] first = fromClient(P, TcpHeader.ACK | TcpHeader.PSH, REQUEST).bytes();
        MemorySegment frame = withRoom(first);

        int length = toRealServer(frame, first.length, 0, version);

        byte[] expected = fromClient(P, TcpHeader.ACK | TcpHeader.PSH, concat(header(version), REQUEST)).bytes();
        assertEquals(expected.length, length);
        assertArrayEquals(expected, FrameBuilder.toBytes(frame, 0, length));
    }

    @ParameterizedTest(name = "PROXY v{0}")
    @ValueSource(ints = {ProxyProtocolHeader.V1, ProxyProtocolHeader.V2})
    void shouldPutTheHeaderInEveryRetransmissionOfTheFirstSegment(int version) {
        byte[] first = fromClient(P, TcpHeader.ACK | TcpHeader.PSH, REQUEST).bytes();
        byte[] later = fromClient(P + REQUEST.length, TcpHeader.ACK, new byte[0]).bytes();
        MemorySegment original = withRoom(first);
        toRealServer(original, first.length, 0, version);
        toRealServer(withRoom(later), later.length, 0, version);
        MemorySegment retransmission = withRoom(first);

        int length = toRealServer(retransmission, first.length, 0, version);

        assertArrayEquals(FrameBuilder.toBytes(original, 0, length), FrameBuilder.toBytes(retransmission, 0, length));
    }

    @Test
    void shouldMoveLaterSegmentsUpByTheHeaderLength() {
        byte[] later = fromClient(P + 1000, TcpHeader.ACK, "more".getBytes(StandardCharsets.US_ASCII)).bytes();
        MemorySegment frame = withRoom(later);

        int length = toRealServer(frame, later.length, 0, ProxyProtocolHeader.V2);

        byte[] expected = fromClient(P + 1000 + ProxyProtocolHeader.V2_TCP4_LENGTH, TcpHeader.ACK,
                "more".getBytes(StandardCharsets.US_ASCII)).bytes();
        assertEquals(later.length, length);
        assertArrayEquals(expected, FrameBuilder.toBytes(frame, 0, length));
    }

    @Test
    void shouldPassTheHandshakeAckWithoutAHeader() {
        byte[] ack = fromClient(P, TcpHeader.ACK, new byte[0]).bytes();
        MemorySegment frame = withRoom(ack);

        assertEquals(ack.length, toRealServer(frame, ack.length, 0, ProxyProtocolHeader.V2));
        assertArrayEquals(ack, FrameBuilder.toBytes(frame, 0, ack.length));
    }

    @Test
    void shouldDeliverHeaderThenTheClientsBytesWhateverTheOrderAndRepeats() {
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        int version = ProxyProtocolHeader.V1;
        byte[] header = header(version);
        byte[][] segments = {
            fromClient(P, TcpHeader.ACK, new byte[0]).bytes(),
            fromClient(P + 100, TcpHeader.ACK | TcpHeader.PSH, Arrays.copyOfRange(data, 100, 250)).bytes(),
            fromClient(P, TcpHeader.ACK | TcpHeader.PSH, Arrays.copyOfRange(data, 0, 100)).bytes(),
            fromClient(P, TcpHeader.ACK | TcpHeader.PSH, Arrays.copyOfRange(data, 0, 100)).bytes(),
            fromClient(P + 250, TcpHeader.ACK | TcpHeader.FIN, Arrays.copyOfRange(data, 250, 300)).bytes(),
        };
        byte[] stream = new byte[header.length + data.length];
        boolean[] seen = new boolean[stream.length];
        for (byte[] segment : segments) {
            MemorySegment frame = withRoom(segment);
            int length = toRealServer(frame, segment.length, 0, version);
            byte[] sent = FrameBuilder.toBytes(frame, 0, length);
            assertEquals(Reference.transportChecksum(sent, Reference.ETHERNET), Reference.u16(sent, TCP + 16));
            int at = Reference.u32(sent, TCP + 4) - P;
            for (int i = TCP + 20; i < length; i++, at++) {
                stream[at] = sent[i];
                seen[at] = true;
            }
        }
        boolean[] all = new boolean[stream.length];
        Arrays.fill(all, true);
        assertArrayEquals(all, seen);
        assertArrayEquals(concat(header, data), stream);

        // the server acknowledges everything and the FIN: the client hears of exactly its own bytes and FIN
        byte[] reply = new FrameBuilder().source(VIP).destination(CLIENT).ports(VIRTUAL_PORT, CLIENT_PORT)
                .tcpFlags(TcpHeader.ACK).bytes();
        Reference.u32(reply, TCP + 8, P + stream.length + 1);
        Reference.u16(reply, TCP + 16, Reference.transportChecksum(reply, Reference.ETHERNET));
        MemorySegment replyFrame = withRoom(reply);
        assertTrue(inserter.toClient(replyFrame, 0, reply.length, 0, ISN, version, CLIENT, CLIENT_PORT, VIP,
                VIRTUAL_PORT));
        byte[] received = FrameBuilder.toBytes(replyFrame, 0, reply.length);
        assertEquals(P + data.length + 1, Reference.u32(received, TCP + 8));
        assertEquals(Reference.transportChecksum(received, Reference.ETHERNET), Reference.u16(received, TCP + 16));
    }

    @Test
    void shouldKeepAPartialChecksumPartialForTheLongerSegment() {
        byte[] first = fromClient(P, TcpHeader.ACK | TcpHeader.PSH, REQUEST).partialChecksum().bytes();
        MemorySegment frame = withRoom(first);

        int length = toRealServer(frame, first.length, FrameHandler.CHECKSUM_NOT_READY, ProxyProtocolHeader.V1);

        byte[] expected = fromClient(P, TcpHeader.ACK | TcpHeader.PSH,
                concat(header(ProxyProtocolHeader.V1), REQUEST)).partialChecksum().bytes();
        assertArrayEquals(expected, FrameBuilder.toBytes(frame, 0, length));
    }

    @Test
    void shouldLowerTheMssOfTheServersSynAck() {
        byte[] synAck = new FrameBuilder().source(VIP).destination(CLIENT).ports(VIRTUAL_PORT, CLIENT_PORT)
                .tcpFlags(TcpHeader.SYN | TcpHeader.ACK).tcpOptions(new byte[] {2, 4, 0x05, (byte) 0xB4}).bytes();
        Reference.u32(synAck, TCP + 8, P);
        Reference.u16(synAck, TCP + 16, Reference.transportChecksum(synAck, Reference.ETHERNET));
        MemorySegment frame = withRoom(synAck);

        assertTrue(inserter.toClient(frame, 0, synAck.length, 0, ISN, ProxyProtocolHeader.V2, CLIENT, CLIENT_PORT,
                VIP, VIRTUAL_PORT));

        byte[] received = FrameBuilder.toBytes(frame, 0, synAck.length);
        assertEquals(P, Reference.u32(received, TCP + 8));
        assertEquals(1460 - ProxyProtocolHeader.V2_TCP4_LENGTH, Reference.u16(received, TCP + 22));
        assertEquals(Reference.transportChecksum(received, Reference.ETHERNET), Reference.u16(received, TCP + 16));
    }

    @Test
    void shouldRefuseAFrameWithoutRoomForTheHeaderAndLeaveItAlone() {
        byte[] first = fromClient(P, TcpHeader.ACK | TcpHeader.PSH, REQUEST).bytes();
        MemorySegment frame = FrameBuilder.copyToNative(first);

        assertEquals(ProxyProtocolInserter.MALFORMED, toRealServer(frame, first.length, 0, ProxyProtocolHeader.V2));
        assertArrayEquals(first, FrameBuilder.toBytes(frame, 0, first.length));
    }

    @Test
    void shouldRefuseWhatIsNotTcp() {
        byte[] datagram = new FrameBuilder().udp().payload(REQUEST).bytes();
        MemorySegment frame = withRoom(datagram);

        assertEquals(ProxyProtocolInserter.MALFORMED, toRealServer(frame, datagram.length, 0, ProxyProtocolHeader.V2));
        assertArrayEquals(datagram, FrameBuilder.toBytes(frame, 0, datagram.length));
    }

    @Test
    void shouldChangeNothingWithoutAVersion() {
        byte[] later = fromClient(P + 1000, TcpHeader.ACK, REQUEST).bytes();
        MemorySegment frame = withRoom(later);

        assertEquals(later.length, toRealServer(frame, later.length, 0, ProxyProtocolHeader.NONE));
        assertArrayEquals(later, FrameBuilder.toBytes(frame, 0, later.length));
    }

    @Test
    void shouldAllocateNothingPerFrameOnceWarm() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        MemorySegment first = MemorySegment.ofArray(fromClient(P, TcpHeader.ACK | TcpHeader.PSH, REQUEST).bytes());
        byte[] replyBytes = new FrameBuilder().source(VIP).destination(CLIENT).ports(VIRTUAL_PORT, CLIENT_PORT)
                .tcpOptions(new byte[] {1, 1, 5, 10, 0, 0, 1, 0, 0, 0, 2, 0}).bytes();
        MemorySegment reply = MemorySegment.ofArray(replyBytes);
        MemorySegment frame = Arena.ofAuto().allocate(first.byteSize() + ROOM);
        int firstLength = (int) first.byteSize();
        int replyLength = (int) reply.byteSize();
        exercise(frame, first, firstLength, reply, replyLength, 20_000);
        long before = threads.getCurrentThreadAllocatedBytes();

        long sent = exercise(frame, first, firstLength, reply, replyLength, 10_000);

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(10_000L * (firstLength + ProxyProtocolHeader.length(ProxyProtocolHeader.V1, CLIENT, CLIENT_PORT,
                VIP, VIRTUAL_PORT)), sent);
        assertTrue(allocated < 1024, "bytes allocated by 20000 frames: " + allocated);
    }

    private long exercise(MemorySegment frame, MemorySegment first, int firstLength, MemorySegment reply,
                          int replyLength, int rounds) {
        long sent = 0;
        for (int i = 0; i < rounds; i++) {
            MemorySegment.copy(first, 0, frame, 0, firstLength);
            sent += toRealServer(frame, firstLength, 0, ProxyProtocolHeader.V1);
            MemorySegment.copy(reply, 0, frame, 0, replyLength);
            inserter.toClient(frame, 0, replyLength, 0, ISN, ProxyProtocolHeader.V1, CLIENT, CLIENT_PORT, VIP,
                    VIRTUAL_PORT);
        }
        return sent;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
