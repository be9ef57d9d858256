package org.jvs.core;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.Timeouts;
import org.jvs.packet.TcpHeader;
import org.jvs.sched.RoundRobinScheduler;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ip_vs_sched_persist for IPv6 clients over a real connection table: templates keyed by the client cut to the
 * service's prefix length (ipv6_addr_prefix), made, reused, outlived and invalidated as the IPv4 ones.
 */
class PersistentSchedulingIpv6Test {
    private static final long S = 1_000_000_000L;
    private static final long T0 = -7_000 * S;
    private static final int TCP = Protocol.TCP;
    private static final Ipv6 VIP = Ipv6.parse("2001:db8::1");
    private static final Ipv6 CLIENT = Ipv6.parse("2001:db8:c:1:aaaa:bbbb:cccc:7");
    private static final Ipv6 NEIGHBOUR = Ipv6.parse("2001:db8:c:1::8");
    private static final int PERSISTENCE_S = 300;

    private final ConnectionTable table = new ConnectionTable(256, new Timeouts());
    private final Counters counters = new Counters();
    private final PersistentScheduling persistence = new PersistentScheduling(table, counters);
    private final RealServer rs1 = new RealServer(Ipv6.parse("2001:db8:5::11"), 80, ForwardingMethod.ROUTE, 1);
    private final RealServer rs2 = new RealServer(Ipv6.parse("2001:db8:5::12"), 80, ForwardingMethod.ROUTE, 1);
    private long nowNs = T0;

    private VirtualService service(int port, int prefixLength) {
        VirtualService service = new VirtualService(TCP, VIP, port, new RoundRobinScheduler());
        service.persistenceTimeoutS(PERSISTENCE_S);
        service.persistencePrefixLength(prefixLength);
        service.addRealServer(rs1);
        service.addRealServer(rs2);
        return service;
    }

    private RealServer schedule(VirtualService service, Ipv6 client, int clientPort, int vport) {
        return persistence.schedule6(service, TCP, client.hi(), client.lo(), clientPort, VIP.hi(), VIP.lo(), vport,
                nowNs);
    }

    /** Schedules and enters one connection as the director would; returns its server. */
    private RealServer connect(VirtualService service, Ipv6 client, int clientPort, int vport) {
        RealServer server = schedule(service, client, clientPort, vport);
        assertThat(server).as("scheduled").isNotNull();
        int id = table.create6(TCP, client.hi(), client.lo(), clientPort, VIP.hi(), VIP.lo(), vport, server,
                server.port() == 0 ? vport : server.port(), false, nowNs);
        table.control(id, persistence.template());
        return server;
    }

    private int template(Ipv6 network, int vport) {
        return table.lookupTemplate6(TCP, network.hi(), network.lo(), VIP.hi(), VIP.lo(), vport);
    }

    private void advanceS(long seconds) {
        nowNs += seconds * S;
        table.expire(nowNs, Integer.MAX_VALUE);
    }

