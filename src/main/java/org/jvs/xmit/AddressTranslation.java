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
 * The rewrite NAT and full NAT share: new source and/or destination address and port, in place, with RFC 1624
 * incremental checksum updates (IP header; TCP/UDP including the pseudo-header addresses; a UDP checksum of zero
 * stays zero). Before the rewrite: route, TTL decrement, MTU check, as for every method. A field given as
 * {@link #KEEP} is left exactly as it is, checksum included.
 * <p>
 * A frame flagged CHECKSUM_NOT_READY keeps its checksum partial: only the pseudo-header addresses are patched into
 * the field ({@link Checksum#updatePartial32}), and the frame leaves with the same flags, a TCP super-packet whole
 * with its GSO size (the MTU check then applies to one segment). Only TCP and UDP are handled; the first fragment
 * of a datagram is rewritten like a whole one, later fragments (no ports) are MALFORMED. Not thread-safe;
 * allocates nothing.
 */
final class AddressTranslation {
    /** An address or port left as it is (0 is never a translated address or port). */
    static final int KEEP = 0;

    private final IpOutput output;
    private final ForwardingChecks checks;
    private final NextHop hop = new NextHop();
    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader gsoTcp = new TcpHeader();
    private final TransportRewrite transport = new TransportRewrite();

    AddressTranslation(IpOutput output) {
        this.output = output;
        this.checks = new ForwardingChecks(new IcmpErrorSender(output));
    }

    /**
     * Rewrites and sends one packet; returns a {@link Verdict}. Towards a real server, ICMP errors (TTL, MTU) go to
     * the client from the address it asked for (the VIP); towards a client, to the real server from the director's
     * own address.
     */
    int forward(MemorySegment frame, long offset, int length, int flags, boolean towardsRealServer, int source,
                int sourcePort, int destination, int destinationPort) {
        if (!wrap(frame, offset, length, flags)) {
            return Verdict.MALFORMED;
        }
        if (!output.route(destination != KEEP ? destination : ip.destination(), hop)) {
            return Verdict.NO_ROUTE;
        }
        int verdict = checkAndDecrementTtl(towardsRealServer ? ip.destination() : 0, flags);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        if (source != KEEP) {
            int oldSource = ip.source();
            ip.source(source);
            ip.headerChecksum(Checksum.update32(ip.headerChecksum(), oldSource, source));
            transport.addressChanged(oldSource, source);
        }
        if (destination != KEEP) {
            int oldDestination = ip.destination();
            ip.destination(destination);
            ip.headerChecksum(Checksum.update32(ip.headerChecksum(), oldDestination, destination));
            transport.addressChanged(oldDestination, destination);
        }
        if (sourcePort != KEEP) {
            transport.sourcePort(sourcePort);
        }
        if (destinationPort != KEEP) {
            transport.destinationPort(destinationPort);
        }
        return send(frame, offset, flags);
    }

    /** Wraps ip and the transport header; false unless a TCP/UDP packet whose checksum field is present. */
    private boolean wrap(MemorySegment frame, long offset, int length, int flags) {
        if (!Ipv4Frames.wrap(ethernet, ip, frame, offset, length) || ip.fragmentOffset() != 0) {
            return false;
        }
        int minimum = ip.protocol() == Protocol.TCP ? TcpHeader.MIN_LENGTH : UdpHeader.LENGTH;
        return ip.payloadLength() >= minimum
                && transport.wrap(ip.protocol(), frame, ip.payloadOffset(), ip.payloadLength(), flags);
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

    /** Sends the IP packet without any Ethernet padding the frame arrived with. */
    private int send(MemorySegment frame, long offset, int flags) {
        int frameLength = EthernetHeader.LENGTH + ip.totalLength();
        return output.send(hop, frame, offset, frameLength, flags) ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }
}
