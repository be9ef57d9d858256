package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceSpec;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.IcmpHeader;
import org.jvs.packet.Reference;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.DirectorTest.WEB;
import static org.jvs.core.IcmpTranslationDirectorTest.ROUTER;
import static org.jvs.core.IcmpTranslationDirectorTest.ROUTER_MAC;
import static org.jvs.core.IcmpTranslationDirectorTest.icmpError;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;

/**
 * ICMP errors about segments the real server side saw with a PROXY header in front of the stream, golden frames:
 * the quote the client gets back must name its own sequence number, or its kernel ignores the error (a
 * fragmentation-needed about a sequence it never sent changes no path MTU). Expected frames are built from scratch,
 * checksums from the test oracle.
 */
class ProxyProtocolIcmpDirectorTest {
    /** Close to the wrap, so the shifted sequence crosses 2^32. */
    static final int ISN = 0xFFFF_FFF0;
    static final int P = ISN + 1;
    static final int SERVER_ISN = 0x0ABC_0000;
    static final int CLIENT_PORT = 40000;
    static final int REAL_PORT = 8080;
    static final byte[] REQUEST = "GET /file HTTP/1.1\r\nHost: jvs\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MORE = "and more, enough to fill a long quote".getBytes(StandardCharsets.US_ASCII);

    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 1024, 1024, 32767);
    final DirectorConfig config = new DirectorConfig(director);

    @BeforeEach
    void learnNeighbours() {
        director.now(1_000_000_000L);
        feed(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP));
        feed(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP));
        host.drain();
    }

    @ParameterizedTest(name = "{0} PROXY v{1}, segment at P + {2}, quoting {3} bytes")
    @CsvSource({
        // after the first data segment: moved up on the way in, so moved back in the quote (across 2^32)
        "MASQ, 1, 33, 28", "MASQ, 2, 33, 48", "FULLNAT, 1, 33, 48", "FULLNAT, 2, 33, 28",
        "FULLNAT, 2, 100000, 48",
        // at the insertion point without data (the handshake's ACK): never moved, so left as it is
        "MASQ, 2, 0, 40", "FULLNAT, 1, 0, 28",
    })
    void shouldQuoteTheClientsOwnSequenceNumberInAnErrorAboutAShiftedSegment(ForwardingMethod method, int version,
                                                                           int streamOffset, int quoteLength)
            throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1, false, version));
        config.addRealServer(WEB, new RealServerSpec(RS1, REAL_PORT, method, 1, 0, 0));
        connect();
        int sequence = P + streamOffset;
        byte[] payload = streamOffset == 0 ? new byte[0] : MORE;
        int flags = streamOffset == 0 ? TcpHeader.ACK : TcpHeader.ACK | TcpHeader.PSH;
        byte[] forwarded = sendToRealServer(clientSegment(sequence, flags, payload));
        int expectedShift = streamOffset == 0 ? 0 : expectedHeaderLength(version);
        assertThat(Reference.u32(forwarded, Frames.l4Offset(forwarded) + 4)).isEqualTo(sequence + expectedShift);

        // a router between the director and the real server: fragmentation needed, next-hop MTU 1400
        feed(SERVER_SIDE, Frames.withMacs(icmpError(ROUTER, Frames.ipSource(forwarded), 64,
                IcmpHeader.TYPE_DESTINATION_UNREACHABLE, IcmpHeader.CODE_FRAGMENTATION_NEEDED, 1400, forwarded,
                quoteLength), SERVER_SIDE_MAC, ROUTER_MAC));

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(CLIENT_SIDE);
        byte[] asClientSent = client(sequence, flags, payload).ttl(63).bytes();
        byte[] expected = Frames.withMacs(icmpError(VIP, CLIENT, 63, IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_FRAGMENTATION_NEEDED, 1400, asClientSent, quoteLength), CLIENT_MAC, CLIENT_SIDE_MAC);
        assertThat(hex(out.getFirst().frame())).isEqualTo(hex(expected));
        assertThat(director.counters().get(Counter.ICMP_ERRORS_TO_CLIENT)).isEqualTo(1);
    }

    /** The handshake and the first data segment, which carries the header. */
    private void connect() {
        byte[] syn = sendToRealServer(clientSegment(ISN, TcpHeader.SYN, new byte[0]));
        byte[] synAck = new FrameBuilder().source(RS1).destination(Frames.ipSource(syn))
                .ports(REAL_PORT, Frames.sourcePort(syn)).sequence(SERVER_ISN)
                .tcpFlags(TcpHeader.SYN | TcpHeader.ACK).bytes();
        feed(SERVER_SIDE, Frames.withMacs(synAck, SERVER_SIDE_MAC, RS1_MAC));
        host.drain();
        sendToRealServer(clientSegment(P, TcpHeader.ACK, new byte[0]));
        sendToRealServer(clientSegment(P, TcpHeader.ACK | TcpHeader.PSH, REQUEST));
    }

    private static FrameBuilder client(int sequence, int flags, byte[] payload) {
        return new FrameBuilder().source(CLIENT).destination(VIP).ports(CLIENT_PORT, 80).sequence(sequence)
                .tcpFlags(flags).payload(payload);
    }

    private static byte[] clientSegment(int sequence, int flags, byte[] payload) {
        return Frames.withMacs(client(sequence, flags, payload).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);
    }

    /** The header's length spelled out independently of the code under test. */
    private static int expectedHeaderLength(int version) {
        return version == 2 ? 28 : ("PROXY TCP4 " + Ipv4.toString(CLIENT) + " " + Ipv4.toString(VIP) + " "
                + CLIENT_PORT + " 80\r\n").length();
    }

    private byte[] sendToRealServer(byte[] frame) {
        feed(CLIENT_SIDE, frame);
        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(SERVER_SIDE);
        return out.getFirst().frame();
    }

    private void feed(int ifindex, byte[] frame) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, 0);
    }

    private static String hex(byte[] frame) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < frame.length; i++) {
            text.append(String.format("%02x", frame[i] & 0xFF)).append(i % 16 == 15 ? "\n" : " ");
        }
        return text.toString();
    }
}