    @Test
    void shouldCreateATemplateForTheWholeAddressAtPrefixLength128() {
        VirtualService service = service(80, 128);

        RealServer server = connect(service, CLIENT, 40000, 80);

        int template = template(CLIENT, 80);
        assertThat(template).isEqualTo(persistence.template()).isNotEqualTo(ConnectionTable.NONE);
        assertThat(table.template(template)).isTrue();
        assertThat(table.ipv6(template)).isTrue();
        assertThat(table.clientPort(template)).isZero();
        assertThat(table.realServer(template)).isSameAs(server);
        assertThat(table.realPort(template)).isEqualTo(80);
        assertThat(table.expiresAtNs(template)).isEqualTo(nowNs + PERSISTENCE_S * S);
        assertThat(table.lookupIn6(TCP, CLIENT.hi(), CLIENT.lo(), 0, VIP.hi(), VIP.lo(), 80))
                .as("not a connection").isEqualTo(ConnectionTable.NONE);
        assertThat(server.persistentConnections).isEqualTo(1);
        assertThat(server.activeConnections + server.inactiveConnections).isEqualTo(1);
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void shouldKeepAClientOnOneServerAcrossConnectionsWhereRoundRobinWouldAlternate() {
        VirtualService service = service(80, 128);
        RealServer first = connect(service, CLIENT, 40000, 80);

        for (int port = 40001; port < 40010; port++) {
            advanceS(10);
            assertThat(connect(service, CLIENT, port, 80)).isSameAs(first);
        }
        assertThat(first.persistentConnections).isEqualTo(1);
        assertThat(table.expiresAtNs(persistence.template())).as("re-armed by each use")
                .isEqualTo(nowNs + PERSISTENCE_S * S);
        assertThat(connect(service, NEIGHBOUR, 40000, 80)).as("another client").isNotSameAs(first);
    }

    @ParameterizedTest(name = "{0} and {1} with /{2}: same server {3}, template for {4}")
    @CsvSource({
        "2001:db8:c:1:aaaa:bbbb:cccc:7, 2001:db8:c:1::8,   64,  true,  2001:db8:c:1::",
        "2001:db8:c:1:aaaa:bbbb:cccc:7, 2001:db8:c:2::7,   64,  false, 2001:db8:c:2::",
        "2001:db8:c:1:aaaa:bbbb:cccc:7, 2001:db8:c:2::7,   48,  true,  2001:db8:c::",
        "2001:db8:c:1::7,               2001:db8:c:1::8,   128, false, 2001:db8:c:1::8",
        "2001:db8:c:1::7,               2001:db8:c:1::6,   126, true,  2001:db8:c:1::4",
    })
    void shouldGroupClientsByThePersistencePrefixLength(String a, String b, int prefixLength, boolean shared,
                                                        String network) {
        VirtualService service = service(80, prefixLength);

        RealServer first = connect(service, Ipv6.parse(a), 40000, 80);
        RealServer second = connect(service, Ipv6.parse(b), 40000, 80);

        assertThat(second == first).isEqualTo(shared);
        int template = persistence.template();
        assertThat(table.clientHi(template)).isEqualTo(Ipv6.parse(network).hi());
        assertThat(table.clientLo(template)).isEqualTo(Ipv6.parse(network).lo());
        assertThat(template(Ipv6.parse(network), 80)).isEqualTo(template);
    }

    @Test
    void shouldKeepOneServerAcrossPortsOfAPortZeroServiceWithTemplatePortZero() {
        VirtualService service = service(0, 64);
        RealServer first = connect(service, CLIENT, 40000, 80);

        assertThat(connect(service, CLIENT, 40001, 443)).isSameAs(first);
        assertThat(connect(service, NEIGHBOUR, 40002, 8080)).as("same /64").isSameAs(first);
        int template = persistence.template();
        assertThat(table.virtualPort(template)).isZero();
        assertThat(table.realPort(template)).isZero();
        assertThat(first.persistentConnections).isEqualTo(1);
    }

    @Test
    void shouldOutliveItsTimeoutWhileControllingAConnectionAndExpireOnceItNoLongerDoes() {
        VirtualService service = service(80, 64);
        RealServer server = connect(service, CLIENT, 40000, 80);
        int template = persistence.template();
        int connection = table.lookupIn6(TCP, CLIENT.hi(), CLIENT.lo(), 40000, VIP.hi(), VIP.lo(), 80);
        table.onTcpPacket(connection, true, TcpHeader.SYN, nowNs);
        table.onTcpPacket(connection, true, TcpHeader.ACK, nowNs);
        assertThat(table.controlledCount(template)).isEqualTo(1);

        advanceS(PERSISTENCE_S + 1);
        assertThat(template(Ipv6.parse("2001:db8:c:1::"), 80)).as("controls a live connection").isEqualTo(template);

        advanceS(15 * 60);
        assertThat(table.lookupIn6(TCP, CLIENT.hi(), CLIENT.lo(), 40000, VIP.hi(), VIP.lo(), 80))
                .as("connection idle out").isEqualTo(ConnectionTable.NONE);
        assertThat(table.controlledCount(template)).isZero();
        advanceS(PERSISTENCE_S);

        assertThat(template(Ipv6.parse("2001:db8:c:1::"), 80)).isEqualTo(ConnectionTable.NONE);
        assertThat(server.persistentConnections).isZero();
        assertThat(table.size()).isZero();
    }

    @Test
    void shouldExpireAnUnusedTemplateAfterThePersistenceTimeout() {
        VirtualService service = service(80, 128);
        RealServer server = schedule(service, CLIENT, 40000, 80);

        advanceS(PERSISTENCE_S - 1);
        assertThat(template(CLIENT, 80)).isNotEqualTo(ConnectionTable.NONE);
        advanceS(1);

        assertThat(template(CLIENT, 80)).isEqualTo(ConnectionTable.NONE);
        assertThat(server.persistentConnections).isZero();
    }

    @Test
    void shouldRescheduleWhenTheTemplatesServerWasRemoved() {
        VirtualService service = service(80, 64);
        RealServer first = connect(service, CLIENT, 40000, 80);
        int old = persistence.template();

        service.removeRealServer(first);
        RealServer next = connect(service, NEIGHBOUR, 40001, 80);

        assertThat(next).isNotSameAs(first);
        assertThat(persistence.template()).isNotEqualTo(old);
        assertThat(template(Ipv6.parse("2001:db8:c:1::"), 80)).isEqualTo(persistence.template());
        assertThat(table.virtualPort(old)).as("invalidated as ip_vs_check_template").isEqualTo(0xFFFF);
        assertThat(table.realPort(old)).isEqualTo(0xFFFF);
        assertThat(next.persistentConnections).isEqualTo(1);
    }

    @Test
    void shouldKeepTemplateClientsOnAQuiescedServerUnlessExpireQuiescentTemplateIsSet() {
        VirtualService service = service(80, 128);
        RealServer first = connect(service, CLIENT, 40000, 80);

        first.weight(0);
        service.realServerUpdated();

        assertThat(connect(service, CLIENT, 40001, 80)).isSameAs(first);
        assertThat(connect(service, NEIGHBOUR, 40000, 80)).as("new clients avoid it").isNotSameAs(first);
        persistence.expireQuiescentTemplate(true);
        assertThat(connect(service, CLIENT, 40002, 80)).as("template dropped").isNotSameAs(first);
    }

    @Test
    void shouldCountADropWhenNoServerIsAvailable() {
        VirtualService service = new VirtualService(TCP, VIP, 80, new RoundRobinScheduler());
        service.persistenceTimeoutS(PERSISTENCE_S);

        assertThat(schedule(service, CLIENT, 40000, 80)).isNull();
        assertThat(counters.get(Counter.DROP_NO_REAL_SERVER)).isEqualTo(1);
        assertThat(table.size()).isZero();
    }

    @Test
    void shouldCountADropWhenTheTableHasNoRoomForTheTemplate() {
        ConnectionTable full = new ConnectionTable(1, new Timeouts());
        PersistentScheduling scheduling = new PersistentScheduling(full, counters);
        VirtualService service = service(80, 128);
        assertThat(scheduling.schedule6(service, TCP, NEIGHBOUR.hi(), NEIGHBOUR.lo(), 1, VIP.hi(), VIP.lo(), 80,
                nowNs)).isNotNull();

        assertThat(scheduling.schedule6(service, TCP, CLIENT.hi(), CLIENT.lo(), 1, VIP.hi(), VIP.lo(), 80, nowNs))
                .isNull();
        assertThat(counters.get(Counter.DROP_TABLE_FULL)).isEqualTo(1);
    }
}
