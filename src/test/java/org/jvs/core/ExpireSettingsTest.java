package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.List;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

/** IPVS's expire_nodest_conn and expire_quiescent_template sysctls as director settings. */
class ExpireSettingsTest {
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);

    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    final DirectorConfig config = new DirectorConfig(director);

    @BeforeEach
    void learnNeighbours() {
        director.now(1_000_000_000L);
        feed(Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP), CLIENT_SIDE);
        feed(Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), SERVER_SIDE);
        feed(Frames.arp(2, RS2_MAC, RS2, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), SERVER_SIDE);
        host.drain();
    }

    private void feed(byte[] frame, int ifindex) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, 0);
    }

    private void fromClient(int clientPort, int tcpFlags) {
        feed(Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(clientPort, 80)
                .tcpFlags(tcpFlags).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC), CLIENT_SIDE);
    }

    private void service(int persistenceS) throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", persistenceS, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 1, 0, 0));
        config.addRealServer(WEB, new RealServerSpec(RS2, 8080, ForwardingMethod.MASQ, 1, 0, 0));
    }

    private List<Integer> destinations() {
        return host.drain().stream().map(sent -> Frames.ipDestination(sent.frame())).toList();
    }

    @ParameterizedTest(name = "expire_nodest_conn={0}")
    @CsvSource({"0, 1, 1", "1, 0, 0"})
    void shouldDrainOrExpireConnectionsOfADeletedServer(int expireNodestConn, int forwarded, int entriesLeft)
            throws ControlException {
        service(0);
        config.setSetting("expire_nodest_conn", expireNodestConn);
        fromClient(40000, TcpHeader.SYN);
        host.drain();

        config.deleteRealServer(WEB, RS1, 8080);
        fromClient(40000, TcpHeader.ACK);

        assertThat(destinations()).hasSize(forwarded);
        assertThat(config.connections()).hasSize(entriesLeft);
    }

    @Test
    void shouldRescheduleTheNextConnectionOfAClientWhoseDeletedServerConnectionExpired() throws ControlException {
        service(0);
        config.setSetting("expire_nodest_conn", 1);
        fromClient(40000, TcpHeader.SYN);
        config.deleteRealServer(WEB, RS1, 8080);
        fromClient(40000, TcpHeader.ACK);
        host.drain();

        fromClient(40000, TcpHeader.SYN);

        assertThat(destinations()).containsExactly(RS2);
    }

    @ParameterizedTest(name = "expire_quiescent_template={0}")
    @CsvSource({"0, 192.0.2.11", "1, 192.0.2.12"})
    void shouldKeepOrRescheduleTemplateClientsOfAQuiescedServer(int expireQuiescentTemplate, String expected)
            throws ControlException {
        service(360);
        config.setSetting("expire_quiescent_template", expireQuiescentTemplate);
        fromClient(40000, TcpHeader.SYN);
        host.drain();

        config.editRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 0, 0, 0));
        fromClient(40001, TcpHeader.SYN);

        assertThat(destinations()).containsExactly(org.jvs.service.Ipv4.parse(expected));
    }

    @Test
    void shouldRefuseAnUnknownSettingNamingIt() {
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(ControlException.class,
                () -> config.setSetting("expire_everything", 1)).getMessage())
                .isEqualTo("No such setting 'expire_everything' (expected expire_nodest_conn or expire_quiescent_template)");
    }
}
