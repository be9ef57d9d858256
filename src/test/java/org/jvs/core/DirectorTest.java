package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.net.FrameHandler;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.packet.Reference.ip;

/** The director with no kernel: frames in through onFrame, frames out through the recording sink. */
class DirectorTest {
    static final int VIP = ip(203, 0, 113, 10);
    static final int CLIENT = ip(198, 51, 100, 2);
    static final long CLIENT_MAC = 0x02_aa_00_00_00_02L;
    static final int RS1 = ip(192, 0, 2, 11);
    static final int RS2 = ip(192, 0, 2, 12);
    static final long RS1_MAC = 0x02_bb_00_00_00_11L;
    static final long RS2_MAC = 0x02_bb_00_00_00_12L;
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);

    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    final DirectorConfig config = new DirectorConfig(director);
    long nowNs = 1_000_000_000L;

    @BeforeEach
    void learnNeighbours() {
        director.now(nowNs);
        feed(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP));
        feed(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP));
        feed(SERVER_SIDE, Frames.arp(2, RS2_MAC, RS2, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP));
        host.drain();
    }

    void feed(int ifindex, byte[] frame) {
        feed(ifindex, frame, 0);
    }

    void feed(int ifindex, byte[] frame, int flags) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, flags);
    }

    void service(String scheduler, ForwardingMethod method, int... realServers) throws ControlException {
        config.addService(new ServiceSpec(WEB, scheduler, "", 0, -1));
        for (int server : realServers) {
            config.addRealServer(WEB, new RealServerSpec(server, 8080, method, 1, 0, 0));
        }
    }

    static byte[] fromClient(int sourcePort, int tcpFlags) {
        byte[] frame = new FrameBuilder().source(CLIENT).destination(VIP).ports(sourcePort, 80).tcpFlags(tcpFlags)
                .payload(new byte[] {1, 2, 3}).bytes();
        return Frames.withMacs(frame, CLIENT_SIDE_MAC, CLIENT_MAC);
    }

    @Test
    void shouldRewriteDestinationToRealServerWithPortMappingInNat() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1);

        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.SYN));

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        byte[] frame = out.get(0).frame();
        assertThat(out.get(0).ifindex()).isEqualTo(SERVER_SIDE);
        assertThat(Frames.destinationMac(frame)).isEqualTo(RS1_MAC);
        assertThat(Frames.sourceMac(frame)).isEqualTo(SERVER_SIDE_MAC);
        assertThat(Frames.ipSource(frame)).isEqualTo(CLIENT);
        assertThat(Frames.ipDestination(frame)).isEqualTo(RS1);
        assertThat(Frames.destinationPort(frame)).isEqualTo(8080);
        assertThat(Frames.checksumsValid(frame, 14)).isTrue();
    }

    @Test
    void shouldRewriteNatReplySourceBackToVip() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1);
        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.SYN));
        host.drain();

        byte[] reply = Frames.withMacs(new FrameBuilder().source(RS1).destination(CLIENT).ports(8080, 40000)
                .tcpFlags(TcpHeader.SYN | TcpHeader.ACK).bytes(), SERVER_SIDE_MAC, RS1_MAC);
        feed(SERVER_SIDE, reply);

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        byte[] frame = out.get(0).frame();
        assertThat(out.get(0).ifindex()).isEqualTo(CLIENT_SIDE);
        assertThat(Frames.destinationMac(frame)).isEqualTo(CLIENT_MAC);
        assertThat(Frames.ipSource(frame)).isEqualTo(VIP);
        assertThat(Frames.sourcePort(frame)).isEqualTo(80);
        assertThat(Frames.ipDestination(frame)).isEqualTo(CLIENT);
        assertThat(Frames.checksumsValid(frame, 14)).isTrue();
    }

    @Test
    void shouldChangeOnlyTheMacsInDirectRouting() throws ControlException {
        service("rr", ForwardingMethod.ROUTE, RS1);
        byte[] in = fromClient(40000, TcpHeader.SYN);

        feed(CLIENT_SIDE, in);

        byte[] frame = host.drain().get(0).frame();
        assertThat(Frames.destinationMac(frame)).isEqualTo(RS1_MAC);
        assertThat(Frames.ipDestination(frame)).isEqualTo(VIP);
        assertThat(Frames.destinationPort(frame)).isEqualTo(80);
        assertThat(Frames.checksumsValid(frame, 14)).isTrue();
    }

    @Test
    void shouldEncapsulateInIpipForTunnel() throws ControlException {
        service("rr", ForwardingMethod.TUNNEL, RS1);
        byte[] in = fromClient(40000, TcpHeader.SYN);

        feed(CLIENT_SIDE, in);

        byte[] frame = host.drain().get(0).frame();
        assertThat(Frames.protocol(frame)).isEqualTo(Protocol.IPIP);
        assertThat(Frames.ipSource(frame)).isEqualTo(InMemoryHost.DIRECTOR_SERVER_IP);
        assertThat(Frames.ipDestination(frame)).isEqualTo(RS1);
        assertThat(frame.length).isEqualTo(in.length + 20);
        assertThat(org.jvs.packet.Reference.u32(frame, 14 + 20 + 16)).as("inner destination").isEqualTo(VIP);
    }

    @Test
    void shouldKeepEveryPacketOfAConnectionOnOneRealServerWhileSchedulingNewOnesRoundRobin() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1, RS2);

        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.SYN));
        feed(CLIENT_SIDE, fromClient(40001, TcpHeader.SYN));
        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.ACK));
        feed(CLIENT_SIDE, fromClient(40001, TcpHeader.ACK));

        List<Integer> destinations = host.drain().stream().map(s -> Frames.ipDestination(s.frame())).toList();
        assertThat(destinations).containsExactly(RS1, RS2, RS1, RS2);
    }

    @Test
    void shouldKeepConnectionOnQuiescedServerButScheduleNoNewOnes() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1, RS2);
        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.SYN));
        host.drain();

        config.editRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 0, 0, 0));
        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.ACK));
        for (int port = 40001; port < 40005; port++) {
            feed(CLIENT_SIDE, fromClient(port, TcpHeader.SYN));
        }

        List<Integer> destinations = host.drain().stream().map(s -> Frames.ipDestination(s.frame())).toList();
        assertThat(destinations).containsExactly(RS1, RS2, RS2, RS2, RS2);
    }

    @Test
    void shouldKeepConnectionsOfADeletedRealServerDraining() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1);
        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.SYN));
        host.drain();

        config.deleteRealServer(WEB, RS1, 8080);
        config.addRealServer(WEB, new RealServerSpec(RS2, 8080, ForwardingMethod.MASQ, 1, 0, 0));
        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.ACK));
        feed(CLIENT_SIDE, fromClient(40001, TcpHeader.SYN));

        List<Integer> destinations = host.drain().stream().map(s -> Frames.ipDestination(s.frame())).toList();
        assertThat(destinations).containsExactly(RS1, RS2);
    }

    @Test
    void shouldKeepAConnectionsForwardingMethodWhenTheServerIsEdited() throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 80, ForwardingMethod.MASQ, 1, 0, 0));
        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.SYN));

        config.editRealServer(WEB, new RealServerSpec(RS1, 80, ForwardingMethod.ROUTE, 1, 0, 0));
        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.ACK));
        feed(CLIENT_SIDE, fromClient(40001, TcpHeader.SYN));

        List<Integer> destinations = host.drain().stream().map(s -> Frames.ipDestination(s.frame())).toList();
        assertThat(destinations).as("NAT for the old connection, DR for the new one").containsExactly(RS1, RS1, VIP);
    }

    @Test
    void shouldNotOpenAConnectionWithoutSyn() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1);

        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.ACK));

        assertThat(host.drain()).isEmpty();
        assertThat(director.counters().get(Counter.DROP_NO_CONNECTION)).isEqualTo(1);
    }

    @Test
    void shouldLeavePacketsOfNoServiceToTheKernel() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1);
        byte[] other = Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 22)
                .tcpFlags(TcpHeader.SYN).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);

        feed(CLIENT_SIDE, other);

        assertThat(host.drain()).isEmpty();
        assertThat(director.counters().get(Counter.NOT_OURS)).isEqualTo(1);
    }

    @Test
    void shouldHoldTheFirstPacketUntilTheRealServerAnswersArp() throws ControlException {
        int rs3 = ip(192, 0, 2, 13);
        long rs3Mac = 0x02_bb_00_00_00_13L;
        service("rr", ForwardingMethod.MASQ, rs3);

        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.SYN));
        List<InMemoryHost.Sent> request = host.drain();
        assertThat(request).hasSize(1);
        assertThat(Frames.etherType(request.get(0).frame())).isEqualTo(0x0806);
        assertThat(org.jvs.packet.Reference.u32(request.get(0).frame(), 38)).isEqualTo(rs3);

        feed(SERVER_SIDE, Frames.arp(2, rs3Mac, rs3, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP));

        List<InMemoryHost.Sent> released = host.drain();
        assertThat(released).hasSize(1);
        assertThat(Frames.destinationMac(released.get(0).frame())).isEqualTo(rs3Mac);
        assertThat(Frames.ipDestination(released.get(0).frame())).isEqualTo(rs3);
    }

    @Test
    void shouldAnswerArpForAVipTheHostDoesNotHold() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1);

        feed(CLIENT_SIDE, Frames.arp(1, CLIENT_MAC, CLIENT, 0, VIP));

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        byte[] reply = out.get(0).frame();
        assertThat(org.jvs.packet.Reference.u16(reply, 20)).as("ARP reply").isEqualTo(2);
        assertThat(org.jvs.packet.Reference.u32(reply, 28)).as("sender IP").isEqualTo(VIP);
        assertThat(Frames.sourceMac(reply)).isEqualTo(CLIENT_SIDE_MAC);
    }

    @Test
    void shouldLeaveArpForAVipOnTheHostToTheKernel() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1);
        host.localAddress = VIP;

        feed(CLIENT_SIDE, Frames.arp(1, CLIENT_MAC, CLIENT, 0, VIP));

        assertThat(host.drain()).isEmpty();
    }

    @Test
    void shouldCompleteChecksumsTheSenderLeftToOffloadBeforeTunnelling() throws ControlException {
        // an IPIP packet cannot carry a partial inner checksum to the kernel, so the director completes it
        service("rr", ForwardingMethod.TUNNEL, RS1);
        byte[] partial = Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 80)
                .tcpFlags(TcpHeader.SYN).payload(new byte[] {9, 8, 7}).partialChecksum().bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);

        feed(CLIENT_SIDE, partial, FrameHandler.CHECKSUM_NOT_READY);

        InMemoryHost.Sent sent = host.drain().get(0);
        assertThat(Frames.checksumsValid(sent.frame(), 14 + 20)).as("inner checksums").isTrue();
        assertThat(sent.flags()).isZero();
        assertThat(director.counters().get(Counter.CHECKSUMS_COMPLETED)).isEqualTo(1);
    }

    @Test
    void shouldSegmentASuperPacketIntoWireSizedFrames() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1);
        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.SYN));
        host.drain();
        byte[] big = Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 80)
                .tcpFlags(TcpHeader.ACK | TcpHeader.PSH).payloadLength(4000).partialChecksum().bytes(),
                CLIENT_SIDE_MAC, CLIENT_MAC);

        feed(CLIENT_SIDE, big, FrameHandler.CHECKSUM_NOT_READY);

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(3);
        for (InMemoryHost.Sent sent : out) {
            assertThat(sent.frame().length).isLessThanOrEqualTo(InMemoryHost.MTU + 14);
            assertThat(Frames.ipDestination(sent.frame())).isEqualTo(RS1);
            assertThat(Frames.checksumsValid(sent.frame(), 14)).isTrue();
        }
    }

    @Test
    void shouldCutASuperPacketForATunnelSoThatEachEncapsulatedSegmentFitsTheWire() throws ControlException {
        service("rr", ForwardingMethod.TUNNEL, RS1);
        feed(CLIENT_SIDE, fromClient(40000, TcpHeader.SYN));
        host.drain();
        byte[] big = Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 80)
                .tcpFlags(TcpHeader.ACK).payloadLength(8000).partialChecksum().bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);

        feed(CLIENT_SIDE, big, FrameHandler.CHECKSUM_NOT_READY);

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSizeGreaterThanOrEqualTo(6);
        int payload = 0;
        for (InMemoryHost.Sent sent : out) {
            byte[] frame = sent.frame();
            assertThat(Frames.protocol(frame)).isEqualTo(Protocol.IPIP);
            assertThat(frame.length).isLessThanOrEqualTo(InMemoryHost.MTU + 14);
            assertThat(Frames.checksumsValid(frame, 14 + 20)).as("inner checksums").isTrue();
            payload += frame.length - 14 - 20 - 20 - 20;
        }
        assertThat(payload).isEqualTo(8000);
        assertThat(director.counters().get(Counter.ICMP_FRAG_NEEDED_SENT)).isZero();
    }

    @Test
    void shouldCountATruncatedPacketAndCarryOn() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1);
        byte[] frame = fromClient(40000, TcpHeader.SYN);
        byte[] truncated = java.util.Arrays.copyOf(frame, 14 + 20 + 10);

        feed(CLIENT_SIDE, truncated);
        feed(CLIENT_SIDE, frame);

        assertThat(director.counters().get(Counter.DROP_MALFORMED)).isEqualTo(1);
        assertThat(host.drain()).hasSize(1);
    }

    @Test
    void shouldRefuseDuplicatesAndUnknownsWithIpvsadmMessages() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1);

        assertThat(refusal(() -> config.addService(new ServiceSpec(WEB, "rr", "", 0, -1)))).isEqualTo("Service already exists");
        assertThat(refusal(() -> config.addRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 1, 0, 0))))
                .isEqualTo("Destination already exists");
        assertThat(refusal(() -> config.deleteRealServer(WEB, RS2, 8080))).isEqualTo("No such destination");
        assertThat(refusal(() -> config.deleteService(new ServiceKey(Protocol.UDP, VIP, 80)))).isEqualTo("No such service");
        assertThat(refusal(() -> config.addService(new ServiceSpec(new ServiceKey(Protocol.UDP, VIP, 53), "nope", "", 0, -1))))
                .isEqualTo("Scheduler or persistence engine not found");
    }

    interface Operation {
        void run() throws ControlException;
    }

    static String refusal(Operation operation) {
        try {
            operation.run();
            return null;
        } catch (ControlException refused) {
            return refused.getMessage();
        }
    }
}
