package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.IpOutput;
import org.jvs.net.NextHop;
import org.jvs.packet.Checksum;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.UdpHeader;
import org.jvs.service.Protocol;

/**
 * Full NAT (DPVS's FNAT, the seed's four NAT steps): client packets leave with the local address and port as source
 * and the real server as destination (CLIENT:CPORT->VIP:VPORT becomes LIP:LPORT->RIP:RPORT), replies with the
 * virtual service as source and the client as destination (RIP:RPORT->LIP:LPORT becomes VIP:VPORT->CLIENT:CPORT).
 * So the real server needs no route to the client. As {@link NatTransmitter}: rewrites in place with RFC 1624
 * checksum updates, partial checksums and whole super-packets kept as received, route, TTL and MTU checks before
 * the rewrite; the first fragment is rewritten like a whole packet, later ones are MALFORMED. Not thread-safe;
 * allocates nothing.
 */
public final class FullNatTransmitter {
    private final IpOutput output;
    private final ForwardingChecks checks;
    private final NextHop hop = new NextHop();
    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader gsoTcp = new TcpHeader();
    private final TransportRewrite transport = new TransportRewrite();

    public FullNatTransmitter(IpOutput output) {
        this.output = output;
        this.checks = new ForwardingChecks(new IcmpErrorSender(output));
    }

    /**
     * Client to real server: source becomes LIP:LPORT, destination RIP:RPORT. ICMP errors (TTL, MTU) go to the
     * client from the VIP. Returns a {@link Verdict}.
     */
    public int toRealServer(MemorySegment frame, long offset, int length, int localAddress, int localPort,
                            int realAddress, int realPort, int flags) {
        if (!wrap(frame, offset, length, flags)) {
            return Verdict.MALFORMED;
        }
        if (!output.route(realAddress, hop)) {
            return Verdict.NO_ROUTE;
        }
        int verdict = checkAndDecrementTtl(ip.destination(), flags);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        rewrite(localAddress, localPort, realAddress, realPort);
        return send(frame, offset, flags);
    }

    /**
     * Real server to client: source becomes VIP:VPORT, destination CLIENT:CPORT. ICMP errors go to the real
     * server from the director's own address. Returns a {@link Verdict}.
     */
    public int toClient(MemorySegment frame, long offset, int length, int virtualAddress, int virtualPort,
                        int clientAddress, int clientPort, int flags) {
        if (!wrap(frame, offset, length, flags)) {
            return Verdict.MALFORMED;
        }
        if (!output.route(clientAddress, hop)) {
            return Verdict.NO_ROUTE;
        }
        int verdict = checkAndDecrementTtl(0, flags);
        if (verdict != ForwardingChecks.PASS) {
            return verdict;
        }
        rewrite(virtualAddress, virtualPort, clientAddress, clientPort);
        return send(frame, offset, flags);
    }

    private boolean wrap(MemorySegment frame, long offset, int length, int flags) {
        if (!Ipv4Frames.wrap(ethernet, ip, frame, offset, length) || ip.fragmentOffset() != 0) {
            return false;
        }
        int minimum = ip.protocol() == Protocol.TCP ? TcpHeader.MIN_LENGTH : UdpHeader.LENGTH;
        return ip.payloadLength() >= minimum
                && transport.wrap(ip.protocol(), frame, ip.payloadOffset(), ip.payloadLength(), flags);
    }

    private int checkAndDecrementTtl(int icmpSource, int flags) {
        // measured before the TTL changes: a super-packet that cannot go whole is refused untouched
        int wireLength = Ipv4Frames.wireLength(ip, gsoTcp, flags);
        if (wireLength == 0) {
            return Verdict.MALFORMED;
        }
        int verdict = checks.decrementTtl(ip, icmpSource);
        return verdict != ForwardingChecks.PASS ? verdict : checks.checkMtu(ip, hop.mtu, icmpSource, wireLength);
    }

    private void rewrite(int source, int sourcePort, int destination, int destinationPort) {
        int oldSource = ip.source();
        int oldDestination = ip.destination();
        ip.source(source);
        ip.destination(destination);
        int checksum = Checksum.update32(ip.headerChecksum(), oldSource, source);
        ip.headerChecksum(Checksum.update32(checksum, oldDestination, destination));
        transport.addressChanged(oldSource, source);
        transport.addressChanged(oldDestination, destination);
        transport.sourcePort(sourcePort);
        transport.destinationPort(destinationPort);
    }

    /** Sends the IP packet without any Ethernet padding the frame arrived with. */
    private int send(MemorySegment frame, long offset, int flags) {
        int frameLength = EthernetHeader.LENGTH + ip.totalLength();
        return output.send(hop, frame, offset, frameLength, flags) ? Verdict.SENT : Verdict.OUTPUT_DROP;
    }
}
