package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
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

/** Persistent services (-p, -M) through the director on the in-memory host. */
class PersistentServiceDirectorTest {
    static final int VIP = ip(203, 0, 113, 10);
    static final int CLIENT = ip(198, 51, 100, 2);
    static final long CLIENT_MAC = 0x02_aa_00_00_00_02L;
    static final int RS1 = ip(192, 0, 2, 11);
    static final int RS2 = ip(192, 0, 2, 12);
    static final long RS1_MAC = 0x02_bb_00_00_00_11L;
    static final long RS2_MAC = 0x02_bb_00_00_00_12L;

    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    final DirectorConfig config = new DirectorConfig(director);

    @BeforeEach
    void learnNeighbours() {
        director.now(1_000_000_000L);
        feed(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP));
        feed(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP));
        feed(SERVER_SIDE, Frames.arp(2, RS2_MAC, RS2, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP));
        host.drain();
    }

    private void feed(int ifindex, byte[] frame) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, 0);
    }

    private void service(int port, int persistenceS, ForwardingMethod method, int realPort) throws ControlException {
        ServiceKey key = new ServiceKey(Protocol.TCP, VIP, port);
        config.addService(new ServiceSpec(key, "rr", "", persistenceS, -1));
        config.addRealServer(key, new RealServerSpec(RS1, realPort, method, 1, 0, 0));
        config.addRealServer(key, new RealServerSpec(RS2, realPort, method, 1, 0, 0));
    }

    private static byte[] syn(int clientPort, int vport) {
        byte[] frame = new FrameBuilder().source(CLIENT).destination(VIP).ports(clientPort, vport)
                .tcpFlags(TcpHeader.SYN).bytes();
        return Frames.withMacs(frame, CLIENT_SIDE_MAC, CLIENT_MAC);
    }

    /** The real server each frame went to, by its MAC: DR leaves the VIP as the IP destination. */
    private List<Integer> destinations() {
        return host.drain().stream().map(sent -> Frames.destinationMac(sent.frame()) == RS1_MAC ? RS1 : RS2).toList();
    }

    @Test
    void shouldSendEveryNewConnectionOfAClientToOneRealServerWhereRoundRobinAlone() throws ControlException {
        service(80, 360, ForwardingMethod.MASQ, 8080);

        for (int port = 40000; port < 40010; port++) {
            feed(CLIENT_SIDE, syn(port, 80));
        }

        assertThat(destinations()).hasSize(10).containsOnly(RS1);
        assertThat(config.services(null).getFirst().realServers())
                .extracting(server -> server.persistentConnections()).containsExactly(1, 0);
        assertThat(director.counters().get(Counter.NEW_CONNECTIONS)).isEqualTo(10);
    }

    @Test
    void shouldSpreadTheSameConnectionsWithoutPersistence() throws ControlException {
        service(80, 0, ForwardingMethod.MASQ, 8080);

        for (int port = 40000; port < 40004; port++) {
            feed(CLIENT_SIDE, syn(port, 80));
        }

        assertThat(destinations()).containsExactly(RS1, RS2, RS1, RS2);
    }

    @Test
    void shouldCatchEveryPortOfAPortZeroServiceKeepingTheClientsPortAndServer() throws ControlException {
        service(0, 360, ForwardingMethod.MASQ, 0);

        feed(CLIENT_SIDE, syn(40000, 80));
        feed(CLIENT_SIDE, syn(40001, 443));
        feed(CLIENT_SIDE, syn(40002, 8443));

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).extracting(sent -> Frames.ipDestination(sent.frame())).containsOnly(RS1);
        assertThat(out).extracting(sent -> Frames.destinationPort(sent.frame())).containsExactly(80, 443, 8443);
    }

    @Test
    void shouldPreferAServiceOfTheVeryPortToThePortZeroService() throws ControlException {
        service(0, 360, ForwardingMethod.ROUTE, 0);
        ServiceKey web = new ServiceKey(Protocol.TCP, VIP, 80);
        config.addService(new ServiceSpec(web, "rr", "", 0, -1));
        config.addRealServer(web, new RealServerSpec(RS2, 80, ForwardingMethod.ROUTE, 1, 0, 0));

        feed(CLIENT_SIDE, syn(40000, 443));
        feed(CLIENT_SIDE, syn(40001, 80));
        feed(CLIENT_SIDE, syn(40002, 22));

        assertThat(destinations()).containsExactly(RS1, RS2, RS1);
    }

    @Test
    void shouldMoveAClientToAnotherServerOnceItsServerIsDeleted() throws ControlException {
        service(80, 360, ForwardingMethod.ROUTE, 80);
        feed(CLIENT_SIDE, syn(40000, 80));

        config.deleteRealServer(new ServiceKey(Protocol.TCP, VIP, 80), RS1, 80);
        feed(CLIENT_SIDE, syn(40001, 80));
        feed(CLIENT_SIDE, syn(40002, 80));

        assertThat(destinations()).containsExactly(RS1, RS2, RS2);
    }

    @Test
    void shouldListATemplateAsIpvsadmWithTheClientNetworkPortZeroAndStateNone() throws ControlException {
        ServiceKey all = new ServiceKey(Protocol.UDP, VIP, 0);
        config.addService(new ServiceSpec(all, "rr", "", 360, ip(255, 255, 255, 0)));
        config.addRealServer(all, new RealServerSpec(RS2, 0, ForwardingMethod.ROUTE, 1, 0, 0));
        byte[] datagram = new FrameBuilder().udp().source(CLIENT).destination(VIP).ports(40000, 5353).bytes();

        feed(CLIENT_SIDE, Frames.withMacs(datagram, CLIENT_SIDE_MAC, CLIENT_MAC));

        assertThat(config.connections()).containsExactlyInAnyOrder(
                new ConnectionSnapshot(Protocol.UDP, ip(198, 51, 100, 0), 0, VIP, 0, RS2, 0, "NONE", 360_000, true),
                new ConnectionSnapshot(Protocol.UDP, CLIENT, 40000, VIP, 5353, RS2, 5353, "UDP", 300_000));
        assertThat(config.services(all).getFirst().realServers().getFirst().persistentConnections()).isEqualTo(1);
    }
}
