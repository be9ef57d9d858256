package org.jvs.xmit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.IpOutput;
import org.jvs.net.NextHop;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.service.Protocol;

/**
 * IPVS tunneling (ip_vs_tunnel_xmit): the client's IP packet, TTL decremented, travels unchanged inside an outer
 * IPv4 header (IPIP, RFC 2003) to the real server, which decapsulates it on a tunl0-style device and answers the
 * client directly. The outer header takes its source from the route, TTL and TOS from the inner header (ECN as
 * RFC 6040 "normal mode": CE is not copied outwards), DF from the inner header. The tunnel costs 20 bytes of MTU:
 * an inner packet with DF that no longer fits is answered with fragmentation-needed announcing mtu - 20.
 * <p>
 * The encapsulated frame is built in a scratch buffer this transmitter owns (the received frame has no headroom).
 * Not thread-safe; allocates nothing per packet.
 */
public final class TunnelTransmitter implements Transmitter {
    public static final int OUTER_HEADER_LENGTH = Ipv4Header.MIN_LENGTH;

    private static final int OUTER_OFFSET = EthernetHeader.LENGTH;
    private static final int INNER_OFFSET = OUTER_OFFSET + OUTER_HEADER_LENGTH;
    private static final int SCRATCH_LENGTH = INNER_OFFSET + Ipv4Header.MAX_TOTAL_LENGTH;
    private static final int ECN_MASK = 0x03;
    private static final int ECN_CE = 0x03;
    private static final int ECN_ECT_0 = 0x02;
    private static final int DONT_FRAGMENT = 0x4000;

    private final IpOutput output;
    private final ForwardingChecks checks;
    private final MemorySegment scratch = Arena.ofAuto().allocate(SCRATCH_LENGTH, Long.BYTES);
    private final NextHop hop = new NextHop();
    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header inner = new Ipv4Header();
    private final Ipv4Header outer = new Ipv4Header();
    private int identification;

    public TunnelTransmitter(IpOutput output) {
        this.output = output;
        this.checks = new ForwardingChecks(new IcmpErrorSender(output));
        outer.wrap(scratch, OUTER_OFFSET);
    }

    /** Encapsulates the packet to {@code realAddress}; the port plays no part in tunneling. */
    @Override
    public int toRealServer(MemorySegment frame, long offset, int length, int realAddress, int realPort) {
        if (!Ipv4Frames.wrap(ethernet, inner, frame, offset, length)) {
            return Verdict.MALFORMED;
        }
        if (!output.route(realAddress, hop)) {
            return Verdict.NO_ROUTE;
        }
        int virtualAddress = inner.destination();
        int verdict = checks.decrementTtl(inner, virtualAddress);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        int innerMtu = hop.mtu - OUTER_HEADER_LENGTH;
        if (innerMtu < ForwardingChecks.MIN_MTU) {
            return Verdict.TOO_BIG;
        }
        verdict = checks.checkMtu(inner, innerMtu, virtualAddress);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        int innerLength = inner.totalLength();
        if (OUTER_HEADER_LENGTH + innerLength > Ipv4Header.MAX_TOTAL_LENGTH) {
            return Verdict.TOO_BIG;
        }
        MemorySegment.copy(frame, inner.offset(), scratch, INNER_OFFSET, innerLength);
        boolean dontFragment = inner.dontFragment();
        // ip_select_ident: an unfragmentable packet needs no unique identification.
        int outerIdentification = 0;
        if (!dontFragment) {
            identification = (identification + 1) & 0xFFFF;
            outerIdentification = identification;
        }
        outer.versionAndHeaderLength(OUTER_HEADER_LENGTH)
                .tos(encapsulatedTos(inner.tos()))
                .totalLength(OUTER_HEADER_LENGTH + innerLength)
                .identification(outerIdentification)
                .flagsAndFragmentOffset(dontFragment ? DONT_FRAGMENT : 0)
                .ttl(inner.ttl())
                .protocol(Protocol.IPIP)
                .source(hop.source)
                .destination(realAddress)
                .updateHeaderChecksum();
        return output.send(hop, scratch, 0, INNER_OFFSET + innerLength) ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }

    /** INET_ECN_encapsulate: copy DSCP and ECT, but never CE, which the decapsulator would merge back. */
    static int encapsulatedTos(int innerTos) {
        int ecn = innerTos & ECN_MASK;
        return (innerTos & ~ECN_MASK) | (ecn == ECN_CE ? ECN_ECT_0 : ecn);
    }
}
