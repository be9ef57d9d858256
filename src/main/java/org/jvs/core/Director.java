package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.LocalPorts;
import org.jvs.conn.Timeouts;
import org.jvs.net.FrameHandler;
import org.jvs.net.FrameSink;
import org.jvs.net.HostNetwork;
import org.jvs.net.KernelBypass;
import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;
import org.jvs.packet.ChecksumOffload;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.TcpSegmenter;
import org.jvs.packet.UdpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.jvs.xmit.DirectRouteTransmitter;
import org.jvs.xmit.FullNatTransmitter;
import org.jvs.xmit.IcmpErrorTranslator;
import org.jvs.xmit.NatTransmitter;
import org.jvs.xmit.TunnelTransmitter;
import org.jvs.xmit.Verdict;

/**
 * The data plane of one director (ip_vs_core.c's ip_vs_in/ip_vs_out): every frame from every port comes here.
 * A client packet of a known connection goes to that connection's real server; a NAT or full-NAT reply from a
 * real server goes back to its client with the VIP as source; the first packet of a new connection to a virtual
 * service is scheduled (a full-NAT one also gets its local address and port); ICMP errors about NAT and full-NAT
 * connections are translated for the other side; a TCP connection of a service with a PROXY protocol version
 * carries the header towards NAT and full-NAT real servers ({@link ProxyProtocolStep}). Anything else is not ours
 * and is left to the kernel. Runs on the one data-plane thread and allocates nothing per packet.
 */
public final class Director implements FrameHandler {
    private static final int DEFAULT_MTU = 1500;
    /** The outer IPv4 header an IPIP tunnel adds. */
    private static final int TUNNEL_OVERHEAD = 20;
    /** Director-internal frame flag, beside FrameHandler's: a datagram made whole from fragments, not a super-packet. */
    private static final int REASSEMBLED = 1 << 1;

    private final HostNetwork network;
    private final ServiceTable services = new ServiceTable();
    private final Timeouts timeouts = new Timeouts();
    private final ConnectionTable connections;
    private final PersistentScheduling persistence;
    private final Neighbours neighbours = new Neighbours();
    private final Counters counters = new Counters();
    private final Egress egress;
    private final ArpResponder arp;
    private final KernelBypass bypass;
    private final NatTransmitter nat;
    private final FullNatTransmitter fullNat;
    private final LocalAddresses localAddresses = new LocalAddresses();
    private final LocalPorts localPorts;
    private final FullNatSources fullNatSources;
    private final ConnectionScheduler scheduler;
    private final IcmpErrors icmpErrors;
    private final ProxyProtocolStep proxyProtocol;
    private final TunnelTransmitter tunnel;
    private final DirectRouteTransmitter directRoute;
    private final TcpSegmenter segmenter = new TcpSegmenter();
    private final ChecksumOffload checksums = new ChecksumOffload();
    private final Reassembly reassembly;
    private final FrameHandler deliverSegment = this::deliverSegment;
    private final NextHop segmentHop = new NextHop();

    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();

    private long nowNs;
    /** expire_nodest_conn: a client packet of a deleted server's connection expires the entry and is dropped. */
    private boolean expireNodestConn;
    /** The connection and direction of the frame being delivered, for the segmenter's callback. */
    private int currentConnection;
    private boolean currentFromClient;

    public Director(HostNetwork network, FrameSink sink, KernelBypass bypass, int connectionCapacity) {
        this(network, sink, bypass, connectionCapacity, LocalPorts.DEFAULT_LOWEST, LocalPorts.DEFAULT_HIGHEST);
    }

    /**
     * A director whose full-NAT source ports are {@code fullNatLowestPort..fullNatHighestPort} (both included;
     * refused unless 1 <= lowest <= highest <= 65535), announced to the kernel bypass once, here.
     */
    public Director(HostNetwork network, FrameSink sink, KernelBypass bypass, int connectionCapacity,
                    int fullNatLowestPort, int fullNatHighestPort) {
        this.network = network;
        this.bypass = bypass;
        this.connections = new ConnectionTable(connectionCapacity, timeouts);
        this.localPorts = new LocalPorts(connections);
        localPorts.range(fullNatLowestPort, fullNatHighestPort);
        bypass.fullNatPorts(fullNatLowestPort, fullNatHighestPort);
        this.fullNatSources = new FullNatSources(network, localAddresses, localPorts);
        this.persistence = new PersistentScheduling(connections, counters);
        this.reassembly = new Reassembly(counters);
        this.scheduler = new ConnectionScheduler(connections, persistence, fullNatSources, counters);
        this.egress = new Egress(network, neighbours, sink, counters);
        this.arp = new ArpResponder(network, services, localAddresses, neighbours, egress, sink, counters);
        this.nat = new NatTransmitter(egress);
        this.fullNat = new FullNatTransmitter(egress);
        this.icmpErrors = new IcmpErrors(connections, new IcmpErrorTranslator(egress), counters);
        this.proxyProtocol = new ProxyProtocolStep(connections, counters);
        this.tunnel = new TunnelTransmitter(egress);
        this.directRoute = new DirectRouteTransmitter(egress);
    }

