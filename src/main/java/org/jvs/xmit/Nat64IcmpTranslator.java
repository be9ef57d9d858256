package org.jvs.xmit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.Ipv6Output;
import org.jvs.net.NextHop6;
import org.jvs.packet.Checksum;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.IcmpHeader;
import org.jvs.packet.Icmpv6Header;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.Nat64Checksum;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.UdpHeader;
import org.jvs.service.Protocol;

/**
 * An ICMP error about a NAT64 connection's IPv4 packet (LIP:LPORT->RIP:RPORT), told to its IPv6 client as the ICMPv6
 * error RFC 7915 4.2 and 4.3 make of it: from the VIP, quoting the IPv6 packet the client sent (CLIENT6:CPORT->
 * VIP6:VPORT; its header rebuilt, the quoted TCP/UDP checksum carried when quoted), hop limit the error's TTL less
 * one. Destination Unreachable maps by code (host, network and the like to no route, port to port unreachable,
 * administratively prohibited to code 1, fragmentation needed to Packet Too Big announcing the MTU plus 20, at least
 * 1280), Time Exceeded keeps its code; anything else (parameter problems, source quench) is not translated. The
 * quote is cut to keep the error within IPv6's minimum MTU. Built in a scratch frame this translator owns. Not
 * thread-safe; allocates nothing.
 */
public final class Nat64IcmpTranslator {
    private static final int IP_OFFSET = EthernetHeader.LENGTH;
    private static final int ICMP_OFFSET = IP_OFFSET + Ipv6Header.LENGTH;
    private static final int QUOTE_OFFSET = ICMP_OFFSET + Icmpv6Header.LENGTH;
    private static final int QUOTED_UPPER_OFFSET = QUOTE_OFFSET + Ipv6Header.LENGTH;
    private static final int MAX_QUOTED_UPPER = Ipv6Header.MIN_MTU - (QUOTED_UPPER_OFFSET - IP_OFFSET);
    private static final int HEADER_GROWTH = Ipv6Header.LENGTH - Ipv4Header.MIN_LENGTH;
    private static final int NOT_MAPPED = -1;

    private final Ipv6Output output;
    private final MemorySegment scratch = Arena.ofAuto().allocate(QUOTED_UPPER_OFFSET + MAX_QUOTED_UPPER, Long.BYTES);
    private final NextHop6 hop = new NextHop6();
    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final IcmpHeader icmp = new IcmpHeader();
    private final Ipv4Header quoted = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final Icmpv6Header icmp6 = new Icmpv6Header();
    private final Ipv6Header quoted6 = new Ipv6Header();
    private final TransportRewrite quotedTransport = new TransportRewrite();

    public Nat64IcmpTranslator(Ipv6Output output) {
        this.output = output;
        ip6.wrap(scratch, IP_OFFSET);
        icmp6.wrap(scratch, ICMP_OFFSET);
        quoted6.wrap(scratch, QUOTE_OFFSET);
    }

