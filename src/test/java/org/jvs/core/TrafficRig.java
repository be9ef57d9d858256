package org.jvs.core;

import org.agrona.concurrent.NoOpIdleStrategy;
import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.net.FrameHandler;
import org.jvs.net.KernelBypass;
import org.jvs.net.PacketPort;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;

import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.packet.Reference.ip;

/**
 * A director on the in-memory host with one virtual service per forwarding method, two real servers each and every
 * neighbour already known, sending into a {@link DiscardingSink}; plus the frames of traffic towards it, built
 * once and replayable without allocation. Shared by the allocation test and the JMH benchmarks.
 */
public final class TrafficRig {
    public static final int VIP = ip(203, 0, 113, 10);
    public static final int CLIENT = ip(198, 51, 100, 2);
    public static final int RS1 = ip(192, 0, 2, 11);
    public static final int RS2 = ip(192, 0, 2, 12);
    public static final int NAT_PORT = 80;
    public static final int DR_PORT = 81;
    public static final int TUN_PORT = 82;
    /** DR, rr, persistent (-p 60): every connection of the client goes through one template. */
    public static final int PERSISTENT_PORT = 83;
    public static final int PERSISTENCE_S = 60;
    /** Full NAT (rr) from the director's own address facing the real servers, 192.0.2.1. */
    public static final int FULLNAT_PORT = 84;
    /**
     * The full-NAT source ports: a range as long as a replay's rotation of client ports, so with connections
     * opened one at a time the n-th takes port FULLNAT_LOWEST_PORT + n % FULLNAT_PORTS and replies can be scripted.
     */
    public static final int FULLNAT_LOWEST_PORT = 1024;
    public static final int FULLNAT_PORTS = 64;
    /** NAT (rr) with a PROXY protocol v2 header, to port {@link #REAL_PROXY_PORT} so its replies are its own. */
    public static final int PROXY_PORT = 85;
    public static final int REAL_PROXY_PORT = 8085;
    /** TUN (rr) over GUE to UDP port {@link #GUE_TUNNEL_PORT} with remote checksum offload. */
    public static final int GUE_PORT = 86;
    public static final int GUE_TUNNEL_PORT = 6080;
    /** TUN (rr) over GRE with the GRE checksum. */
    public static final int GRE_PORT = 87;
    /** The sequence number of every client SYN (FrameBuilder's default). */
    public static final int CLIENT_ISN = 0x11223344;
    static final int ROUTER = ip(192, 0, 2, 254);
    static final long ROUTER_MAC = 0x02_cc_00_00_00_feL;
    public static final int UDP_PORT = 53;
    /** NAT maps the service ports to these on the real servers. */
    public static final int REAL_NAT_PORT = 8080;
    public static final int REAL_UDP_PORT = 5353;

    static final long CLIENT_MAC = 0x02_aa_00_00_00_02L;
    static final long RS1_MAC = 0x02_bb_00_00_00_11L;
    static final long RS2_MAC = 0x02_bb_00_00_00_12L;

    private final InMemoryHost host = new InMemoryHost();
    private final DiscardingSink sink = new DiscardingSink();
    private final Director director;
    private final DirectorConfig config;

