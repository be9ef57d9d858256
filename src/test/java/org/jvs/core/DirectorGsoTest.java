package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceSpec;
import org.jvs.net.FrameHandler;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
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
 * Super-packets and partial checksums through the director: NAT and DR hand them on whole, with the sender's GSO
 * size and a partial checksum the kernel completes; TUN, and anything whose segments would not fit the way out,
 * is still cut here.
 */
class DirectorGsoTest {
    /** A full-size segment's payload on a 1500-byte link: 1500 - 20 (IP) - 20 (TCP). */
    private static final int MSS = 1460;

    private final InMemoryHost host = new InMemoryHost();
    private final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    private final DirectorConfig config = new DirectorConfig(director);

    @BeforeEach
    void learnNeighbours() {
        director.now(1_000_000_000L);
        feed(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP), 0);
        feed(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), 0);
        host.drain();
    }

    @ParameterizedTest
    @CsvSource({"MASQ, 8080", "ROUTE, 80"})
    void shouldForwardAClientSuperPacketWholeWithItsGsoSize(ForwardingMethod method, int realPort)
            throws ControlException {
        open(method);

        feed(CLIENT_SIDE, superPacketFromClient(40000, 20000), FrameHandler.tcpSegmentation(MSS));

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        byte[] frame = out.get(0).frame();
        assertThat(frame.length).isEqualTo(14 + 20 + 20 + 20000);
        assertThat(FrameHandler.gsoSize(out.get(0).flags())).isEqualTo(MSS);
        assertThat(out.get(0).flags() & FrameHandler.CHECKSUM_NOT_READY).isNotZero();
        assertThat(Frames.destinationMac(frame)).isEqualTo(RS1_MAC);
        assertThat(Frames.ipDestination(frame)).isEqualTo(method == ForwardingMethod.MASQ ? RS1 : VIP);
        assertThat(Frames.destinationPort(frame)).isEqualTo(realPort);
        assertThat(Frames.partialChecksumCompletes(frame, 14)).isTrue();
        assertThat(director.counters().get(Counter.FORWARDED_GSO_WHOLE)).isEqualTo(1);
        assertThat(director.counters().get(Counter.SEGMENTED_GSO_FRAMES)).isZero();
    }

    @Test
    void shouldForwardANatReplySuperPacketWholeFromTheVip() throws ControlException {
        open(ForwardingMethod.MASQ);
        byte[] reply = Frames.withMacs(new FrameBuilder().source(RS1).destination(CLIENT).ports(8080, 40000)
                .tcpFlags(TcpHeader.ACK).payloadLength(30000).partialChecksum().bytes(), SERVER_SIDE_MAC, RS1_MAC);

        feed(SERVER_SIDE, reply, FrameHandler.tcpSegmentation(MSS));

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        byte[] frame = out.get(0).frame();
        assertThat(out.get(0).ifindex()).isEqualTo(CLIENT_SIDE);
        assertThat(FrameHandler.gsoSize(out.get(0).flags())).isEqualTo(MSS);
        assertThat(Frames.ipSource(frame)).isEqualTo(VIP);
        assertThat(Frames.sourcePort(frame)).isEqualTo(80);
        assertThat(Frames.partialChecksumCompletes(frame, 14)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = ForwardingMethod.class, names = {"MASQ", "ROUTE"})
    void shouldLeaveAPartialChecksumToTheKernelRatherThanCompleteIt(ForwardingMethod method) throws ControlException {
        open(method);

        feed(CLIENT_SIDE, superPacketFromClient(40000, 700), FrameHandler.CHECKSUM_NOT_READY);

        InMemoryHost.Sent sent = host.drain().getFirst();
        assertThat(sent.flags()).isEqualTo(FrameHandler.CHECKSUM_NOT_READY);
        assertThat(Frames.checksumsValid(sent.frame(), 14)).as("still partial").isFalse();
        assertThat(Frames.partialChecksumCompletes(sent.frame(), 14)).isTrue();
        assertThat(director.counters().get(Counter.CHECKSUMS_COMPLETED)).isZero();
        assertThat(director.counters().get(Counter.FORWARDED_CHECKSUM_PARTIAL)).isEqualTo(1);
    }

    @Test
    void shouldCutASuperPacketWhoseSegmentsWouldNotFitTheWayOut() throws ControlException {
        open(ForwardingMethod.MASQ);

        // segments of 1600 payload bytes do not fit the 1500-byte egress link: cut to it, checksums complete
        feed(CLIENT_SIDE, superPacketFromClient(40000, 6400), FrameHandler.tcpSegmentation(1600));

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(5);
        for (InMemoryHost.Sent sent : out) {
            assertThat(sent.frame().length).isLessThanOrEqualTo(14 + InMemoryHost.MTU);
            assertThat(sent.flags()).isZero();
            assertThat(Frames.checksumsValid(sent.frame(), 14)).isTrue();
        }
        assertThat(director.counters().get(Counter.FORWARDED_GSO_WHOLE)).isZero();
        assertThat(director.counters().get(Counter.ICMP_FRAG_NEEDED_SENT)).isZero();
    }

    @Test
    void shouldStillCutATunnelledSuperPacket() throws ControlException {
        open(ForwardingMethod.TUNNEL);

        feed(CLIENT_SIDE, superPacketFromClient(40000, 8000), FrameHandler.tcpSegmentation(MSS));

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSizeGreaterThanOrEqualTo(6);
        for (InMemoryHost.Sent sent : out) {
            assertThat(sent.flags()).isZero();
            assertThat(sent.frame().length).isLessThanOrEqualTo(14 + InMemoryHost.MTU);
            assertThat(Frames.checksumsValid(sent.frame(), 14 + 20)).as("inner checksums").isTrue();
        }
        assertThat(director.counters().get(Counter.SEGMENTED_GSO_FRAMES)).isEqualTo(1);
    }

    private void open(ForwardingMethod method) throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, method == ForwardingMethod.MASQ ? 8080 : 80, method, 1, 0, 0));
        feed(CLIENT_SIDE, Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 80)
                .tcpFlags(TcpHeader.SYN).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC), 0);
        host.drain();
    }

    private static byte[] superPacketFromClient(int clientPort, int payloadLength) {
        return Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(clientPort, 80)
                .tcpFlags(TcpHeader.ACK | TcpHeader.PSH).payloadLength(payloadLength).partialChecksum().bytes(),
                CLIENT_SIDE_MAC, CLIENT_MAC);
    }

    private void feed(int ifindex, byte[] frame, int flags) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, flags);
    }
}
