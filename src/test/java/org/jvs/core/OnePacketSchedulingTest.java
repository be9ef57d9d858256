package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

/** ipvsadm -o: every UDP datagram scheduled on its own, no entry left behind; TCP ignores the flag. */
class OnePacketSchedulingTest {
    static final ServiceKey DNS = new ServiceKey(Protocol.UDP, VIP, 53);
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);

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

    private void service(ServiceKey key, boolean onePacket, ForwardingMethod method) throws ControlException {
        config.addService(new ServiceSpec(key, "rr", "", 0, -1, onePacket));
        config.addRealServer(key, new RealServerSpec(RS1, key.port(), method, 1, 0, 0));
        config.addRealServer(key, new RealServerSpec(RS2, key.port(), method, 1, 0, 0));
    }

    private static byte[] datagram() {
        return Frames.withMacs(new FrameBuilder().udp().source(CLIENT).destination(VIP).ports(40000, 53)
                .payload(new byte[] {1, 2, 3}).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);
    }

    private List<Integer> destinationsOfFourDatagrams() {
        List<Integer> destinations = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            feed(CLIENT_SIDE, datagram());
            for (InMemoryHost.Sent sent : host.drain()) {
                destinations.add(Frames.ipDestination(sent.frame()));
            }
        }
        return destinations;
    }

    @Test
    void shouldScheduleEveryDatagramOfOneClientPortRoundRobinAndLeaveNoEntry() throws ControlException {
        service(DNS, true, ForwardingMethod.MASQ);

        assertThat(destinationsOfFourDatagrams()).containsExactly(RS1, RS2, RS1, RS2);
        assertThat(config.connections()).isEmpty();
        assertThat(director.connections().size()).isZero();
        ServiceSnapshot snapshot = config.services(DNS).getFirst();
        assertThat(snapshot.onePacket()).isTrue();
        assertThat(snapshot.stats().connections).isEqualTo(4);
        assertThat(snapshot.stats().inPackets).isEqualTo(4);
        assertThat(snapshot.realServers()).allSatisfy(server -> {
            assertThat(server.stats().connections).isEqualTo(2);
            assertThat(server.activeConnections() + server.inactiveConnections()).isZero();
        });
    }

    @Test
    void shouldKeepOneEntryForAllDatagramsOfAServiceWithoutOps() throws ControlException {
        service(DNS, false, ForwardingMethod.MASQ);

        assertThat(destinationsOfFourDatagrams()).containsExactly(RS1, RS1, RS1, RS1);
        assertThat(config.connections()).hasSize(1);
    }

    @Test
    void shouldLeaveNatRepliesOfOpsServiceUntranslatedAsTheKernelDoes() throws ControlException {
        service(DNS, true, ForwardingMethod.MASQ);
        feed(CLIENT_SIDE, datagram());
        host.drain();
        long notOurs = director.counters().get(Counter.NOT_OURS);

        feed(SERVER_SIDE, Frames.withMacs(new FrameBuilder().udp().source(RS1).destination(CLIENT).ports(53, 40000)
                .bytes(), SERVER_SIDE_MAC, RS1_MAC));

        assertThat(host.drain()).isEmpty();
        assertThat(director.counters().get(Counter.NOT_OURS)).isEqualTo(notOurs + 1);
    }

    @Test
    void shouldIgnoreOpsForTcpAsTheKernelDoes() throws ControlException {
        service(WEB, true, ForwardingMethod.ROUTE);

        feed(CLIENT_SIDE, Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 80)
                .tcpFlags(TcpHeader.SYN).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC));

        assertThat(host.drain()).hasSize(1);
        assertThat(config.connections()).hasSize(1);
    }

    @Test
    void shouldClearOpsOnEdit() throws ControlException {
        service(DNS, true, ForwardingMethod.MASQ);

        config.editService(new ServiceSpec(DNS, "rr", "", 0, -1));

        assertThat(config.services(DNS).getFirst().onePacket()).isFalse();
        assertThat(destinationsOfFourDatagrams()).containsExactly(RS1, RS1, RS1, RS1);
    }
}
