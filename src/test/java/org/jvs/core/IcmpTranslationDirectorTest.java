package org.jvs.core;

import java.util.Arrays;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.IcmpHeader;
import org.jvs.packet.Reference;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import static org.jvs.packet.Reference.ip;

/**
 * ICMP errors about NAT and full-NAT connections, golden frames: the error the director sends is compared byte for
 * byte with one built from scratch (checksums from the test oracle), as the other side would see it.
 */
class IcmpTranslationDirectorTest {
    static final int LIP = ip(192, 0, 2, 100);
    static final int ROUTER = ip(192, 0, 2, 254);
    static final int CLIENT_ROUTER = ip(198, 51, 100, 254);
    static final long ROUTER_MAC = 0x02_cc_00_00_00_feL;
    static final int CLIENT_PORT = 40000;
    static final byte[] PAYLOAD = new byte[40];
    /** RFC 792: the offending header and 8 bytes; RFC 1812 routers quote more, as Linux does. */
    static final int SHORT_QUOTE = 28;
    static final int LONG_QUOTE = 48;

    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 1024, 5000, 5000);
    final DirectorConfig config = new DirectorConfig(director);

    @BeforeEach
    void learnNeighbours() {
        director.now(1_000_000_000L);
        feed(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP));
        feed(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP));
        host.drain();
    }

    void feed(int ifindex, byte[] frame) {
        director.onFrame(ifindex, Frames.nativeCopy(frame), 0, frame.length, 0);
    }

    void service(int protocol, ForwardingMethod method) throws ControlException {
        ServiceKey key = new ServiceKey(protocol, VIP, 80);
        config.addService(new ServiceSpec(key, "rr", "", 0, -1));
        config.addRealServer(key, new RealServerSpec(RS1, 8080, method, 1, 0, 0));
        if (method == ForwardingMethod.FULLNAT) {
            config.addLocalAddress(key, new LocalAddressSpec(LIP, ""));
        }
    }

    static FrameBuilder packet(int protocol, int source, int sourcePort, int destination, int destinationPort, int ttl) {
        FrameBuilder builder = new FrameBuilder().protocol(protocol).source(source).destination(destination)
                .ports(sourcePort, destinationPort).ttl(ttl).tcpFlags(TcpHeader.SYN).payload(PAYLOAD);
        return builder;
    }

    /** An ICMP error from {@code source} to {@code destination} quoting the first bytes of {@code offender}. */
    static byte[] icmpError(int source, int destination, int ttl, int type, int code, int mtu, byte[] offender,
                            int quoteLength) {
        byte[] icmp = new byte[IcmpHeader.LENGTH + quoteLength];
        icmp[0] = (byte) type;
        icmp[1] = (byte) code;
        Reference.u16(icmp, 6, mtu);
        System.arraycopy(offender, 14, icmp, IcmpHeader.LENGTH, quoteLength);
        Reference.u16(icmp, 2, Reference.checksumWithoutField(icmp, 0, icmp.length, 2, 0));
        return new FrameBuilder().protocol(Protocol.ICMP).source(source).destination(destination).ttl(ttl)
                .payload(icmp).bytes();
    }

    @ParameterizedTest(name = "{0} {1} quoting {2} bytes")
    @CsvSource({
        "TCP, FULLNAT, 28", "TCP, FULLNAT, 48", "UDP, FULLNAT, 28", "UDP, FULLNAT, 48",
        "TCP, MASQ, 28", "TCP, MASQ, 48", "UDP, MASQ, 28",
    })
    void shouldShowTheClientAnErrorFromTheRealServerSideAsAboutItsOwnPacket(String protocolName, ForwardingMethod method,
                                                                             int quoteLength) throws ControlException {
        int protocol = protocolName.equals("TCP") ? Protocol.TCP : Protocol.UDP;
        service(protocol, method);
        feed(CLIENT_SIDE, Frames.withMacs(packet(protocol, CLIENT, CLIENT_PORT, VIP, 80, 64).bytes(),
                CLIENT_SIDE_MAC, CLIENT_MAC));
        byte[] forwarded = host.drain().get(0).frame();
        int local = method == ForwardingMethod.FULLNAT ? LIP : CLIENT;
        int localPort = method == ForwardingMethod.FULLNAT ? 5000 : CLIENT_PORT;
        assertThat(Frames.ipSource(forwarded)).isEqualTo(local);

        // a router beyond the director cannot pass it on: fragmentation needed, next-hop MTU 1400
        byte[] error = Frames.withMacs(icmpError(ROUTER, local, 64, IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_FRAGMENTATION_NEEDED, 1400, forwarded, quoteLength), SERVER_SIDE_MAC, ROUTER_MAC);
        feed(SERVER_SIDE, error);

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).ifindex()).isEqualTo(CLIENT_SIDE);
        // as the client sent it, with the TTL the director's forwarding left
        byte[] asClientSent = packet(protocol, CLIENT, CLIENT_PORT, VIP, 80, 63).bytes();
        byte[] expected = Frames.withMacs(icmpError(VIP, CLIENT, 63, IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_FRAGMENTATION_NEEDED, 1400, asClientSent, quoteLength), CLIENT_MAC, CLIENT_SIDE_MAC);
        assertThat(hex(out.get(0).frame())).isEqualTo(hex(expected));
        assertThat(director.counters().get(Counter.ICMP_ERRORS_TO_CLIENT)).isEqualTo(1);
        assertThat(localPort).isEqualTo(Frames.sourcePort(forwarded));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"FULLNAT", "MASQ"})
    void shouldShowTheRealServerAnErrorFromTheClientSideAsAboutItsOwnReply(ForwardingMethod method)
            throws ControlException {
        service(Protocol.UDP, method);
        feed(CLIENT_SIDE, Frames.withMacs(packet(Protocol.UDP, CLIENT, CLIENT_PORT, VIP, 80, 64).bytes(),
                CLIENT_SIDE_MAC, CLIENT_MAC));
        host.drain();
        int local = method == ForwardingMethod.FULLNAT ? LIP : CLIENT;
        int localPort = method == ForwardingMethod.FULLNAT ? 5000 : CLIENT_PORT;
        feed(SERVER_SIDE, Frames.withMacs(packet(Protocol.UDP, RS1, 8080, local, localPort, 64).bytes(),
                SERVER_SIDE_MAC, RS1_MAC));
        byte[] reply = host.drain().get(0).frame();

        // the client's host has closed the port: port unreachable about VIP:80->CLIENT:40000
        feed(CLIENT_SIDE, Frames.withMacs(icmpError(CLIENT, VIP, 64, IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_PORT_UNREACHABLE, 0, reply, SHORT_QUOTE), CLIENT_SIDE_MAC, CLIENT_MAC));

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).ifindex()).isEqualTo(SERVER_SIDE);
        byte[] asServerSent = packet(Protocol.UDP, RS1, 8080, local, localPort, 63).bytes();
        int errorSource = method == ForwardingMethod.FULLNAT ? LIP : CLIENT;
        byte[] expected = Frames.withMacs(icmpError(errorSource, RS1, 63, IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_PORT_UNREACHABLE, 0, asServerSent, SHORT_QUOTE), RS1_MAC, SERVER_SIDE_MAC);
        assertThat(hex(out.get(0).frame())).isEqualTo(hex(expected));
        assertThat(director.counters().get(Counter.ICMP_ERRORS_TO_REAL_SERVER)).isEqualTo(1);
    }

    @Test
    void shouldTranslateTimeExceeded() throws ControlException {
        service(Protocol.TCP, ForwardingMethod.FULLNAT);
        feed(CLIENT_SIDE, Frames.withMacs(packet(Protocol.TCP, CLIENT, CLIENT_PORT, VIP, 80, 64).bytes(),
                CLIENT_SIDE_MAC, CLIENT_MAC));
        byte[] forwarded = host.drain().get(0).frame();

        feed(SERVER_SIDE, Frames.withMacs(icmpError(ROUTER, LIP, 64, IcmpHeader.TYPE_TIME_EXCEEDED,
                IcmpHeader.CODE_TTL_EXCEEDED, 0, forwarded, SHORT_QUOTE), SERVER_SIDE_MAC, ROUTER_MAC));

        byte[] sent = host.drain().get(0).frame();
        assertThat(Reference.u8(sent, 34)).isEqualTo(IcmpHeader.TYPE_TIME_EXCEEDED);
        assertThat(Frames.ipDestination(sent)).isEqualTo(CLIENT);
    }

    @Test
    void shouldDropAndCountAnErrorWhoseQuoteIsCutShort() throws ControlException {
        service(Protocol.TCP, ForwardingMethod.FULLNAT);
        feed(CLIENT_SIDE, Frames.withMacs(packet(Protocol.TCP, CLIENT, CLIENT_PORT, VIP, 80, 64).bytes(),
                CLIENT_SIDE_MAC, CLIENT_MAC));
        byte[] forwarded = host.drain().get(0).frame();

        feed(SERVER_SIDE, Frames.withMacs(icmpError(ROUTER, LIP, 64, IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_PORT_UNREACHABLE, 0, forwarded, 22), SERVER_SIDE_MAC, ROUTER_MAC));

        assertThat(host.drain()).isEmpty();
        assertThat(director.counters().get(Counter.DROP_MALFORMED_ICMP)).isEqualTo(1);
    }

    @Test
    void shouldLeaveErrorsAboutNoConnectionAndOtherIcmpToTheKernel() throws ControlException {
        service(Protocol.TCP, ForwardingMethod.FULLNAT);
        byte[] stranger = packet(Protocol.TCP, LIP, 5000, RS1, 8080, 64).bytes();
        feed(SERVER_SIDE, Frames.withMacs(icmpError(ROUTER, LIP, 64, IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_PORT_UNREACHABLE, 0, stranger, SHORT_QUOTE), SERVER_SIDE_MAC, ROUTER_MAC));
        byte[] echo = new FrameBuilder().protocol(Protocol.ICMP).source(CLIENT).destination(VIP)
                .payload(new byte[] {8, 0, (byte) 0xf7, (byte) 0xff, 0, 0, 0, 0}).bytes();
        feed(CLIENT_SIDE, Frames.withMacs(echo, CLIENT_SIDE_MAC, CLIENT_MAC));

        assertThat(host.drain()).isEmpty();
        assertThat(director.counters().get(Counter.NOT_OURS)).isEqualTo(2);
        assertThat(director.counters().get(Counter.DROP_MALFORMED_ICMP)).isZero();
    }

    private static String hex(byte[] frame) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < frame.length; i++) {
            text.append(String.format("%02x", frame[i] & 0xFF)).append(i % 16 == 15 ? "\n" : " ");
        }
        return text.toString();
    }
}