    /** The clock for this duty cycle; read once per cycle by the runner. */
    public void now(long nowNs) {
        this.nowNs = nowNs;
        egress.now(nowNs);
    }

    @Override
    public void onFrame(int ifindex, MemorySegment frame, long offset, int length, int flags) {
        counters.increment(Counters.FRAMES_IN);
        if (length < EthernetHeader.LENGTH) {
            counters.increment(Counters.DROP_MALFORMED);
            return;
        }
        ethernet.wrap(frame, offset);
        int etherType = ethernet.etherType();
        if (etherType == EthernetHeader.TYPE_ARP) {
            arp.onArp(ifindex, frame, offset, length);
        } else if (etherType == EthernetHeader.TYPE_IPV4) {
            onIpv4(ifindex, frame, offset, length, flags);
        } else {
            counters.increment(Counters.NOT_OURS);
        }
    }

    private void onIpv4(int ifindex, MemorySegment frame, long offset, int length, int flags) {
        long ipOffset = offset + EthernetHeader.LENGTH;
        ip.wrap(frame, ipOffset);
        if (ip.validate(length - EthernetHeader.LENGTH) != Ipv4Header.OK) {
            counters.increment(Counters.DROP_MALFORMED);
            return;
        }
        int protocol = ip.protocol();
        if (protocol == Protocol.ICMP && !ip.isFragment()) {
            int verdict = icmpErrors.onIcmp(frame, offset, length);
            if (verdict != IcmpErrors.NOT_SENT) {
                counters.countVerdict(verdict);
            }
            return;
        }
        if (protocol != Protocol.TCP && protocol != Protocol.UDP) {
            counters.increment(Counters.NOT_OURS);
            return;
        }
        int source = ip.source();
        int destination = ip.destination();
        if (ip.isFragment()) {
            onFragment(ifindex, frame, offset, length, source, destination);
            return;
        }
        long l4Offset = ipOffset + ip.headerLength();
        int l4Available = (int) (offset + length - l4Offset);
        int sourcePort;
        int destinationPort;
        int tcpFlags = 0;
        int tcpSequence = 0;
        if (protocol == Protocol.TCP) {
            if (l4Available < TcpHeader.MIN_LENGTH) {
                counters.increment(Counters.DROP_MALFORMED);
                return;
            }
            tcp.wrap(frame, l4Offset);
            sourcePort = tcp.sourcePort();
            destinationPort = tcp.destinationPort();
            tcpFlags = tcp.flags();
            tcpSequence = tcp.sequence();
        } else {
            if (l4Available < UdpHeader.LENGTH) {
                counters.increment(Counters.DROP_MALFORMED);
                return;
            }
            udp.wrap(frame, l4Offset);
            sourcePort = udp.sourcePort();
            destinationPort = udp.destinationPort();
        }

        int id = connections.lookupIn(protocol, source, sourcePort, destination, destinationPort);
        boolean fromClient = true;
        if (id == ConnectionTable.NONE) {
            id = connections.lookupOut(protocol, source, sourcePort, destination, destinationPort);
            fromClient = false;
        }
        boolean onePacket = false;
        if (id != ConnectionTable.NONE && fromClient && protocol == Protocol.TCP
                && ConnectionReuse.reschedules(connections, id, tcpFlags, expireNodestConn)) {
            connections.remove(id);
            counters.increment(Counters.CONNECTIONS_REUSED);
            id = ConnectionTable.NONE;
        }
        if (id != ConnectionTable.NONE && fromClient && expireNodestConn && !connections.realServer(id).available()) {
            // as ip_vs_in: the entry goes now so the client learns the connection is gone; this packet is dropped
            connections.remove(id);
            counters.increment(Counters.DROP_NO_REAL_SERVER);
            return;
        }
        if (id == ConnectionTable.NONE) {
            VirtualService service = services.match(protocol, destination, destinationPort);
            if (service == null) {
                counters.increment(Counters.NOT_OURS);
                return;
            }
            id = scheduler.schedule(service, protocol, source, sourcePort, destination, destinationPort, tcpFlags,
                    tcpSequence, nowNs);
            if (id == ConnectionTable.NONE) {
                return;
            }
            fromClient = true;
            // the kernel honours -o for UDP only (ip_vs_schedule, ip_vs_sched_persist)
            onePacket = service.onePacket() && protocol == Protocol.UDP;
        }

        if (protocol == Protocol.TCP) {
            connections.onTcpPacket(id, fromClient, tcpFlags, nowNs);
        } else {
            connections.onUdpPacket(id, nowNs);
        }
        RealServer server = connections.realServer(id);
        int ipLength = length - EthernetHeader.LENGTH;
        if (fromClient) {
            server.stats.countIn(ipLength);
            server.service().stats.countIn(ipLength);
        } else {
            server.stats.countOut(ipLength);
            server.service().stats.countOut(ipLength);
        }
        deliver(ifindex, id, fromClient, frame, offset, length, flags);
        if (onePacket) {
            // an OPS entry is never hashed in IPVS and dies with its datagram; so NAT replies to it find no
            // entry and are left to the kernel untranslated, as they are with IPVS
            connections.remove(id);
        }
    }

