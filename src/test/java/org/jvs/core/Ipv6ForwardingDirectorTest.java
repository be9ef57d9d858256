package org.jvs.core;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.ServiceKey;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Ipv6FrameBuilder;
import org.jvs.packet.Reference;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.DIRECTOR_SERVER_IP;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_PREFIX6;
import static org.jvs.core.Ipv6Rig.CLIENT6;
import static org.jvs.core.Ipv6Rig.DIRECTOR_SERVER_IP6;
import static org.jvs.core.Ipv6Rig.LIP6;
import static org.jvs.core.Ipv6Rig.PAYLOAD;
import static org.jvs.core.Ipv6Rig.RS6;
import static org.jvs.core.Ipv6Rig.RS6_MAC;
import static org.jvs.core.Ipv6Rig.VIP6;
import static org.jvs.core.Ipv6Rig.clientFrame;
import static org.jvs.core.Ipv6Rig.fromClient;
import static org.jvs.core.Ipv6Rig.packet;
import static org.jvs.core.Ipv6Rig.serverFrame;

/**
 * IPv6 through the whole director, every method and direction, byte for byte: expected frames are built by the test
 * builders (checksums by their slow oracle, never by the code under test), outer headers written out here field by
 * field (ip_vs_nat_xmit_v6, ip_vs_dr_xmit_v6, ip_vs_tunnel_xmit_v6, full NAT over IPv6).
 */
