package org.jvs.xmit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.IpOutput;
import org.jvs.net.Ipv6Output;
import org.jvs.net.NextHop;
import org.jvs.net.NextHop6;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.Ipv6Header;
import org.jvs.service.Protocol;

/**
 * IPVS tunneling where IPv6 is on either side (ip_vs_tunnel_xmit_v6, and ip_vs_tunnel_xmit with an IPv6 packet):
 * the client's packet, hop limit (or TTL) decremented, travels unchanged inside an outer header of the real server's
 * family, the one case IPVS lets a real server's family differ from its service's. IPv6 in IPv6 (RFC 2473, next
 * header 41), IPv6 in IPv4 (RFC 4213, protocol 41) and IPv4 in IPv6 (next header 4). As the kernel, the outer
 * header copies the inner traffic class (ECN as RFC 6040's normal mode) and hop limit, takes the route's source,
 * a zero flow label, and an IPv4 outer header has DF clear. The tunnel costs its outer header of MTU: an inner packet
 * that no longer fits is answered with Packet Too Big (or fragmentation-needed for an IPv4 inner packet with DF)
 * announcing the MTU less it; an IPv4 inner packet without DF that does not fit is refused (an IPv6 outer packet is
 * not fragmented here). GUE and GRE are IPv4-only here: the control plane refuses them for IPv6. Built in a scratch
 * buffer this transmitter owns. Not thread-safe; allocates nothing per packet.
 */
public final class Ipv6TunnelTransmitter {
    private static final int OUTER_OFFSET = EthernetHeader.LENGTH;
    private static final int SCRATCH_LENGTH = OUTER_OFFSET + Ipv6Header.LENGTH + Ipv6Header.LENGTH
            + Ipv6Header.MAX_PAYLOAD_LENGTH;

    private final IpOutput output;
    private final Ipv6Output output6;
    private final MemorySegment scratch = Arena.ofAuto().allocate(SCRATCH_LENGTH, Long.BYTES);
    private final NextHop hop = new NextHop();
    private final NextHop6 hop6 = new NextHop6();
    private final Ipv6Frames inner6;
    private final Ipv4Header inner4 = new Ipv4Header();
    private final EthernetHeader ethernet = new EthernetHeader();
    private final ForwardingChecks checks4;
    private final Ipv4Header outer4 = new Ipv4Header();
    private final Ipv6Header outer6 = new Ipv6Header();
    private int identification;

    public Ipv6TunnelTransmitter(IpOutput output, Ipv6Output output6) {
        this.output = output;
        this.output6 = output6;
        this.inner6 = new Ipv6Frames(new Icmpv6ErrorSender(output6));
        this.checks4 = new ForwardingChecks(new IcmpErrorSender(output));
        outer4.wrap(scratch, OUTER_OFFSET);
        outer6.wrap(scratch, OUTER_OFFSET);
    }

    /**
     * An IPv6 client packet to an IPv6 real server, in IPv6 (ip_vs_tunnel_xmit_v6); a reassembled one
     * ({@link Ipv6Output#REASSEMBLED} in {@code flags}) leaves in fragments of the outer packet where it does not fit.
     */
    public int sixInSix(MemorySegment frame, long offset, int length, long realHi, long realLo, int flags) {
        if (!inner6.wrap(frame, offset, length)) {
            return Verdict.MALFORMED;
        }
        if (!output6.route6(realHi, realLo, hop6)) {
            return Verdict.NO_ROUTE;
        }
        Ipv6Header inner = inner6.ip;
        int verdict = inner6.check(hop6.mtu - Ipv6Header.LENGTH, inner.packetLength(), inner.destinationHi(),
                inner.destinationLo(), flags);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        int innerLength = inner.packetLength();
        if (innerLength > Ipv6Header.MAX_PAYLOAD_LENGTH) {
            return Verdict.TOO_BIG;
        }
        MemorySegment.copy(frame, inner.offset(), scratch, OUTER_OFFSET + Ipv6Header.LENGTH, innerLength);
        return sendInIpv6(inner.trafficClass(), Protocol.IPV6, inner.hopLimit(), realHi, realLo, innerLength,
                flags & Ipv6Output.REASSEMBLED);
    }

