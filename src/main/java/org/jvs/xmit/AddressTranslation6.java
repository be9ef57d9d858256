package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.Ipv6Output;
import org.jvs.net.NextHop6;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.UdpHeader;
import org.jvs.service.Protocol;

/**
 * {@link AddressTranslation} over IPv6, the rewrite NAT66 (ip_vs_nat_xmit_v6, handle_response) and full NAT over
 * IPv6 share: new source and/or destination address and port in place, the TCP/UDP checksum updated for each
 * (RFC 1624 with the 128-bit pseudo-header addresses; IPv6 has no header checksum); before, route, hop limit and
 * MTU ({@link Ipv6Frames#check}). Extension headers stay as they came. An address given as :: (both halves
 * {@link AddressTranslation#KEEP}) or a port given as KEEP is left as it is. Not thread-safe; allocates nothing.
 */
final class AddressTranslation6 {
    private final Ipv6Output output;
    private final Ipv6Frames frames;
    private final NextHop6 hop = new NextHop6();
    private final TransportRewrite transport = new TransportRewrite();

    AddressTranslation6(Ipv6Output output) {
        this.output = output;
        this.frames = new Ipv6Frames(new Icmpv6ErrorSender(output));
    }

    /**
     * Rewrites and sends one packet; returns a {@link Verdict}. Towards a real server, ICMPv6 errors go to the
     * client from the address it asked for (the VIP); towards a client, to the real server from the route's source.
     */
    int forward(MemorySegment frame, long offset, int length, int flags, boolean towardsRealServer,
                long sourceHi, long sourceLo, int sourcePort, long destinationHi, long destinationLo,
                int destinationPort) {
        if (!frames.wrap(frame, offset, length)) {
            return Verdict.MALFORMED;
        }
        int protocol = frames.headers.protocol();
        int minimum = protocol == Protocol.TCP ? TcpHeader.MIN_LENGTH : UdpHeader.LENGTH;
        int upperLength = frames.upperLayerLength();
        if (upperLength < minimum
                || !transport.wrap6(protocol, frame, frames.headers.upperLayerOffset(), upperLength, flags)) {
            return Verdict.MALFORMED;
        }
        var ip = frames.ip;
        boolean newDestination = (destinationHi | destinationLo) != 0;
        boolean routed = newDestination ? output.route6(destinationHi, destinationLo, hop)
                : output.route6(ip.destinationHi(), ip.destinationLo(), hop);
        if (!routed) {
            return Verdict.NO_ROUTE;
        }
        int wireLength = frames.wireLength(flags);
        if (wireLength == 0) {
            return Verdict.MALFORMED;
        }
        int verdict = frames.check(hop.mtu, wireLength, towardsRealServer ? ip.destinationHi() : 0,
                towardsRealServer ? ip.destinationLo() : 0, flags);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        if ((sourceHi | sourceLo) != 0) {
            transport.addressChanged128(ip.sourceHi(), ip.sourceLo(), sourceHi, sourceLo);
            ip.source(sourceHi, sourceLo);
        }
        if (newDestination) {
            transport.addressChanged128(ip.destinationHi(), ip.destinationLo(), destinationHi, destinationLo);
            ip.destination(destinationHi, destinationLo);
        }
        if (sourcePort != AddressTranslation.KEEP) {
            transport.sourcePort(sourcePort);
        }
        if (destinationPort != AddressTranslation.KEEP) {
            transport.destinationPort(destinationPort);
        }
        int frameLength = EthernetHeader.LENGTH + ip.packetLength();
        return output.send6(hop, frame, offset, frameLength, flags) ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }
}
