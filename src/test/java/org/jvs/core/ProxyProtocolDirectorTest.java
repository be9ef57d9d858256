package org.jvs.core;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceSpec;
import org.jvs.net.FrameHandler;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Reference;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.DirectorTest.WEB;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;

/**
 * The PROXY protocol through the whole director, golden frames with checksums computed from scratch: the header
 * in front of the first data segment (and of each retransmission of it), later client segments moved up, the
 * real server's acknowledgements and SACK blocks moved back, for NAT and full NAT, v1 and v2.
 */
class ProxyProtocolDirectorTest {
    /** Close to the wrap, so the stream crosses 2^32. */
    static final int ISN = 0xFFFF_FFF0;
    static final int P = ISN + 1;
    static final int SERVER_ISN = 0x0ABC_0000;
    static final int CLIENT_PORT = 40000;
    static final int REAL_PORT = 8080;
    static final byte[] REQUEST = "GET /file HTTP/1.1\r\nHost: jvs\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MORE = "and more".getBytes(StandardCharsets.US_ASCII);

    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 1024, 1024, 32767);
    final DirectorConfig config = new DirectorConfig(director);
    /** Where the real server's replies go: the client for NAT, the director's address and port for full NAT. */
    int peer;
    int peerPort;

    @BeforeEach
    void learnNeighbours() {
        director.now(1_000_000_000L);
        feed(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP), 0);
        feed(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), 0);
        host.drain();
    }

    @ParameterizedTest(name = "{0} PROXY v{1}")
    @CsvSource({"MASQ, 1", "MASQ, 2", "FULLNAT, 1", "FULLNAT, 2"})
    void shouldTellTheRealServerTheClientsAddressAndKeepBothSequenceSpacesApart(ForwardingMethod method, int version)
            throws ControlException {
        open(method, version);
        byte[] header = expectedHeader(version);
        int delta = header.length;

        // the handshake passes untouched but for the server's MSS, lowered so the first segment fits with the header
        byte[] syn = sendToRealServer(clientSegment(CLIENT_PORT, ISN, TcpHeader.SYN, new byte[0]));
        assertThat(sequence(syn)).isEqualTo(ISN);
        peer = Frames.ipSource(syn);
        peerPort = Frames.sourcePort(syn);
        byte[] synAck = sendToClient(serverSegment(SERVER_ISN, P, TcpHeader.SYN | TcpHeader.ACK, mss(1460)));
        assertThat(synAck).isEqualTo(toClient(SERVER_ISN, P, TcpHeader.SYN | TcpHeader.ACK, mss(1460 - delta)));
        byte[] handshakeAck = clientSegment(CLIENT_PORT, P, TcpHeader.ACK, new byte[0]);
        assertThat(sendToRealServer(handshakeAck)).isEqualTo(toRealServer(P, TcpHeader.ACK, new byte[0]));

        // the first data segment, and its retransmission, carry the header in front of the request
        byte[] first = clientSegment(CLIENT_PORT, P, TcpHeader.ACK | TcpHeader.PSH, REQUEST);
        byte[] expectedFirst = toRealServer(P, TcpHeader.ACK | TcpHeader.PSH, concat(header, REQUEST));
        assertThat(sendToRealServer(first)).isEqualTo(expectedFirst);
        assertThat(sendToRealServer(first)).as("retransmission").isEqualTo(expectedFirst);

        // later client bytes move up by the header's length
        byte[] later = clientSegment(CLIENT_PORT, P + REQUEST.length, TcpHeader.ACK, MORE);
        assertThat(sendToRealServer(later)).isEqualTo(toRealServer(P + REQUEST.length + delta, TcpHeader.ACK, MORE));

        // the server's acknowledgement and SACK edges move back into the client's numbering
        int acked = P + delta + REQUEST.length;
        byte[] reply = serverSegment(SERVER_ISN + 1, acked, TcpHeader.ACK, sack(acked + 100, acked + 200));
        assertThat(sendToClient(reply)).isEqualTo(toClient(SERVER_ISN + 1, P + REQUEST.length, TcpHeader.ACK,
                sack(P + REQUEST.length + 100, P + REQUEST.length + 200)));
        // an acknowledgement of part of the header acknowledges nothing the client sent
        assertThat(acknowledgment(sendToClient(serverSegment(SERVER_ISN + 1, P + delta - 1, TcpHeader.ACK,
                new byte[0])))).isEqualTo(P);

        assertThat(director.counters().get(Counter.PROXY_HEADERS_INSERTED)).isEqualTo(2);
        assertThat(director.counters().get(Counter.DROP_PROXY_MALFORMED)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ForwardingMethod.class, names = {"MASQ", "FULLNAT"})
    void shouldGiveAnOffloadedFirstSegmentTheHeaderWithAPartialChecksumTheKernelCompletes(ForwardingMethod method)
            throws ControlException {
        open(method, 2);
        connect();
        byte[] offloaded = Frames.withMacs(client(CLIENT_PORT, P, TcpHeader.ACK | TcpHeader.PSH, REQUEST)
                .partialChecksum().bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);

        feed(CLIENT_SIDE, offloaded, FrameHandler.CHECKSUM_NOT_READY);

        InMemoryHost.Sent sent = host.drain().getFirst();
        assertThat(sent.flags()).isEqualTo(FrameHandler.CHECKSUM_NOT_READY);
        assertThat(payload(sent.frame())).isEqualTo(concat(expectedHeader(2), REQUEST));
        assertThat(Frames.partialChecksumCompletes(sent.frame(), 14)).isTrue();
        assertThat(Reference.u16(sent.frame(), 14 + 10)).isEqualTo(Reference.ipChecksum(sent.frame(), 14));
    }

    @ParameterizedTest(name = "{0} PROXY v{1}")
    @CsvSource({"MASQ, 1", "FULLNAT, 2"})
    void shouldCutASuperPacketThatStartsTheStreamSoItsFirstSegmentFitsWithTheHeader(ForwardingMethod method,
                                                                                     int version)
            throws ControlException {
        open(method, version);
        connect();
        byte[] body = new byte[20000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + i / 509);
        }
        byte[] superPacket = Frames.withMacs(client(CLIENT_PORT, P, TcpHeader.ACK | TcpHeader.PSH, body)
                .partialChecksum().bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);

        feed(CLIENT_SIDE, superPacket, FrameHandler.tcpSegmentation(1460));

        List<InMemoryHost.Sent> out = host.drain();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (InMemoryHost.Sent sent : out) {
            byte[] frame = sent.frame();
            assertThat(sent.ifindex()).isEqualTo(SERVER_SIDE);
            assertThat(frame.length).isLessThanOrEqualTo(14 + InMemoryHost.MTU);
            assertThat(Frames.checksumsValid(frame, 14)).isTrue();
            assertThat(sequence(frame)).as("segment after %d bytes", stream.size()).isEqualTo(P + stream.size());
            stream.writeBytes(payload(frame));
        }
        assertThat(stream.toByteArray()).isEqualTo(concat(expectedHeader(version), body));
        assertThat(director.counters().get(Counter.PROXY_HEADERS_INSERTED)).isEqualTo(1);
        assertThat(director.counters().get(Counter.SEGMENTED_GSO_FRAMES)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ForwardingMethod.class, names = {"ROUTE", "TUNNEL"})
    void shouldLeaveDirectRoutingAndTunnelConnectionsAsTheyAre(ForwardingMethod method) throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1, false, 2));
        config.addRealServer(WEB, new RealServerSpec(RS1, 80, method, 1, 0, 0));
        int ipOffset = method == ForwardingMethod.TUNNEL ? 14 + 20 : 14;
        feed(CLIENT_SIDE, clientSegment(CLIENT_PORT, ISN, TcpHeader.SYN, new byte[0]), 0);
        feed(CLIENT_SIDE, clientSegment(CLIENT_PORT, P, TcpHeader.ACK | TcpHeader.PSH, REQUEST), 0);

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(2);
        byte[] toServer = out.get(1).frame();
        assertThat(Frames.checksumsValid(toServer, ipOffset)).isTrue();
        assertThat(Arrays.copyOfRange(toServer, toServer.length - REQUEST.length, toServer.length)).isEqualTo(REQUEST);
        assertThat(Reference.u16(toServer, ipOffset + 2)).isEqualTo(20 + 20 + REQUEST.length);
        assertThat(director.counters().get(Counter.PROXY_HEADERS_INSERTED)).isZero();
    }

    @Test
    void shouldKeepTheVersionAConnectionWasScheduledWithWhenTheServiceIsEdited() throws ControlException {
        open(ForwardingMethod.MASQ, 2);
        connect();

        config.editService(new ServiceSpec(WEB, "rr", "", 0, -1, false, 1));

        byte[] first = sendToRealServer(clientSegment(CLIENT_PORT, P, TcpHeader.ACK | TcpHeader.PSH, REQUEST));
        assertThat(payload(first)).isEqualTo(concat(expectedHeader(2), REQUEST));
        sendToRealServer(clientSegment(CLIENT_PORT + 1, ISN, TcpHeader.SYN, new byte[0]));
        byte[] next = sendToRealServer(clientSegment(CLIENT_PORT + 1, P, TcpHeader.ACK | TcpHeader.PSH, REQUEST));
        byte[] v1 = ("PROXY TCP4 " + Ipv4.toString(CLIENT) + " " + Ipv4.toString(VIP) + " " + (CLIENT_PORT + 1)
                + " 80\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(payload(next)).isEqualTo(concat(v1, REQUEST));
    }

    @Test
    void shouldReportTheVersionInSnapshotsAndRefuseAnUnknownOne() throws ControlException {
        open(ForwardingMethod.MASQ, 1);
        assertThat(config.services(WEB).getFirst().proxyProtocol()).isEqualTo(1);
        config.editService(new ServiceSpec(WEB, "rr", "", 0, -1, false, 2));
        assertThat(config.services(WEB).getFirst().proxyProtocol()).isEqualTo(2);
        config.editService(new ServiceSpec(WEB, "rr", "", 0, -1, false, 0));
        assertThat(config.services(WEB).getFirst().proxyProtocol()).isZero();

        assertThatThrownBy(() -> config.editService(new ServiceSpec(WEB, "rr", "", 0, -1, false, 3)))
                .isInstanceOf(ControlException.class).hasMessageContaining("PROXY protocol version 3");
        assertThat(config.services(WEB).getFirst().proxyProtocol()).isZero();
    }

    @Test
    void shouldDropAndCountAReplyWhoseOptionsCannotBeAdjusted() throws ControlException {
        open(ForwardingMethod.MASQ, 2);
        connect();
        // a SACK option of length 3 holds no whole block
        byte[] broken = serverSegment(SERVER_ISN + 1, P + 28, TcpHeader.ACK, new byte[] {5, 3, 0, 1});

        feed(SERVER_SIDE, broken, 0);

        assertThat(host.drain()).isEmpty();
        assertThat(director.counters().get(Counter.DROP_PROXY_MALFORMED)).isEqualTo(1);
    }

    private void open(ForwardingMethod method, int version) throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1, false, version));
        config.addRealServer(WEB, new RealServerSpec(RS1, REAL_PORT, method, 1, 0, 0));
    }

    /** The handshake of the connection from CLIENT_PORT; learns where the server's replies go. */
    private void connect() {
        byte[] syn = sendToRealServer(clientSegment(CLIENT_PORT, ISN, TcpHeader.SYN, new byte[0]));
        peer = Frames.ipSource(syn);
        peerPort = Frames.sourcePort(syn);
        sendToClient(serverSegment(SERVER_ISN, P, TcpHeader.SYN | TcpHeader.ACK, mss(1460)));
        sendToRealServer(clientSegment(CLIENT_PORT, P, TcpHeader.ACK, new byte[0]));
    }

    private static FrameBuilder client(int clientPort, int sequence, int flags, byte[] payload) {
        return new FrameBuilder().source(CLIENT).destination(VIP).ports(clientPort, 80).sequence(sequence)
                .tcpFlags(flags).payload(payload);
    }

    private static byte[] clientSegment(int clientPort, int sequence, int flags, byte[] payload) {
        return Frames.withMacs(client(clientPort, sequence, flags, payload).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);
    }

    /** What the real server must receive: the client's segment translated, with a TTL one lower. */
    private byte[] toRealServer(int sequence, int flags, byte[] payload) {
        return Frames.withMacs(new FrameBuilder().source(peer).destination(RS1).ports(peerPort, REAL_PORT)
                .sequence(sequence).tcpFlags(flags).ttl(63).payload(payload).bytes(), RS1_MAC, SERVER_SIDE_MAC);
    }

    private byte[] serverSegment(int sequence, int acknowledgment, int flags, byte[] options) {
        byte[] frame = new FrameBuilder().source(RS1).destination(peer).ports(REAL_PORT, peerPort)
                .sequence(sequence).tcpFlags(flags).tcpOptions(options).bytes();
        return Frames.withMacs(withAcknowledgment(frame, acknowledgment), SERVER_SIDE_MAC, RS1_MAC);
    }

    private static byte[] toClient(int sequence, int acknowledgment, int flags, byte[] options) {
        byte[] frame = new FrameBuilder().source(VIP).destination(CLIENT).ports(80, CLIENT_PORT).sequence(sequence)
                .tcpFlags(flags).tcpOptions(options).ttl(63).bytes();
        return Frames.withMacs(withAcknowledgment(frame, acknowledgment), CLIENT_MAC, CLIENT_SIDE_MAC);
    }

    /** Sets the acknowledgement number and sums the TCP checksum anew. */
    private static byte[] withAcknowledgment(byte[] frame, int acknowledgment) {
        int tcp = Frames.l4Offset(frame);
        Reference.u32(frame, tcp + 8, acknowledgment);
        Reference.u16(frame, tcp + 16, Reference.transportChecksum(frame, 14));
        return frame;
    }

    private byte[] sendToRealServer(byte[] frame) {
        feed(CLIENT_SIDE, frame, 0);
        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(SERVER_SIDE);
        assertThat(Frames.checksumsValid(out.getFirst().frame(), 14)).isTrue();
        return out.getFirst().frame();
    }

    private byte[] sendToClient(byte[] frame) {
        feed(SERVER_SIDE, frame, 0);
        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(CLIENT_SIDE);
        assertThat(Frames.checksumsValid(out.getFirst().frame(), 14)).isTrue();
        return out.getFirst().frame();
    }

    private void feed(int ifindex, byte[] frame, int flags) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, flags);
    }

    /** The header spelled out independently of the code under test. */
    private static byte[] expectedHeader(int version) {
        if (version == 1) {
            return ("PROXY TCP4 " + Ipv4.toString(CLIENT) + " " + Ipv4.toString(VIP) + " " + CLIENT_PORT + " 80\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        byte[] header = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0, 12,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        Reference.u32(header, 16, CLIENT);
        Reference.u32(header, 20, VIP);
        Reference.u16(header, 24, CLIENT_PORT);
        Reference.u16(header, 26, 80);
        return header;
    }

    private static byte[] mss(int value) {
        return new byte[] {2, 4, (byte) (value >>> 8), (byte) value};
    }

    private static byte[] sack(int left, int right) {
        byte[] option = {1, 1, 5, 10, 0, 0, 0, 0, 0, 0, 0, 0};
        Reference.u32(option, 4, left);
        Reference.u32(option, 8, right);
        return option;
    }

    private static int sequence(byte[] frame) {
        return Reference.u32(frame, Frames.l4Offset(frame) + 4);
    }

    private static int acknowledgment(byte[] frame) {
        return Reference.u32(frame, Frames.l4Offset(frame) + 8);
    }

    private static byte[] payload(byte[] frame) {
        int tcp = Frames.l4Offset(frame);
        int dataOffset = tcp + ((frame[tcp + 12] & 0xFF) >>> 4) * 4;
        return Arrays.copyOfRange(frame, dataOffset, 14 + Reference.u16(frame, 14 + 2));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
