package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameHandler;
import org.jvs.net.Ipv6Output;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv6ExtensionHeaders;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.TcpHeader;
import org.jvs.service.Protocol;

/**
 * The entry check of every IPv6 transmitter ({@link Ipv4Frames}' counterpart) and the IPv6 half of
 * __ip_vs_get_out_rt_v6's checks: an Ethernet frame carrying a valid IPv6 packet whose extension headers lead to an
 * upper layer; the hop limit decremented, answered with Time Exceeded when it runs out; the packet checked against
 * the egress MTU, answered with Packet Too Big (ensure_mtu_is_adequate: IPv6 routers never fragment). One instance
 * per transmitter, holding the wrapped headers. Not thread-safe; allocates nothing per packet.
 */
final class Ipv6Frames {
    final EthernetHeader ethernet = new EthernetHeader();
    final Ipv6Header ip = new Ipv6Header();
    final Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();
    private final TcpHeader tcp = new TcpHeader();
    private final Icmpv6ErrorSender icmp;

    Ipv6Frames(Icmpv6ErrorSender icmp) {
        this.icmp = icmp;
    }

    /**
     * Wraps the frame's IPv6 packet and walks its headers; false when the frame is not Ethernet/IPv6, fails
     * validation, or has no upper layer in this packet (a later fragment, IPsec, a broken chain).
     */
    boolean wrap(MemorySegment frame, long offset, int length) {
        if (length < EthernetHeader.LENGTH + Ipv6Header.LENGTH || offset < 0
                || offset + EthernetHeader.LENGTH > frame.byteSize()) {
            return false;
        }
        if (ethernet.wrap(frame, offset).etherType() != EthernetHeader.TYPE_IPV6) {
            return false;
        }
        ip.wrap(frame, offset + EthernetHeader.LENGTH);
        if (ip.validate(length - EthernetHeader.LENGTH) != Ipv6Header.OK) {
            return false;
        }
        return headers.walk(frame, ip.offset(), ip.packetLength()) == Ipv6ExtensionHeaders.UPPER_LAYER;
    }

    /** Bytes from the upper-layer header to the packet's end. */
    int upperLayerLength() {
        return (int) (ip.offset() + ip.packetLength() - headers.upperLayerOffset());
    }

    /**
     * The longest IPv6 packet the wrapped one puts on the wire: its length, or for a TCP super-packet its headers
     * plus one segment's payload; zero when the flags claim GSO for anything but a complete TCP header.
     */
    int wireLength(int flags) {
        int gsoSize = FrameHandler.gsoSize(flags);
        if (gsoSize == 0) {
            return ip.packetLength();
        }
        int transportLength = upperLayerLength();
        if (headers.protocol() != Protocol.TCP || transportLength < TcpHeader.MIN_LENGTH) {
            return 0;
        }
        int tcpHeaderLength = tcp.wrap(ip.segment(), headers.upperLayerOffset()).headerLength();
        if (tcpHeaderLength < TcpHeader.MIN_LENGTH || tcpHeaderLength > transportLength) {
            return 0;
        }
        int headersLength = (int) (headers.upperLayerOffset() - ip.offset());
        return Math.min(ip.packetLength(), headersLength + tcpHeaderLength + gsoSize);
    }

    /**
     * Decrements the hop limit, or drops the packet with Time Exceeded from {@code icmpSourceHi/Lo} (:: for the
     * route's source) when it would reach zero; then checks {@code wireLength} against {@code mtu}, answering Packet
     * Too Big, but for a reassembled datagram ({@link Ipv6Output#REASSEMBLED} in {@code flags}), which the output
     * fragments again. Returns {@link ForwardingChecks#PASS} or the verdict.
     */
    int check(int mtu, int wireLength, long icmpSourceHi, long icmpSourceLo, int flags) {
        if ((flags & Ipv6Output.REASSEMBLED) != 0 && mtu >= Ipv6Header.MIN_MTU) {
            wireLength = Math.min(wireLength, mtu);
        }
        return check(mtu, wireLength, icmpSourceHi, icmpSourceLo);
    }

    /** As {@link #check(int, int, long, long, int)} for a packet as it came in one frame. */
    int check(int mtu, int wireLength, long icmpSourceHi, long icmpSourceLo) {
        if (ip.hopLimit() <= 1) {
            icmp.hopLimitExceeded(ip.segment(), ip.offset(), icmpSourceHi, icmpSourceLo);
            return Verdict.TTL_EXCEEDED;
        }
        ip.decrementHopLimit(); // first, as __ip_vs_get_out_rt_v6: Packet Too Big quotes the decremented packet
        if (wireLength > mtu) {
            if (mtu < Ipv6Header.MIN_MTU) {
                return Verdict.TOO_BIG;
            }
            return icmp.packetTooBig(ip.segment(), ip.offset(), mtu, icmpSourceHi, icmpSourceLo)
                    ? Verdict.PACKET_TOO_BIG : Verdict.TOO_BIG;
        }
        return ForwardingChecks.PASS;
    }
}
