package org.jvs.core;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.TcpState;
import org.jvs.conn.Timeouts;
import org.jvs.sched.RoundRobinScheduler;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.jvs.sync.SyncConnection;
import org.jvs.sync.SyncConnection6;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A backup enters the IPv6 connections and templates a peer synced, bound to its own IPv6 service and server. */
class SyncedConnectionsIpv6Test {
    private static final long S = 1_000_000_000L;
    private static final long NOW = 50 * S;
    private static final int TCP = Protocol.TCP;
    private static final Ipv6 VIP = Ipv6.parse("2001:db8::1");
    private static final Ipv6 CLIENT = Ipv6.parse("2001:db8:c::7");
    private static final Ipv6 RIP = Ipv6.parse("2001:db8:5::11");

    private final ServiceTable services = new ServiceTable();
    private final ConnectionTable table = new ConnectionTable(64, new Timeouts());
    private final Counters counters = new Counters();
    private final SyncedConnections synced = new SyncedConnections(services, table, counters);
    private final RealServer server = new RealServer(RIP, 8080, ForwardingMethod.MASQ, 1);

    SyncedConnectionsIpv6Test() {
        VirtualService service = new VirtualService(TCP, VIP, 80, new RoundRobinScheduler());
        service.addRealServer(server);
        services.add(service);
    }

    private static SyncConnection6 entry(int flags, int state, Ipv6 client, int clientPort, Ipv6 rip, int timeoutS) {
        return new SyncConnection6(TCP, flags, state, client.hi(), client.lo(), clientPort, VIP.hi(), VIP.lo(),
                80, rip.hi(), rip.lo(), 8080, 0, timeoutS, null);
    }

    @Test
    void shouldEnterAnIpv6ConnectionThenRefreshItWithThePeersState() {
        assertThat(synced.apply6(entry(0, TcpState.SYN_RECV, CLIENT, 40000, RIP, 60), NOW)).isTrue();
        int id = table.lookupIn6(TCP, CLIENT.hi(), CLIENT.lo(), 40000, VIP.hi(), VIP.lo(), 80);
        assertThat(id).isNotEqualTo(ConnectionTable.NONE);
        assertThat(table.lookupOut6(TCP, RIP.hi(), RIP.lo(), 8080, CLIENT.hi(), CLIENT.lo(), 40000))
                .as("NAT66 replies").isEqualTo(id);
        assertThat(table.realServer(id)).isSameAs(server);

        assertThat(synced.apply6(entry(0, TcpState.ESTABLISHED, CLIENT, 40000, RIP, 900), NOW + S)).isTrue();

        assertThat(table.size()).isEqualTo(1);
        assertThat(table.state(id)).isEqualTo(TcpState.ESTABLISHED);
        assertThat(table.expiresAtNs(id)).isEqualTo(NOW + S + 900 * S);
        assertThat(server.activeConnections).isEqualTo(1);
        assertThat(counters.get(Counter.SYNC_ENTRIES_APPLIED)).isEqualTo(2);
    }

    @Test
    void shouldEnterAnIpv6TemplateForItsClientNetwork() {
        Ipv6 network = Ipv6.parse("2001:db8:c::");

        assertThat(synced.apply6(entry(SyncConnection.F_TEMPLATE, TcpState.NONE, network, 0, RIP, 300), NOW)).isTrue();

        int template = table.lookupTemplate6(TCP, network.hi(), network.lo(), VIP.hi(), VIP.lo(), 80);
        assertThat(template).isNotEqualTo(ConnectionTable.NONE);
        assertThat(table.expiresAtNs(template)).isEqualTo(NOW + 300 * S);
        assertThat(server.persistentConnections).isEqualTo(1);
    }

    @Test
    void shouldRefuseWhatThisDirectorCannotBind() {
        assertThat(synced.apply6(entry(0, TcpState.ESTABLISHED, CLIENT, 40000, Ipv6.parse("2001:db8:5::99"), 900),
                NOW)).as("no such real server").isFalse();
        assertThat(synced.apply6(entry(0, TcpState.COUNT, CLIENT, 40000, RIP, 900), NOW)).as("no such state")
                .isFalse();
        server.method(ForwardingMethod.FULLNAT);
        assertThat(synced.apply6(entry(0, TcpState.ESTABLISHED, CLIENT, 40000, RIP, 900), NOW))
                .as("a full-NAT entry without its local address").isFalse();

        assertThat(table.size()).isZero();
        assertThat(counters.get(Counter.SYNC_ENTRIES_REFUSED)).isEqualTo(3);
    }
}