    /**
     * Translates the ICMP error in {@code frame} (its quote already read by {@link IcmpErrorTranslator#parse}) for
     * the connection's client; returns a {@link Verdict}, {@link Verdict#MALFORMED} for an error RFC 7915 drops.
     */
    public int toClient(MemorySegment frame, long offset, int length, long virtualHi, long virtualLo, int virtualPort,
                        long clientHi, long clientLo, int clientPort) {
        if (!Ipv4Frames.wrap(ethernet, ip, frame, offset, length) || ip.protocol() != Protocol.ICMP
                || ip.isFragment() || ip.payloadLength() < IcmpHeader.LENGTH + Ipv4Header.MIN_LENGTH) {
            return Verdict.MALFORMED;
        }
        icmp.wrap(frame, ip.payloadOffset());
        int type = type6(icmp.type(), icmp.code());
        if (type == NOT_MAPPED || ip.ttl() <= 1) {
            return Verdict.MALFORMED;
        }
        quoted.wrap(frame, ip.payloadOffset() + IcmpHeader.LENGTH);
        int quoteLength = ip.payloadLength() - IcmpHeader.LENGTH;
        int protocol = quoted.protocol();
        if (quoted.version() != 4 || quoted.headerLength() < Ipv4Header.MIN_LENGTH
                || quoted.headerLength() > quoteLength || quoted.fragmentOffset() != 0
                || protocol != Protocol.TCP && protocol != Protocol.UDP) {
            return Verdict.MALFORMED;
        }
        long quotedUpper = quoted.payloadOffset();
        int available = (int) Math.min(ip.offset() + ip.totalLength() - quotedUpper, MAX_QUOTED_UPPER);
        if (available < TransportRewrite.PORTS_LENGTH) {
            return Verdict.MALFORMED;
        }
        if (!output.route6(clientHi, clientLo, hop)) {
            return Verdict.NO_ROUTE;
        }
        MemorySegment.copy(frame, quotedUpper, scratch, QUOTED_UPPER_OFFSET, available);
        quoted6.versionClassAndFlow(quoted.tos(), 0)
                .payloadLength(Math.max(0, quoted.totalLength() - quoted.headerLength()))
                .nextHeader(protocol)
                .hopLimit(quoted.ttl())
                .source(clientHi, clientLo)
                .destination(virtualHi, virtualLo);
        quotedTransport.wrap6(protocol, scratch, QUOTED_UPPER_OFFSET, available, 0);
        int field = protocol == Protocol.TCP ? TcpHeader.CHECKSUM_OFFSET : UdpHeader.CHECKSUM_OFFSET;
        if (available >= field + 2) {
            int checksum = quotedTransport.checksum();
            quotedTransport.checksum(protocol == Protocol.TCP
                    ? Nat64Checksum.tcpFourToSix(checksum, quoted.source(), quoted.destination(), clientHi, clientLo,
                            virtualHi, virtualLo)
                    : checksum == Checksum.UDP_NONE ? checksum : Nat64Checksum.udpFourToSix(checksum,
                            quoted.source(), quoted.destination(), clientHi, clientLo, virtualHi, virtualLo));
        }
        quotedTransport.sourcePort(clientPort);
        quotedTransport.destinationPort(virtualPort);
        int icmpLength = Icmpv6Header.LENGTH + Ipv6Header.LENGTH + available;
        ip6.versionClassAndFlow(ip.tos(), 0)
                .payloadLength(icmpLength)
                .nextHeader(Protocol.ICMPV6)
                .hopLimit(ip.ttl() - 1)
                .source(virtualHi, virtualLo)
                .destination(clientHi, clientLo);
        icmp6.type(type >>> 8).code(type & 0xFF).mtu(type >>> 8 == Icmpv6Header.TYPE_PACKET_TOO_BIG
                ? Math.max(Ipv6Header.MIN_MTU, Math.min(icmp.nextHopMtu() + HEADER_GROWTH, hop.mtu)) : 0)
                .checksum(0).updateChecksum(icmpLength, ip6);
        return output.send6(hop, scratch, 0, QUOTED_UPPER_OFFSET + available, 0) ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }

    /** RFC 7915 4.2: the ICMPv6 type (high byte) and code (low byte) of an ICMP error, or {@link #NOT_MAPPED}. */
    static int type6(int type, int code) {
        if (type == IcmpHeader.TYPE_TIME_EXCEEDED) {
            return Icmpv6Header.TYPE_TIME_EXCEEDED << 8 | code;
        }
        if (type != IcmpHeader.TYPE_DESTINATION_UNREACHABLE) {
            return NOT_MAPPED;
        }
        int unreachable = Icmpv6Header.TYPE_DESTINATION_UNREACHABLE << 8;
        return switch (code) {
            case 0, 1, 5, 6, 7, 8, 11, 12 -> unreachable | Icmpv6Header.CODE_NO_ROUTE;
            case IcmpHeader.CODE_PORT_UNREACHABLE -> unreachable | Icmpv6Header.CODE_PORT_UNREACHABLE;
            case IcmpHeader.CODE_FRAGMENTATION_NEEDED -> Icmpv6Header.TYPE_PACKET_TOO_BIG << 8;
            case 9, 10, 13, 15 -> unreachable | Icmpv6Header.CODE_ADMINISTRATIVELY_PROHIBITED;
            default -> NOT_MAPPED;
        };
    }
}
