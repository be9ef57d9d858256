package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.IpOutput;
import org.jvs.net.NextHop;
import org.jvs.packet.Checksum;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.UdpHeader;
import org.jvs.service.Protocol;

/**
 * IPVS NAT (masquerading, ip_vs_nat_xmit): client packets get the real server's address and port as destination,
 * replies get the virtual service's address and port back as source. Rewrites happen in place with RFC 1624
 * incremental checksum updates (IP header; TCP/UDP including the pseudo-header address; a UDP checksum of zero
 * stays zero). Before the rewrite: route, TTL decrement, MTU check, as for every method.
 * <p>
 * A frame flagged CHECKSUM_NOT_READY keeps its checksum partial: only the pseudo-header address is patched into
 * the field ({@link Checksum#updatePartial32}), and the frame leaves with the same flags, a TCP super-packet whole
 * with its GSO size (the MTU check then applies to one segment). Only TCP and UDP are handled; the first fragment of a datagram is
 * rewritten like a whole one, later fragments (no ports) are MALFORMED. Not thread-safe; allocates nothing.
 */
public final class NatTransmitter implements Transmitter {
    private final IpOutput output;
    private final ForwardingChecks checks;
    private final NextHop hop = new NextHop();
    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader gsoTcp = new TcpHeader();
    private final TransportRewrite transport = new TransportRewrite();

    public NatTransmitter(IpOutput output) {
        this.output = output;
        this.checks = new ForwardingChecks(new IcmpErrorSender(output));
    }

    /** Client to real server: destination VIP:VPORT becomes RIP:RPORT. ICMP errors come from the VIP. */
    @Override
    public int toRealServer(MemorySegment frame, long offset, int length, int realAddress, int realPort) {
        return toRealServer(frame, offset, length, realAddress, realPort, 0);
    }

    /** As {@link #toRealServer(MemorySegment, long, int, int, int)} with offload {@code flags} as received. */
    public int toRealServer(MemorySegment frame, long offset, int length, int realAddress, int realPort, int flags) {
        if (!wrapTransport(frame, offset, length, flags)) {
            return Verdict.MALFORMED;
        }
        if (!output.route(realAddress, hop)) {
            return Verdict.NO_ROUTE;
        }
        int verdict = checkAndDecrementTtl(ip.destination(), flags);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        int oldAddress = ip.destination();
        ip.destination(realAddress);
        ip.headerChecksum(Checksum.update32(ip.headerChecksum(), oldAddress, realAddress));
        transport.addressChanged(oldAddress, realAddress);
        transport.destinationPort(realPort);
        return send(frame, offset, flags);
    }

    /**
     * Real server to client (the reply half of NAT, as handle_response): source RIP:RPORT becomes
     * {@code virtualAddress:virtualPort} and the packet is routed to its destination, the client.
     * Returns a {@link Verdict}; ICMP errors go to the real server from the director's own address.
     */
    public int toClient(MemorySegment frame, long offset, int length, int virtualAddress, int virtualPort) {
        return toClient(frame, offset, length, virtualAddress, virtualPort, 0);
    }

    /** As {@link #toClient(MemorySegment, long, int, int, int)} with offload {@code flags} as received. */
    public int toClient(MemorySegment frame, long offset, int length, int virtualAddress, int virtualPort, int flags) {
        if (!wrapTransport(frame, offset, length, flags)) {
            return Verdict.MALFORMED;
        }
        if (!output.route(ip.destination(), hop)) {
            return Verdict.NO_ROUTE;
        }
        int verdict = checkAndDecrementTtl(0, flags);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        int oldAddress = ip.source();
        ip.source(virtualAddress);
        ip.headerChecksum(Checksum.update32(ip.headerChecksum(), oldAddress, virtualAddress));
        transport.addressChanged(oldAddress, virtualAddress);
        transport.sourcePort(virtualPort);
        return send(frame, offset, flags);
    }

    private int checkAndDecrementTtl(int icmpSource, int flags) {
        // measured before the TTL changes: a super-packet that cannot go whole is refused untouched
        int wireLength = Ipv4Frames.wireLength(ip, gsoTcp, flags);
        if (wireLength == 0) {
            return Verdict.MALFORMED;
        }
        int verdict = checks.decrementTtl(ip, icmpSource);
        return verdict != ForwardingChecks.PASS ? verdict : checks.checkMtu(ip, hop.mtu, icmpSource, wireLength);
    }

    /** Wraps ip and the transport header; false unless a TCP/UDP packet whose checksum field is present. */
    private boolean wrapTransport(MemorySegment frame, long offset, int length, int flags) {
        if (!Ipv4Frames.wrap(ethernet, ip, frame, offset, length) || ip.fragmentOffset() != 0) {
            return false;
        }
        int minimum = ip.protocol() == Protocol.TCP ? TcpHeader.MIN_LENGTH : UdpHeader.LENGTH;
        return ip.payloadLength() >= minimum
                && transport.wrap(ip.protocol(), frame, ip.payloadOffset(), ip.payloadLength(), flags);
    }

    /** Sends the IP packet without any Ethernet padding the frame arrived with. */
    private int send(MemorySegment frame, long offset, int flags) {
        int frameLength = EthernetHeader.LENGTH + ip.totalLength();
        return output.send(hop, frame, offset, frameLength, flags) ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }
}
