package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.net.FrameSink;
import org.jvs.net.KernelBypass;
import org.jvs.packet.Ipv6FrameBuilder;
import org.jvs.packet.Reference;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.Tunnel;

import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_PREFIX6;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_PREFIX6;

/**
 * A director on an {@link InMemoryHost} with IPv6 on both sides and its neighbours known (the client, an IPv6 and an
 * IPv4 real server), for the IPv6 forwarding tests and the benchmark: frames built by {@link Ipv6FrameBuilder}, whose
 * checksums are the slow oracle's.
 */
public final class Ipv6Rig {
    static final Ipv6 VIP6 = Ipv6.parse("2001:db8:f::10");
    static final Ipv6 CLIENT6 = new Ipv6(CLIENT_SIDE_PREFIX6, 0xA);
    static final Ipv6 RS6 = new Ipv6(SERVER_SIDE_PREFIX6, 2);
    static final Ipv6 LIP6 = new Ipv6(SERVER_SIDE_PREFIX6, 0x100);
    static final Ipv6 DIRECTOR_SERVER_IP6 = new Ipv6(SERVER_SIDE_PREFIX6, InMemoryHost.DIRECTOR_IP6_LO);
    static final long RS6_MAC = 0x02_bb_00_00_06_02L;
    static final int LIP4 = Reference.ip(192, 0, 2, 100);
    static final byte[] PAYLOAD = {10, 20, 30, 40, 50};
    static final long S = 1_000_000_000L;

    final InMemoryHost host = new InMemoryHost();
    final Director director;
    final DirectorConfig config;

    Ipv6Rig() {
        this(null);
    }

    /** A rig whose director sends to {@code sink} (null: the host, which records every frame). */
    public Ipv6Rig(FrameSink sink) {
        director = new Director(host, sink == null ? host : sink, KernelBypass.NONE, 1024, 40000, 40999);
        config = new DirectorConfig(director);
        director.now(S);
        knownNeighbour(CLIENT_SIDE, CLIENT6, CLIENT_MAC);
        knownNeighbour(SERVER_SIDE, RS6, RS6_MAC);
        feed(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP));
        feed(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP));
        host.drain();
    }

    public Director director() {
        return director;
    }

    /**
     * For the benchmark: a NAT66 TCP service VIP6:80 -> RS6:8080 with its connection from CLIENT6:40000 opened (SYN
     * and SYN-ACK through the director).
     */
    public void openNat66Connection() throws ControlException {
        service(6, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.MASQ);
        feed(InMemoryHost.CLIENT_SIDE, clientFrame(fromClient(6)));
        feed(InMemoryHost.SERVER_SIDE, serverFrame(packet(6, RS6, 8080, CLIENT6, 40000)
                .tcpFlags(TcpHeader.SYN | TcpHeader.ACK), RS6_MAC));
    }

    /** A client's data segment of {@link #openNat66Connection}'s connection, {@code payloadLength} bytes of TCP data. */
    public static ReplayFrame nat66FromClient(int payloadLength) {
        return new ReplayFrame(InMemoryHost.CLIENT_SIDE, clientFrame(packet(6, CLIENT6, 40000, VIP6, 80)
                .payloadLength(payloadLength)), 0);
    }

    /** The real server's data segment of {@link #openNat66Connection}'s connection. */
    public static ReplayFrame nat66FromRealServer(int payloadLength) {
        return new ReplayFrame(InMemoryHost.SERVER_SIDE, serverFrame(packet(6, RS6, 8080, CLIENT6, 40000)
                .payloadLength(payloadLength), RS6_MAC), 0);
    }

    /** As an NA would have taught it (NeighbourDiscoveryDirectorTest covers the learning). */
    void knownNeighbour(int ifindex, Ipv6 address, long mac) {
        director.neighbours6().entry(ifindex, address.hi(), address.lo()).mac = mac;
    }

    /** An IPv6 service at VIP6:80 with one real server at {@code realServer:port}, the method given. */
    ServiceKey service(int protocol, IpAddress realServer, int port, ForwardingMethod method)
            throws ControlException {
        return service(protocol, realServer, port, method, Tunnel.IPIP);
    }

    ServiceKey service(int protocol, IpAddress realServer, int port, ForwardingMethod method, Tunnel tunnel)
            throws ControlException {
        ServiceKey key = new ServiceKey(protocol, IpAddress.ofIpv6(VIP6), 80);
        config.addService(new ServiceSpec(key, "rr", "", 0, 128));
        config.addRealServer(key, new RealServerSpec(realServer, port, method, 1, 0, 0, tunnel));
        return key;
    }

    /** TCP VIP:80 of IPv4 with RS6 as its one real server, tunnelled (IPv4 in IPv6). */
    void ipv4ServiceTunnelledToRs6() throws ControlException {
        ServiceKey key = new ServiceKey(Protocol.TCP, DirectorTest.VIP, 80);
        config.addService(new ServiceSpec(key, "rr", "", 0, -1));
        config.addRealServer(key, new RealServerSpec(IpAddress.ofIpv6(RS6), 80, ForwardingMethod.TUNNEL, 1, 0, 0));
    }

    void localAddress(ServiceKey key, IpAddress address) throws ControlException {
        config.addLocalAddress(key, new LocalAddressSpec(address, ""));
    }

    List<InMemoryHost.Sent> feed(int ifindex, byte[] frame) {
        return feed(ifindex, frame, 0);
    }

    /** {@link #feed} with the handler flags a receive path sets (a super-packet's segment size, ...). */
    List<InMemoryHost.Sent> feed(int ifindex, byte[] frame, int flags) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, flags);
        return host.drain();
    }

    long count(Counter counter) {
        return director.counters().get(counter);
    }

    /** A client's first packet (a SYN for TCP) to VIP6:80 as the client's router hands it to the director. */
    static Ipv6FrameBuilder fromClient(int protocol) {
        return packet(protocol, CLIENT6, 40000, VIP6, 80).tcpFlags(TcpHeader.SYN);
    }

    static Ipv6FrameBuilder packet(int protocol, Ipv6 source, int sourcePort, Ipv6 destination,
                                   int destinationPort) {
        Ipv6FrameBuilder builder = new Ipv6FrameBuilder().source(source.hi(), source.lo())
                .destination(destination.hi(), destination.lo()).ports(sourcePort, destinationPort).payload(PAYLOAD);
        return protocol == 17 ? builder.udp() : builder.tcp();
    }

    static byte[] clientFrame(Ipv6FrameBuilder builder) {
        return Frames.withMacs(builder.bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);
    }

    static byte[] serverFrame(Ipv6FrameBuilder builder, long serverMac) {
        return Frames.withMacs(builder.bytes(), SERVER_SIDE_MAC, serverMac);
    }
}
