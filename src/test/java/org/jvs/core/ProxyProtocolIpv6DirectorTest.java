package org.jvs.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.api.LocalAddressSpec;
import org.jvs.net.FrameHandler;
import org.jvs.packet.Ipv6FrameBuilder;
import org.jvs.packet.Reference;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.core.Ipv6ForwardingDirectorTest.address;
import static org.jvs.core.Ipv6ForwardingDirectorTest.ipPacket;
import static org.jvs.core.Ipv6Rig.CLIENT6;
import static org.jvs.core.Ipv6Rig.LIP4;
import static org.jvs.core.Ipv6Rig.PAYLOAD;
import static org.jvs.core.Ipv6Rig.RS6;
import static org.jvs.core.Ipv6Rig.RS6_MAC;
import static org.jvs.core.Ipv6Rig.VIP6;
import static org.jvs.core.Ipv6Rig.clientFrame;
import static org.jvs.core.Ipv6Rig.fromClient;
import static org.jvs.core.Ipv6Rig.packet;

/**
 * The PROXY protocol for IPv6 clients: "PROXY TCP6" (v1) and the v2 header for AF_INET6, ahead of the first data of a
 * NAT66 connection and of a NAT64 one, byte for byte (header bytes written out here, checksums by the builders).
 */
class ProxyProtocolIpv6DirectorTest {
    static final int FIRST_DATA_SEQUENCE = 0x11223345;

    final Ipv6Rig rig = new Ipv6Rig();

    ServiceKey service(int version, IpAddress realServer) throws ControlException {
        ServiceKey key = new ServiceKey(Protocol.TCP, IpAddress.ofIpv6(VIP6), 80);
        rig.config.addService(new ServiceSpec(key, "rr", "", 0, 128, false, version));
        rig.config.addRealServer(key, new RealServerSpec(realServer, 8080,
                realServer.isIpv4() ? ForwardingMethod.FULLNAT : ForwardingMethod.MASQ, 1, 0, 0));
        return key;
    }