    /**
     * NAT (rr) on TCP VIP:80 and UDP VIP:53, DR (wlc) on VIP:81, TUN (wrr) on VIP:82, persistent DR (rr -p 60)
     * on VIP:83, full NAT (rr) on VIP:84, NAT with PROXY protocol v2 (rr) on VIP:85, TUN over GUE with remote
     * checksum offload (rr) on VIP:86 and TUN over GRE with its checksum (rr) on VIP:87, each to RS1 and RS2.
     * With rr and connections opened one at a time, the n-th connection of a NAT service goes to RS1 when n is
     * even, so replies can be scripted.
     */
    public TrafficRig(int connectionCapacity, long startNs) throws ControlException {
        director = new Director(host, sink, KernelBypass.NONE, connectionCapacity, FULLNAT_LOWEST_PORT,
                FULLNAT_LOWEST_PORT + FULLNAT_PORTS - 1);
        config = new DirectorConfig(director);
        director.now(startNs);
        service(Protocol.TCP, NAT_PORT, "rr", ForwardingMethod.MASQ, REAL_NAT_PORT);
        service(Protocol.TCP, DR_PORT, "wlc", ForwardingMethod.ROUTE, DR_PORT);
        service(Protocol.TCP, TUN_PORT, "wrr", ForwardingMethod.TUNNEL, TUN_PORT);
        service(Protocol.UDP, UDP_PORT, "rr", ForwardingMethod.MASQ, REAL_UDP_PORT);
        service(Protocol.TCP, FULLNAT_PORT, "rr", ForwardingMethod.FULLNAT, REAL_NAT_PORT);
        service(Protocol.TCP, PROXY_PORT, "rr", ForwardingMethod.MASQ, REAL_PROXY_PORT, 2);
        tunnelService(GUE_PORT, new Tunnel(TunnelType.GUE, GUE_TUNNEL_PORT, TunnelChecksum.REMCSUM));
        tunnelService(GRE_PORT, new Tunnel(TunnelType.GRE, 0, TunnelChecksum.CSUM));
        ServiceKey persistent = new ServiceKey(Protocol.TCP, VIP, PERSISTENT_PORT);
        config.addService(new ServiceSpec(persistent, "rr", "", PERSISTENCE_S, -1));
        config.addRealServer(persistent, new RealServerSpec(RS1, PERSISTENT_PORT, ForwardingMethod.ROUTE, 1, 0, 0));
        config.addRealServer(persistent, new RealServerSpec(RS2, PERSISTENT_PORT, ForwardingMethod.ROUTE, 1, 0, 0));
        FrameHandler handler = director;
        new ReplayFrame(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP), 0)
                .replay(handler);
        new ReplayFrame(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), 0)
                .replay(handler);
        new ReplayFrame(SERVER_SIDE, Frames.arp(2, RS2_MAC, RS2, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), 0)
                .replay(handler);
        new ReplayFrame(SERVER_SIDE, Frames.arp(2, ROUTER_MAC, ROUTER, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), 0)
                .replay(handler);
    }

    private void service(int protocol, int port, String scheduler, ForwardingMethod method, int realPort)
            throws ControlException {
        service(protocol, port, scheduler, method, realPort, 0);
    }

    private void service(int protocol, int port, String scheduler, ForwardingMethod method, int realPort,
                         int proxyProtocol) throws ControlException {
        ServiceKey key = new ServiceKey(protocol, VIP, port);
        config.addService(new ServiceSpec(key, scheduler, "", 0, -1, false, proxyProtocol));
        config.addRealServer(key, new RealServerSpec(RS1, realPort, method, 1, 0, 0));
        config.addRealServer(key, new RealServerSpec(RS2, realPort, method, 1, 0, 0));
    }

    private void tunnelService(int port, Tunnel tunnel) throws ControlException {
        ServiceKey key = new ServiceKey(Protocol.TCP, VIP, port);
        config.addService(new ServiceSpec(key, "rr", "", 0, -1, false, 0));
        config.addRealServer(key, new RealServerSpec(RS1, port, ForwardingMethod.TUNNEL, 1, 0, 0, tunnel));
        config.addRealServer(key, new RealServerSpec(RS2, port, ForwardingMethod.TUNNEL, 1, 0, 0, tunnel));
    }

    public Director director() {
        return director;
    }

    public DiscardingSink sink() {
        return sink;
    }

    /** A data plane over this director receiving from {@code ports}; drive it with {@link DataPlane#doWork}. */
    public DataPlane dataPlane(PacketPort... ports) {
        return new DataPlane(director, ports, new DataPlaneControl(config), new NoOpIdleStrategy());
    }

    /** A TCP segment from the client to VIP:{@code virtualPort}, checksums complete. */
    public static ReplayFrame tcpFromClient(int virtualPort, int clientPort, int tcpFlags, int payloadLength) {
        FrameBuilder frame = new FrameBuilder().source(CLIENT).destination(VIP).ports(clientPort, virtualPort)
                .tcpFlags(tcpFlags).payloadLength(payloadLength);
        return new ReplayFrame(CLIENT_SIDE, Frames.withMacs(frame.bytes(), CLIENT_SIDE_MAC, CLIENT_MAC), 0);
    }

    /**
     * A TCP segment from the client whose sender left the checksum to offload (CHECKSUM_NOT_READY); with a payload
     * beyond the MTU it is a super-packet whose segment size the port could not tell, which the director segments.
     */
    public static ReplayFrame offloadedTcpFromClient(int virtualPort, int clientPort, int payloadLength) {
        FrameBuilder frame = new FrameBuilder().source(CLIENT).destination(VIP).ports(clientPort, virtualPort)
                .tcpFlags(TcpHeader.ACK | TcpHeader.PSH).payloadLength(payloadLength).partialChecksum();
        return new ReplayFrame(CLIENT_SIDE, Frames.withMacs(frame.bytes(), CLIENT_SIDE_MAC, CLIENT_MAC),
                FrameHandler.CHECKSUM_NOT_READY);
    }

    /** A TCP/IPv4 GSO super-packet from the client, as a vnet-header port reports it: segment size and partial checksum. */
    public static ReplayFrame superPacketFromClient(int virtualPort, int clientPort, int payloadLength, int gsoSize) {
        FrameBuilder frame = new FrameBuilder().source(CLIENT).destination(VIP).ports(clientPort, virtualPort)
                .tcpFlags(TcpHeader.ACK).payloadLength(payloadLength).partialChecksum();
        return new ReplayFrame(CLIENT_SIDE, Frames.withMacs(frame.bytes(), CLIENT_SIDE_MAC, CLIENT_MAC),
                FrameHandler.tcpSegmentation(gsoSize));
    }

    /** A NAT reply segment from {@code realServer}:8080 to the client. */
    public static ReplayFrame tcpFromRealServer(int realServer, int clientPort, int tcpFlags, int payloadLength) {
        FrameBuilder frame = new FrameBuilder().source(realServer).destination(CLIENT).ports(REAL_NAT_PORT, clientPort)
                .tcpFlags(tcpFlags).payloadLength(payloadLength);
        return new ReplayFrame(SERVER_SIDE, Frames.withMacs(frame.bytes(), SERVER_SIDE_MAC, macOf(realServer)), 0);
    }

    /** A full-NAT reply segment from {@code realServer}:8080 to the director's 192.0.2.1:{@code localPort}. */
    public static ReplayFrame tcpFullNatReply(int realServer, int localPort, int tcpFlags, int payloadLength) {
        FrameBuilder frame = new FrameBuilder().source(realServer).destination(InMemoryHost.DIRECTOR_SERVER_IP)
                .ports(REAL_NAT_PORT, localPort).tcpFlags(tcpFlags).payloadLength(payloadLength);
        return new ReplayFrame(SERVER_SIDE, Frames.withMacs(frame.bytes(), SERVER_SIDE_MAC, macOf(realServer)), 0);
    }

    /**
     * Fragmentation needed from a router on the real-server side about a full-NAT segment 192.0.2.1:{@code localPort}
     * to {@code realServer}:8080, quoting its header and 8 bytes.
     */
    public static ReplayFrame fragmentationNeededAboutFullNat(int realServer, int localPort) {
        byte[] offender = new FrameBuilder().source(InMemoryHost.DIRECTOR_SERVER_IP).destination(realServer)
                .ports(localPort, REAL_NAT_PORT).ttl(63).payloadLength(1400).bytes();
        byte[] icmp = new byte[8 + 28];
        icmp[0] = 3;
        icmp[1] = 4;
        org.jvs.packet.Reference.u16(icmp, 6, 1400);
        System.arraycopy(offender, 14, icmp, 8, 28);
        org.jvs.packet.Reference.u16(icmp, 2, org.jvs.packet.Reference.checksumWithoutField(icmp, 0, icmp.length, 2, 0));
        FrameBuilder frame = new FrameBuilder().protocol(Protocol.ICMP).source(ROUTER)
                .destination(InMemoryHost.DIRECTOR_SERVER_IP).payload(icmp);
        return new ReplayFrame(SERVER_SIDE, Frames.withMacs(frame.bytes(), SERVER_SIDE_MAC, ROUTER_MAC), 0);
    }

    /**
     * A TCP segment from the client to the PROXY protocol service, starting {@code afterIsn} bytes after the SYN's
     * sequence number (1: the first data segment, which gets the header); with offload {@code flags} it has a
     * partial checksum.
     */
    public static ReplayFrame proxyTcpFromClient(int clientPort, int afterIsn, int payloadLength, int flags) {
        FrameBuilder frame = new FrameBuilder().source(CLIENT).destination(VIP).ports(clientPort, PROXY_PORT)
                .sequence(CLIENT_ISN + afterIsn).tcpFlags(TcpHeader.ACK | TcpHeader.PSH).payloadLength(payloadLength);
        if (flags != 0) {
            frame.partialChecksum();
        }
        return new ReplayFrame(CLIENT_SIDE, Frames.withMacs(frame.bytes(), CLIENT_SIDE_MAC, CLIENT_MAC), flags);
    }

    /** A reply of the PROXY protocol service from {@code realServer}:8085 with TCP {@code options} (MSS, SACK). */
    public static ReplayFrame proxyReply(int realServer, int clientPort, int tcpFlags, byte[] options) {
        FrameBuilder frame = new FrameBuilder().source(realServer).destination(CLIENT)
                .ports(REAL_PROXY_PORT, clientPort).tcpFlags(tcpFlags).tcpOptions(options);
        return new ReplayFrame(SERVER_SIDE, Frames.withMacs(frame.bytes(), SERVER_SIDE_MAC, macOf(realServer)), 0);
    }

    /** A UDP datagram from the client to VIP:53. */
    public static ReplayFrame udpFromClient(int clientPort, int payloadLength) {
        FrameBuilder frame = new FrameBuilder().udp().source(CLIENT).destination(VIP).ports(clientPort, UDP_PORT)
                .payloadLength(payloadLength);
        return new ReplayFrame(CLIENT_SIDE, Frames.withMacs(frame.bytes(), CLIENT_SIDE_MAC, CLIENT_MAC), 0);
    }

    /** A NAT reply datagram from {@code realServer}:5353 to the client. */
    public static ReplayFrame udpFromRealServer(int realServer, int clientPort, int payloadLength) {
        FrameBuilder frame = new FrameBuilder().udp().source(realServer).destination(CLIENT)
                .ports(REAL_UDP_PORT, clientPort).payloadLength(payloadLength);
        return new ReplayFrame(SERVER_SIDE, Frames.withMacs(frame.bytes(), SERVER_SIDE_MAC, macOf(realServer)), 0);
    }

    private static long macOf(int realServer) {
        return realServer == RS1 ? RS1_MAC : RS2_MAC;
    }
}
