package org.jvs.app.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Picks one connection's opening out of everything the captures saw: the client's SYN to the virtual service, the
 * SYN the director sent on (to the real server, possibly from a local address, possibly inside IPIP), the real
 * server's SYN-ACK to it and the SYN-ACK that reached the client. Frames are matched by addresses and ports, not by
 * time, so unrelated traffic on a link does not mix in; the first match of each wins, so a retransmission does not.
 */
public final class ConnectionHops {
    private final Hop clientRequest;
    private final Hop serverRequest;
    private final Hop serverReply;
    private final Hop clientReply;

    private ConnectionHops(Hop clientRequest, Hop serverRequest, Hop serverReply, Hop clientReply) {
        this.clientRequest = clientRequest;
        this.serverRequest = serverRequest;
        this.serverReply = serverReply;
        this.clientReply = clientReply;
    }

    /** The opening of the first connection to {@code vip}:{@code port} among {@code seen} (any order). */
    public static ConnectionHops of(List<Hop> seen, int vip, int port) {
        List<Hop> byTime = new ArrayList<>(seen);
        byTime.sort(Comparator.comparingLong(Hop::timestampNs));
        Hop clientRequest = first(byTime, hop -> hop.link().equals(Hop.CLIENT_SIDE) && hop.frame().isSyn()
                && to(hop, vip, port));
        Hop serverRequest = clientRequest == null ? null : first(byTime, hop -> hop.link().equals(Hop.REAL_SERVER_SIDE)
                && hop.frame().isSyn() && hop.frame().transportPacket().destinationPort() == port);
        Hop serverReply = serverRequest == null ? null : first(byTime, hop -> hop.link().equals(Hop.REAL_SERVER_SIDE)
                && hop.frame().isSynAck() && reverses(hop, serverRequest));
        Hop clientReply = clientRequest == null ? null : first(byTime, hop -> !hop.link().equals(Hop.REAL_SERVER_SIDE)
                && hop.frame().isSynAck() && reverses(hop, clientRequest));
        return new ConnectionHops(clientRequest, serverRequest, serverReply, clientReply);
    }

    /** The hops found, in the order they happened (causal order where the kernel's timestamps tie). */
    public List<Hop> inOrder() {
        List<Hop> hops = new ArrayList<>();
        for (Hop hop : new Hop[] {clientRequest, serverRequest, serverReply, clientReply}) {
            if (hop != null) {
                hops.add(hop);
            }
        }
        hops.sort(Comparator.comparingLong(Hop::timestampNs)); // stable: ties keep the causal order
        return hops;
    }

    /**
     * The steps not seen, worded for the demo's user; the real server's reply on its side only counts when it goes
     * back through the director (NAT, full NAT), since DR and TUN replies leave by the return link.
     */
    public List<String> missing(boolean replyViaDirector) {
        List<String> missing = new ArrayList<>();
        if (clientRequest == null) {
            missing.add("the client's SYN on the client side");
        }
        if (serverRequest == null) {
            missing.add("the SYN on the real-server side");
        }
        if (replyViaDirector && serverReply == null) {
            missing.add("the real server's SYN-ACK on the real-server side");
        }
        if (clientReply == null) {
            missing.add("the SYN-ACK reaching the client");
        }
        return missing;
    }

    private static boolean to(Hop hop, int address, int port) {
        SeenFrame packet = hop.frame().transportPacket();
        return packet.destination() == address && packet.destinationPort() == port;
    }

    private static boolean reverses(Hop reply, Hop request) {
        SeenFrame answer = reply.frame().transportPacket();
        SeenFrame asked = request.frame().transportPacket();
        return answer.destination() == asked.source() && answer.destinationPort() == asked.sourcePort()
                && answer.sourcePort() == asked.destinationPort();
    }

    private static Hop first(List<Hop> hops, Predicate<Hop> wanted) {
        for (Hop hop : hops) {
            if (wanted.test(hop)) {
                return hop;
            }
        }
        return null;
    }
}
