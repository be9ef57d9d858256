package org.jvs.core;

import java.util.Arrays;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.ServiceKey;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Reference;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
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
    void shouldFragmentAgainAsIpv6AReassembledReplyThatDoesNotFitTheWayOut() throws ControlException {
        nat64Service(Protocol.UDP);
        int localPort = Frames.sourcePort(rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.UDP))).getFirst()
                .frame());
        byte[] whole = Frames.withMacs(ipv4(Protocol.UDP, RS1, 8080, LIP4, localPort).payloadLength(4000).dontFragment(false).bytes(),
                SERVER_SIDE_MAC, RS1_MAC);

        List<InMemoryHost.Sent> out = List.of();
        for (byte[] fragment : Frames.fragments(whole, 1500)) {
            out = rig.feed(SERVER_SIDE, fragment);
        }

        // as ip6_fragment after nf_defrag: fragments of the way out's MTU (1500: 1448 bytes of data each)
        byte[] translated = Frames.withMacs(reply(Protocol.UDP, VIP6, 80, CLIENT6, 40000).payloadLength(4000)
                .flowLabel(0).hopLimit(63).bytes(), CLIENT_MAC, CLIENT_SIDE_MAC);
        assertThat(out).extracting(InMemoryHost.Sent::frame)
                .containsExactlyElementsOf(Ipv6ForwardingDirectorTest.fragments(translated, 1448, 1));
        assertThat(rig.count(Counter.DATAGRAMS_REASSEMBLED)).isEqualTo(1);
        assertThat(rig.count(Counter.DATAGRAMS_FRAGMENTED)).isEqualTo(1);
        assertThat(rig.count(Counter.FORWARDED_TO_CLIENT)).isEqualTo(1);
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

    @Test
    void shouldTellTheIpv6ClientOfFragmentationNeededAsPacketTooBig() throws ControlException {
        nat64Service(Protocol.TCP);
        byte[] toServer = rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP))).getFirst().frame();
        byte[] quote = Arrays.copyOfRange(toServer, 14, 14 + 28);
        int router = Reference.ip(192, 0, 2, 254);
        byte[] icmp = fragmentationNeeded(1400, quote);
        byte[] error = Ipv6ForwardingDirectorTest.frame(RS1_MAC, 0x0800,
                Ipv6ForwardingDirectorTest.ipv4Header(20 + icmp.length, 7, 0, 64, 1, router, LIP4), icmp);

        List<InMemoryHost.Sent> out = rig.feed(SERVER_SIDE, Frames.withMacs(error, SERVER_SIDE_MAC, RS1_MAC));

        // RFC 7915 4.2: Packet Too Big announcing 1400 + 20, quoting the client's packet: its header rebuilt
        byte[] quote6 = Arrays.copyOf(Ipv6ForwardingDirectorTest.ipPacket(fromClient(Protocol.TCP).flowLabel(0)
                .hopLimit(63).bytes()), 40 + 8);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(CLIENT_SIDE);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(Ipv6ForwardingDirectorTest.icmpv6(VIP6, CLIENT6,
                63, 2, 0, 1420, quote6), CLIENT_MAC, CLIENT_SIDE_MAC));
        assertThat(rig.count(Counter.ICMP_ERRORS_TO_CLIENT)).isEqualTo(1);
    }

    @Test
    void shouldTellTheIpv4RealServerOfPacketTooBigAboutItsReplyAsFragmentationNeeded() throws ControlException {
        nat64Service(Protocol.TCP);
        int localPort = Frames.sourcePort(rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP))).getFirst()
                .frame());
        rig.feed(SERVER_SIDE, Frames.withMacs(ipv4(Protocol.TCP, RS1, 8080, LIP4, localPort)
                .tcpFlags(TcpHeader.SYN | TcpHeader.ACK).bytes(), SERVER_SIDE_MAC, RS1_MAC));
        byte[] replyAsSent = Ipv6ForwardingDirectorTest.ipPacket(reply(Protocol.TCP, VIP6, 80, CLIENT6, 40000)
                .flowLabel(0).hopLimit(63).bytes());
        Ipv6 router = new Ipv6(InMemoryHost.CLIENT_SIDE_PREFIX6, 0xFE);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, Frames.withMacs(Ipv6ForwardingDirectorTest.icmpv6(router,
                VIP6, 64, 2, 0, 1300, replyAsSent), CLIENT_SIDE_MAC, 0x02_cc_00_00_00_feL));

        // RFC 7915 5.2: fragmentation needed announcing 1300 - 20, quoting the reply as the real server sent it
        byte[] serverReply = ipv4(Protocol.TCP, RS1, 8080, LIP4, localPort).tcpFlags(TcpHeader.SYN | TcpHeader.ACK)
                .bytes();
        byte[] quote = Ipv6ForwardingDirectorTest.concat(Ipv6ForwardingDirectorTest.ipv4Header(45, 0, 0, 63, 6, RS1,
                LIP4), Arrays.copyOfRange(serverReply, 14 + 20, serverReply.length));
        byte[] icmp = fragmentationNeeded(1280, quote);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().frame()).isEqualTo(Ipv6ForwardingDirectorTest.frame(RS1_MAC, 0x0800,
                Ipv6ForwardingDirectorTest.ipv4Header(20 + icmp.length, 0, 0, 63, 1, LIP4, RS1), icmp));
        assertThat(rig.count(Counter.ICMP_ERRORS_TO_REAL_SERVER)).isEqualTo(1);
    }

    /** An ICMP fragmentation-needed message announcing {@code mtu}, written out, its checksum by the oracle. */
    static byte[] fragmentationNeeded(int mtu, byte[] quote) {
        byte[] icmp = new byte[8 + quote.length];
        icmp[0] = 3;
        icmp[1] = 4;
        Reference.u16(icmp, 6, mtu);
        System.arraycopy(quote, 0, icmp, 8, quote.length);
        Reference.u16(icmp, 2, Reference.checksumWithoutField(icmp, 0, icmp.length, 2, 0));
        return icmp;
    }
}