    /**
     * Only the first fragment carries the ports, so a fragmented datagram for a virtual service (or a NAT reply) is
     * made whole and then handled as one, as IPVS handles what nf_defrag_ipv4 reassembled; the way out fragments it
     * again where it does not fit.
     */
    private void onFragment(int ifindex, MemorySegment frame, long offset, int length, int source, int destination) {
        if (!services.isVirtualAddress(destination) && !services.isTranslatedRealServer(source)) {
            counters.increment(Counters.NOT_OURS);
            return;
        }
        if (reassembly.add(frame, offset, length, nowNs)) {
            onIpv4(ifindex, reassembly.datagram(), reassembly.datagramOffset(), reassembly.datagramLength(),
                    REASSEMBLED);
        }
    }

    private void deliver(int ifindex, int id, boolean fromClient, MemorySegment frame, long offset, int length,
                         int flags) {
        NetInterface port = network.interfaceByIndex(ifindex);
        int ingressMtu = port == null ? DEFAULT_MTU : port.mtu();
        boolean reassembled = (flags & REASSEMBLED) != 0;
        flags &= ~REASSEMBLED;
        boolean partial = (flags & CHECKSUM_NOT_READY) != 0;
        // TUN stays in software: an IPIP super-packet cannot be described to the kernel by a virtio_net_hdr
        boolean offloadable = partial && !(fromClient && connections.forwardingMethod(id) == ForwardingMethod.TUNNEL);
        int gsoSize = FrameHandler.gsoSize(flags);
        boolean superPacket = !reassembled && (length > ingressMtu + EthernetHeader.LENGTH || gsoSize != 0);
        int growth = fromClient ? proxyProtocol.growth(id, frame, offset, length) : 0;
        if (growth > 0) {
            if (superPacket) {
                // cut here, each segment short enough that the first one still fits the way out with the header
                counters.increment(Counters.SEGMENTED_GSO_FRAMES);
                currentConnection = id;
                currentFromClient = true;
                segmenter.segment(ifindex, frame, offset, length,
                        Math.min(ingressMtu, segmentMtu(id, true, ingressMtu)) - growth, deliverSegment);
                return;
            }
            frame = proxyProtocol.copyToScratch(frame, offset, length);
            offset = 0;
        }
        if (superPacket) {
            // A GSO super-packet from a veth peer: whole when its segments fit the way out, else cut here.
            if (ip.protocol() != Protocol.TCP) {
                counters.increment(Counters.DROP_OVERSIZE_NOT_TCP);
                return;
            }
            int egressMtu = segmentMtu(id, fromClient, ingressMtu);
            if (offloadable && gsoSize != 0 && ip.headerLength() + tcp.headerLength() + gsoSize <= egressMtu) {
                counters.increment(Counters.FORWARDED_GSO_WHOLE);
                counters.increment(Counters.FORWARDED_CHECKSUM_PARTIAL);
                transmit(id, fromClient, frame, offset, length, FrameHandler.tcpSegmentation(gsoSize));
                return;
            }
            counters.increment(Counters.SEGMENTED_GSO_FRAMES);
            currentConnection = id;
            currentFromClient = fromClient;
            segmenter.segment(ifindex, frame, offset, length, Math.min(ingressMtu, egressMtu), deliverSegment);
            return;
        }
        if (offloadable) {
            // cheaper than completing: the egress kernel (or the peer's, which trusts veth) finishes it
            counters.increment(Counters.FORWARDED_CHECKSUM_PARTIAL);
            transmit(id, fromClient, frame, offset, length, CHECKSUM_NOT_READY);
            return;
        }
        if (partial) {
            checksums.complete(frame, offset, length);
            counters.increment(Counters.CHECKSUMS_COMPLETED);
        }
        transmit(id, fromClient, frame, offset, length, 0);
    }

