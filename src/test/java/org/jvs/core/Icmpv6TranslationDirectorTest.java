package org.jvs.core;

import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.ServiceKey;
import org.jvs.packet.Reference;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_PREFIX6;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_PREFIX6;
import static org.jvs.core.Ipv6ForwardingDirectorTest.icmpv6;
import static org.jvs.core.Ipv6ForwardingDirectorTest.ipPacket;
import static org.jvs.core.Ipv6ForwardingDirectorTest.reply;
import static org.jvs.core.Ipv6Rig.CLIENT6;
import static org.jvs.core.Ipv6Rig.LIP6;
import static org.jvs.core.Ipv6Rig.RS6;
import static org.jvs.core.Ipv6Rig.RS6_MAC;
import static org.jvs.core.Ipv6Rig.VIP6;
import static org.jvs.core.Ipv6Rig.clientFrame;
import static org.jvs.core.Ipv6Rig.fromClient;
import static org.jvs.core.Ipv6Rig.packet;

/**
 * ICMPv6 errors about NAT66 and full-NAT connections (ip_vs_out_icmp_v6, ip_vs_in_icmp_v6), translated for the other
 * side byte for byte: the quote as that side sent its packet (quoted checksum by RFC 1624, checked here against the
 * builders' oracle), the outer header rewritten, the ICMPv6 checksum summed anew.
 */
class Icmpv6TranslationDirectorTest {
    static final Ipv6 SERVER_ROUTER = new Ipv6(SERVER_SIDE_PREFIX6, 0xFE);
    static final Ipv6 CLIENT_ROUTER = new Ipv6(CLIENT_SIDE_PREFIX6, 0xFE);
    static final long ROUTER_MAC = 0x02_cc_00_00_00_fel;

    final Ipv6Rig rig = new Ipv6Rig();

    @Test
    void shouldTellTheClientOfPacketTooBigBeyondANat66RealServer() throws ControlException {
        rig.service(Protocol.TCP, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.MASQ);
        rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP)));
        byte[] quoted = ipPacket(packet(Protocol.TCP, CLIENT6, 40000, RS6, 8080).tcpFlags(TcpHeader.SYN)
                .hopLimit(63).bytes());

        List<InMemoryHost.Sent> out = rig.feed(SERVER_SIDE, Frames.withMacs(icmpv6(SERVER_ROUTER, CLIENT6, 64, 2, 0,
                1400, quoted), SERVER_SIDE_MAC, ROUTER_MAC));

        byte[] asSent = ipPacket(fromClient(Protocol.TCP).hopLimit(63).bytes());
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(CLIENT_SIDE);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(icmpv6(VIP6, CLIENT6, 63, 2, 0, 1400, asSent),
                CLIENT_MAC, CLIENT_SIDE_MAC));
        assertThat(rig.count(Counter.ICMP_ERRORS_TO_CLIENT)).isEqualTo(1);
    }

    @Test
    void shouldTellAFullNatRealServerOfAnErrorAboutItsReply() throws ControlException {
        ServiceKey key = rig.service(Protocol.UDP, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.FULLNAT);
        rig.localAddress(key, IpAddress.ofIpv6(LIP6));
        int localPort = Reference.u16(rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.UDP))).getFirst()
                .frame(), 14 + 40);
        byte[] quoted = ipPacket(reply(Protocol.UDP, VIP6, 80, CLIENT6, 40000).hopLimit(63).bytes());

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, Frames.withMacs(icmpv6(CLIENT_ROUTER, VIP6, 64, 1, 4, 0,
                quoted), CLIENT_SIDE_MAC, ROUTER_MAC));

        byte[] asSent = ipPacket(reply(Protocol.UDP, RS6, 8080, LIP6, localPort).hopLimit(63).bytes());
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(SERVER_SIDE);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(icmpv6(LIP6, RS6, 63, 1, 4, 0, asSent),
                RS6_MAC, SERVER_SIDE_MAC));
        assertThat(rig.count(Counter.ICMP_ERRORS_TO_REAL_SERVER)).isEqualTo(1);
    }

    @Test
    void shouldLeaveErrorsAboutNoConnectionAndEchoesToTheKernel() throws ControlException {
        rig.service(Protocol.TCP, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.MASQ);
        long notOurs = rig.count(Counter.NOT_OURS);
        byte[] quoted = ipPacket(packet(Protocol.TCP, CLIENT6, 40001, RS6, 8080).hopLimit(63).bytes());

        rig.feed(SERVER_SIDE, Frames.withMacs(icmpv6(SERVER_ROUTER, CLIENT6, 64, 1, 0, 0, quoted), SERVER_SIDE_MAC,
                ROUTER_MAC));
        rig.feed(CLIENT_SIDE, clientFrame(packet(Protocol.TCP, CLIENT6, 40000, VIP6, 80).icmpv6()));

        assertThat(rig.count(Counter.NOT_OURS)).isEqualTo(notOurs + 2);
        assertThat(rig.host.sent).isEmpty();
    }
}
