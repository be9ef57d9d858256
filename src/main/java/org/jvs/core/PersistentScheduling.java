package org.jvs.core;

import org.jvs.conn.ConnectionTable;
import org.jvs.service.Ipv6;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * Scheduling for a persistent service (ipvsadm -p, -M), as ip_vs_sched_persist: a client network (client address
 * and persistence netmask) first looks up its template and keeps the template's real server while that server is
 * still in the service; otherwise the scheduler picks one and a new template remembers it. A quiesced server
 * (weight 0) keeps its template clients unless expire_quiescent_template is set (ip_vs_check_template).
 * Allocates nothing.
 */
final class PersistentScheduling {
    /** ip_vs_sched_persist keys an FTP control template with vport 0 so that data connections share it. */
    private static final int FTP_PORT = 21;

    private final ConnectionTable connections;
    private final Counters counters;
    private int template = ConnectionTable.NONE;
    private boolean expireQuiescentTemplate;

    PersistentScheduling(ConnectionTable connections, Counters counters) {
        this.connections = connections;
        this.counters = counters;
    }

    /**
     * The real server for a new connection of a persistent service, its template re-armed or created; null
     * (counted) when no server is available or the table is full. {@link #template()} then names the template.
     */
    RealServer schedule(VirtualService service, int protocol, int client, int clientPort, int vip, int vport,
                        long nowNs) {
        template = ConnectionTable.NONE;
        int clientNetwork = client & service.persistenceNetmask();
        boolean ownPort = ownPort(service, vport);
        int templatePort = ownPort ? vport : 0;
        RealServer server = kept(connections.lookupTemplate(protocol, clientNetwork, vip, templatePort), nowNs);
        if (server != null) {
            return server;
        }
        server = service.scheduler().schedule(service, client, clientPort, vip, vport);
        if (server == null) {
            counters.increment(Counter.DROP_NO_REAL_SERVER);
            return null;
        }
        return remembered(connections.createTemplate(protocol, clientNetwork, vip, templatePort, server,
                ownPort ? server.port() : 0, service.persistenceTimeoutS(), nowNs), server);
    }

    /**
     * As {@link #schedule} for an IPv6 client of an IPv6 service: the client network is the client's address cut
     * to the service's persistence prefix length, as ip_vs_sched_persist's ipv6_addr_prefix.
     */
    RealServer schedule6(VirtualService service, int protocol, long clientHi, long clientLo, int clientPort,
                         long vipHi, long vipLo, int vport, long nowNs) {
        template = ConnectionTable.NONE;
        int prefixLength = service.persistencePrefixLength();
        long networkHi = Ipv6.prefixHi(clientHi, prefixLength);
        long networkLo = Ipv6.prefixLo(clientLo, prefixLength);
        boolean ownPort = ownPort(service, vport);
        int templatePort = ownPort ? vport : 0;
        RealServer server = kept(connections.lookupTemplate6(protocol, networkHi, networkLo, vipHi, vipLo,
                templatePort), nowNs);
        if (server != null) {
            return server;
        }
        server = service.scheduler().schedule6(service, clientHi, clientLo, clientPort, vipHi, vipLo, vport);
        if (server == null) {
            counters.increment(Counter.DROP_NO_REAL_SERVER);
            return null;
        }
        return remembered(connections.createTemplate6(protocol, networkHi, networkLo, vipHi, vipLo, templatePort,
                server, ownPort ? server.port() : 0, service.persistenceTimeoutS(), nowNs), server);
    }

    /**
     * Whether a template keys its own port: a port-zero or FTP service keys its templates with vport 0, one client
     * network, one server, every port.
     */
    private static boolean ownPort(VirtualService service, int vport) {
        return vport == service.port() && service.port() != FTP_PORT;
    }

    /**
     * The server template {@code id} keeps, the template re-armed, while that server is still in the service and
     * not a quiesced one expire_quiescent_template drops; otherwise null, the template invalidated
     * (ip_vs_check_template).
     */
    private RealServer kept(int id, long nowNs) {
        if (id == ConnectionTable.NONE) {
            return null;
        }
        RealServer server = connections.realServer(id);
        if (server.available() && !(expireQuiescentTemplate && server.weight() == 0)) {
            connections.useTemplate(id, nowNs);
            template = id;
            return server;
        }
        connections.invalidateTemplate(id);
        return null;
    }

    /** {@code server} through the new template {@code id}; null (counted) when the table had no room for it. */
    private RealServer remembered(int id, RealServer server) {
        if (id == ConnectionTable.NONE) {
            counters.increment(Counter.DROP_TABLE_FULL);
            return null;
        }
        template = id;
        return server;
    }

    /** expire_quiescent_template: a template on a weight-0 server is dropped at its next lookup. */
    void expireQuiescentTemplate(boolean on) {
        expireQuiescentTemplate = on;
    }

    boolean expiresQuiescentTemplates() {
        return expireQuiescentTemplate;
    }

    /** The template the last successful {@link #schedule} went through. */
    int template() {
        return template;
    }
}
