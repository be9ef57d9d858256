package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.conn.ConnectionTable;
import org.jvs.packet.ProxyProtocolHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.xmit.IcmpErrorTranslator;
import org.jvs.xmit.Icmpv6ErrorTranslator;
import org.jvs.xmit.Verdict;

/**
 * ICMP errors about NAT and full-NAT connections (ip_vs_out_icmp and ip_vs_in_icmp): the quoted packet names the
 * connection. An error about a packet the director sent to a real server (quoting LOCAL:LPORT->RIP:RPORT) goes to
 * the client as if about the packet the client sent (CLIENT:CPORT->VIP:VPORT), from the VIP; an error about a reply
 * the director sent to a client (quoting VIP:VPORT->CLIENT:CPORT) goes to the real server as if about the reply it
 * sent. On a connection carrying a PROXY protocol header the quote going to the client also gets its sequence
 * number moved back from the real server's numbering. DR and TUN replies never pass the director, so errors
 * about them are not ours. Data-plane thread only; allocates nothing.
 */
final class IcmpErrors {
    /** Not a verdict: the packet was not ours, or was dropped and counted here. */
    static final int NOT_SENT = -1;
    /** Not a verdict: an error quoting a packet of no connection on this worker; nothing counted yet. */
    static final int NO_CONNECTION = -2;

    private final ConnectionTable connections;
    private final IcmpErrorTranslator translator;
    private final Icmpv6ErrorTranslator translator6;
    private final Counters counters;

    IcmpErrors(ConnectionTable connections, IcmpErrorTranslator translator, Icmpv6ErrorTranslator translator6,
               Counters counters) {
        this.connections = connections;
        this.translator = translator;
        this.translator6 = translator6;
        this.counters = counters;
    }

    /** Handles an ICMP packet; returns the transmit verdict for the director to count, or {@link #NOT_SENT}. */
    int onIcmp(MemorySegment frame, long offset, int length) {
        if (!quoteRead(translator.parse(frame, offset, length))) {
            return NOT_SENT;
        }
        int protocol = translator.quotedProtocol();
        int source = translator.quotedSource();
        int sourcePort = translator.quotedSourcePort();
        int destination = translator.quotedDestination();
        int destinationPort = translator.quotedDestinationPort();
        int id = connections.lookupOut(protocol, destination, destinationPort, source, sourcePort);
        if (id != ConnectionTable.NONE) {
            int client = connections.clientAddress(id);
            int vip = connections.virtualAddress(id);
            int version = connections.proxyProtocol(id);
            if (version != ProxyProtocolHeader.NONE) {
                // the quote is of the segment as the real server saw it, behind the PROXY header
                translator.quotedSequenceToClient(connections.clientIsn(id), ProxyProtocolHeader.length(version,
                        client, connections.clientPort(id), vip, connections.virtualPort(id)));
            }
            return sent(translator.translate(vip, client, client, connections.clientPort(id), vip,
                    connections.virtualPort(id)), Counter.ICMP_ERRORS_TO_CLIENT);
        }
        id = connections.lookupIn(protocol, destination, destinationPort, source, sourcePort);
        if (id != ConnectionTable.NONE && connections.forwardingMethod(id).translatesReplies()) {
            int realServer = connections.realAddress(id);
            int realPort = connections.realPort(id);
            if (connections.forwardingMethod(id) == ForwardingMethod.FULLNAT) {
                int local = connections.localAddress(id);
                return sent(translator.translate(local, realServer, realServer, realPort, local,
                        connections.localPort(id)), Counter.ICMP_ERRORS_TO_REAL_SERVER);
            }
            // NAT: the real server knows the client; only the VIP side changes, the error's sender stays
            return sent(translator.translate(0, realServer, realServer, realPort, destination, destinationPort),
                    Counter.ICMP_ERRORS_TO_REAL_SERVER);
        }
        return NO_CONNECTION;
    }

