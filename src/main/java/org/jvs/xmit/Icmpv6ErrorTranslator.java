package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.Ipv6Output;
import org.jvs.net.NextHop6;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Icmpv6Header;
import org.jvs.packet.Ipv6ExtensionHeaders;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.TcpSequenceAdjuster;
import org.jvs.service.Protocol;

/**
 * {@link IcmpErrorTranslator} for IPv6 (ip_vs_out_icmp_v6 / ip_vs_in_icmp_v6): an ICMPv6 error about a NAT66 or
 * full-NAT packet, rewritten for the other side. {@link #parse} reads the quoted packet (its extension headers walked
 * within the quote) so the caller can find the connection; {@link #translate} rewrites the outer addresses, the
 * quoted addresses and ports (the quoted TCP/UDP checksum by RFC 1624 when quoted) and sums the ICMPv6 checksum
 * anew. Only Destination Unreachable, Packet Too Big (its MTU as it came) and Time Exceeded are translated, as IPVS
 * does. Not thread-safe; allocates nothing.
 */
public final class Icmpv6ErrorTranslator {
    private final Ipv6Output output;
    private final NextHop6 hop = new NextHop6();
    private final Ipv6Frames frames;
    private final Icmpv6Header icmp = new Icmpv6Header();
    private final Ipv6Header quoted = new Ipv6Header();
    private final Ipv6ExtensionHeaders quotedHeaders = new Ipv6ExtensionHeaders();
    private final TransportRewrite quotedTransport = new TransportRewrite();

    public Icmpv6ErrorTranslator(Ipv6Output output) {
        this.output = output;
        this.frames = new Ipv6Frames(new Icmpv6ErrorSender(output));
    }

    /**
     * Reads an ICMPv6 packet: {@link IcmpErrorTranslator#NOT_TRANSLATED}, {@link IcmpErrorTranslator#QUOTE} (then the
     * quoted* accessors) or {@link IcmpErrorTranslator#MALFORMED}.
     */
    public int parse(MemorySegment frame, long offset, int length) {
        if (!frames.wrap(frame, offset, length) || frames.headers.protocol() != Protocol.ICMPV6
                || frames.headers.hasFragmentHeader()) {
            return IcmpErrorTranslator.NOT_TRANSLATED;
        }
        int icmpLength = frames.upperLayerLength();
        if (icmpLength < Icmpv6Header.LENGTH) {
            return IcmpErrorTranslator.NOT_TRANSLATED;
        }
        int type = icmp.wrap(frame, frames.headers.upperLayerOffset()).type();
        if (type != Icmpv6Header.TYPE_DESTINATION_UNREACHABLE && type != Icmpv6Header.TYPE_PACKET_TOO_BIG
                && type != Icmpv6Header.TYPE_TIME_EXCEEDED) {
            return IcmpErrorTranslator.NOT_TRANSLATED;
        }
        int quoteLength = icmpLength - Icmpv6Header.LENGTH;
        if (quoteLength < Ipv6Header.LENGTH) {
            return IcmpErrorTranslator.MALFORMED;
        }
        quoted.wrap(frame, icmp.quotedPacketOffset());
        if (quoted.version() != 6) {
            return IcmpErrorTranslator.MALFORMED;
        }
        // the quote is cut, not the packet: walk what was quoted
        int walk = quotedHeaders.walk(frame, quoted.offset(), Math.min(quoteLength, quoted.packetLength()));
        if (walk != Ipv6ExtensionHeaders.UPPER_LAYER) {
            return IcmpErrorTranslator.MALFORMED;
        }
        int protocol = quotedHeaders.protocol();
        if (protocol != Protocol.TCP && protocol != Protocol.UDP) {
            return IcmpErrorTranslator.NOT_TRANSLATED;
        }
        long transportOffset = quotedHeaders.upperLayerOffset();
        int available = (int) (quoted.offset() + quoteLength - transportOffset);
        return quotedTransport.wrap6(protocol, frame, transportOffset, available, 0)
                ? IcmpErrorTranslator.QUOTE : IcmpErrorTranslator.MALFORMED;
    }

    public int quotedProtocol() {
        return quotedHeaders.protocol();
    }

    public long quotedSourceHi() {
        return quoted.sourceHi();
    }

    public long quotedSourceLo() {
        return quoted.sourceLo();
    }

    public int quotedSourcePort() {
        return quotedTransport.sourcePort();
    }

    public long quotedDestinationHi() {
        return quoted.destinationHi();
    }

    public long quotedDestinationLo() {
        return quoted.destinationLo();
    }

    public int quotedDestinationPort() {
        return quotedTransport.destinationPort();
    }

    /** As {@link IcmpErrorTranslator#quotedSequenceToClient}: a PROXY connection's quote in the client's numbering. */
    public void quotedSequenceToClient(int clientIsn, int delta) {
        if (quotedTransport.sequencePresent()) {
            quotedTransport.sequence(
                    TcpSequenceAdjuster.toClientSequence(quotedTransport.sequence(), clientIsn, delta));
        }
    }

    /**
     * Rewrites the parsed error: the outer source to {@code sourceHi/Lo} (:: keeps it, for an error a router sent
     * towards a real server), the outer destination, the quoted packet's addresses and ports; routes it to its
     * destination with the hop limit and MTU checks of every forwarded packet (no error about an error: they only
     * drop). Returns a {@link Verdict}.
     */
    public int translate(long sourceHi, long sourceLo, long destinationHi, long destinationLo,
                         long quotedSourceHi, long quotedSourceLo, int quotedSourcePort,
                         long quotedDestinationHi, long quotedDestinationLo, int quotedDestinationPort) {
        if (!output.route6(destinationHi, destinationLo, hop)) {
            return Verdict.NO_ROUTE;
        }
        int verdict = frames.check(hop.mtu, frames.ip.packetLength(), 0, 0);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        quotedTransport.addressChanged128(quoted.sourceHi(), quoted.sourceLo(), quotedSourceHi, quotedSourceLo);
        quoted.source(quotedSourceHi, quotedSourceLo);
        quotedTransport.addressChanged128(quoted.destinationHi(), quoted.destinationLo(), quotedDestinationHi,
                quotedDestinationLo);
        quoted.destination(quotedDestinationHi, quotedDestinationLo);
        quotedTransport.sourcePort(quotedSourcePort);
        quotedTransport.destinationPort(quotedDestinationPort);
        Ipv6Header ip = frames.ip;
        if ((sourceHi | sourceLo) != 0) {
            ip.source(sourceHi, sourceLo);
        }
        ip.destination(destinationHi, destinationLo);
        icmp.checksum(0).updateChecksum(frames.upperLayerLength(), ip);
        int frameLength = EthernetHeader.LENGTH + ip.packetLength();
        return output.send6(hop, ip.segment(), ip.offset() - EthernetHeader.LENGTH, frameLength, 0)
                ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }
}
