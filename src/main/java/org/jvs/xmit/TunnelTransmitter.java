package org.jvs.xmit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameHandler;
import org.jvs.net.IpOutput;
import org.jvs.net.NextHop;
import org.jvs.packet.Checksum;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.GreHeader;
import org.jvs.packet.GueHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.UdpHeader;
import org.jvs.service.Protocol;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;

/**
 * IPVS tunneling (ip_vs_tunnel_xmit): the client's IP packet, TTL decremented, travels unchanged inside an outer
 * IPv4 header to the real server, which decapsulates it and answers the client directly. The real server's
 * {@link Tunnel} says how (kernel 5.2+): IPIP (RFC 2003, the outer header alone); GUE (ipvs_gue_encap: UDP to the
 * server's tunnel port from a per-flow source port, then a 4-byte GUE header for protocol 4, plus the remote
 * checksum option when the server takes it and the inner checksum is still partial; a UDP checksum with csum or
 * remcsum, none with nocsum); GRE (ipvs_gre_encap: a GRE header for protocol 0x0800, with its checksum under csum).
 * <p>
 * The outer header takes its source from the route, TTL and TOS from the inner header (ECN as RFC 6040 "normal
 * mode": CE is not copied outwards), DF from the inner header. The tunnel costs its headers' length of MTU (20 for
 * IPIP, 32 or 40 for GUE, 24 or 28 for GRE): an inner packet with DF that no longer fits is answered with
 * fragmentation-needed announcing the MTU less that overhead.
 * <p>
 * The encapsulated frame is built in a scratch buffer this transmitter owns (the received frame has no headroom).
 * Not thread-safe; allocates nothing per packet.
 */
public final class TunnelTransmitter implements Transmitter {
    public static final int OUTER_HEADER_LENGTH = Ipv4Header.MIN_LENGTH;

    private static final int OUTER_OFFSET = EthernetHeader.LENGTH;
    private static final int ENCAPSULATION_OFFSET = OUTER_OFFSET + OUTER_HEADER_LENGTH;
    private static final int LONGEST_ENCAPSULATION = UdpHeader.LENGTH + GueHeader.LENGTH
            + Tunnel.GUE_REMOTE_CHECKSUM_LENGTH;
    private static final int SCRATCH_LENGTH = ENCAPSULATION_OFFSET + LONGEST_ENCAPSULATION + Ipv4Header.MAX_TOTAL_LENGTH;
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
    private final UdpHeader udp = new UdpHeader();
    /** The inner TCP or UDP header's ports, which sit where UDP has them in both. */
    private final UdpHeader innerPorts = new UdpHeader();
    private final GueHeader gue = new GueHeader();
    private final GreHeader gre = new GreHeader();
    private int identification;

    public TunnelTransmitter(IpOutput output) {
        this.output = output;
        this.checks = new ForwardingChecks(new IcmpErrorSender(output));
        outer.wrap(scratch, OUTER_OFFSET);
        udp.wrap(scratch, ENCAPSULATION_OFFSET);
        gue.wrap(scratch, ENCAPSULATION_OFFSET + UdpHeader.LENGTH);
        gre.wrap(scratch, ENCAPSULATION_OFFSET);
    }

    /** Encapsulates the packet in IPIP to {@code realAddress}; the port plays no part in tunneling. */
    @Override
    public int toRealServer(MemorySegment frame, long offset, int length, int realAddress, int realPort) {
        return toRealServer(frame, offset, length, realAddress, Tunnel.IPIP, 0);
    }

