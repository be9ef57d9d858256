package org.jvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.RS2;
import static org.jvs.core.DirectorTest.RS2_MAC;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;

/** A client reusing its source port: IPVS's conn_reuse_mode 1 (its default) with and without expire_nodest_conn. */
class ConnectionReuseTest {
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);
    static final int CLIENT_PORT = 40000;

    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    final DirectorConfig config = new DirectorConfig(director);

    @BeforeEach
    void learnNeighboursAndAddTwoNatServers() throws ControlException {
        director.now(1_000_000_000L);
        feed(Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP), CLIENT_SIDE);
        feed(Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), SERVER_SIDE);
        feed(Frames.arp(2, RS2_MAC, RS2, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), SERVER_SIDE);
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 1, 0, 0));
        config.addRealServer(WEB, new RealServerSpec(RS2, 8080, ForwardingMethod.MASQ, 1, 0, 0));
        host.drain();
    }

    private void feed(byte[] frame, int ifindex) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, 0);
    }

    private void fromClient(int tcpFlags) {
        feed(Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(CLIENT_PORT, 80)
                .tcpFlags(tcpFlags).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC), CLIENT_SIDE);
    }

    private void fromRealServer(int realServer, int tcpFlags) {
        feed(Frames.withMacs(new FrameBuilder().source(realServer).destination(CLIENT).ports(8080, CLIENT_PORT)
                .tcpFlags(tcpFlags).bytes(), SERVER_SIDE_MAC, realServer == RS1 ? RS1_MAC : RS2_MAC), SERVER_SIDE);
    }

    private List<Integer> destinations() {
        return host.drain().stream().map(sent -> Frames.ipDestination(sent.frame())).toList();
    }

    /** The client closes first, the server answers: the entry ends in TIME_WAIT, as in ip_vs_proto_tcp's table. */
    private void connectAndClose() {
        fromClient(TcpHeader.SYN);
        fromRealServer(RS1, TcpHeader.SYN | TcpHeader.ACK);
        fromClient(TcpHeader.ACK);
        fromClient(TcpHeader.FIN | TcpHeader.ACK);
        fromRealServer(RS1, TcpHeader.FIN | TcpHeader.ACK);
        fromClient(TcpHeader.ACK);
        host.drain();
    }

    @Test
    void shouldScheduleANewConnectionOnAClosedOnesPortsAfresh() {
        connectAndClose();
        assertThat(config.connections().getFirst().state()).isEqualTo("TIME_WAIT");

        fromClient(TcpHeader.SYN);

        assertThat(destinations()).containsExactly(RS2);
        assertThat(director.counters().get(Counter.CONNECTIONS_RESCHEDULED)).isEqualTo(1);
    }

    @Test
    void shouldKeepARetransmittedSynOnItsLiveConnection() {
        fromClient(TcpHeader.SYN);
        host.drain();

        fromClient(TcpHeader.SYN);

        assertThat(destinations()).containsExactly(RS1);
        assertThat(director.counters().get(Counter.CONNECTIONS_RESCHEDULED)).isZero();
    }

    @Test
    void shouldScheduleASynAfreshWhenItsConnectionsServerWasDeletedUnderExpireNodestConn() throws ControlException {
        config.setSetting("expire_nodest_conn", 1);
        fromClient(TcpHeader.SYN);
        host.drain();
        config.deleteRealServer(WEB, RS1, 8080);

        fromClient(TcpHeader.SYN);

        assertThat(destinations()).containsExactly(RS2);
    }

    /** ip_vs_in since Linux 5.9: the entry ends and the datagram is scheduled, where earlier kernels dropped it. */
    @Test
    void shouldScheduleADatagramAfreshWhenItsConnectionsServerWasDeletedUnderExpireNodestConn() throws ControlException {
        ServiceKey dns = new ServiceKey(Protocol.UDP, VIP, 53);
        config.addService(new ServiceSpec(dns, "rr", "", 0, -1));
        config.addRealServer(dns, new RealServerSpec(RS1, 53, ForwardingMethod.MASQ, 1, 0, 0));
        config.addRealServer(dns, new RealServerSpec(RS2, 53, ForwardingMethod.MASQ, 1, 0, 0));
        config.setSetting("expire_nodest_conn", 1);
        byte[] query = Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(CLIENT_PORT, 53).udp()
                .bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);
        feed(query, CLIENT_SIDE);
        host.drain();
        config.deleteRealServer(dns, RS1, 53);

        feed(query, CLIENT_SIDE);

        assertThat(destinations()).containsExactly(RS2);
        assertThat(director.counters().get(Counter.CONNECTIONS_RESCHEDULED)).isEqualTo(1);
    }

    @Test
    void shouldScheduleASynAfreshWhenItsConnectionsServerIsQuiescedUnderExpireNodestConn() throws ControlException {
        config.setSetting("expire_nodest_conn", 1);
        fromClient(TcpHeader.SYN);
        host.drain();
        config.editRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 0, 0, 0));

        fromClient(TcpHeader.SYN);

        assertThat(destinations()).containsExactly(RS2);
    }
}
