package org.jvs.core;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.TcpState;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.jvs.sync.SyncConnection;
import org.jvs.sync.SyncConnection6;

/**
 * A backup's side of connection sync (ip_vs_proc_conn): enters what a peer synced, or refreshes the entry it
 * entered before, bound to this director's own service and real server of the same addresses, so that after a
 * takeover the connection's packets find it and go where they went. The entry takes the peer's state and lives the
 * peer's timeout for it, as IPVS ages synced entries. Full-NAT entries take their local address and port and
 * PROXY protocol entries their header's place in the stream from JVS's option, which a kernel master never sends:
 * such an entry without it is refused, as is one whose service or real server this director does not have.
 * Data-plane thread only.
 */
final class SyncedConnections {
    private final ServiceTable services;
    private final ConnectionTable connections;
    private final Counters counters;

    SyncedConnections(ServiceTable services, ConnectionTable connections, Counters counters) {
        this.services = services;
        this.connections = connections;
        this.counters = counters;
    }

    /** Enters or refreshes {@code c}; false when refused (counted). */
    boolean apply(SyncConnection c, long nowNs) {
        return counted(enter(c, nowNs));
    }

    /**
     * Enters or refreshes the IPv6 {@code c}; false when refused (counted). A full-NAT entry, over IPv6 or NAT64
     * (its real server IPv4-mapped, an IPv4 server of the IPv6 service), takes its local address from JVS's option
     * in its IPv6 form (for NAT64 an IPv4-mapped one, as the table keys it) and is refused without it.
     */
    boolean apply6(SyncConnection6 c, long nowNs) {
        return counted(enter6(c, nowNs));
    }

    private boolean counted(boolean applied) {
        counters.increment(applied ? Counter.SYNC_ENTRIES_APPLIED : Counter.SYNC_ENTRIES_REFUSED);
        return applied;
    }

    /** A protocol this director handles, in a state it knows (ip_vs_proc_conn drops the others). */
    private static boolean handled(int protocol, int state) {
        return (protocol == Protocol.TCP || protocol == Protocol.UDP)
                && !(protocol == Protocol.TCP && state >= TcpState.COUNT);
    }

    private boolean enter6(SyncConnection6 c, long nowNs) {
        int protocol = c.protocol();
        if (!handled(protocol, c.state())) {
            return false;
        }
        VirtualService service = services.matchEvenOnStandby6(protocol, c.virtualHi(), c.virtualLo(),
                c.virtualPort());
        if (service == null) {
            return false;
        }
        RealServer server = realServer6(service, c.destinationHi(), c.destinationLo(), c.destinationPort());
        if (server == null) {
            return false;
        }
        if (c.isTemplate()) {
            int template = connections.lookupTemplate6(protocol, c.clientHi(), c.clientLo(), c.virtualHi(),
                    c.virtualLo(), c.virtualPort());
            if (template != ConnectionTable.NONE) {
                connections.useTemplate(template, nowNs);
                return true;
            }
            return connections.createTemplate6(protocol, c.clientHi(), c.clientLo(), c.virtualHi(), c.virtualLo(),
                    c.virtualPort(), server, c.destinationPort(), c.timeoutSeconds(), nowNs) != ConnectionTable.NONE;
        }
        int id = connections.lookupIn6(protocol, c.clientHi(), c.clientLo(), c.clientPort(), c.virtualHi(),
                c.virtualLo(), c.virtualPort());
        if (id != ConnectionTable.NONE) {
            connections.adoptSynced(id, c.state(), c.timeoutSeconds(), nowNs);
            return true;
        }
        SyncConnection6.DirectorState director = c.director();
        boolean fullNat = server.method() == ForwardingMethod.FULLNAT;
        if (fullNat && (director == null || !director.hasLocalAddress())) {
            return false;
        }
        id = connections.createSynced6(protocol, c.clientHi(), c.clientLo(), c.clientPort(), c.virtualHi(),
                c.virtualLo(), c.virtualPort(), server, c.destinationPort(),
                fullNat ? director.localHi() : c.clientHi(), fullNat ? director.localLo() : c.clientLo(),
                fullNat ? director.localPort() : c.clientPort(), server.method().translatesReplies(), c.state(),
                c.timeoutSeconds(), nowNs);
        if (id == ConnectionTable.NONE) {
            return false;
        }
        proxyProtocol(id, protocol, server, director == null ? 0 : director.proxyVersion(),
                director == null ? 0 : director.clientIsn());
        return true;
    }

