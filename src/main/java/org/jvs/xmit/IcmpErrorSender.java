package org.jvs.xmit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.IpOutput;
import org.jvs.net.NextHop;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.IcmpHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.service.Protocol;

/**
 * Tells a packet's sender why it was dropped, as the kernel's icmp_send does for IPVS: an ICMP error quoting the
 * offending IP header and the first 8 bytes after it (RFC 792), built in a scratch frame this sender owns and
 * routed through the {@link IpOutput}. Follows RFC 1122 3.2.2: never about an ICMP error, a non-first fragment,
 * or a packet from or to a broadcast/multicast address. Not thread-safe; allocates nothing per call.
 */
public final class IcmpErrorSender {
    private static final int QUOTED_PAYLOAD_LENGTH = 8;
    private static final int MAX_IPV4_HEADER_LENGTH = 60;
    private static final int DEFAULT_TTL = 64;
    /** icmp_send: keep the offender's TOS bits, precedence "internetwork control". */
    private static final int TOS_BITS_MASK = 0x1E;
    private static final int PRECEDENCE_INTERNETWORK_CONTROL = 0xC0;
    private static final int IP_OFFSET = EthernetHeader.LENGTH;
    private static final int ICMP_OFFSET = IP_OFFSET + Ipv4Header.MIN_LENGTH;
    private static final int QUOTE_OFFSET = ICMP_OFFSET + IcmpHeader.LENGTH;
    private static final int SCRATCH_LENGTH = QUOTE_OFFSET + MAX_IPV4_HEADER_LENGTH + QUOTED_PAYLOAD_LENGTH;

    private final IpOutput output;
    private final MemorySegment scratch = Arena.ofAuto().allocate(SCRATCH_LENGTH, Long.BYTES);
    private final NextHop hop = new NextHop();
    private final Ipv4Header offender = new Ipv4Header();
    private final IcmpHeader offenderIcmp = new IcmpHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final IcmpHeader icmp = new IcmpHeader();
    private int identification;

    public IcmpErrorSender(IpOutput output) {
        this.output = output;
        ip.wrap(scratch, IP_OFFSET);
        icmp.wrap(scratch, ICMP_OFFSET);
    }

    /** Destination unreachable, fragmentation needed and DF set (RFC 1191), announcing {@code nextHopMtu}. */
    public boolean fragmentationNeeded(MemorySegment packet, long ipOffset, int nextHopMtu, int source) {
        return send(packet, ipOffset, IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_FRAGMENTATION_NEEDED, nextHopMtu & 0xFFFF, source);
    }

    /** Time exceeded in transit: the TTL ran out here. */
    public boolean timeExceeded(MemorySegment packet, long ipOffset, int source) {
        return send(packet, ipOffset, IcmpHeader.TYPE_TIME_EXCEEDED, IcmpHeader.CODE_TTL_EXCEEDED, 0, source);
    }

    /**
     * Sends an ICMP error about the validated IPv4 packet at {@code packet[ipOffset]} to that packet's source.
     * {@code source} is the error's source address (the VIP when the director answers for it), or 0 for the
     * route's source towards the offender. Returns false when no error may be sent or it could not be sent.
     */
    public boolean send(MemorySegment packet, long ipOffset, int type, int code, int restOfHeader, int source) {
        offender.wrap(packet, ipOffset);
        int destination = offender.source();
        if (!mayReportOn(destination) || !mayReportOn(offender.destination()) || offender.fragmentOffset() != 0
                || isIcmpError()) {
            return false;
        }
        if (!output.route(destination, hop)) {
            return false;
        }
        int quoteLength = Math.min(offender.headerLength() + QUOTED_PAYLOAD_LENGTH, offender.totalLength());
        int icmpLength = IcmpHeader.LENGTH + quoteLength;
        MemorySegment.copy(packet, ipOffset, scratch, QUOTE_OFFSET, quoteLength);
        icmp.type(type).code(code).restOfHeader(restOfHeader).updateChecksum(icmpLength);

        identification = (identification + 1) & 0xFFFF;
        ip.versionAndHeaderLength(Ipv4Header.MIN_LENGTH)
                .tos((offender.tos() & TOS_BITS_MASK) | PRECEDENCE_INTERNETWORK_CONTROL)
                .totalLength(Ipv4Header.MIN_LENGTH + icmpLength)
                .identification(identification)
                .flagsAndFragmentOffset(0)
                .ttl(DEFAULT_TTL)
                .protocol(Protocol.ICMP)
                .source(source != 0 ? source : hop.source)
                .destination(destination)
                .updateHeaderChecksum();
        return output.send(hop, scratch, 0, ICMP_OFFSET + icmpLength);
    }

    private boolean isIcmpError() {
        if (offender.protocol() != Protocol.ICMP) {
            return false;
        }
        // Unknown content counts as an error: better silent than an ICMP storm.
        if (offender.payloadLength() < 1) {
            return true;
        }
        return IcmpHeader.isError(offenderIcmp.wrap(offender.segment(), offender.payloadOffset()).type());
    }

    /** Not unspecified, multicast (224/4 and up, limited broadcast included) or loopback. */
    private static boolean mayReportOn(int address) {
        int firstOctet = address >>> 24;
        return address != 0 && firstOctet < 224 && firstOctet != 127;
    }
}