class Ipv6ForwardingDirectorTest {
    final Ipv6Rig rig = new Ipv6Rig();

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Protocol.TCP, Protocol.UDP})
    void shouldTranslateNat66BothWays(int protocol) throws ControlException {
        rig.service(protocol, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.MASQ);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(fromClient(protocol)));

        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(SERVER_SIDE);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(packet(protocol, CLIENT6, 40000, RS6, 8080)
                .tcpFlags(TcpHeader.SYN).hopLimit(63).bytes(), RS6_MAC, SERVER_SIDE_MAC));

        out = rig.feed(SERVER_SIDE, serverFrame(reply(protocol, RS6, 8080, CLIENT6, 40000), RS6_MAC));

        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(CLIENT_SIDE);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(reply(protocol, VIP6, 80, CLIENT6, 40000)
                .hopLimit(63).bytes(), CLIENT_MAC, CLIENT_SIDE_MAC));
        assertThat(rig.count(Counter.FORWARDED_TO_REAL_SERVER)).isEqualTo(1);
        assertThat(rig.count(Counter.FORWARDED_TO_CLIENT)).isEqualTo(1);
        assertThat(rig.count(Counter.NEW_CONNECTIONS)).isEqualTo(1);
    }

    @Test
    void shouldKeepExtensionHeadersThroughNat66() throws ControlException {
        rig.service(Protocol.TCP, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.MASQ);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP).extension(60, 1)));

        assertThat(out).hasSize(1);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(packet(Protocol.TCP, CLIENT6, 40000, RS6, 8080)
                .extension(60, 1).tcpFlags(TcpHeader.SYN).hopLimit(63).bytes(), RS6_MAC, SERVER_SIDE_MAC));
    }

    @Test
    void shouldRouteDirectlyToTheRealServersMac() throws ControlException {
        rig.service(Protocol.TCP, IpAddress.ofIpv6(RS6), 80, ForwardingMethod.ROUTE);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP)));

        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(SERVER_SIDE);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(fromClient(Protocol.TCP).hopLimit(63).bytes(),
                RS6_MAC, SERVER_SIDE_MAC));
    }

    @Test
    void shouldTunnelIpv6InIpv6() throws ControlException {
        rig.service(Protocol.TCP, IpAddress.ofIpv6(RS6), 80, ForwardingMethod.TUNNEL);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP)));

        byte[] inner = ipPacket(fromClient(Protocol.TCP).hopLimit(63).bytes());
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().frame()).isEqualTo(frame(RS6_MAC, 0x86DD, outer6(41, inner.length), inner));
    }

    @Test
    void shouldTunnelIpv6InIpv4ToAnIpv4RealServer() throws ControlException {
        rig.service(Protocol.TCP, IpAddress.ofIpv4(RS1), 80, ForwardingMethod.TUNNEL);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP)));

        byte[] inner = ipPacket(fromClient(Protocol.TCP).hopLimit(63).bytes());
        byte[] outer = ipv4Header(20 + inner.length, 1, 0, 63, 41, DIRECTOR_SERVER_IP, RS1);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().frame()).isEqualTo(frame(RS1_MAC, 0x0800, outer, inner));
    }

    @Test
    void shouldTunnelIpv4InIpv6ToAnIpv6RealServer() throws ControlException {
        rig.ipv4ServiceTunnelledToRs6();
        FrameBuilder syn = new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 80)
                .tcpFlags(TcpHeader.SYN).payload(PAYLOAD);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, Frames.withMacs(syn.bytes(), CLIENT_SIDE_MAC,
                CLIENT_MAC));

        byte[] inner = ipPacket(syn.ttl(63).bytes());
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().frame()).isEqualTo(frame(RS6_MAC, 0x86DD, outer6(4, inner.length), inner));
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Protocol.TCP, Protocol.UDP})
    void shouldFullNatBetweenIpv6Ends(int protocol) throws ControlException {
        ServiceKey key = rig.service(protocol, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.FULLNAT);
        rig.localAddress(key, IpAddress.ofIpv6(LIP6));

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(fromClient(protocol)));

        assertThat(out).hasSize(1);
        byte[] toServer = out.getFirst().frame();
        int localPort = Reference.u16(toServer, 14 + 40);
        assertThat(localPort).isBetween(40000, 40999);
        assertThat(toServer).isEqualTo(Frames.withMacs(packet(protocol, LIP6, localPort, RS6, 8080)
                .tcpFlags(TcpHeader.SYN).hopLimit(63).bytes(), RS6_MAC, SERVER_SIDE_MAC));

        out = rig.feed(SERVER_SIDE, serverFrame(reply(protocol, RS6, 8080, LIP6, localPort), RS6_MAC));

        assertThat(out).hasSize(1);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(reply(protocol, VIP6, 80, CLIENT6, 40000)
                .hopLimit(63).bytes(), CLIENT_MAC, CLIENT_SIDE_MAC));
    }

    @Test
    void shouldFullNatFromTheDirectorsOwnIpv6AddressWithoutLocalAddresses() throws ControlException {
        rig.service(Protocol.TCP, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.FULLNAT);

        byte[] toServer = rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP))).getFirst().frame();

        int localPort = Reference.u16(toServer, 14 + 40);
        assertThat(toServer).isEqualTo(Frames.withMacs(packet(Protocol.TCP, DIRECTOR_SERVER_IP6, localPort, RS6, 8080)
                .tcpFlags(TcpHeader.SYN).hopLimit(63).bytes(), RS6_MAC, SERVER_SIDE_MAC));
        List<InMemoryHost.Sent> out = rig.feed(SERVER_SIDE, serverFrame(reply(Protocol.TCP, RS6, 8080,
                DIRECTOR_SERVER_IP6, localPort), RS6_MAC));
        assertThat(out).extracting(InMemoryHost.Sent::ifindex).containsExactly(CLIENT_SIDE);
    }

    @Test
    void shouldAnswerPacketTooBigFromTheVipWhenThePacketDoesNotFit() throws ControlException {
        rig.service(Protocol.TCP, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.MASQ);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP)
                .payloadLength(1500)));

        // the quote is the packet as it would have left (hop limit 63), cut to keep the error within 1280 bytes
        byte[] offender = ipPacket(fromClient(Protocol.TCP).payloadLength(1500).hopLimit(63).bytes());
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().ifindex()).isEqualTo(CLIENT_SIDE);
        assertThat(out.getFirst().frame()).isEqualTo(icmpv6Error(2, 0, 1500, Arrays.copyOf(offender, 1232)));
        assertThat(rig.count(Counter.ICMPV6_PACKET_TOO_BIG_SENT)).isEqualTo(1);
        assertThat(rig.count(Counter.FORWARDED_TO_REAL_SERVER)).isZero();
    }

    @Test
    void shouldAnswerTimeExceededWhenTheHopLimitRunsOut() throws ControlException {
        rig.service(Protocol.UDP, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.MASQ);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.UDP).hopLimit(1)));

        assertThat(out).hasSize(1);
        assertThat(out.getFirst().frame()).isEqualTo(icmpv6Error(3, 0, 0,
                ipPacket(fromClient(Protocol.UDP).hopLimit(1).bytes())));
        assertThat(rig.count(Counter.DROP_TTL_EXCEEDED)).isEqualTo(1);
    }

    @Test
    void shouldSolicitAnUnknownRealServerThenForwardWhenItAnswers() throws ControlException {
        Ipv6 unknown = new Ipv6(SERVER_SIDE_PREFIX6, 3);
        long unknownMac = 0x02_bb_00_00_06_03L;
        rig.service(Protocol.TCP, IpAddress.ofIpv6(unknown), 8080, ForwardingMethod.MASQ);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP)));

        assertThat(out).hasSize(1);
        assertThat(Frames.destinationMac(out.getFirst().frame())).isEqualTo(0x33_33_ff_00_00_03L);
        assertThat(rig.count(Counter.ND_SOLICITATIONS_SENT)).isEqualTo(1);

        out = rig.feed(SERVER_SIDE, advertisement(unknown, unknownMac));

        assertThat(out).hasSize(1);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(packet(Protocol.TCP, CLIENT6, 40000, unknown,
                8080).tcpFlags(TcpHeader.SYN).hopLimit(63).bytes(), unknownMac, SERVER_SIDE_MAC));
    }

    @Test
    void shouldCountWhatItDoesNotForward() throws ControlException {
        rig.service(Protocol.TCP, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.MASQ);
        long notOurs = rig.count(Counter.NOT_OURS);

        rig.feed(CLIENT_SIDE, clientFrame(packet(Protocol.TCP, CLIENT6, 40000, new Ipv6(VIP6.hi(), 0x11), 80)));
        rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP).fragment(0, true, 7).payloadLength(20)));
        rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP).fragment(0, true, 8).payloadLength(21)));
        rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP).protocol(50)));
        rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP).tcpFlags(TcpHeader.ACK)));

        assertThat(rig.count(Counter.NOT_OURS)).isEqualTo(notOurs + 1);
        assertThat(rig.count(Counter.FRAGMENTS_IN)).as("a first fragment waits for the rest").isEqualTo(1);
        assertThat(rig.count(Counter.DROP_IPV6_EXTENSION_HEADERS)).as("ESP; M set on a fragment not of 8 bytes")
                .isEqualTo(2);
        assertThat(rig.count(Counter.DROP_NO_CONNECTION)).isEqualTo(1);
        assertThat(rig.host.sent).isEmpty();
    }

    @Test
    void shouldReassembleFragmentsAndFragmentAgainWhatDoesNotFitTheWayOut() throws ControlException {
        rig.service(Protocol.UDP, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.MASQ);
        byte[] whole = clientFrame(fromClient(Protocol.UDP).payloadLength(2000));
        List<byte[]> fragments = fragments(whole, 1448, 0x1234);

        assertThat(rig.feed(CLIENT_SIDE, fragments.get(1))).isEmpty();
        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, fragments.get(0));

        byte[] translated = Frames.withMacs(packet(Protocol.UDP, CLIENT6, 40000, RS6, 8080).payloadLength(2000)
                .hopLimit(63).bytes(), RS6_MAC, SERVER_SIDE_MAC);
        assertThat(out).extracting(InMemoryHost.Sent::frame).containsExactlyElementsOf(fragments(translated, 1448, 1));
        assertThat(rig.count(Counter.DATAGRAMS_REASSEMBLED)).isEqualTo(1);
        assertThat(rig.count(Counter.DATAGRAMS_FRAGMENTED)).isEqualTo(1);
    }

    /**
     * The Ethernet/IPv6 frame {@code whole} (no extension headers) cut by hand into fragments of {@code chunk}
     * bytes of its upper layer, each behind a fragment header with {@code identification} (RFC 8200 4.5).
     */
    static List<byte[]> fragments(byte[] whole, int chunk, int identification) {
        int upper = 14 + 40;
        int fragmentable = whole.length - upper;
        List<byte[]> fragments = new java.util.ArrayList<>();
        for (int start = 0; start < fragmentable; start += chunk) {
            int bytes = Math.min(chunk, fragmentable - start);
            boolean more = start + bytes < fragmentable;
            byte[] fragment = new byte[upper + 8 + bytes];
            System.arraycopy(whole, 0, fragment, 0, upper);
            Reference.u16(fragment, 18, 8 + bytes);
            fragment[20] = 44;
            fragment[upper] = whole[20];
            Reference.u16(fragment, upper + 2, start | (more ? 1 : 0));
            Reference.u32(fragment, upper + 4, identification);
            System.arraycopy(whole, upper + start, fragment, upper + 8, bytes);
            fragments.add(fragment);
        }
        return fragments;
    }

    /** A real server's answer to {@link Ipv6Rig#fromClient}: SYN+ACK for TCP. */
    static Ipv6FrameBuilder reply(int protocol, Ipv6 source, int sourcePort, Ipv6 destination, int destinationPort) {
        return packet(protocol, source, sourcePort, destination, destinationPort)
                .tcpFlags(TcpHeader.SYN | TcpHeader.ACK);
    }

    /** The IP packet of an Ethernet frame. */
    static byte[] ipPacket(byte[] frame) {
        return Arrays.copyOfRange(frame, 14, frame.length);
    }

    static void address(byte[] bytes, int offset, Ipv6 address) {
        Ipv6FrameBuilder.u64(bytes, offset, address.hi());
        Ipv6FrameBuilder.u64(bytes, offset + 8, address.lo());
    }

    /** An Ethernet frame from the director's server side to {@code mac}. */
    static byte[] frame(long mac, int etherType, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[14]);
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        byte[] frame = out.toByteArray();
        Reference.u16(frame, 12, etherType);
        return Frames.withMacs(frame, mac, SERVER_SIDE_MAC);
    }

    /** The outer IPv6 header of a tunnel from the director to RS6, field by field: hop limit 63, flow label 0. */
    static byte[] outer6(int nextHeader, int innerLength) {
        byte[] outer = new byte[40];
        Reference.u32(outer, 0, 0x6000_0000);
        Reference.u16(outer, 4, innerLength);
        outer[6] = (byte) nextHeader;
        outer[7] = 63;
        address(outer, 8, DIRECTOR_SERVER_IP6);
        address(outer, 24, RS6);
        return outer;
    }

    static byte[] concat(byte[] first, byte[] second) {
        return ProxyProtocolIpv6DirectorTest.concat(first, second);
    }

    /** An IPv4 header written out field by field, its checksum by the oracle. */
    static byte[] ipv4Header(int totalLength, int identification, int flags, int ttl, int protocol, int source,
                             int destination) {
        byte[] header = new byte[20];
        header[0] = 0x45;
        Reference.u16(header, 2, totalLength);
        Reference.u16(header, 4, identification);
        Reference.u16(header, 6, flags);
        header[8] = (byte) ttl;
        header[9] = (byte) protocol;
        Reference.u32(header, 12, source);
        Reference.u32(header, 16, destination);
        Reference.u16(header, 10, Reference.checksumWithoutField(header, 0, 20, 10, 0));
        return header;
    }

    /** An ICMPv6 error from the VIP to the client (hop limit 64), quoting {@code quote}. */
    static byte[] icmpv6Error(int type, int code, int parameter, byte[] quote) {
        return Frames.withMacs(icmpv6(VIP6, CLIENT6, 64, type, code, parameter, quote), CLIENT_MAC, CLIENT_SIDE_MAC);
    }

    /** An Ethernet/IPv6/ICMPv6 error written out field by field (no MACs), its checksum by the oracle. */
    static byte[] icmpv6(Ipv6 source, Ipv6 destination, int hopLimit, int type, int code, int parameter,
                         byte[] quote) {
        byte[] frame = new byte[14 + 40 + 8 + quote.length];
        Reference.u16(frame, 12, 0x86DD);
        Reference.u32(frame, 14, 0x6000_0000);
        Reference.u16(frame, 18, 8 + quote.length);
        frame[20] = 58;
        frame[21] = (byte) hopLimit;
        address(frame, 22, source);
        address(frame, 38, destination);
        frame[54] = (byte) type;
        frame[55] = (byte) code;
        Reference.u32(frame, 58, parameter);
        System.arraycopy(quote, 0, frame, 62, quote.length);
        Reference.u16(frame, 56, Ipv6FrameBuilder.upperLayerChecksum(frame, 54, 8 + quote.length, 58));
        return frame;
    }

    /** A solicited Neighbour Advertisement (S and O) for {@code target} with its MAC, to the director's link-local. */
    static byte[] advertisement(Ipv6 target, long mac) {
        byte[] frame = new byte[14 + 40 + 32];
        Reference.u16(frame, 12, 0x86DD);
        Reference.u32(frame, 14, 0x6000_0000);
        Reference.u16(frame, 18, 32);
        frame[20] = 58;
        frame[21] = (byte) 255;
        address(frame, 22, target);
        address(frame, 38, new Ipv6(NeighbourSolicitor.LINK_LOCAL_HI, NeighbourSolicitor.linkLocalLo(
                SERVER_SIDE_MAC)));
        frame[54] = (byte) 136;
        Reference.u32(frame, 58, 0x6000_0000);
        address(frame, 62, target);
        frame[78] = 2;
        frame[79] = 1;
        for (int i = 0; i < 6; i++) {
            frame[80 + i] = (byte) (mac >>> (40 - 8 * i));
        }
        Reference.u16(frame, 56, Ipv6FrameBuilder.upperLayerChecksum(frame, 54, 32, 58));
        return Frames.withMacs(frame, SERVER_SIDE_MAC, mac);
    }
}
