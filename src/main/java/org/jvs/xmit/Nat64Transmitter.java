package org.jvs.xmit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.IpOutput;
import org.jvs.net.Ipv6Output;
import org.jvs.net.NextHop;
import org.jvs.net.NextHop6;
import org.jvs.packet.Checksum;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.Ipv6Checksum;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.Nat64Checksum;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.UdpHeader;
import org.jvs.service.Protocol;

/**
 * Full NAT between an IPv6 client and an IPv4 real server (NAT64, as DPVS's fullnat with an IPv6 VIP and IPv4
 * local addresses): a client packet CLIENT6:CPORT->VIP6:VPORT leaves as the IPv4 packet LIP:LPORT->RIP:RPORT, a
 * reply RIP:RPORT->LIP:LPORT goes back as VIP6:VPORT->CLIENT6:CPORT. The headers are translated as RFC 7915 says
 * (sections 5.1 and 4.1): traffic class and TOS carried over, hop limit and TTL decremented, the IPv6 extension
 * headers dropped, an IPv4 packet of more than 1260 bytes sent with DF and identification 0, a shorter one without
 * DF and with an identification of its own, a flow label of 0. TCP and UDP checksums are carried across the change
 * of pseudo-header ({@link Nat64Checksum}) and the rewritten ports; an IPv4 UDP datagram without checksum gets one.
 * A translated packet that does not fit the way out is answered as its sender's family understands: Packet Too Big
 * announcing the IPv4 MTU plus 20 (RFC 7915 5.1), or fragmentation-needed announcing the IPv6 MTU less 20 when DF
 * is set; a reply without DF that does not fit is refused, not fragmented. Only TCP and UDP, checksums complete.
 * IPv6 to IPv4 shrinks the packet and is rewritten in place; IPv4 to IPv6 grows it and is built in a scratch frame.
 * Not thread-safe; allocates nothing per packet.
 */
public final class Nat64Transmitter {
    /** RFC 7915 5.1: a translated packet up to this length leaves without DF, so an IPv4 link may fragment it. */
    static final int LONGEST_WITHOUT_DONT_FRAGMENT = 1260;
    private static final int HEADER_GROWTH = Ipv6Header.LENGTH - Ipv4Header.MIN_LENGTH;
    private static final int DONT_FRAGMENT = 0x4000;
    private static final int SCRATCH_LENGTH = EthernetHeader.LENGTH + Ipv6Header.LENGTH + Ipv4Header.MAX_TOTAL_LENGTH;

    private final IpOutput output;
    private final Ipv6Output output6;
    private final Ipv6Frames frames6;
    private final ForwardingChecks checks4;
    private final MemorySegment scratch = Arena.ofAuto().allocate(SCRATCH_LENGTH, Long.BYTES);
    private final NextHop hop = new NextHop();
    private final NextHop6 hop6 = new NextHop6();
    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip4 = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final TransportRewrite transport = new TransportRewrite();
    private int identification;

    public Nat64Transmitter(IpOutput output, Ipv6Output output6) {
        this.output = output;
        this.output6 = output6;
        this.frames6 = new Ipv6Frames(new Icmpv6ErrorSender(output6));
        this.checks4 = new ForwardingChecks(new IcmpErrorSender(output));
    }

    /**
     * Client to real server: the IPv6 packet becomes IPv4 from {@code localAddress:localPort} to
     * {@code realAddress:realPort}. Time Exceeded and Packet Too Big go to the client from the VIP; a reassembled
     * datagram ({@link Ipv6Output#REASSEMBLED} in {@code flags}) leaves without DF to be fragmented again.
     */
    public int toRealServer(MemorySegment frame, long offset, int length, int localAddress, int localPort,
                            int realAddress, int realPort, int flags) {
        if (!frames6.wrap(frame, offset, length)) {
            return Verdict.MALFORMED;
        }
        Ipv6Header ip = frames6.ip;
        int protocol = frames6.headers.protocol();
        long l4 = frames6.headers.upperLayerOffset();
        int upperLength = frames6.upperLayerLength();
        if (!transportPresent(protocol, upperLength) || upperLength + Ipv4Header.MIN_LENGTH > Ipv4Header.MAX_TOTAL_LENGTH) {
            return Verdict.MALFORMED;
        }
        if (!output.route(realAddress, hop)) {
            return Verdict.NO_ROUTE;
        }
        int ipv4Length = Ipv4Header.MIN_LENGTH + upperLength;
        int verdict = frames6.check(hop.mtu + HEADER_GROWTH, ipv4Length + HEADER_GROWTH, ip.destinationHi(),
                ip.destinationLo(), flags);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        transport.wrap(protocol, frame, l4, upperLength, 0);
        int checksum = transport.checksum();
        checksum = protocol == Protocol.TCP
                ? Nat64Checksum.tcpSixToFour(checksum, ip.sourceHi(), ip.sourceLo(), ip.destinationHi(),
                        ip.destinationLo(), localAddress, realAddress)
                : Nat64Checksum.udpSixToFour(checksum, ip.sourceHi(), ip.sourceLo(), ip.destinationHi(),
                        ip.destinationLo(), localAddress, realAddress);
        transport.checksum(checksum);
        int trafficClass = ip.trafficClass();
        int ttl = ip.hopLimit();
        // a datagram reassembled from IPv6 fragments goes on without DF, the IPv4 output fragmenting it again
        boolean dontFragment = ipv4Length > LONGEST_WITHOUT_DONT_FRAGMENT && (flags & Ipv6Output.REASSEMBLED) == 0;
        int packetIdentification = 0;
        if (!dontFragment) {
            identification = (identification + 1) & 0xFFFF;
            packetIdentification = identification;
        }
        long ipOffset = l4 - Ipv4Header.MIN_LENGTH;
        long frameOffset = ipOffset - EthernetHeader.LENGTH;
        ip4.wrap(frame, ipOffset)
                .versionAndHeaderLength(Ipv4Header.MIN_LENGTH)
                .tos(trafficClass)
                .totalLength(ipv4Length)
                .identification(packetIdentification)
                .flagsAndFragmentOffset(dontFragment ? DONT_FRAGMENT : 0)
                .ttl(ttl)
                .protocol(protocol)
                .source(localAddress)
                .destination(realAddress)
                .updateHeaderChecksum();
        transport.sourcePort(localPort);
        transport.destinationPort(realPort);
        int frameLength = EthernetHeader.LENGTH + ipv4Length;
        return output.send(hop, frame, frameOffset, frameLength, 0) ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }

