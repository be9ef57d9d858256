package org.jvs.core;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.Timeouts;
import org.jvs.sched.RoundRobinScheduler;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** ip_vs_sched_persist over a real connection table: templates made, reused, outlived, invalidated. */
class PersistentSchedulingTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = -7_000 * S;
    private static final int TCP = Protocol.TCP;
    private static final int VIP = Ipv4.parse("192.0.2.1");
    private static final int CLIENT = Ipv4.parse("198.51.100.7");
    private static final int PERSISTENCE_S = 300;

    private final ConnectionTable table = new ConnectionTable(256, new Timeouts());
    private final Counters counters = new Counters();
    private final PersistentScheduling persistence = new PersistentScheduling(table, counters);
    private final RealServer rs1 = new RealServer(Ipv4.parse("198.18.0.11"), 80, ForwardingMethod.ROUTE, 1);
    private final RealServer rs2 = new RealServer(Ipv4.parse("198.18.0.12"), 80, ForwardingMethod.ROUTE, 1);
    private long nowNs = T0;

    private VirtualService service(int port, int netmask) {
        VirtualService service = new VirtualService(TCP, VIP, port, new RoundRobinScheduler());
        service.persistenceTimeoutS(PERSISTENCE_S);
        service.persistenceNetmask(netmask);
        service.addRealServer(rs1);
        service.addRealServer(rs2);
        return service;
    }

    /** Schedules and enters one connection as the director does; returns its server. */
    private RealServer connect(VirtualService service, int client, int clientPort, int vport) {
        RealServer server = persistence.schedule(service, TCP, client, clientPort, VIP, vport, nowNs);
        assertThat(server).as("scheduled").isNotNull();
        int id = table.create(TCP, client, clientPort, VIP, vport, server, false, nowNs);
        table.control(id, persistence.template());
        return server;
    }

    private void advanceS(long seconds) {
        nowNs += seconds * S;
        table.expire(nowNs, Integer.MAX_VALUE);
    }

    @Test
    void shouldCreateATemplateWithClientPortZeroCountedAsPersistentConnection() {
        VirtualService service = service(80, -1);

        RealServer server = connect(service, CLIENT, 40000, 80);

        int template = table.lookupTemplate(TCP, CLIENT, VIP, 80);
        assertThat(template).isEqualTo(persistence.template()).isNotEqualTo(ConnectionTable.NONE);
        assertThat(table.template(template)).isTrue();
        assertThat(table.clientPort(template)).isZero();
        assertThat(table.realServer(template)).isSameAs(server);
        assertThat(table.realPort(template)).isEqualTo(80);
        assertThat(table.expiresAtNs(template)).isEqualTo(nowNs + PERSISTENCE_S * S);
        assertThat(table.lookupIn(TCP, CLIENT, 0, VIP, 80)).as("not a connection").isEqualTo(ConnectionTable.NONE);
        assertThat(server.persistentConnections).isEqualTo(1);
        assertThat(server.activeConnections + server.inactiveConnections).isEqualTo(1);
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void shouldKeepAClientOnOneServerAcrossConnectionsWhereRoundRobinWouldAlternate() {
        VirtualService service = service(80, -1);
        RealServer first = connect(service, CLIENT, 40000, 80);

        for (int port = 40001; port < 40010; port++) {
            advanceS(10);
            assertThat(connect(service, CLIENT, port, 80)).isSameAs(first);
        }
        assertThat(first.persistentConnections).isEqualTo(1);
        assertThat(table.expiresAtNs(persistence.template())).as("re-armed by each use").isEqualTo(nowNs + PERSISTENCE_S * S);
        assertThat(connect(service, Ipv4.parse("198.51.100.8"), 40000, 80)).as("another client").isNotSameAs(first);
    }

    @ParameterizedTest(name = "{0} and {1} with mask {2}: same server {3}")
    @CsvSource({
        "198.51.100.7, 198.51.100.200, 255.255.255.0,   true",
        "198.51.100.7, 198.51.101.7,   255.255.255.0,   false",
        "198.51.100.7, 198.51.101.7,   255.255.0.0,     true",
        "198.51.100.7, 198.51.100.8,   255.255.255.255, false",
    })
    void shouldGroupClientsByThePersistenceNetmask(String a, String b, String mask, boolean shared) {
        VirtualService service = service(80, Ipv4.parse(mask));

        RealServer first = connect(service, Ipv4.parse(a), 40000, 80);
        RealServer second = connect(service, Ipv4.parse(b), 40000, 80);

        assertThat(second == first).isEqualTo(shared);
        assertThat(table.clientAddress(persistence.template())).isEqualTo(Ipv4.parse(b) & Ipv4.parse(mask));
    }

    @Test
    void shouldKeepOneServerAcrossPortsOfAPortZeroServiceWithTemplatePortZero() {
        VirtualService service = service(0, -1);
        RealServer first = connect(service, CLIENT, 40000, 80);

        assertThat(connect(service, CLIENT, 40001, 443)).isSameAs(first);
        assertThat(connect(service, CLIENT, 40002, 8080)).isSameAs(first);
        int template = persistence.template();
        assertThat(table.virtualPort(template)).isZero();
        assertThat(table.realPort(template)).isZero();
        assertThat(first.persistentConnections).isEqualTo(1);
    }

    @Test
    void shouldOutliveItsTimeoutWhileControllingAConnectionAndExpireOnceItNoLongerDoes() {
        VirtualService service = service(80, -1);
        RealServer server = connect(service, CLIENT, 40000, 80);
        int template = persistence.template();
        int connection = table.lookupIn(TCP, CLIENT, 40000, VIP, 80);
        table.onTcpPacket(connection, true, org.jvs.packet.TcpHeader.SYN, nowNs);
        table.onTcpPacket(connection, true, org.jvs.packet.TcpHeader.ACK, nowNs);
        assertThat(table.controlledCount(template)).isEqualTo(1);

        advanceS(PERSISTENCE_S + 1);
        assertThat(table.lookupTemplate(TCP, CLIENT, VIP, 80)).as("controls a live connection").isEqualTo(template);

        advanceS(15 * 60);
        assertThat(table.lookupIn(TCP, CLIENT, 40000, VIP, 80)).as("connection idle out").isEqualTo(ConnectionTable.NONE);
        assertThat(table.controlledCount(template)).isZero();
        advanceS(PERSISTENCE_S);

        assertThat(table.lookupTemplate(TCP, CLIENT, VIP, 80)).isEqualTo(ConnectionTable.NONE);
        assertThat(server.persistentConnections).isZero();
        assertThat(table.size()).isZero();
    }

    @Test
    void shouldExpireAnUnusedTemplateAfterThePersistenceTimeout() {
        VirtualService service = service(80, -1);
        RealServer server = persistence.schedule(service, TCP, CLIENT, 40000, VIP, 80, nowNs);

        advanceS(PERSISTENCE_S - 1);
        assertThat(table.lookupTemplate(TCP, CLIENT, VIP, 80)).isNotEqualTo(ConnectionTable.NONE);
        advanceS(1);

        assertThat(table.lookupTemplate(TCP, CLIENT, VIP, 80)).isEqualTo(ConnectionTable.NONE);
        assertThat(server.persistentConnections).isZero();
    }

    @Test
    void shouldRescheduleWhenTheTemplatesServerWasRemoved() {
        VirtualService service = service(80, -1);
        RealServer first = connect(service, CLIENT, 40000, 80);
        int old = persistence.template();

        service.removeRealServer(first);
        RealServer next = connect(service, CLIENT, 40001, 80);

        assertThat(next).isNotSameAs(first);
        assertThat(persistence.template()).isNotEqualTo(old);
        assertThat(table.lookupTemplate(TCP, CLIENT, VIP, 80)).isEqualTo(persistence.template());
        assertThat(table.virtualPort(old)).as("invalidated as ip_vs_check_template").isEqualTo(0xFFFF);
        assertThat(table.realPort(old)).isEqualTo(0xFFFF);
        assertThat(next.persistentConnections).isEqualTo(1);
    }

    @Test
    void shouldKeepTemplateClientsOnAQuiescedServer() {
        VirtualService service = service(80, -1);
        RealServer first = connect(service, CLIENT, 40000, 80);

        first.weight(0);
        service.realServerUpdated();

        assertThat(connect(service, CLIENT, 40001, 80)).isSameAs(first);
        assertThat(connect(service, Ipv4.parse("198.51.100.8"), 40000, 80)).as("new clients avoid it").isNotSameAs(first);
    }

    @Test
    void shouldCountADropWhenNoServerIsAvailable() {
        VirtualService service = new VirtualService(TCP, VIP, 80, new RoundRobinScheduler());
        service.persistenceTimeoutS(PERSISTENCE_S);

        assertThat(persistence.schedule(service, TCP, CLIENT, 40000, VIP, 80, nowNs)).isNull();
        assertThat(counters.get(Counter.DROP_NO_REAL_SERVER)).isEqualTo(1);
        assertThat(table.size()).isZero();
    }
}