    /**
     * Encapsulates the packet to {@code realAddress} as {@code tunnel} says. {@code flags} may carry
     * {@link FrameHandler#CHECKSUM_NOT_READY} only for a GUE remcsum tunnel, whose real server completes the
     * inner checksum; every other packet arrives with its checksum complete.
     */
    public int toRealServer(MemorySegment frame, long offset, int length, int realAddress, Tunnel tunnel, int flags) {
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
        boolean remoteChecksum = tunnel.remoteChecksum((flags & FrameHandler.CHECKSUM_NOT_READY) != 0);
        int encapsulationLength = tunnel.headerLength(remoteChecksum);
        int overhead = OUTER_HEADER_LENGTH + encapsulationLength;
        int innerMtu = hop.mtu - overhead;
        if (innerMtu < ForwardingChecks.MIN_MTU) {
            return Verdict.TOO_BIG;
        }
        verdict = checks.checkMtu(inner, innerMtu, virtualAddress);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        int innerLength = inner.totalLength();
        if (overhead + innerLength > Ipv4Header.MAX_TOTAL_LENGTH) {
            return Verdict.TOO_BIG;
        }
        int innerOffset = ENCAPSULATION_OFFSET + encapsulationLength;
        MemorySegment.copy(frame, inner.offset(), scratch, innerOffset, innerLength);
        int protocol = switch (tunnel.type()) {
            case IPIP -> Protocol.IPIP;
            case GUE -> encapsulateGue(tunnel, remoteChecksum, encapsulationLength + innerLength, realAddress);
            case GRE -> encapsulateGre(tunnel, encapsulationLength + innerLength);
        };
        if (protocol < 0) {
            return Verdict.MALFORMED;
        }
        boolean dontFragment = inner.dontFragment();
        // ip_select_ident: an unfragmentable packet needs no unique identification.
        int outerIdentification = 0;
        if (!dontFragment) {
            identification = (identification + 1) & 0xFFFF;
            outerIdentification = identification;
        }
        outer.versionAndHeaderLength(OUTER_HEADER_LENGTH)
                .tos(encapsulatedTos(inner.tos()))
                .totalLength(overhead + innerLength)
                .identification(outerIdentification)
                .flagsAndFragmentOffset(dontFragment ? DONT_FRAGMENT : 0)
                .ttl(inner.ttl())
                .protocol(protocol)
                .source(hop.source)
                .destination(realAddress)
                .updateHeaderChecksum();
        return output.send(hop, scratch, 0, innerOffset + innerLength) ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }

    /**
     * ipvs_gue_encap after the inner packet was copied: UDP and GUE headers of a datagram of {@code udpLength}
     * bytes; returns the outer protocol, or -1 when a partial checksum is announced for a packet that has none.
     */
    private int encapsulateGue(Tunnel tunnel, boolean remoteChecksum, int udpLength, int realAddress) {
        int innerProtocol = inner.protocol();
        boolean ported = !inner.isFragment() && (innerProtocol == Protocol.TCP || innerProtocol == Protocol.UDP);
        int ports = 0;
        if (ported) {
            innerPorts.wrap(inner.segment(), inner.payloadOffset());
            ports = innerPorts.sourcePort() << 16 | innerPorts.destinationPort();
        }
        int optionsLength = remoteChecksum ? Tunnel.GUE_REMOTE_CHECKSUM_LENGTH : 0;
        gue.data(optionsLength, Protocol.IPIP, remoteChecksum ? GueHeader.FLAG_PRIVATE : 0);
        if (remoteChecksum) {
            int start = inner.headerLength();
            int field = switch (innerProtocol) {
                case Protocol.TCP -> TcpHeader.CHECKSUM_OFFSET;
                case Protocol.UDP -> UdpHeader.CHECKSUM_OFFSET;
                default -> -1;
            };
            if (field < 0) {
                return -1;
            }
            gue.remoteChecksum(start, start + field);
        }
        udp.sourcePort(FlowSourcePort.of(inner.source(), inner.destination(), innerProtocol, ports))
                .destinationPort(tunnel.port())
                .length(udpLength)
                .checksum(Checksum.UDP_NONE);
        if (tunnel.checksum() != TunnelChecksum.NOCSUM) {
            // udp_set_csum(!check, ...): csum and remcsum carry a full UDP checksum, nocsum none
            udp.checksum(udp.computeChecksum(udpLength, hop.source, realAddress));
        }
        return Protocol.UDP;
    }

    /** ipvs_gre_encap after the inner packet was copied: the GRE header, checksummed with csum. */
    private int encapsulateGre(Tunnel tunnel, int greLength) {
        boolean checksummed = tunnel.checksum() == TunnelChecksum.CSUM;
        gre.flags(checksummed ? GreHeader.FLAG_CHECKSUM : 0).protocolType(GreHeader.PROTOCOL_IPV4);
        if (checksummed) {
            gre.checksum(0);
            gre.checksum(Checksum.compute(scratch, ENCAPSULATION_OFFSET, greLength));
        }
        return Protocol.GRE;
    }

    /** INET_ECN_encapsulate: copy DSCP and ECT, but never CE, which the decapsulator would merge back. */
    static int encapsulatedTos(int innerTos) {
        int ecn = innerTos & ECN_MASK;
        return (innerTos & ~ECN_MASK) | (ecn == ECN_CE ? ECN_ECT_0 : ecn);
    }
}
