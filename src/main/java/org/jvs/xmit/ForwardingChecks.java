package org.jvs.xmit;

import org.jvs.packet.Ipv4Header;

/**
 * What every IPVS transmitter does between the route lookup and the send (__ip_vs_get_out_rt): decrement the
 * TTL, answering time-exceeded when it runs out, then check the packet against the egress MTU, answering
 * fragmentation-needed when DF forbids splitting it. An oversize packet without DF passes: the IP output splits
 * it into fragments, as the kernel's ip_fragment does.
 */
final class ForwardingChecks {
    /** Not a verdict: the packet passed and may be sent. */
    static final int PASS = -1;
    /** RFC 791: every host accepts 68-byte datagrams; a smaller inner MTU means the tunnel is unusable. */
    static final int MIN_MTU = 68;

    private final IcmpErrorSender icmp;

    ForwardingChecks(IcmpErrorSender icmp) {
        this.icmp = icmp;
    }

    /**
     * Decrements the TTL of the validated packet, or drops it with an ICMP time-exceeded from
     * {@code icmpSource} (0: the route's source) when it would reach zero.
     */
    int decrementTtl(Ipv4Header ip, int icmpSource) {
        if (ip.ttl() <= 1) {
            icmp.timeExceeded(ip.segment(), ip.offset(), icmpSource);
            return Verdict.TTL_EXCEEDED;
        }
        ip.decrementTtl();
        return PASS;
    }

    /**
     * Checks the packet's IP length against {@code mtu}: PASS when it fits or may be fragmented (DF clear);
     * FRAGMENTATION_NEEDED after telling the sender {@code mtu} when DF is set; TOO_BIG when that cannot be
     * signalled (the packet may not be answered with ICMP) or the MTU is below IPv4's minimum.
     */
    int checkMtu(Ipv4Header ip, int mtu, int icmpSource) {
        return checkMtu(ip, mtu, icmpSource, ip.totalLength());
    }

    /**
     * As {@link #checkMtu(Ipv4Header, int, int)} for a packet whose largest IP datagram on the wire is
     * {@code wireLength}: a GSO super-packet's segments must fit, not its total length.
     */
    int checkMtu(Ipv4Header ip, int mtu, int icmpSource, int wireLength) {
        if (wireLength <= mtu) {
            return PASS;
        }
        if (mtu < MIN_MTU) {
            return Verdict.TOO_BIG;
        }
        if (!ip.dontFragment()) {
            return PASS;
        }
        return icmp.fragmentationNeeded(ip.segment(), ip.offset(), mtu, icmpSource)
                ? Verdict.FRAGMENTATION_NEEDED : Verdict.TOO_BIG;
    }
}
