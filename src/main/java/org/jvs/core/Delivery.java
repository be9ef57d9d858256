package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.conn.ConnectionTable;
import org.jvs.net.FrameHandler;
import org.jvs.net.HostNetwork;
import org.jvs.net.Ipv6Output;
import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;
import org.jvs.net.NextHop6;
import org.jvs.packet.ChecksumOffload;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.TcpSegmenter;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.xmit.Verdict;

import static org.jvs.net.FrameHandler.CHECKSUM_NOT_READY;

/**
 * The last step of a packet through the director: what the way out needs before the connection's transmitter
 * runs. A GSO super-packet leaves whole when its segments fit the way out, else it is cut here; a partial checksum
 * is left to the kernel where it can finish it, else completed; the first data of a PROXY protocol connection gets
 * its header (and room for it). Runs on the data-plane thread; allocates nothing per packet.
 */
final class Delivery {
    private static final int DEFAULT_MTU = 1500;
    /** The outer IPv4 header every tunnel adds, before its own headers (GUE's, GRE's). */
    private static final int TUNNEL_OUTER_HEADER = 20;
    /** What NAT64 adds to a packet's length towards IPv6 (and takes away towards IPv4): 40 - 20 header bytes. */
    private static final int NAT64_GROWTH = Ipv6Header.LENGTH - Ipv4Header.MIN_LENGTH;

    private final HostNetwork network;
    private final ConnectionTable connections;
    private final ProxyProtocolStep proxyProtocol;
    private final PacketXmits xmits;
    private final Counters counters;
    private final TcpSegmenter segmenter = new TcpSegmenter();
    private final ChecksumOffload checksums = new ChecksumOffload();
    private final FrameHandler deliverSegment = this::deliverSegment;
    private final NextHop segmentHop = new NextHop();
    private final NextHop6 segmentHop6 = new NextHop6();
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    /** The connection and direction of the super-packet being cut, for its segments. */
    private int currentConnection;
    private boolean currentFromClient;

    Delivery(HostNetwork network, ConnectionTable connections, ProxyProtocolStep proxyProtocol, PacketXmits xmits,
             Counters counters) {
        this.network = network;
        this.connections = connections;
        this.proxyProtocol = proxyProtocol;
        this.xmits = xmits;
        this.counters = counters;
    }

