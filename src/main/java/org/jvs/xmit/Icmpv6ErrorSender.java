package org.jvs.xmit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.Ipv6Output;
import org.jvs.net.NextHop6;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Icmpv6Header;
import org.jvs.packet.Ipv6ExtensionHeaders;
import org.jvs.packet.Ipv6Header;
import org.jvs.service.Protocol;

/**
 * Tells an IPv6 packet's sender why it was dropped, as the kernel's icmpv6_send does for IPVS (ip_vs_xmit.c's
 * ensure_mtu_is_adequate for AF_INET6 sends Packet Too Big, __ip_vs_get_out_rt_v6's callers Time Exceeded): an
 * ICMPv6 error quoting as much of the offending packet as keeps the error within the IPv6 minimum MTU (RFC 4443
 * 2.4 (c)), built in a scratch frame this sender owns and routed through the {@link Ipv6Output}. RFC 4443 2.4 (e):
 * never about an ICMPv6 error, nor to an unspecified or multicast source, nor (but for Packet Too Big) about a packet
 * to a multicast destination. Not thread-safe; allocates nothing per call.
 */
public final class Icmpv6ErrorSender {
    private static final int DEFAULT_HOP_LIMIT = 64;
    private static final int IP_OFFSET = EthernetHeader.LENGTH;
    private static final int ICMP_OFFSET = IP_OFFSET + Ipv6Header.LENGTH;
    private static final int QUOTE_OFFSET = ICMP_OFFSET + Icmpv6Header.LENGTH;
    private static final int MAX_QUOTE_LENGTH = Ipv6Header.MIN_MTU - Ipv6Header.LENGTH - Icmpv6Header.LENGTH;
    private static final long MULTICAST_PREFIX = 0xFF00_0000_0000_0000L;

    private final Ipv6Output output;
    private final MemorySegment scratch = Arena.ofAuto().allocate(QUOTE_OFFSET + MAX_QUOTE_LENGTH, Long.BYTES);
    private final NextHop6 hop = new NextHop6();
    private final Ipv6Header offender = new Ipv6Header();
    private final Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();
    private final Icmpv6Header offenderIcmp = new Icmpv6Header();
    private final Ipv6Header ip = new Ipv6Header();
    private final Icmpv6Header icmp = new Icmpv6Header();

    public Icmpv6ErrorSender(Ipv6Output output) {
        this.output = output;
        ip.wrap(scratch, IP_OFFSET);
        icmp.wrap(scratch, ICMP_OFFSET);
    }

    /** Packet Too Big (RFC 4443 3.2) announcing {@code mtu}, from {@code sourceHi/Lo} (:: for the route's). */
    public boolean packetTooBig(MemorySegment packet, long ipOffset, int mtu, long sourceHi, long sourceLo) {
        return send(packet, ipOffset, Icmpv6Header.TYPE_PACKET_TOO_BIG, 0, mtu, sourceHi, sourceLo);
    }

    /** Time Exceeded, hop limit exceeded in transit (RFC 4443 3.3). */
    public boolean hopLimitExceeded(MemorySegment packet, long ipOffset, long sourceHi, long sourceLo) {
        return send(packet, ipOffset, Icmpv6Header.TYPE_TIME_EXCEEDED, Icmpv6Header.CODE_HOP_LIMIT_EXCEEDED, 0,
                sourceHi, sourceLo);
    }

    /**
     * Sends an ICMPv6 error about the IPv6 packet at {@code packet[ipOffset]} (validated by the caller) to its
     * source; {@code parameter} fills the second word (the MTU, the pointer). False when none may or could be sent.
     */
    public boolean send(MemorySegment packet, long ipOffset, int type, int code, int parameter, long sourceHi,
                        long sourceLo) {
        offender.wrap(packet, ipOffset);
        long destinationHi = offender.sourceHi();
        long destinationLo = offender.sourceLo();
        if ((destinationHi | destinationLo) == 0 || (destinationHi & MULTICAST_PREFIX) == MULTICAST_PREFIX
                || type != Icmpv6Header.TYPE_PACKET_TOO_BIG
                && (offender.destinationHi() & MULTICAST_PREFIX) == MULTICAST_PREFIX
                || isIcmpError()) {
            return false;
        }
        if (!output.route6(destinationHi, destinationLo, hop)) {
            return false;
        }
        int quoteLength = Math.min(offender.packetLength(), MAX_QUOTE_LENGTH);
        int icmpLength = Icmpv6Header.LENGTH + quoteLength;
        MemorySegment.copy(packet, ipOffset, scratch, QUOTE_OFFSET, quoteLength);
        boolean routeSource = (sourceHi | sourceLo) == 0;
        ip.versionClassAndFlow(0, 0)
                .payloadLength(icmpLength)
                .nextHeader(Protocol.ICMPV6)
                .hopLimit(DEFAULT_HOP_LIMIT)
                .source(routeSource ? hop.sourceHi : sourceHi, routeSource ? hop.sourceLo : sourceLo)
                .destination(destinationHi, destinationLo);
        icmp.type(type).code(code).mtu(parameter).checksum(0).updateChecksum(icmpLength, ip);
        return output.send6(hop, scratch, 0, QUOTE_OFFSET + quoteLength, 0);
    }

    /** An ICMPv6 error, or a packet whose upper layer the walk does not reach: better silent than an ICMP storm. */
    private boolean isIcmpError() {
        int length = offender.packetLength();
        if (headers.walk(offender.segment(), offender.offset(), length) != Ipv6ExtensionHeaders.UPPER_LAYER) {
            return true;
        }
        if (headers.protocol() != Protocol.ICMPV6) {
            return false;
        }
        long icmpOffset = headers.upperLayerOffset();
        if (icmpOffset + 1 > offender.offset() + length) {
            return true;
        }
        return Icmpv6Header.isError(offenderIcmp.wrap(offender.segment(), icmpOffset).type());
    }
}
