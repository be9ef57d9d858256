package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.IpOutput;
import org.jvs.net.Ipv6Output;
import org.jvs.net.NextHop6;
import org.jvs.net.NextHop;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.TcpHeader;

/**
 * IPVS direct routing (ip_vs_dr_xmit): the IP packet keeps its VIP destination and goes, TTL decremented, to the
 * real server's own MAC address; the real server, which holds the VIP on a non-ARPing interface, answers the
 * client directly. As the kernel's IP_VS_RT_MODE_KNOWN_NH, the next hop is the RIP itself whatever the route's
 * gateway, so the real server must be on the egress link. Not thread-safe; allocates nothing per packet.
 */
public final class DirectRouteTransmitter implements Transmitter {
    private final IpOutput output;
    private final ForwardingChecks checks;
    private final NextHop hop = new NextHop();
    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();

    private final Ipv6Output output6;
    private final Ipv6Frames frames6;
    private final NextHop6 hop6 = new NextHop6();

    public DirectRouteTransmitter(IpOutput output) {
        this(output, Ipv6Output.NONE);
    }

    /** A transmitter for IPv4 and, through {@code output6}, IPv6 (ip_vs_dr_xmit_v6). */
    public DirectRouteTransmitter(IpOutput output, Ipv6Output output6) {
        this.output = output;
        this.checks = new ForwardingChecks(new IcmpErrorSender(output));
        this.output6 = output6;
        this.frames6 = new Ipv6Frames(new Icmpv6ErrorSender(output6));
    }

    /**
     * ip_vs_dr_xmit_v6: the IPv6 packet, hop limit decremented, to {@code realHi/Lo}'s MAC (found by Neighbour
     * Discovery), its VIP destination kept. Packet Too Big and Time Exceeded come from the VIP.
     */
    public int toRealServer6(MemorySegment frame, long offset, int length, long realHi, long realLo, int flags) {
        if (!frames6.wrap(frame, offset, length)) {
            return Verdict.MALFORMED;
        }
        int wireLength = frames6.wireLength(flags);
        if (wireLength == 0) {
            return Verdict.MALFORMED;
        }
        if (!output6.route6(realHi, realLo, hop6)) {
            return Verdict.NO_ROUTE;
        }
        hop6.gatewayHi = realHi;
        hop6.gatewayLo = realLo;
        var ip = frames6.ip;
        int verdict = frames6.check(hop6.mtu, wireLength, ip.destinationHi(), ip.destinationLo(), flags);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        int frameLength = EthernetHeader.LENGTH + ip.packetLength();
        return output6.send6(hop6, frame, offset, frameLength, flags) ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }

    /** Sends the packet to {@code realAddress}'s MAC; the port plays no part in direct routing. */
    @Override
    public int toRealServer(MemorySegment frame, long offset, int length, int realAddress, int realPort) {
        return toRealServer(frame, offset, length, realAddress, realPort, 0);
    }

    /**
     * As {@link #toRealServer(MemorySegment, long, int, int, int)} with offload {@code flags} as received: DR
     * changes nothing the TCP/UDP checksum covers, so a partial checksum and a super-packet pass as they are.
     */
    public int toRealServer(MemorySegment frame, long offset, int length, int realAddress, int realPort, int flags) {
        if (!Ipv4Frames.wrap(ethernet, ip, frame, offset, length)) {
            return Verdict.MALFORMED;
        }
        int wireLength = Ipv4Frames.wireLength(ip, tcp, flags);
        if (wireLength == 0) {
            return Verdict.MALFORMED;
        }
        if (!output.route(realAddress, hop)) {
            return Verdict.NO_ROUTE;
        }
        hop.gateway = realAddress;
        int virtualAddress = ip.destination();
        int verdict = checks.decrementTtl(ip, virtualAddress);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        verdict = checks.checkMtu(ip, hop.mtu, virtualAddress, wireLength);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        int frameLength = EthernetHeader.LENGTH + ip.totalLength();
        return output.send(hop, frame, offset, frameLength, flags) ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }
}
