package org.jvs.core;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.net.FrameHandler;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Ipv6FrameBuilder;
import org.jvs.packet.Reference;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
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
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.core.Ipv6Rig.RS6;
import static org.jvs.core.Ipv6Rig.LIP4;
import static org.jvs.core.Ipv6Rig.clientFrame;
import static org.jvs.core.Ipv6Rig.fromClient;

/**
 * TCP super-packets where an IPv6 way out builds new headers (IPv6 tunnels, IPv4 in IPv6, NAT64 both ways): cut
 * by the director into segments whose encapsulated or translated packets fit the way out's MTU (1500), each checked
 * with the test builders' checksum oracles, their payloads together the super-packet's.
 */
class Ipv6GsoDirectorTest {
    private static final int PAYLOAD = 20_000;
    private static final int GSO_SIZE_6 = 1500 - 40 - 20;
    private static final int ETHERNET = Reference.ETHERNET;

    final Ipv6Rig rig = new Ipv6Rig();

    static byte[] superPacket6() {
        return clientFrame(fromClient(Protocol.TCP).tcpFlags(TcpHeader.ACK | TcpHeader.PSH).payloadLength(PAYLOAD));
    }

    /** IPv6 in IPv6 (the outer header 40 bytes) and IPv6 in IPv4 (20). */
    @ParameterizedTest(name = "IPv6 real server {0}")
    @ValueSource(booleans = {true, false})
    void shouldCutIpv6TunnelledSoTheOuterPacketsFit(boolean ipv6Server) throws ControlException {
        rig.service(Protocol.TCP, ipv6Server ? IpAddress.ofIpv6(RS6) : IpAddress.ofIpv4(RS1), 80,
                ForwardingMethod.TUNNEL);
        rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP)));
        byte[] superPacket = superPacket6();

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, superPacket, FrameHandler.tcpSegmentation(GSO_SIZE_6));

        assertSegments(out, ETHERNET + (ipv6Server ? 40 : 20), true, superPacket, ETHERNET + 40 + 20);
    }

    /** IPv4 in IPv6: an IPv4 service's super-packet cut for the 40 bytes of the IPv6 outer header, not IPIP's 20. */
    @Test
    void shouldCutIpv4TunnelledInIpv6SoTheOuterPacketsFit() throws ControlException {
        rig.ipv4ServiceTunnelledToRs6();
        FrameBuilder packet = new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 80);
        rig.feed(CLIENT_SIDE, Frames.withMacs(packet.tcpFlags(TcpHeader.SYN).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC));
        byte[] superPacket = Frames.withMacs(packet.tcpFlags(TcpHeader.ACK).payloadLength(PAYLOAD).bytes(),
                CLIENT_SIDE_MAC, CLIENT_MAC);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, superPacket, FrameHandler.tcpSegmentation(1460));

        assertSegments(out, ETHERNET + 40, false, superPacket, ETHERNET + 20 + 20);
    }

    @Test
    void shouldCutNat64UploadsAndDownloads() throws ControlException {
        Nat64DirectorTest nat64 = new Nat64DirectorTest();
        nat64.nat64Service(Protocol.TCP);
        int localPort = Frames.sourcePort(nat64.rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP)))
                .getFirst().frame());
        byte[] upload = superPacket6();

        List<InMemoryHost.Sent> out = nat64.rig.feed(CLIENT_SIDE, upload, FrameHandler.tcpSegmentation(GSO_SIZE_6));

        assertSegments(out, ETHERNET, false, upload, ETHERNET + 40 + 20);

        byte[] download = Frames.withMacs(Nat64DirectorTest.ipv4(Protocol.TCP, RS1, 8080, LIP4, localPort)
                .tcpFlags(TcpHeader.ACK | TcpHeader.PSH).payloadLength(PAYLOAD).bytes(), SERVER_SIDE_MAC, RS1_MAC);

        out = nat64.rig.feed(SERVER_SIDE, download, FrameHandler.tcpSegmentation(1460));

        assertSegments(out, ETHERNET, true, download, ETHERNET + 20 + 20);
        assertThat(nat64.rig.count(Counter.SEGMENTED_GSO_FRAMES)).isEqualTo(2);
        assertThat(nat64.rig.count(Counter.DROP_GSO_NOT_SEGMENTED)).isZero();
    }

    /**
     * Every frame of {@code out} fits 1500 IP bytes; its packet at {@code innerIp} (IPv6 or IPv4) carries a TCP
     * segment with a right checksum, the segments' payloads together the super-packet's (payload at
     * {@code payloadAt}).
     */
    private static void assertSegments(List<InMemoryHost.Sent> out, int innerIp, boolean innerIpv6, byte[] superPacket,
                                       int payloadAt) {
        assertThat(out).hasSizeGreaterThan(PAYLOAD / 1500);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (InMemoryHost.Sent sent : out) {
            byte[] frame = sent.frame();
            assertThat(frame.length - ETHERNET).isLessThanOrEqualTo(1500);
            assertThat(sent.flags()).isZero();
            // the inner packet alone behind an Ethernet header, for the oracles that read it there
            byte[] inner = new byte[frame.length - innerIp + ETHERNET];
            System.arraycopy(frame, innerIp, inner, ETHERNET, frame.length - innerIp);
            int tcp = ETHERNET + (innerIpv6 ? 40 : 20);
            int tcpLength = inner.length - tcp;
            int expected = innerIpv6 ? Ipv6FrameBuilder.upperLayerChecksum(inner, tcp, tcpLength, Protocol.TCP)
                    : Reference.transportChecksum(inner, ETHERNET);
            assertThat(Reference.u16(inner, tcp + 16)).isEqualTo(expected);
            payload.write(inner, tcp + 20, tcpLength - 20);
        }
        assertThat(payload.toByteArray()).isEqualTo(Arrays.copyOfRange(superPacket, payloadAt, superPacket.length));
    }
}
