package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.IpOutput;
import org.jvs.net.NextHop;
import org.jvs.packet.Checksum;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.IcmpHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.service.Protocol;

/**
 * ICMP errors about a translated connection, rewritten for the other side (ip_vs_out_icmp / ip_vs_in_icmp and
 * ip_vs_nat_icmp): an error about a packet the real server side saw must reach the client quoting the packet as the
 * client sent it, and the reverse. {@link #parse} reads the quoted packet's addresses and ports so the caller can find
 * the connection; {@link #translate} rewrites the outer header and the quote and sends. Checksums: IP headers
 * (outer and quoted) and the quoted TCP/UDP checksum when quoted, by RFC 1624 updates; the ICMP checksum from scratch.
 * Only destination unreachable, source quench and time exceeded are translated, as IPVS does. Not thread-safe;
 * allocates nothing.
 */
public final class IcmpErrorTranslator {
    /** Not one of the error types translated, or about something else than TCP/UDP: not ours. */
    public static final int NOT_TRANSLATED = 0;
    /** An error whose quote names a TCP/UDP packet: its tuple can be read. */
    public static final int QUOTE = 1;
    /** An error whose quote cannot be read (truncated, not IPv4, a later fragment). */
    public static final int MALFORMED = 2;

    private static final int VERSION_4 = 4;

    private final IpOutput output;
    private final ForwardingChecks checks;
    private final NextHop hop = new NextHop();
    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final IcmpHeader icmp = new IcmpHeader();
    private final Ipv4Header quoted = new Ipv4Header();
    private final TransportRewrite quotedTransport = new TransportRewrite();

    public IcmpErrorTranslator(IpOutput output) {
        this.output = output;
        this.checks = new ForwardingChecks(new IcmpErrorSender(output));
    }

    /** Reads an ICMP packet: {@link #NOT_TRANSLATED}, {@link #QUOTE} (then the quoted* accessors) or MALFORMED. */
    public int parse(MemorySegment frame, long offset, int length) {
        if (!Ipv4Frames.wrap(ethernet, ip, frame, offset, length) || ip.protocol() != Protocol.ICMP
                || ip.fragmentOffset() != 0) {
            return NOT_TRANSLATED;
        }
        int icmpLength = ip.payloadLength();
        if (icmpLength < IcmpHeader.LENGTH) {
            return NOT_TRANSLATED;
        }
        int type = icmp.wrap(frame, ip.payloadOffset()).type();
        if (type != IcmpHeader.TYPE_DESTINATION_UNREACHABLE && type != IcmpHeader.TYPE_SOURCE_QUENCH
                && type != IcmpHeader.TYPE_TIME_EXCEEDED) {
            return NOT_TRANSLATED;
        }
        long quoteOffset = ip.payloadOffset() + IcmpHeader.LENGTH;
        int quoteLength = icmpLength - IcmpHeader.LENGTH;
        if (quoteLength < Ipv4Header.MIN_LENGTH) {
            return MALFORMED;
        }
        quoted.wrap(frame, quoteOffset);
        int quotedHeaderLength = quoted.headerLength();
        if (quoted.version() != VERSION_4 || quotedHeaderLength < Ipv4Header.MIN_LENGTH
                || quoteLength < quotedHeaderLength + TransportRewrite.PORTS_LENGTH || quoted.fragmentOffset() != 0) {
            return MALFORMED;
        }
        if (quoted.protocol() != Protocol.TCP && quoted.protocol() != Protocol.UDP) {
            return NOT_TRANSLATED;
        }
        return quotedTransport.wrap(quoted.protocol(), frame, quoted.payloadOffset(),
                quoteLength - quotedHeaderLength, 0) ? QUOTE : MALFORMED;
    }

    public int quotedProtocol() {
        return quoted.protocol();
    }

    public int quotedSource() {
        return quoted.source();
    }

    public int quotedSourcePort() {
        return quotedTransport.sourcePort();
    }

    public int quotedDestination() {
        return quoted.destination();
    }

    public int quotedDestinationPort() {
        return quotedTransport.destinationPort();
    }

    /**
     * For a TCP connection whose client stream the real server sees {@code delta} bytes later (a PROXY protocol
     * header after client ISN + 1): moves the quoted sequence number back to the client's own, and the quoted
     * checksum with it when quoted, so the client's kernel finds the segment it sent (tcp_v4_err ignores an error
     * about a sequence number outside its window). Call between {@link #parse} and {@link #translate}, which sums
     * the ICMP checksum anew. A quote that ends before the sequence number is left alone.
     */
    public void quotedSequenceToClient(int clientIsn, int delta) {
        quotedTransport.sequenceToClient(clientIsn, delta);
    }

    /**
     * Rewrites the parsed error: the outer source to {@code source} (0 keeps it, for an error a router sent towards
     * a real server), the outer destination to {@code destination}, the quoted packet's addresses and ports to the
     * given ones; then routes it to {@code destination} with the TTL and MTU checks of every forwarded packet.
     * Returns a {@link Verdict}.
     */
    public int translate(int source, int destination, int quotedSource, int quotedSourcePort, int quotedDestination,
                         int quotedDestinationPort) {
        if (!output.route(destination, hop)) {
            return Verdict.NO_ROUTE;
        }
        // no error is ever sent about an ICMP error (IcmpErrorSender), so these only drop
        int verdict = checks.decrementTtl(ip, 0);
        if (verdict == ForwardingChecks.PASS) {
            verdict = checks.checkMtu(ip, hop.mtu, 0);
        }
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        rewriteQuote(quotedSource, quotedSourcePort, quotedDestination, quotedDestinationPort);
        icmp.updateChecksum(ip.payloadLength());
        int oldSource = ip.source();
        int oldDestination = ip.destination();
        int newSource = source != 0 ? source : oldSource;
        ip.source(newSource);
        ip.destination(destination);
        int checksum = Checksum.update32(ip.headerChecksum(), oldSource, newSource);
        ip.headerChecksum(Checksum.update32(checksum, oldDestination, destination));
        int frameLength = EthernetHeader.LENGTH + ip.totalLength();
        return output.send(hop, ip.segment(), ip.offset() - EthernetHeader.LENGTH, frameLength, 0)
                ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }

    private void rewriteQuote(int source, int sourcePort, int destination, int destinationPort) {
        int oldSource = quoted.source();
        int oldDestination = quoted.destination();
        quoted.source(source);
        quoted.destination(destination);
        int checksum = Checksum.update32(quoted.headerChecksum(), oldSource, source);
        quoted.headerChecksum(Checksum.update32(checksum, oldDestination, destination));
        quotedTransport.addressChanged(oldSource, source);
        quotedTransport.addressChanged(oldDestination, destination);
        quotedTransport.sourcePort(sourcePort);
        quotedTransport.destinationPort(destinationPort);
    }
}