    /** A PROXY protocol connection's header place, for a translated TCP connection. */
    private void proxyProtocol(int id, int protocol, RealServer server, int version, int clientIsn) {
        if (version != 0 && protocol == Protocol.TCP && server.method().translatesReplies()) {
            connections.proxyProtocol(id, version, clientIsn);
        }
    }

    private boolean enter(SyncConnection c, long nowNs) {
        int protocol = c.protocol();
        if (!handled(protocol, c.state())) {
            return false;
        }
        VirtualService service = services.matchEvenOnStandby(protocol, c.virtualAddress(), c.virtualPort());
        if (service == null) {
            return false;
        }
        RealServer server = realServer(service, c.destinationAddress(), c.destinationPort());
        if (server == null) {
            return false;
        }
        if (c.isTemplate()) {
            int template = connections.lookupTemplate(protocol, c.clientAddress(), c.virtualAddress(),
                    c.virtualPort());
            if (template != ConnectionTable.NONE) {
                connections.useTemplate(template, nowNs);
                return true;
            }
            return connections.createTemplate(protocol, c.clientAddress(), c.virtualAddress(), c.virtualPort(),
                    server, c.destinationPort(), c.timeoutSeconds(), nowNs) != ConnectionTable.NONE;
        }
        int id = connections.lookupIn(protocol, c.clientAddress(), c.clientPort(), c.virtualAddress(),
                c.virtualPort());
        if (id != ConnectionTable.NONE) {
            connections.adoptSynced(id, c.state(), c.timeoutSeconds(), nowNs);
            return true;
        }
        SyncConnection.DirectorState director = c.director();
        boolean fullNat = server.method() == ForwardingMethod.FULLNAT;
        if (fullNat && (director == null || director.localAddress() == 0)) {
            return false;
        }
        int localAddress = fullNat ? director.localAddress() : c.clientAddress();
        int localPort = fullNat ? director.localPort() : c.clientPort();
        id = connections.createSynced(protocol, c.clientAddress(), c.clientPort(), c.virtualAddress(),
                c.virtualPort(), server, c.destinationPort(), localAddress, localPort,
                server.method().translatesReplies(), c.state(), c.timeoutSeconds(), nowNs);
        if (id == ConnectionTable.NONE) {
            return false;
        }
        proxyProtocol(id, protocol, server, director == null ? 0 : director.proxyVersion(),
                director == null ? 0 : director.clientIsn());
        return true;
    }

    /**
     * As {@link #realServer} for an IPv6 entry's destination; an IPv4-mapped one (::ffff:a.b.c.d) is a NAT64
     * connection's IPv4 server of the IPv6 service.
     */
    private static RealServer realServer6(VirtualService service, long hi, long lo, int port) {
        if (Ipv6.isIpv4Mapped(hi, lo)) {
            return realServer(service, (int) lo, port);
        }
        RealServer server = service.findRealServer6(hi, lo, port);
        return server != null ? server : service.findRealServer6(hi, lo, 0);
    }

    /** The server at RIP:RPORT; a port-zero service's servers (port 0) take any port. */
    private static RealServer realServer(VirtualService service, int address, int port) {
        RealServer server = service.findRealServer(address, port);
        return server != null ? server : service.findRealServer(address, 0);
    }
}
