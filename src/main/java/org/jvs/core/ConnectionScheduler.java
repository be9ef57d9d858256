package org.jvs.core;

import org.jvs.conn.ConnectionTable;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * The first packet of a new connection (ip_vs_schedule): only a TCP SYN opens one; the service's scheduler, or its
 * persistence template, picks the real server; a full-NAT connection also gets its local address and port; then
 * the connection is entered. Every refusal is counted. Data-plane thread only; allocates nothing.
 */
final class ConnectionScheduler {
    private final ConnectionTable connections;
    private final PersistentScheduling persistence;
    private final FullNatSources fullNatSources;
    private final Counters counters;

    ConnectionScheduler(ConnectionTable connections, PersistentScheduling persistence, FullNatSources fullNatSources,
                        Counters counters) {
        this.connections = connections;
        this.persistence = persistence;
        this.fullNatSources = fullNatSources;
        this.counters = counters;
    }

    /**
     * Schedules a new connection from CLIENT:CPORT to VIP:VPORT of {@code service}; its id, or NONE (counted).
     * {@code tcpSequence} is the SYN's sequence number, kept when the connection carries a PROXY protocol header.
     */
    int schedule(VirtualService service, int protocol, int client, int clientPort, int vip, int vport, int tcpFlags,
                 int tcpSequence, long nowNs) {
        if (!opens(protocol, tcpFlags)) {
            return ConnectionTable.NONE;
        }
        RealServer server;
        int template = ConnectionTable.NONE;
        if (service.persistenceTimeoutS() > 0) {
            server = persistence.schedule(service, protocol, client, clientPort, vip, vport, nowNs);
            if (server == null) {
                return ConnectionTable.NONE;
            }
            template = persistence.template();
        } else {
            server = service.scheduler().schedule(service, client, clientPort, vip, vport);
            if (server == null) {
                counters.increment(Counter.DROP_NO_REAL_SERVER);
                return ConnectionTable.NONE;
            }
        }
        // a port-zero service's servers have port 0: the connection keeps the port the client asked for
        int realPort = server.port() != 0 ? server.port() : vport;
        int localAddress = client;
        int localPort = clientPort;
        if (server.method() == ForwardingMethod.FULLNAT) {
            int refused = fullNatSources.choose(service, protocol, server.address(), realPort);
            if (refused != FullNatSources.CHOSEN) {
                counters.increment(refused);
                return ConnectionTable.NONE;
            }
            localAddress = fullNatSources.address();
            localPort = fullNatSources.port();
        }
        int id = connections.create(protocol, client, clientPort, vip, vport, server, realPort, localAddress,
                localPort, server.method().translatesReplies(), nowNs);
        return entered(id, service, server, protocol, template, tcpSequence);
    }

    /**
     * As {@link #schedule} for an IPv6 client of an IPv6 service: a full-NAT connection to an IPv6 real server
     * takes an IPv6 local address, one to an IPv4 real server (NAT64) an IPv4 one, kept IPv4-mapped in the entry.
     */
    int schedule6(VirtualService service, int protocol, long clientHi, long clientLo, int clientPort, long vipHi,
                  long vipLo, int vport, int tcpFlags, int tcpSequence, long nowNs) {
        if (!opens(protocol, tcpFlags)) {
            return ConnectionTable.NONE;
        }
        RealServer server;
        int template = ConnectionTable.NONE;
        if (service.persistenceTimeoutS() > 0) {
            server = persistence.schedule6(service, protocol, clientHi, clientLo, clientPort, vipHi, vipLo, vport,
                    nowNs);
            if (server == null) {
                return ConnectionTable.NONE;
            }
            template = persistence.template();
        } else {
            server = service.scheduler().schedule6(service, clientHi, clientLo, clientPort, vipHi, vipLo, vport);
            if (server == null) {
                counters.increment(Counter.DROP_NO_REAL_SERVER);
                return ConnectionTable.NONE;
            }
        }
        int realPort = server.port() != 0 ? server.port() : vport;
        long localHi = clientHi;
        long localLo = clientLo;
        int localPort = clientPort;
        if (server.method() == ForwardingMethod.FULLNAT) {
            int refused = server.ipv6()
                    ? fullNatSources.choose6(service, protocol, server.addressHi(), server.addressLo(), realPort)
                    : fullNatSources.choose64(service, protocol, server.address(), realPort);
            if (refused != FullNatSources.CHOSEN) {
                counters.increment(refused);
                return ConnectionTable.NONE;
            }
            localHi = fullNatSources.addressHi();
            localLo = fullNatSources.addressLo();
            localPort = fullNatSources.port();
        }
        int id = connections.create6(protocol, clientHi, clientLo, clientPort, vipHi, vipLo, vport, server, realPort,
                localHi, localLo, localPort, server.method().translatesReplies(), nowNs);
        return entered(id, service, server, protocol, template, tcpSequence);
    }

    /** Only a SYN opens a TCP connection, as IPVS without sloppy_tcp: a stray segment is not scheduled (counted). */
    private boolean opens(int protocol, int tcpFlags) {
        if (protocol == Protocol.TCP && ((tcpFlags & (TcpHeader.SYN | TcpHeader.ACK | TcpHeader.RST)) != TcpHeader.SYN)) {
            counters.increment(Counter.DROP_NO_CONNECTION);
            return false;
        }
        return true;
    }

    /** The new entry {@code id} (NONE when the table was full, counted) under its template, with its PROXY state. */
    private int entered(int id, VirtualService service, RealServer server, int protocol, int template,
                        int tcpSequence) {
        if (id == ConnectionTable.NONE) {
            counters.increment(Counter.DROP_TABLE_FULL);
            return ConnectionTable.NONE;
        }
        if (template != ConnectionTable.NONE) {
            connections.control(id, template);
        }
        // DR and TUN real servers see the client's address anyway, and their replies never come back through us
        if (protocol == Protocol.TCP && service.proxyProtocol() != 0 && server.method().translatesReplies()) {
            connections.proxyProtocol(id, service.proxyProtocol(), tcpSequence);
        }
        service.stats.connections++;
        counters.increment(Counter.NEW_CONNECTIONS);
        return id;
    }
}
