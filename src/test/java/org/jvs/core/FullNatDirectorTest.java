package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jvs.api.ControlException;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.net.FrameHandler;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Reference;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.RS2;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.DirectorTest.WEB;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.DIRECTOR_SERVER_IP;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.packet.Reference.ip;

/** Full NAT through the whole director: the seed's four steps, local addresses, source ports, ICMP errors. */
class FullNatDirectorTest {
    static final int LIP1 = ip(192, 0, 2, 100);
    static final int LIP2 = ip(192, 0, 2, 101);
    static final int ROUTER = ip(192, 0, 2, 254);
    static final byte[] PAYLOAD = {10, 20, 30, 40, 50};
    static final long S = 1_000_000_000L;

    final InMemoryHost host = new InMemoryHost();
    Director director;
    DirectorConfig config;
    long nowNs = S;

    void director(int lowestPort, int highestPort) {
        director = new Director(host, host, KernelBypass.NONE, 1024, lowestPort, highestPort);
        config = new DirectorConfig(director);
        director.now(nowNs);
        feed(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP));
        feed(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, DIRECTOR_SERVER_IP));
        feed(SERVER_SIDE, Frames.arp(2, DirectorTest.RS2_MAC, RS2, SERVER_SIDE_MAC, DIRECTOR_SERVER_IP));
        host.drain();
    }

    void fullNatService(int protocol, int... localAddresses) throws ControlException {
        ServiceKey key = new ServiceKey(protocol, VIP, 80);
        config.addService(new ServiceSpec(key, "rr", "", 0, -1));
        config.addRealServer(key, new RealServerSpec(RS1, 8080, ForwardingMethod.FULLNAT, 1, 0, 0));
        for (int lip : localAddresses) {
            config.addLocalAddress(key, new LocalAddressSpec(lip, ""));
        }
    }

    void feed(int ifindex, byte[] frame) {
        feed(ifindex, frame, 0);
    }

    void feed(int ifindex, byte[] frame, int flags) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, flags);
    }

    static FrameBuilder tcp(int source, int sourcePort, int destination, int destinationPort, int ttl) {
        return new FrameBuilder().source(source).destination(destination).ports(sourcePort, destinationPort)
                .tcpFlags(TcpHeader.SYN).ttl(ttl).payload(PAYLOAD);
    }

    static byte[] fromClient(int clientPort) {
        return Frames.withMacs(tcp(CLIENT, clientPort, VIP, 80, 64).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);
    }

    /** Sends a SYN from {@code clientPort} and returns the frame the real server receives. */
    byte[] connect(int clientPort) {
        feed(CLIENT_SIDE, fromClient(clientPort));
        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).as("frames for the SYN from port %d", clientPort).hasSize(1);
        return out.get(0).frame();
    }

    @Test
    void shouldRewriteSourceToTheDirectorsInnerAddressAndBackAsTheSeedDescribes() throws ControlException {
        director(1024, 32767);
        fullNatService(Protocol.TCP);

        byte[] toServer = connect(40000);

        // step 1-2: CLIENT:40000->VIP:80 leaves as 192.0.2.1:lport->RS1:8080, byte for byte
        int lport = Frames.sourcePort(toServer);
        assertThat(lport).isBetween(1024, 32767);
        byte[] expected = Frames.withMacs(tcp(DIRECTOR_SERVER_IP, lport, RS1, 8080, 63).bytes(), RS1_MAC,
                SERVER_SIDE_MAC);
        assertThat(toServer).isEqualTo(expected);
        assertThat(Frames.checksumsValid(toServer, 14)).isTrue();

        // step 3-4: RS1:8080->192.0.2.1:lport comes back as VIP:80->CLIENT:40000
        byte[] reply = Frames.withMacs(tcp(RS1, 8080, DIRECTOR_SERVER_IP, lport, 64)
                .tcpFlags(TcpHeader.SYN | TcpHeader.ACK).bytes(), SERVER_SIDE_MAC, RS1_MAC);
        feed(SERVER_SIDE, reply);
        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).ifindex()).isEqualTo(CLIENT_SIDE);
        byte[] expectedReply = Frames.withMacs(tcp(VIP, 80, CLIENT, 40000, 63)
                .tcpFlags(TcpHeader.SYN | TcpHeader.ACK).bytes(), CLIENT_MAC, CLIENT_SIDE_MAC);
        assertThat(out.get(0).frame()).isEqualTo(expectedReply);
        assertThat(director.counters().get(Counter.FORWARDED_TO_CLIENT)).isEqualTo(1);
    }

    @Test
    void shouldTranslateUdpBothWaysKeepingChecksumsRight() throws ControlException {
        director(1024, 32767);
        fullNatService(Protocol.UDP, LIP1);
        byte[] datagram = Frames.withMacs(new FrameBuilder().udp().source(CLIENT).destination(VIP).ports(5000, 80)
                .payload(PAYLOAD).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);

        feed(CLIENT_SIDE, datagram);
        byte[] toServer = host.drain().get(0).frame();
        int lport = Frames.sourcePort(toServer);
        assertThat(Frames.ipSource(toServer)).isEqualTo(LIP1);
        assertThat(toServer).isEqualTo(Frames.withMacs(new FrameBuilder().udp().source(LIP1).destination(RS1)
                .ports(lport, 8080).ttl(63).payload(PAYLOAD).bytes(), RS1_MAC, SERVER_SIDE_MAC));

        feed(SERVER_SIDE, Frames.withMacs(new FrameBuilder().udp().source(RS1).destination(LIP1).ports(8080, lport)
                .payload(PAYLOAD).bytes(), SERVER_SIDE_MAC, RS1_MAC));
        assertThat(host.drain().get(0).frame()).isEqualTo(Frames.withMacs(new FrameBuilder().udp().source(VIP)
                .destination(CLIENT).ports(80, 5000).ttl(63).payload(PAYLOAD).bytes(), CLIENT_MAC, CLIENT_SIDE_MAC));
    }

    @Test
    void shouldKeepAPartialChecksumPartialAndCompletableByTheKernel() throws ControlException {
        director(1024, 32767);
        fullNatService(Protocol.TCP, LIP1);
        connect(40000);
        byte[] offloaded = Frames.withMacs(tcp(CLIENT, 40000, VIP, 80, 64).tcpFlags(TcpHeader.ACK).partialChecksum()
                .bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);

        feed(CLIENT_SIDE, offloaded, FrameHandler.CHECKSUM_NOT_READY);

        InMemoryHost.Sent sent = host.drain().get(0);
        assertThat(sent.flags()).isEqualTo(FrameHandler.CHECKSUM_NOT_READY);
        assertThat(Frames.ipSource(sent.frame())).isEqualTo(LIP1);
        assertThat(Frames.partialChecksumCompletes(sent.frame(), 14)).isTrue();
    }

    @Test
    void shouldTakeLocalAddressesInTurn() throws ControlException {
        director(1024, 32767);
        fullNatService(Protocol.TCP, LIP1, LIP2);

        List<Integer> sources = List.of(Frames.ipSource(connect(40000)), Frames.ipSource(connect(40001)),
                Frames.ipSource(connect(40002)), Frames.ipSource(connect(40003)));

        assertThat(sources).containsExactly(LIP1, LIP2, LIP1, LIP2);
    }

    @Test
    void shouldNeverGiveTwoLiveConnectionsTheSameRealServerSideTuple() throws ControlException {
        director(2000, 2999);
        fullNatService(Protocol.TCP, LIP1);
        Set<Integer> ports = new HashSet<>();

        for (int i = 0; i < 1000; i++) {
            ports.add(Frames.sourcePort(connect(10000 + i)));
        }

        assertThat(ports).hasSize(1000).allSatisfy(port -> assertThat(port).isBetween(2000, 2999));
        assertThat(director.connections().size()).isEqualTo(1000);
    }

    @Test
    void shouldRefuseAndCountWhenPortsRunOutAndReuseAPortOnlyAfterItsConnectionExpired() throws ControlException {
        director(3000, 3001);
        fullNatService(Protocol.TCP, LIP1);
        int first = Frames.sourcePort(connect(40000));
        int second = Frames.sourcePort(connect(40001));
        assertThat(Set.of(first, second)).containsExactlyInAnyOrder(3000, 3001);

        feed(CLIENT_SIDE, fromClient(40002));
        assertThat(host.drain()).isEmpty();
        assertThat(director.counters().get(Counter.DROP_LOCAL_PORTS_EXHAUSTED)).isEqualTo(1);
        assertThat(director.connections().size()).isEqualTo(2);

        // keep the second connection alive past the first one's SYN_RECV timeout
        nowNs += 30 * S;
        director.now(nowNs);
        feed(CLIENT_SIDE, Frames.withMacs(tcp(CLIENT, 40001, VIP, 80, 64).tcpFlags(TcpHeader.ACK).bytes(),
                CLIENT_SIDE_MAC, CLIENT_MAC));
        host.drain();
        nowNs += 40 * S;
        director.now(nowNs);
        director.expire(100);
        assertThat(director.connections().size()).isEqualTo(1);

        assertThat(Frames.sourcePort(connect(40003))).isEqualTo(first);
        feed(CLIENT_SIDE, fromClient(40004));
        assertThat(host.drain()).isEmpty();
        assertThat(director.counters().get(Counter.DROP_LOCAL_PORTS_EXHAUSTED)).isEqualTo(2);
    }

    @Test
    void shouldUseTheSamePortTowardsDifferentRealServers() throws ControlException {
        director(3000, 3000);
        fullNatService(Protocol.TCP, LIP1);
        config.addRealServer(new ServiceKey(Protocol.TCP, VIP, 80),
                new RealServerSpec(RS2, 8080, ForwardingMethod.FULLNAT, 1, 0, 0));

        byte[] toRs1 = connect(40000);
        byte[] toRs2 = connect(40001);

        assertThat(Frames.ipDestination(toRs1)).isEqualTo(RS1);
        assertThat(Frames.ipDestination(toRs2)).isEqualTo(RS2);
        assertThat(Frames.sourcePort(toRs2)).isEqualTo(Frames.sourcePort(toRs1)).isEqualTo(3000);
    }

    @Test
    void shouldAnswerArpForALocalAddressTheHostDoesNotHold() throws ControlException {
        director(1024, 32767);
        fullNatService(Protocol.TCP, LIP1);

        feed(SERVER_SIDE, Frames.arp(1, RS1_MAC, RS1, 0, LIP1));

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        assertThat(Reference.u16(out.get(0).frame(), 20)).as("ARP reply").isEqualTo(2);
        assertThat(Reference.u32(out.get(0).frame(), 28)).as("sender IP").isEqualTo(LIP1);
        assertThat(Frames.sourceMac(out.get(0).frame())).isEqualTo(SERVER_SIDE_MAC);

        host.localAddress = LIP1;
        feed(SERVER_SIDE, Frames.arp(1, RS1_MAC, RS1, 0, LIP1));
        assertThat(host.drain()).as("held by the host: the kernel answers").isEmpty();

        config.deleteLocalAddress(WEB, LIP1);
        host.localAddress = 0;
        feed(SERVER_SIDE, Frames.arp(1, RS1_MAC, RS1, 0, LIP1));
        assertThat(host.drain()).as("deleted").isEmpty();
    }

    @Test
    void shouldAnswerArpForALocalAddressGivenWithAnInterfaceOnlyThere() throws ControlException {
        director(1024, 32767);
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addLocalAddress(WEB, new LocalAddressSpec(LIP1, "s0"));

        feed(CLIENT_SIDE, Frames.arp(1, CLIENT_MAC, CLIENT, 0, LIP1));
        assertThat(host.drain()).as("asked on c0").isEmpty();

        feed(SERVER_SIDE, Frames.arp(1, RS1_MAC, RS1, 0, LIP1));
        assertThat(host.drain()).as("asked on s0").hasSize(1);
    }

    @Test
    void shouldListAddAndDeleteLocalAddressesWithClearRefusals() throws ControlException {
        director(1024, 32767);
        fullNatService(Protocol.TCP, LIP1, LIP2);
        ServiceKey unknown = new ServiceKey(Protocol.TCP, VIP, 81);

        assertThat(config.services(WEB).get(0).localAddresses())
                .containsExactly(new LocalAddressSpec(LIP1, ""), new LocalAddressSpec(LIP2, ""));
        assertThatThrownBy(() -> config.addLocalAddress(WEB, new LocalAddressSpec(LIP1, "eth1")))
                .hasMessage("Local address already exists");
        assertThatThrownBy(() -> config.addLocalAddress(unknown, new LocalAddressSpec(LIP1, "")))
                .hasMessage("Service not defined");
        assertThatThrownBy(() -> config.deleteLocalAddress(unknown, LIP1)).hasMessage("Service not defined");
        assertThatThrownBy(() -> config.deleteLocalAddress(WEB, ROUTER)).hasMessage("No such local address");

        config.deleteLocalAddress(WEB, LIP1);

        assertThat(config.services(WEB).get(0).localAddresses()).containsExactly(new LocalAddressSpec(LIP2, ""));
        assertThat(Frames.ipSource(connect(40000))).isEqualTo(LIP2);
    }

    @Test
    void shouldMapTheRealServerPortForFullNatAsForNat() throws ControlException {
        director(1024, 32767);
        fullNatService(Protocol.TCP);

        assertThat(config.services(WEB).get(0).realServers().get(0).port()).isEqualTo(8080);
        assertThat(config.services(WEB).get(0).realServers().get(0).method()).isEqualTo(ForwardingMethod.FULLNAT);
    }
}