    /**
     * As {@link #onIcmp} for an ICMPv6 packet (ip_vs_out_icmp_v6 / ip_vs_in_icmp_v6): errors about NAT66 and
     * full-NAT connections between IPv6 ends. Errors about NAT64 connections are not translated across families.
     */
    int onIcmpv6(MemorySegment frame, long offset, int length) {
        if (!quoteRead(translator6.parse(frame, offset, length))) {
            return NOT_SENT;
        }
        int protocol = translator6.quotedProtocol();
        long sourceHi = translator6.quotedSourceHi();
        long sourceLo = translator6.quotedSourceLo();
        int sourcePort = translator6.quotedSourcePort();
        long destinationHi = translator6.quotedDestinationHi();
        long destinationLo = translator6.quotedDestinationLo();
        int destinationPort = translator6.quotedDestinationPort();
        int id = connections.lookupOut6(protocol, destinationHi, destinationLo, destinationPort, sourceHi, sourceLo,
                sourcePort);
        if (id != ConnectionTable.NONE && connections.realServer(id).ipv6()) {
            long clientHi = connections.clientHi(id);
            long clientLo = connections.clientLo(id);
            long vipHi = connections.virtualHi(id);
            long vipLo = connections.virtualLo(id);
            int version = connections.proxyProtocol(id);
            if (version != ProxyProtocolHeader.NONE) {
                translator6.quotedSequenceToClient(connections.clientIsn(id), ProxyProtocolHeader.length6(version,
                        clientHi, clientLo, connections.clientPort(id), vipHi, vipLo, connections.virtualPort(id)));
            }
            return sent(translator6.translate(vipHi, vipLo, clientHi, clientLo, clientHi, clientLo,
                    connections.clientPort(id), vipHi, vipLo, connections.virtualPort(id)),
                    Counter.ICMP_ERRORS_TO_CLIENT);
        }
        id = connections.lookupIn6(protocol, destinationHi, destinationLo, destinationPort, sourceHi, sourceLo,
                sourcePort);
        if (id != ConnectionTable.NONE && connections.forwardingMethod(id).translatesReplies()
                && connections.realServer(id).ipv6()) {
            long realHi = connections.realHi(id);
            long realLo = connections.realLo(id);
            int realPort = connections.realPort(id);
            if (connections.forwardingMethod(id) == ForwardingMethod.FULLNAT) {
                long localHi = connections.localHi(id);
                long localLo = connections.localLo(id);
                return sent(translator6.translate(localHi, localLo, realHi, realLo, realHi, realLo, realPort,
                        localHi, localLo, connections.localPort(id)), Counter.ICMP_ERRORS_TO_REAL_SERVER);
            }
            return sent(translator6.translate(0, 0, realHi, realLo, realHi, realLo, realPort, destinationHi,
                    destinationLo, destinationPort), Counter.ICMP_ERRORS_TO_REAL_SERVER);
        }
        return NO_CONNECTION;
    }

    /** As {@link #quotedOwner} for the last ICMPv6 error parsed. */
    int quotedOwner6(SteeringRules steering) {
        return steering.owner6(translator6.quotedProtocol(), translator6.quotedDestinationHi(),
                translator6.quotedDestinationLo(), translator6.quotedDestinationPort(), translator6.quotedSourceHi(),
                translator6.quotedSourceLo(), translator6.quotedSourcePort());
    }

    /** The worker owning the connection the last error parsed quotes ({@link SteeringRules#ANY} if none). */
    int quotedOwner(SteeringRules steering) {
        return steering.ownerOfIcmpError(translator.quotedProtocol(), translator.quotedSource(),
                translator.quotedSourcePort(), translator.quotedDestination(), translator.quotedDestinationPort());
    }

    /** True when the error's quote was read ({@link IcmpErrorTranslator#QUOTE}); else counts why not. */
    private boolean quoteRead(int parsed) {
        if (parsed == IcmpErrorTranslator.NOT_TRANSLATED) {
            counters.increment(Counter.NOT_OURS);
            return false;
        }
        if (parsed == IcmpErrorTranslator.MALFORMED) {
            counters.increment(Counter.DROP_MALFORMED_ICMP);
            return false;
        }
        return true;
    }

    private int sent(int verdict, Counter counter) {
        if (verdict == Verdict.SENT) {
            counters.increment(counter);
        }
        return verdict;
    }
}
