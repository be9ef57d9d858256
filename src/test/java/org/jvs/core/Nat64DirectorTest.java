package org.jvs.core;

import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.ServiceKey;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.core.Ipv6ForwardingDirectorTest.reply;
import static org.jvs.core.Ipv6Rig.CLIENT6;
import static org.jvs.core.Ipv6Rig.LIP4;
import static org.jvs.core.Ipv6Rig.PAYLOAD;
import static org.jvs.core.Ipv6Rig.VIP6;
import static org.jvs.core.Ipv6Rig.clientFrame;
import static org.jvs.core.Ipv6Rig.fromClient;

/**
 * NAT64: an IPv6 VIP's full-NAT connections to an IPv4 real server through an IPv4 local address, translated as
 * RFC 7915 says, byte for byte against frames the IPv4 and IPv6 test builders write (their own checksum oracles).
 */
class Nat64DirectorTest {
    final Ipv6Rig rig = new Ipv6Rig();

    /** What the IPv4 real server sees of {@link Ipv6Rig#fromClient}, or sends back: the same TCP fields, IPv4. */
    static FrameBuilder ipv4(int protocol, int source, int sourcePort, int destination, int destinationPort) {
        FrameBuilder builder = new FrameBuilder().source(source).destination(destination)
                .ports(sourcePort, destinationPort).sequence(0x11223344).acknowledgment(0).window(65535)
                .payload(PAYLOAD);
        return protocol == Protocol.UDP ? builder.udp() : builder;
    }

    ServiceKey nat64Service(int protocol) throws ControlException {
        ServiceKey key = rig.service(protocol, IpAddress.ofIpv4(RS1), 8080, ForwardingMethod.FULLNAT);
        rig.localAddress(key, IpAddress.ofIpv4(LIP4));
        return key;
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Protocol.TCP, Protocol.UDP})
    void shouldTranslateTheClientsIpv6ToIpv4AndTheRepliesBack(int protocol) throws ControlException {
        nat64Service(protocol);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(fromClient(protocol)));

        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(SERVER_SIDE);
        byte[] toServer = out.getFirst().frame();
        int localPort = Frames.sourcePort(toServer);
        assertThat(localPort).isBetween(40000, 40999);
        // RFC 7915 5.1: TTL = hop limit - 1, no DF for 1260 bytes or less, then an identification of its own
        assertThat(toServer).isEqualTo(Frames.withMacs(ipv4(protocol, LIP4, localPort, RS1, 8080)
                .tcpFlags(TcpHeader.SYN).ttl(63).dontFragment(false).identification(1).bytes(), RS1_MAC,
                SERVER_SIDE_MAC));

        out = rig.feed(SERVER_SIDE, Frames.withMacs(ipv4(protocol, RS1, 8080, LIP4, localPort)
                .tcpFlags(TcpHeader.SYN | TcpHeader.ACK).bytes(), SERVER_SIDE_MAC, RS1_MAC));

        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(CLIENT_SIDE);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(reply(protocol, VIP6, 80, CLIENT6, 40000)
                .flowLabel(0).hopLimit(63).bytes(), CLIENT_MAC, CLIENT_SIDE_MAC));
        assertThat(rig.count(Counter.FORWARDED_TO_CLIENT)).isEqualTo(1);
    }

    @Test
    void shouldComputeTheChecksumAnIpv4UdpReplyWentWithout() throws ControlException {
        nat64Service(Protocol.UDP);
        int localPort = Frames.sourcePort(rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.UDP))).getFirst()
                .frame());

        List<InMemoryHost.Sent> out = rig.feed(SERVER_SIDE, Frames.withMacs(ipv4(Protocol.UDP, RS1, 8080, LIP4,
                localPort).udpChecksum(false).bytes(), SERVER_SIDE_MAC, RS1_MAC));

        assertThat(out).hasSize(1);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(reply(Protocol.UDP, VIP6, 80, CLIENT6, 40000)
                .flowLabel(0).hopLimit(63).bytes(), CLIENT_MAC, CLIENT_SIDE_MAC));
    }

    @Test
    void shouldSetDontFragmentOnTranslatedPacketsBeyond1260Bytes() throws ControlException {
        nat64Service(Protocol.TCP);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP).payloadLength(1300)));

        byte[] toServer = out.getFirst().frame();
        int localPort = Frames.sourcePort(toServer);
        assertThat(toServer).isEqualTo(Frames.withMacs(ipv4(Protocol.TCP, LIP4, localPort, RS1, 8080)
                .payloadLength(1300).tcpFlags(TcpHeader.SYN).ttl(63).dontFragment(true).identification(0).bytes(),
                RS1_MAC, SERVER_SIDE_MAC));
    }

    @Test
    void shouldUseTheDirectorsOwnAddressWithoutLocalAddresses() throws ControlException {
        rig.service(Protocol.TCP, IpAddress.ofIpv4(RS1), 8080, ForwardingMethod.FULLNAT);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP)));

        assertThat(Frames.ipSource(out.getFirst().frame())).isEqualTo(InMemoryHost.DIRECTOR_SERVER_IP);
    }
}
