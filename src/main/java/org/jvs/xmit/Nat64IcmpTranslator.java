package org.jvs.xmit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.IpOutput;
import org.jvs.net.Ipv6Output;
import org.jvs.net.NextHop;
import org.jvs.net.NextHop6;
import org.jvs.packet.Checksum;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.IcmpHeader;
import org.jvs.packet.Icmpv6Header;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.Ipv6ExtensionHeaders;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.Nat64Checksum;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.UdpHeader;
import org.jvs.service.Protocol;

/**
 * ICMP across a NAT64 connection's two families. An ICMP error about a NAT64 connection's IPv4 packet (LIP:LPORT->RIP:RPORT), told to its IPv6 client as the ICMPv6
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
    private final IpOutput output4;
    private final NextHop hop4 = new NextHop();
    private final Ipv6Frames frames6 = new Ipv6Frames(null);
    private final Ipv6Header quotedIn6 = new Ipv6Header();
    private final Ipv6ExtensionHeaders quotedHeaders = new Ipv6ExtensionHeaders();
    private final Ipv4Header ip4 = new Ipv4Header();
    private final IcmpHeader icmp4 = new IcmpHeader();
    private final Ipv4Header quoted4 = new Ipv4Header();
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
    private final Icmpv6Header errorIn = new Icmpv6Header();

    /** A translator both ways: ICMP to the IPv6 clients, ICMPv6 about replies to the IPv4 real servers. */
    public Nat64IcmpTranslator(IpOutput output4, Ipv6Output output) {
        this.output = output;
        this.output4 = output4;
        ip4.wrap(scratch, IP_OFFSET);
        icmp4.wrap(scratch, IP_OFFSET + Ipv4Header.MIN_LENGTH);
        quoted4.wrap(scratch, IP_OFFSET + Ipv4Header.MIN_LENGTH + IcmpHeader.LENGTH);
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

    /**
     * RFC 7915 5.2 and 5.3, the other way: an ICMPv6 error about a NAT64 reply the director sent the client
     * (VIP6:VPORT->CLIENT6:CPORT) goes to the IPv4 real server from {@code localAddress}, quoting the reply as the
     * server sent it (RIP:RPORT->LIP:LPORT, its IPv4 header rebuilt, TTL the quoted hop limit); Packet Too Big
     * becomes fragmentation-needed announcing the MTU less 20, Time Exceeded keeps its code, Destination Unreachable
     * maps by code (no route, beyond scope and address unreachable to host unreachable, administratively prohibited
     * to 10, port unreachable to port unreachable). Returns a {@link Verdict}.
     */
    public int toRealServer(MemorySegment frame, long offset, int length, int localAddress, int localPort,
                            int realAddress, int realPort) {
        if (!frames6.wrap(frame, offset, length) || frames6.headers.protocol() != Protocol.ICMPV6
                || frames6.headers.hasFragmentHeader() || frames6.upperLayerLength() < Icmpv6Header.LENGTH) {
            return Verdict.MALFORMED;
        }
        Ipv6Header outer = frames6.ip;
        Icmpv6Header error = icmp6From(frame, frames6.headers.upperLayerOffset());
        int type = type4(error.type(), error.code());
        int quoteLength = frames6.upperLayerLength() - Icmpv6Header.LENGTH;
        if (type == NOT_MAPPED || outer.hopLimit() <= 1 || quoteLength < Ipv6Header.LENGTH) {
            return Verdict.MALFORMED;
        }
        quotedIn6.wrap(frame, error.quotedPacketOffset());
        if (quotedIn6.version() != 6 || quotedHeaders.walk(frame, quotedIn6.offset(),
                Math.min(quoteLength, quotedIn6.packetLength())) != Ipv6ExtensionHeaders.UPPER_LAYER) {
            return Verdict.MALFORMED;
        }
        int protocol = quotedHeaders.protocol();
        long quotedUpper = quotedHeaders.upperLayerOffset();
        int available = (int) Math.min(quotedIn6.offset() + quoteLength - quotedUpper, MAX_QUOTED_UPPER);
        if (protocol != Protocol.TCP && protocol != Protocol.UDP || available < TransportRewrite.PORTS_LENGTH) {
            return Verdict.MALFORMED;
        }
        if (!output4.route(realAddress, hop4)) {
            return Verdict.NO_ROUTE;
        }
        int quotedUpperOffset = IP_OFFSET + Ipv4Header.MIN_LENGTH + IcmpHeader.LENGTH + Ipv4Header.MIN_LENGTH;
        MemorySegment.copy(frame, quotedUpper, scratch, quotedUpperOffset, available);
        int upperLength = (int) (quotedIn6.offset() + quotedIn6.packetLength() - quotedUpper);
        quoted4.versionAndHeaderLength(Ipv4Header.MIN_LENGTH)
                .tos(quotedIn6.trafficClass())
                .totalLength(Ipv4Header.MIN_LENGTH + Math.max(0, upperLength))
                .identification(0)
                .flagsAndFragmentOffset(0)
                .ttl(quotedIn6.hopLimit())
                .protocol(protocol)
                .source(realAddress)
                .destination(localAddress)
                .updateHeaderChecksum();
        quotedTransport.wrap(protocol, scratch, quotedUpperOffset, available, 0);
        int field = protocol == Protocol.TCP ? TcpHeader.CHECKSUM_OFFSET : UdpHeader.CHECKSUM_OFFSET;
        if (available >= field + 2) {
            int checksum = quotedTransport.checksum();
            quotedTransport.checksum(protocol == Protocol.TCP
                    ? Nat64Checksum.tcpSixToFour(checksum, quotedIn6.sourceHi(), quotedIn6.sourceLo(),
                            quotedIn6.destinationHi(), quotedIn6.destinationLo(), realAddress, localAddress)
                    : Nat64Checksum.udpSixToFour(checksum, quotedIn6.sourceHi(), quotedIn6.sourceLo(),
                            quotedIn6.destinationHi(), quotedIn6.destinationLo(), realAddress, localAddress));
        }
        quotedTransport.sourcePort(realPort);
        quotedTransport.destinationPort(localPort);
        int icmpLength = IcmpHeader.LENGTH + Ipv4Header.MIN_LENGTH + available;
        int mtu = type >>> 8 == IcmpHeader.TYPE_DESTINATION_UNREACHABLE
                && (type & 0xFF) == IcmpHeader.CODE_FRAGMENTATION_NEEDED ? Math.max(0, error.mtu() - HEADER_GROWTH) : 0;
        icmp4.type(type >>> 8).code(type & 0xFF).restOfHeader(Math.min(mtu, 0xFFFF)).updateChecksum(icmpLength);
        ip4.versionAndHeaderLength(Ipv4Header.MIN_LENGTH)
                .tos(outer.trafficClass())
                .totalLength(Ipv4Header.MIN_LENGTH + icmpLength)
                .identification(0)
                .flagsAndFragmentOffset(0)
                .ttl(outer.hopLimit() - 1)
                .protocol(Protocol.ICMP)
                .source(localAddress)
                .destination(realAddress)
                .updateHeaderChecksum();
        return output4.send(hop4, scratch, 0, IP_OFFSET + Ipv4Header.MIN_LENGTH + icmpLength)
                ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }

    private Icmpv6Header icmp6From(MemorySegment frame, long offset) {
        return errorIn.wrap(frame, offset);
    }

    /** RFC 7915 5.2: the ICMP type (high byte) and code (low byte) of an ICMPv6 error, or {@link #NOT_MAPPED}. */
    static int type4(int type, int code) {
        int unreachable = IcmpHeader.TYPE_DESTINATION_UNREACHABLE << 8;
        return switch (type) {
            case Icmpv6Header.TYPE_PACKET_TOO_BIG -> unreachable | IcmpHeader.CODE_FRAGMENTATION_NEEDED;
            case Icmpv6Header.TYPE_TIME_EXCEEDED -> IcmpHeader.TYPE_TIME_EXCEEDED << 8 | code;
            case Icmpv6Header.TYPE_DESTINATION_UNREACHABLE -> switch (code) {
                case 0, 2, Icmpv6Header.CODE_ADDRESS_UNREACHABLE -> unreachable | 1;
                case Icmpv6Header.CODE_ADMINISTRATIVELY_PROHIBITED -> unreachable | 10;
                case Icmpv6Header.CODE_PORT_UNREACHABLE -> unreachable | IcmpHeader.CODE_PORT_UNREACHABLE;
                default -> NOT_MAPPED;
            };
            default -> NOT_MAPPED;
        };
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
