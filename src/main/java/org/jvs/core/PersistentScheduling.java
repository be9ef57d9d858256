package org.jvs.core;

import org.jvs.conn.ConnectionTable;
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
        // a port-zero service keys its templates with vport 0: one client network, one server, every port
        boolean ownPort = vport == service.port() && service.port() != FTP_PORT;
        int templatePort = ownPort ? vport : 0;
        int id = connections.lookupTemplate(protocol, clientNetwork, vip, templatePort);
        if (id != ConnectionTable.NONE) {
            RealServer server = connections.realServer(id);
            if (server.available() && !(expireQuiescentTemplate && server.weight() == 0)) {
                connections.useTemplate(id, nowNs);
                template = id;
                return server;
            }
            connections.invalidateTemplate(id);
        }
        RealServer server = service.scheduler().schedule(service, client, clientPort, vip, vport);
        if (server == null) {
            counters.increment(Counter.DROP_NO_REAL_SERVER);
            return null;
        }
        id = connections.createTemplate(protocol, clientNetwork, vip, templatePort, server,
                ownPort ? server.port() : 0, service.persistenceTimeoutS(), nowNs);
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