    @Test
    void shouldPutAVersion1Tcp6HeaderAheadOfANat66ConnectionsFirstData() throws ControlException {
        service(1, IpAddress.ofIpv6(RS6));
        rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP)));

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(packet(Protocol.TCP, CLIENT6, 40000, VIP6, 80)
                .sequence(FIRST_DATA_SEQUENCE)));

        byte[] header = "PROXY TCP6 2001:db8:c::a 2001:db8:f::10 40000 80\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(packet(Protocol.TCP, CLIENT6, 40000, RS6, 8080)
                .sequence(FIRST_DATA_SEQUENCE).payload(concat(header, PAYLOAD)).hopLimit(63).bytes(), RS6_MAC,
                SERVER_SIDE_MAC));
        assertThat(rig.count(Counter.PROXY_HEADERS_INSERTED)).isEqualTo(1);
    }

    @Test
    void shouldQuoteTheClientsOwnSequenceInAnErrorAboutALaterSegment() throws ControlException {
        service(1, IpAddress.ofIpv6(RS6));
        rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP)));
        rig.feed(CLIENT_SIDE, clientFrame(packet(Protocol.TCP, CLIENT6, 40000, VIP6, 80).sequence(FIRST_DATA_SEQUENCE)));
        int headerLength = "PROXY TCP6 2001:db8:c::a 2001:db8:f::10 40000 80\r\n".length();
        int later = FIRST_DATA_SEQUENCE + PAYLOAD.length;
        byte[] toServer = rig.feed(CLIENT_SIDE, clientFrame(packet(Protocol.TCP, CLIENT6, 40000, VIP6, 80)
                .sequence(later))).getFirst().frame();
        assertThat(Reference.u32(toServer, 14 + 40 + 4)).isEqualTo(later + headerLength);

        Ipv6 router = new Ipv6(InMemoryHost.SERVER_SIDE_PREFIX6, 0xFE);
        List<InMemoryHost.Sent> out = rig.feed(SERVER_SIDE, Frames.withMacs(Ipv6ForwardingDirectorTest.icmpv6(router,
                CLIENT6, 64, 2, 0, 1280, ipPacket(toServer)), SERVER_SIDE_MAC, 0x02_cc_00_00_00_feL));

        byte[] asSent = ipPacket(packet(Protocol.TCP, CLIENT6, 40000, VIP6, 80).sequence(later).hopLimit(63).bytes());
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(Ipv6ForwardingDirectorTest.icmpv6(VIP6, CLIENT6,
                63, 2, 0, 1280, asSent), DirectorTest.CLIENT_MAC, InMemoryHost.CLIENT_SIDE_MAC));
    }

    @Test
    void shouldPutAVersion2Ipv6HeaderAheadOfANat64ConnectionsFirstData() throws ControlException {
        ServiceKey key = service(2, IpAddress.ofIpv4(RS1));
        rig.config.addLocalAddress(key, new LocalAddressSpec(IpAddress.ofIpv4(LIP4), ""));
        int localPort = Frames.sourcePort(rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP))).getFirst()
                .frame());

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(packet(Protocol.TCP, CLIENT6, 40000, VIP6, 80)
                .sequence(FIRST_DATA_SEQUENCE)));

        byte[] header = new byte[52];
        byte[] signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        System.arraycopy(signature, 0, header, 0, 12);
        header[12] = 0x21;
        header[13] = 0x21;
        Reference.u16(header, 14, 36);
        address(header, 16, CLIENT6);
        address(header, 32, VIP6);
        Reference.u16(header, 48, 40000);
        Reference.u16(header, 50, 80);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().frame()).isEqualTo(Frames.withMacs(Nat64DirectorTest.ipv4(Protocol.TCP, LIP4,
                localPort, RS1, 8080).sequence(FIRST_DATA_SEQUENCE).tcpFlags(TcpHeader.ACK)
                .payload(concat(header, PAYLOAD)).ttl(63).dontFragment(false).identification(2).bytes(), RS1_MAC,
                SERVER_SIDE_MAC));
    }

    @Test
    void shouldCutASuperPacketThatStartsTheStreamSoItsFirstSegmentFitsWithTheHeader() throws ControlException {
        service(1, IpAddress.ofIpv6(RS6));
        rig.feed(CLIENT_SIDE, clientFrame(fromClient(Protocol.TCP)));
        Ipv6FrameBuilder superPacket = packet(Protocol.TCP, CLIENT6, 40000, VIP6, 80).sequence(FIRST_DATA_SEQUENCE)
                .tcpFlags(TcpHeader.ACK | TcpHeader.PSH).payloadLength(20_000);
        byte[] body = Arrays.copyOfRange(superPacket.bytes(), 14 + 40 + 20, 14 + 40 + 20 + 20_000);

        List<InMemoryHost.Sent> out = rig.feed(CLIENT_SIDE, clientFrame(superPacket),
                FrameHandler.tcpSegmentation(1440));

        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (InMemoryHost.Sent sent : out) {
            byte[] frame = sent.frame();
            int tcpLength = frame.length - 14 - 40;
            assertThat(frame.length - 14).isLessThanOrEqualTo(1500);
            assertThat(Reference.u16(frame, 14 + 40 + 16))
                    .isEqualTo(Ipv6FrameBuilder.upperLayerChecksum(frame, 14 + 40, tcpLength, Protocol.TCP));
            assertThat(Reference.u32(frame, 14 + 40 + 4)).isEqualTo(FIRST_DATA_SEQUENCE + stream.size());
            stream.write(frame, 14 + 40 + 20, tcpLength - 20);
        }
        byte[] header = "PROXY TCP6 2001:db8:c::a 2001:db8:f::10 40000 80\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(stream.toByteArray()).isEqualTo(concat(header, body));
        assertThat(rig.count(Counter.PROXY_HEADERS_INSERTED)).isEqualTo(1);
        assertThat(rig.count(Counter.SEGMENTED_GSO_FRAMES)).isEqualTo(1);
    }

    static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }
}
