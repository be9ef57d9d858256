package org.jvs.core;

import java.lang.foreign.MemorySegment;
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
import org.jvs.service.Protocol;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * GUE and GRE through the director: the encapsulation is the real server's tunnel at each packet (an edit reaches
 * open connections, as in the kernel),
 * super-packets are cut to the path MTU less the tunnel's headers, and a partial checksum is completed, or left
 * to the real server with GUE's remote checksum offload.
 */
class DirectorTunnelTypesTest {
    private static final int ETHERNET = 14;
    private static final Tunnel GUE = new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.NOCSUM);
    private static final Tunnel GUE_REMCSUM = new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.REMCSUM);
    private static final Tunnel GRE_CSUM = new Tunnel(TunnelType.GRE, 0, TunnelChecksum.CSUM);

    private final InMemoryHost host = new InMemoryHost();
    private final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    private final DirectorConfig config = new DirectorConfig(director);

    @BeforeEach
    void learnNeighbours() {
        director.now(1_000_000_000L);
        feed(Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP), CLIENT_SIDE, 0);
        feed(Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), SERVER_SIDE, 0);
        host.drain();
    }

    @ParameterizedTest(name = "{0} {1}: {3} bytes of headers")
    @CsvSource({"GUE, 6080, NOCSUM, 12, 17", "GUE, 6080, CSUM, 12, 17", "GRE, 0, NOCSUM, 4, 47", "GRE, 0, CSUM, 8, 47"})
    void shouldCutASuperPacketToThePathMtuLessTheTunnelsHeaders(TunnelType type, int port, TunnelChecksum checksum,
                                                                 int headers, int protocol) throws ControlException {
        open(new Tunnel(type, port, checksum));

        feed(fromClient(40000, 8000, TcpHeader.ACK), CLIENT_SIDE, FrameHandler.tcpSegmentation(1460));

        List<InMemoryHost.Sent> out = host.drain();
        int innerMtu = InMemoryHost.MTU - 20 - headers;
        assertThat(out).hasSize((8000 + innerMtu - 41) / (innerMtu - 40));
        for (InMemoryHost.Sent sent : out) {
            byte[] frame = sent.frame();
            assertThat(frame.length).isLessThanOrEqualTo(ETHERNET + InMemoryHost.MTU);
            assertThat(Frames.protocol(frame)).isEqualTo(protocol);
            assertThat(Frames.ipDestination(frame)).isEqualTo(RS1);
            assertThat(Frames.checksumsValid(frame, ETHERNET + 20 + headers)).as("inner checksums").isTrue();
        }
        assertThat(director.counters().get(Counter.SEGMENTED_GSO_FRAMES)).isEqualTo(1);
    }

    @Test
    void shouldLeaveAPartialChecksumToAGueRealServerThatTakesRemoteChecksums() throws ControlException {
        open(GUE_REMCSUM);

        feed(fromClient(40000, 700, TcpHeader.ACK | TcpHeader.PSH), CLIENT_SIDE, FrameHandler.CHECKSUM_NOT_READY);

        byte[] frame = host.drain().getFirst().frame();
        int inner = ETHERNET + 20 + 8 + 4 + 8;
        assertThat(Reference.u8(frame, ETHERNET + 28)).as("GUE Hlen 2").isEqualTo(2);
        assertThat(Reference.u16(frame, ETHERNET + 36)).as("checksum start").isEqualTo(20);
        assertThat(Reference.u16(frame, ETHERNET + 38)).as("checksum field").isEqualTo(20 + 16);
        assertThat(Frames.checksumsValid(frame, inner)).as("still partial").isFalse();
        // what the real server does with the option: sum from start to the end into the field at offset
        int start = inner + Reference.u16(frame, ETHERNET + 36);
        int field = inner + Reference.u16(frame, ETHERNET + 38);
        Reference.u16(frame, field, ~Reference.sum(frame, start, frame.length, 0) & 0xFFFF);
        assertThat(Frames.checksumsValid(frame, inner)).as("completed as the option says").isTrue();
        assertThat(director.counters().get(Counter.CHECKSUMS_COMPLETED)).isZero();
    }

    @Test
    void shouldCompleteAPartialChecksumBeforeAGreTunnel() throws ControlException {
        open(GRE_CSUM);

        feed(fromClient(40000, 700, TcpHeader.ACK | TcpHeader.PSH), CLIENT_SIDE, FrameHandler.CHECKSUM_NOT_READY);

        byte[] frame = host.drain().getFirst().frame();
        assertThat(Frames.protocol(frame)).isEqualTo(Protocol.GRE);
        assertThat(Frames.checksumsValid(frame, ETHERNET + 20 + 8)).isTrue();
        assertThat(director.counters().get(Counter.CHECKSUMS_COMPLETED)).isEqualTo(1);
    }

    @Test
    void shouldEncapsulateAnOpenConnectionAsItsServersTunnelSaysAfterAnEditAsTheKernel() throws ControlException {
        open(GUE);
        config.editRealServer(WEB, new RealServerSpec(RS1, 80, ForwardingMethod.TUNNEL, 1, 0, 0, GRE_CSUM));

        feed(fromClient(40000, 100, TcpHeader.ACK), CLIENT_SIDE, 0);
        feed(fromClient(40001, 0, TcpHeader.SYN), CLIENT_SIDE, 0);

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).extracting(sent -> Frames.protocol(sent.frame())).containsExactly(Protocol.GRE, Protocol.GRE);
    }

    @Test
    void shouldRefuseAGueServerWithoutAPortAsTheKernel() throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));

        assertThat(assertThrows(ControlException.class, () -> config.addRealServer(WEB,
                new RealServerSpec(RS1, 80, ForwardingMethod.TUNNEL, 1, 0, 0,
                        new Tunnel(TunnelType.GUE, 0, TunnelChecksum.NOCSUM)))).getMessage())
                .isEqualTo("Invalid tunnel options 'gue:0:-c': gue needs a tunnel port 1..65535");
        assertThat(config.services(WEB).getFirst().realServers()).isEmpty();
    }

    private void open(Tunnel tunnel) throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 80, ForwardingMethod.TUNNEL, 1, 0, 0, tunnel));
        feed(fromClient(40000, 0, TcpHeader.SYN), CLIENT_SIDE, 0);
        host.drain();
    }

    private static byte[] fromClient(int clientPort, int payloadLength, int tcpFlags) {
        FrameBuilder builder = new FrameBuilder().source(CLIENT).destination(VIP).ports(clientPort, 80)
                .tcpFlags(tcpFlags).payloadLength(payloadLength);
        if (payloadLength > 0) {
            builder.partialChecksum();
        }
        return Frames.withMacs(builder.bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);
    }

    private void feed(byte[] frame, int ifindex, int flags) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, flags);
    }
}