    /**
     * Real server to client: the IPv4 reply becomes IPv6 from {@code virtualHi/Lo:virtualPort} to
     * {@code clientHi/Lo:clientPort}. Time exceeded and fragmentation-needed go to the real server. A datagram the
     * director reassembled ({@link Ipv6Output#REASSEMBLED} in {@code flags}) that does not fit leaves in IPv6
     * fragments, as the kernel's ip6_fragment sends on what nf_defrag made whole.
     */
    public int toClient(MemorySegment frame, long offset, int length, long virtualHi, long virtualLo, int virtualPort,
                        long clientHi, long clientLo, int clientPort, int flags) {
        if (!Ipv4Frames.wrap(ethernet, ip4, frame, offset, length) || ip4.isFragment()) {
            return Verdict.MALFORMED;
        }
        int protocol = ip4.protocol();
        int upperLength = ip4.payloadLength();
        if (!transportPresent(protocol, upperLength)) {
            return Verdict.MALFORMED;
        }
        if (!output6.route6(clientHi, clientLo, hop6)) {
            return Verdict.NO_ROUTE;
        }
        int verdict = checks4.decrementTtl(ip4, 0);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        int ipv6Length = Ipv6Header.LENGTH + upperLength;
        int reassembled = flags & Ipv6Output.REASSEMBLED;
        if (ipv6Length > hop6.mtu && (reassembled == 0 || hop6.mtu < Ipv6Header.MIN_MTU)) {
            if (hop6.mtu < Ipv6Header.MIN_MTU) {
                return Verdict.TOO_BIG;
            }
            verdict = checks4.checkMtu(ip4, hop6.mtu - HEADER_GROWTH, 0);
            return verdict == ForwardingChecks.PASS ? Verdict.TOO_BIG : verdict;
        }
        long l4 = EthernetHeader.LENGTH + Ipv6Header.LENGTH;
        MemorySegment.copy(frame, ip4.payloadOffset(), scratch, l4, upperLength);
        int source = ip4.source();
        int destination = ip4.destination();
        ip6.wrap(scratch, EthernetHeader.LENGTH)
                .versionClassAndFlow(ip4.tos(), 0)
                .payloadLength(upperLength)
                .nextHeader(protocol)
                .hopLimit(ip4.ttl())
                .source(virtualHi, virtualLo)
                .destination(clientHi, clientLo);
        transport.wrap6(protocol, scratch, l4, upperLength, 0);
        int checksum = transport.checksum();
        if (protocol == Protocol.UDP && checksum == Checksum.UDP_NONE) {
            // RFC 7915 4.5: an IPv4 datagram without checksum gets one computed in full, over IPv6's pseudo-header
            transport.sourcePort(virtualPort);
            transport.destinationPort(clientPort);
            transport.checksum(Ipv6Checksum.udp(scratch, l4, upperLength, virtualHi, virtualLo, clientHi, clientLo));
        } else {
            transport.checksum(protocol == Protocol.TCP
                    ? Nat64Checksum.tcpFourToSix(checksum, source, destination, virtualHi, virtualLo, clientHi,
                            clientLo)
                    : Nat64Checksum.udpFourToSix(checksum, source, destination, virtualHi, virtualLo, clientHi,
                            clientLo));
            transport.sourcePort(virtualPort);
            transport.destinationPort(clientPort);
        }
        return output6.send6(hop6, scratch, 0, EthernetHeader.LENGTH + ipv6Length, reassembled)
                ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }

    private static boolean transportPresent(int protocol, int upperLength) {
        return protocol == Protocol.TCP ? upperLength >= TcpHeader.MIN_LENGTH
                : protocol == Protocol.UDP && upperLength >= UdpHeader.LENGTH;
    }

}