    /**
     * Sends a packet of connection {@code id} on its way: {@code reassembled} when it was made whole from fragments
     * (then it is no super-packet, however long).
     */
    void deliver(int ifindex, int id, boolean fromClient, MemorySegment frame, long offset, int length,
                 boolean reassembled, int flags) {
        NetInterface port = network.interfaceByIndex(ifindex);
        int ingressMtu = port == null ? DEFAULT_MTU : port.mtu();
        boolean partial = (flags & CHECKSUM_NOT_READY) != 0;
        // TUN stays in software: an IPIP super-packet cannot be described to the kernel by a virtio_net_hdr
        boolean offloadable = partial && !(fromClient && connections.forwardingMethod(id) == ForwardingMethod.TUNNEL);
        int gsoSize = FrameHandler.gsoSize(flags);
        boolean superPacket = !reassembled && (length > ingressMtu + EthernetHeader.LENGTH || gsoSize != 0);
        int growth = fromClient ? proxyProtocol.growth(id, frame, offset, length) : 0;
        if (growth > 0) {
            if (superPacket) {
                // cut here, each segment short enough that the first one still fits the way out with the header
                counters.increment(Counter.SEGMENTED_GSO_FRAMES);
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
            ip.wrap(frame, offset + EthernetHeader.LENGTH);
            if (ip.protocol() != Protocol.TCP) {
                counters.increment(Counter.DROP_OVERSIZE_NOT_TCP);
                return;
            }
            tcp.wrap(frame, offset + EthernetHeader.LENGTH + ip.headerLength());
            int egressMtu = segmentMtu(id, fromClient, ingressMtu);
            if (offloadable && gsoSize != 0 && ip.headerLength() + tcp.headerLength() + gsoSize <= egressMtu) {
                counters.increment(Counter.FORWARDED_GSO_WHOLE);
                counters.increment(Counter.FORWARDED_CHECKSUM_PARTIAL);
                transmit(id, fromClient, frame, offset, length, FrameHandler.tcpSegmentation(gsoSize));
                return;
            }
            counters.increment(Counter.SEGMENTED_GSO_FRAMES);
            currentConnection = id;
            currentFromClient = fromClient;
            segmenter.segment(ifindex, frame, offset, length, Math.min(ingressMtu, egressMtu), deliverSegment);
            return;
        }
        if (offloadable) {
            // cheaper than completing: the egress kernel (or the peer's, which trusts veth) finishes it
            counters.increment(Counter.FORWARDED_CHECKSUM_PARTIAL);
            transmit(id, fromClient, frame, offset, length, CHECKSUM_NOT_READY);
            return;
        }
        if (partial && fromClient && connections.forwardingMethod(id) == ForwardingMethod.TUNNEL
                && connections.tunnel(id).remoteChecksum(true)) {
            // GUE remote checksum offload: the real server completes it, as the kernel leaves CHECKSUM_PARTIAL
            counters.increment(Counter.FORWARDED_CHECKSUM_PARTIAL);
            transmit(id, fromClient, frame, offset, length, CHECKSUM_NOT_READY);
            return;
        }
        if (partial) {
            checksums.complete(frame, offset, length);
            counters.increment(Counter.CHECKSUMS_COMPLETED);
        }
        transmit(id, fromClient, frame, offset, length, 0);
    }

    /**
     * Sends a packet of an IPv6 connection on its way (or a NAT64 reply, IPv4 on the way in): NAT66, DR and full NAT
     * between IPv6 ends rewrite what a partial checksum or a super-packet allows and hand them on, as
     * {@link #deliver} hands on IPv4's; IPv6 tunnels and NAT64 build new headers, so a partial checksum is completed
     * first and a TCP super-packet is cut here (as one that would start a PROXY protocol stream), each segment
     * short enough that the encapsulated or translated packet fits the way out. The first data segment of such a
     * stream is copied to get its header.
     */
    void deliver6(int ifindex, int id, boolean fromClient, MemorySegment frame, long offset, int length, int flags) {
        int growth = fromClient ? proxyProtocol.growth(id, frame, offset, length) : 0;
        boolean rewritesInPlace = connections.ipv6(id) && connections.realServer(id).ipv6()
                && !(fromClient && connections.forwardingMethod(id) == ForwardingMethod.TUNNEL);
        if (FrameHandler.gsoSize(flags) != 0 && (growth > 0 || !rewritesInPlace)) {
            NetInterface port = network.interfaceByIndex(ifindex);
            int ingressMtu = port == null ? DEFAULT_MTU : port.mtu();
            counters.increment(Counter.SEGMENTED_GSO_FRAMES);
            currentConnection = id;
            currentFromClient = fromClient;
            if (segmenter.segment(ifindex, frame, offset, length,
                    Math.min(ingressMtu, segmentMtu(id, fromClient, ingressMtu)) - growth, deliverSegment) == 0) {
                counters.increment(Counter.DROP_GSO_NOT_SEGMENTED);
            }
            return;
        }
        if (growth > 0) {
            frame = proxyProtocol.copyToScratch(frame, offset, length);
            offset = 0;
        }
        boolean partial = (flags & CHECKSUM_NOT_READY) != 0;
        if (rewritesInPlace) {
            if (partial) {
                counters.increment(Counter.FORWARDED_CHECKSUM_PARTIAL);
            }
            if (FrameHandler.gsoSize(flags) != 0) {
                counters.increment(Counter.FORWARDED_GSO_WHOLE);
            }
            transmit(id, fromClient, frame, offset, length, flags);
            return;
        }
        if (partial) {
            if (!checksums.complete(frame, offset, length)) {
                counters.increment(Counter.DROP_MALFORMED);
                return;
            }
            counters.increment(Counter.CHECKSUMS_COMPLETED);
        }
        transmit(id, fromClient, frame, offset, length, flags & Ipv6Output.REASSEMBLED);
    }

    /**
     * The largest packet (as it arrived) the way out carries: the route's MTU to the other end, in its family, less
     * the tunnel's headers for a tunnel (an IPv6 outer header, or IPv4's and the tunnel's own: segments leave
     * complete, so without GUE's remote checksum option), and NAT64's header growth taken into account. A
     * super-packet goes whole when its segments fit this; otherwise it is cut to this (and to the ingress MTU: the
     * sender chose its segment size for the path it knows, ingress MTU or a PMTU learned from our ICMP), so a
     * tunnelled or translated upload is not refused segment by segment.
     */
    private int segmentMtu(int id, boolean fromClient, int ingressMtu) {
        boolean ipv6 = connections.ipv6(id);
        RealServer server = connections.realServer(id);
        boolean realIpv6 = server.ipv6();
        boolean towardsIpv6 = fromClient ? realIpv6 : ipv6;
        int egressMtu;
        if (towardsIpv6) {
            long hi = fromClient ? server.addressHi() : connections.clientHi(id);
            long lo = fromClient ? server.addressLo() : connections.clientLo(id);
            if (!network.route6(hi, lo, segmentHop6)) {
                return ingressMtu;
            }
            egressMtu = segmentHop6.mtu;
        } else {
            int destination = !ipv6 ? (fromClient ? connections.realAddress(id) : connections.clientAddress(id))
                    : (int) connections.realLo(id);
            if (!network.route(destination, segmentHop)) {
                return ingressMtu;
            }
            egressMtu = segmentHop.mtu;
        }
        if (fromClient && connections.forwardingMethod(id) == ForwardingMethod.TUNNEL) {
            egressMtu -= realIpv6 ? Ipv6Header.LENGTH
                    : TUNNEL_OUTER_HEADER + (ipv6 ? 0 : connections.tunnel(id).headerLength(false));
        } else if (ipv6 && !realIpv6) {
            egressMtu += fromClient ? NAT64_GROWTH : -NAT64_GROWTH;
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
            verdict = xmits.of(id).toRealServer(id, frame, offset, length, flags);
            if (verdict == Verdict.SENT) {
                counters.increment(Counter.FORWARDED_TO_REAL_SERVER);
            }
        } else {
            if (!proxyProtocol.toClient(id, frame, offset, length, flags)) {
                return;
            }
            verdict = xmits.of(id).toClient(id, frame, offset, length, flags);
            if (verdict == Verdict.SENT) {
                counters.increment(Counter.FORWARDED_TO_CLIENT);
            }
        }
        counters.countVerdict(verdict);
    }

}
