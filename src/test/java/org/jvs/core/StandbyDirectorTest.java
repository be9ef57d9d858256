package org.jvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;

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

/**
 * A VRRP backup's VIP: while its master holds it, this director answers no ARP for it (or it would steal the VIP)
 * and serves none of its services; once it becomes master, both come back.
 */
class StandbyDirectorTest {
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);

    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    final DirectorConfig config = new DirectorConfig(director);

    @Test
    void shouldNeitherAnswerArpNorServeAVipOnStandbyUntilItIsHeldAgain() throws ControlException {
        director.now(1_000_000_000L);
        feed(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP));
        feed(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP));
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 80, ForwardingMethod.MASQ, 1, 0, 0));
        host.drain();

        config.standby(VIP, true);
        feed(CLIENT_SIDE, Frames.arp(1, CLIENT_MAC, CLIENT, 0, VIP));
        feed(CLIENT_SIDE, syn(40_000));
        assertThat(host.drain()).as("no ARP reply, nothing forwarded").isEmpty();
        assertThat(director.counters().get(Counter.NOT_OURS)).isEqualTo(1);

        config.standby(VIP, false);
        feed(CLIENT_SIDE, Frames.arp(1, CLIENT_MAC, CLIENT, 0, VIP));
        feed(CLIENT_SIDE, syn(40_001));
        assertThat(host.drain()).extracting(sent -> Frames.etherType(sent.frame())).containsExactly(0x0806, 0x0800);
    }

    /** A full-NAT local address that moves with the VIPs (a VRRP address too) is not claimed by the backup either. */
    @Test
    void shouldNotAnswerArpForAFullNatLocalAddressOnStandby() throws ControlException {
        int lip = org.jvs.packet.Reference.ip(192, 0, 2, 100);
        director.now(1_000_000_000L);
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 80, ForwardingMethod.FULLNAT, 1, 0, 0));
        config.addLocalAddress(WEB, new org.jvs.api.LocalAddressSpec(lip, ""));
        host.drain();

        config.standby(lip, true);
        feed(SERVER_SIDE, Frames.arp(1, RS1_MAC, RS1, 0, lip));
        assertThat(host.drain()).as("no ARP reply for the local address on standby").isEmpty();

        config.standby(lip, false);
        feed(SERVER_SIDE, Frames.arp(1, RS1_MAC, RS1, 0, lip));
        assertThat(host.drain()).extracting(sent -> Frames.etherType(sent.frame())).containsExactly(0x0806);
    }

    static byte[] syn(int port) {
        return Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(port, 80)
                .tcpFlags(TcpHeader.SYN).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);
    }

    void feed(int ifindex, byte[] frame) {
        director.onFrame(ifindex, Frames.nativeCopy(frame), 0, frame.length, 0);
    }
}