    /** An IPv6 client packet to an IPv4 real server, in IPv4 (ip_vs_tunnel_xmit with an AF_INET6 packet). */
    public int sixInFour(MemorySegment frame, long offset, int length, int realAddress) {
        if (!inner6.wrap(frame, offset, length)) {
            return Verdict.MALFORMED;
        }
        if (!output.route(realAddress, hop)) {
            return Verdict.NO_ROUTE;
        }
        Ipv6Header inner = inner6.ip;
        int verdict = inner6.check(hop.mtu - Ipv4Header.MIN_LENGTH, inner.packetLength(), inner.destinationHi(),
                inner.destinationLo());
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        int innerLength = inner.packetLength();
        if (Ipv4Header.MIN_LENGTH + innerLength > Ipv4Header.MAX_TOTAL_LENGTH) {
            return Verdict.TOO_BIG;
        }
        MemorySegment.copy(frame, inner.offset(), scratch, OUTER_OFFSET + Ipv4Header.MIN_LENGTH, innerLength);
        identification = (identification + 1) & 0xFFFF;
        outer4.versionAndHeaderLength(Ipv4Header.MIN_LENGTH)
                .tos(TunnelTransmitter.encapsulatedTos(inner.trafficClass()))
                .totalLength(Ipv4Header.MIN_LENGTH + innerLength)
                .identification(identification)
                .flagsAndFragmentOffset(0)
                .ttl(inner.hopLimit())
                .protocol(Protocol.IPV6)
                .source(hop.source)
                .destination(realAddress)
                .updateHeaderChecksum();
        int frameLength = OUTER_OFFSET + Ipv4Header.MIN_LENGTH + innerLength;
        return output.send(hop, scratch, 0, frameLength, 0) ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }

    /** An IPv4 client packet to an IPv6 real server, in IPv6 (ip_vs_tunnel_xmit_v6 with an AF_INET packet). */
    public int fourInSix(MemorySegment frame, long offset, int length, long realHi, long realLo) {
        if (!Ipv4Frames.wrap(ethernet, inner4, frame, offset, length)) {
            return Verdict.MALFORMED;
        }
        if (!output6.route6(realHi, realLo, hop6)) {
            return Verdict.NO_ROUTE;
        }
        int virtualAddress = inner4.destination();
        int verdict = checks4.decrementTtl(inner4, virtualAddress);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        int innerMtu = hop6.mtu - Ipv6Header.LENGTH;
        if (innerMtu < ForwardingChecks.MIN_MTU) {
            return Verdict.TOO_BIG;
        }
        verdict = checks4.checkMtu(inner4, innerMtu, virtualAddress);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        int innerLength = inner4.totalLength();
        if (innerLength > innerMtu) {
            return Verdict.TOO_BIG; // DF clear: IPVS would fragment the outer packet; not here
        }
        MemorySegment.copy(frame, inner4.offset(), scratch, OUTER_OFFSET + Ipv6Header.LENGTH, innerLength);
        return sendInIpv6(inner4.tos(), Protocol.IPIP, inner4.ttl(), realHi, realLo, innerLength, 0);
    }

    /** ip_vs_tunnel_xmit_v6's outer header in front of the inner packet copied into the scratch frame, then sent. */
    private int sendInIpv6(int innerTrafficClass, int nextHeader, int hopLimit, long realHi, long realLo,
                           int innerLength, int flags) {
        outer6.versionClassAndFlow(TunnelTransmitter.encapsulatedTos(innerTrafficClass), 0)
                .payloadLength(innerLength)
                .nextHeader(nextHeader)
                .hopLimit(hopLimit)
                .source(hop6.sourceHi, hop6.sourceLo)
                .destination(realHi, realLo);
        int frameLength = OUTER_OFFSET + Ipv6Header.LENGTH + innerLength;
        return output6.send6(hop6, scratch, 0, frameLength, flags) ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }
}