    /**
     * The largest IP datagram the way out carries, less the IPIP header for a tunnel. A super-packet goes whole
     * when its segments fit this; otherwise it is cut to this (and to the ingress MTU: the sender chose its
     * segment size for the path it knows, ingress MTU or a PMTU learned from our ICMP), so a tunnelled upload is
     * not refused segment by segment.
     */
    private int segmentMtu(int id, boolean fromClient, int ingressMtu) {
        int destination = fromClient ? connections.realAddress(id) : connections.clientAddress(id);
        if (!network.route(destination, segmentHop)) {
            return ingressMtu;
        }
        int egressMtu = segmentHop.mtu;
        if (fromClient && connections.forwardingMethod(id) == ForwardingMethod.TUNNEL) {
            egressMtu -= TUNNEL_OVERHEAD;
        }
        return egressMtu;
    }

    private void deliverSegment(int ifindex, MemorySegment frame, long offset, int length, int flags) {
        transmit(currentConnection, currentFromClient, frame, offset, length, 0);
    }

    private void transmit(int id, boolean fromClient, MemorySegment frame, long offset, int length, int flags) {
        int verdict;
        if (fromClient) {
            length = proxyProtocol.toRealServer(id, frame, offset, length, flags);
            if (length < 0) {
                return;
            }
            int realAddress = connections.realAddress(id);
            int realPort = connections.realPort(id);
            verdict = switch (connections.forwardingMethod(id)) {
                case MASQ -> nat.toRealServer(frame, offset, length, realAddress, realPort, flags);
                case TUNNEL -> tunnel.toRealServer(frame, offset, length, realAddress, realPort);
                case ROUTE -> directRoute.toRealServer(frame, offset, length, realAddress, realPort, flags);
                case FULLNAT -> fullNat.toRealServer(frame, offset, length, connections.localAddress(id),
                        connections.localPort(id), realAddress, realPort, flags);
            };
            if (verdict == Verdict.SENT) {
                counters.increment(Counters.FORWARDED_TO_REAL_SERVER);
            }
        } else {
            if (!proxyProtocol.toClient(id, frame, offset, length, flags)) {
                return;
            }
            int vip = connections.virtualAddress(id);
            int vport = connections.virtualPort(id);
            verdict = connections.forwardingMethod(id) == ForwardingMethod.FULLNAT
                    ? fullNat.toClient(frame, offset, length, vip, vport, connections.clientAddress(id),
                            connections.clientPort(id), flags)
                    : nat.toClient(frame, offset, length, vip, vport, flags);
            if (verdict == Verdict.SENT) {
                counters.increment(Counters.FORWARDED_TO_CLIENT);
            }
        }
        counters.countVerdict(verdict);
    }

    /** Housekeeping of one duty cycle: expires due connections, at most {@code limit}. Returns work done. */
    public int expire(int limit) {
        return connections.expire(nowNs, limit) + reassembly.expire(nowNs);
    }

    public void expireNodestConn(boolean on) {
        expireNodestConn = on;
    }

    public void expireQuiescentTemplate(boolean on) {
        persistence.expireQuiescentTemplate(on);
    }

    public ServiceTable services() {
        return services;
    }

    public ConnectionTable connections() {
        return connections;
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    LocalAddresses localAddresses() {
        return localAddresses;
    }

    FullNatSources fullNatSources() {
        return fullNatSources;
    }

    /** The full-NAT source port range, both ends included. */
    public LocalPorts localPorts() {
        return localPorts;
    }

    public Counters counters() {
        return counters;
    }

    public KernelBypass bypass() {
        return bypass;
    }

    public long nowNs() {
        return nowNs;
    }
}
