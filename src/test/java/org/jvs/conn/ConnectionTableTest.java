package org.jvs.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jvs.packet.TcpHeader;
import org.jvs.sched.RoundRobinScheduler;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionTableTest {
    private static final long S = 1_000_000_000L;
    /** System.nanoTime() may be negative; the table must not care. */
    private static final long T0 = -5_000 * S + 123_456_789L;
    private static final int TCP = Protocol.TCP;
    private static final int UDP = Protocol.UDP;
    private static final int CLIENT = Ipv4.parse("198.51.100.7");
    private static final int VIP = Ipv4.parse("192.0.2.1");
    private static final int RIP = Ipv4.parse("198.18.0.10");

    private final Timeouts timeouts = new Timeouts();
    private final ConnectionTable table = new ConnectionTable(64, timeouts);
    private final RealServer server = new RealServer(RIP, 8080, ForwardingMethod.MASQ, 1);

    private int nat(int clientPort, long nowNs) {
        return table.create(TCP, CLIENT, clientPort, VIP, 80, server, true, nowNs);
    }

    private int direct(int clientPort, long nowNs) {
        return table.create(TCP, CLIENT, clientPort, VIP, 80, server, false, nowNs);
    }

    @Test
    void shouldFindNatEntryFromClientAndFromRealServer() {
        int id = nat(40000, T0);

        assertEquals(id, table.lookupIn(TCP, CLIENT, 40000, VIP, 80));
        assertEquals(id, table.lookupOut(TCP, RIP, 8080, CLIENT, 40000));
        assertEquals(TCP, table.protocol(id));
        assertEquals(CLIENT, table.clientAddress(id));
        assertEquals(40000, table.clientPort(id));
        assertEquals(VIP, table.virtualAddress(id));
        assertEquals(80, table.virtualPort(id));
        assertEquals(RIP, table.realAddress(id));
        assertEquals(8080, table.realPort(id));
        assertSame(server, table.realServer(id));
        assertTrue(table.replyIndexed(id));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "other protocol,       17, 198.51.100.7, 40000, 192.0.2.1, 80",
        "other client address,  6, 198.51.100.8, 40000, 192.0.2.1, 80",
        "other client port,     6, 198.51.100.7, 40001, 192.0.2.1, 80",
        "other VIP,             6, 198.51.100.7, 40000, 192.0.2.2, 80",
        "other virtual port,    6, 198.51.100.7, 40000, 192.0.2.1, 443",
    })
    void shouldNotFindEntryUnderAnotherInKey(String what, int protocol, String client, int clientPort, String vip,
                                             int vport) {
        nat(40000, T0);
        assertEquals(ConnectionTable.NONE, table.lookupIn(protocol, Ipv4.parse(client), clientPort, Ipv4.parse(vip), vport));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "other protocol,       17, 198.18.0.10, 8080, 198.51.100.7, 40000",
        "other real address,    6, 198.18.0.11, 8080, 198.51.100.7, 40000",
        "other real port,       6, 198.18.0.10, 8081, 198.51.100.7, 40000",
        "other client address,  6, 198.18.0.10, 8080, 198.51.100.8, 40000",
        "other client port,     6, 198.18.0.10, 8080, 198.51.100.7, 40001",
    })
    void shouldNotFindEntryUnderAnotherOutKey(String what, int protocol, String rip, int rport, String client,
                                              int clientPort) {
        nat(40000, T0);
        assertEquals(ConnectionTable.NONE, table.lookupOut(protocol, Ipv4.parse(rip), rport, Ipv4.parse(client), clientPort));
    }

    @Test
    void shouldNotIndexRepliesOfDirectRoutedEntries() {
        int id = direct(40000, T0);

        assertEquals(id, table.lookupIn(TCP, CLIENT, 40000, VIP, 80));
        assertEquals(ConnectionTable.NONE, table.lookupOut(TCP, RIP, 8080, CLIENT, 40000));
        assertFalse(table.replyIndexed(id));
    }

    @Test
    void shouldKeepManyEntriesApartInTheirChains() {
        ConnectionTable big = new ConnectionTable(5000, timeouts);
        int[] ids = new int[5000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = big.create(TCP, CLIENT + i % 7, 1024 + i, VIP, 80, server, true, T0);
        }
        for (int i = 0; i < ids.length; i++) {
            assertEquals(ids[i], big.lookupIn(TCP, CLIENT + i % 7, 1024 + i, VIP, 80));
            assertEquals(ids[i], big.lookupOut(TCP, RIP, 8080, CLIENT + i % 7, 1024 + i));
        }
        assertEquals(5000, big.size());
    }

    @Test
    void shouldReturnNoneWhenFullWithoutTouchingCounters() {
        ConnectionTable small = new ConnectionTable(2, timeouts);
        assertNotEquals(ConnectionTable.NONE, small.create(TCP, CLIENT, 1, VIP, 80, server, true, T0));
        assertNotEquals(ConnectionTable.NONE, small.create(TCP, CLIENT, 2, VIP, 80, server, true, T0));

        assertEquals(ConnectionTable.NONE, small.create(TCP, CLIENT, 3, VIP, 80, server, true, T0));
        assertEquals(2, small.size());
        assertEquals(2, small.capacity());
        assertEquals(2, server.inactiveConnections);
        assertEquals(2, server.stats.connections);
        assertEquals(ConnectionTable.NONE, small.lookupIn(TCP, CLIENT, 3, VIP, 80));
    }

    @Test
    void shouldReuseExpiredEntriesWhenFull() {
        ConnectionTable small = new ConnectionTable(1, timeouts);
        small.create(TCP, CLIENT, 1, VIP, 80, server, true, T0);
        assertEquals(1, small.expire(T0 + 3 * S, 10));

        int id = small.create(TCP, CLIENT, 2, VIP, 80, server, true, T0 + 3 * S);
        assertNotEquals(ConnectionTable.NONE, id);
        assertEquals(ConnectionTable.NONE, small.lookupIn(TCP, CLIENT, 1, VIP, 80));
        assertEquals(id, small.lookupIn(TCP, CLIENT, 2, VIP, 80));
    }

    @Test
    void shouldRejectImpossibleCapacity() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new ConnectionTable(0, timeouts));
        assertEquals("connection table capacity 0 is out of range (expected 1..268435456)", error.getMessage());
    }

    @Test
    void shouldBindNewEntryAsInactiveConnection() {
        nat(40000, T0);

        assertEquals(0, server.activeConnections);
        assertEquals(1, server.inactiveConnections);
        assertEquals(1, server.stats.connections);
        assertEquals(1, table.size());
    }

    @Test
    void shouldMarkServerOverloadedAtUpperThreshold() {
        server.upperThreshold(2);
        nat(1, T0);
        assertFalse(server.overloaded());
        nat(2, T0);
        assertTrue(server.overloaded());
    }

    @Test
    void shouldClearOverloadBelowLowerThresholdAsEntriesExpire() {
        server.upperThreshold(4);
        server.lowerThreshold(2);
        for (int port = 1; port <= 4; port++) {
            nat(port, T0 + port * S);
        }
        assertTrue(server.overloaded());

        table.expire(T0 + 3 * S + 2 * S, 100); // entries 1 and 2: 2 left, not below 2
        assertEquals(2, server.inactiveConnections);
        assertTrue(server.overloaded());
        table.expire(T0 + 3 * S + 3 * S, 100);
        assertEquals(1, server.inactiveConnections);
        assertFalse(server.overloaded());
    }

    @Test
    void shouldTrackNatHandshakeAndTeardownMovingServerBetweenActiveAndInactive() {
        int id = nat(40000, T0);

        // a connection being set up already counts as active (tcp_state_active_table)
        table.onTcpPacket(id, true, TcpState.SYN, T0);
        assertState(id, "SYN_RECV", 1, 0);
        table.onTcpPacket(id, false, TcpState.SYN | TcpState.ACK, T0);
        assertState(id, "SYN_RECV", 1, 0);
        table.onTcpPacket(id, true, TcpState.ACK, T0);
        assertState(id, "ESTABLISHED", 1, 0);
        table.onTcpPacket(id, true, TcpState.FIN | TcpState.ACK, T0);
        assertState(id, "CLOSE_WAIT", 0, 1);
        table.onTcpPacket(id, false, TcpState.FIN | TcpState.ACK, T0);
        assertState(id, "TIME_WAIT", 0, 1);
        table.onTcpPacket(id, true, TcpState.ACK, T0);
        assertState(id, "TIME_WAIT", 0, 1);
    }

    @Test
    void shouldTrackDirectRoutedEntryFromClientPacketsAlone() {
        int id = direct(40000, T0);

        table.onTcpPacket(id, true, TcpState.SYN, T0);
        assertState(id, "SYN_RECV", 1, 0);
        table.onTcpPacket(id, true, TcpState.ACK, T0);
        assertState(id, "ESTABLISHED", 1, 0);
        // input-only: the client's FIN means the exchange is closing, not that the server half-closed
        table.onTcpPacket(id, true, TcpState.FIN | TcpState.ACK, T0);
        assertState(id, "FIN_WAIT", 0, 1);
        table.onTcpPacket(id, true, TcpState.ACK, T0);
        assertState(id, "FIN_WAIT", 0, 1);
    }

    @Test
    void shouldLeaveInputOnlyTrackingOnceAReplyIsSeen() {
        int id = direct(40000, T0);
        table.onTcpPacket(id, true, TcpState.SYN, T0);
        table.onTcpPacket(id, true, TcpState.ACK, T0);

        table.onTcpPacket(id, false, TcpState.ACK, T0);
        table.onTcpPacket(id, true, TcpState.FIN | TcpState.ACK, T0);
        assertState(id, "CLOSE_WAIT", 0, 1);
    }

    @Test
    void shouldCountUdpEntriesAsInactiveWithUdpState() {
        int id = table.create(UDP, CLIENT, 5353, VIP, 53, server, true, T0);
        table.onUdpPacket(id, T0);

        assertEquals("UDP", TcpState.name(table.state(id)));
        assertEquals(0, server.activeConnections);
        assertEquals(1, server.inactiveConnections);
        assertEquals(T0 + 300 * S, table.expiresAtNs(id));
    }

    @Test
    void shouldGiveNewEntryThreeSecondsUntilItsFirstPacket() {
        int id = nat(40000, T0);
        assertEquals(T0 + 3 * S, table.expiresAtNs(id));
        assertEquals("NONE", TcpState.name(table.state(id)));

        assertEquals(0, table.expire(T0 + 3 * S - 1, 10));
        assertEquals(1, table.expire(T0 + 3 * S, 10));
    }

    @ParameterizedTest(name = "{0} after {1}: {2} s")
    @CsvSource({
        "SYN,     SYN_RECV,    60",
        "ACK,     ESTABLISHED, 900",
        "RST,     CLOSE,       10",
        "FIN,     CLOSE,       10",
    })
    void shouldExpireExactlyAtTheStateTimeout(String flags, String state, long seconds) {
        int id = nat(40000, T0);
        long at = T0 + 1 * S;
        table.onTcpPacket(id, true, TcpStateTest.flags(flags), at);

        assertEquals(state, TcpState.name(table.state(id)));
        assertEquals(at + seconds * S, table.expiresAtNs(id));
        assertEquals(0, table.expire(at + seconds * S - 1, 10));
        assertEquals(id, table.lookupIn(TCP, CLIENT, 40000, VIP, 80));
        assertEquals(1, table.expire(at + seconds * S, 10));
        assertEquals(ConnectionTable.NONE, table.lookupIn(TCP, CLIENT, 40000, VIP, 80));
        assertEquals(ConnectionTable.NONE, table.lookupOut(TCP, RIP, 8080, CLIENT, 40000));
        assertEquals(0, table.size());
    }

    @Test
    void shouldNotExpireEntryReArmedByTraffic() {
        int id = table.create(UDP, CLIENT, 5353, VIP, 53, server, true, T0);
        long now = T0;
        for (int i = 0; i < 50; i++) {
            table.onUdpPacket(id, now);
            now += 200 * S;
            assertEquals(0, table.expire(now, 100), "expired though re-armed at " + i);
        }
        assertEquals(1, table.expire(now + 100 * S, 100));
    }

    @Test
    void shouldExpireEarlierWhenTheStateTimeoutShrinks() {
        int id = nat(40000, T0);
        table.onTcpPacket(id, true, TcpState.SYN, T0);
        table.onTcpPacket(id, true, TcpState.ACK, T0);
        table.expire(T0 + 5 * S, 10);

        table.onTcpPacket(id, true, TcpState.RST, T0 + 5 * S);
        assertEquals(0, table.expire(T0 + 15 * S - 1, 10));
        assertEquals(1, table.expire(T0 + 15 * S, 10));
    }

    @Test
    void shouldHonourTimeoutsLongerThanOneTurnOfTheWheel() {
        timeouts.set(4 * 3600, 0, 0);
        int id = nat(40000, T0);
        table.onTcpPacket(id, true, TcpState.ACK, T0);

        for (long at = T0; at < T0 + 4 * 3600 * S; at += 7 * S) {
            assertEquals(0, table.expire(at, 10), "expired early at " + (at - T0) / S + " s");
        }
        assertEquals(1, table.expire(T0 + 4 * 3600 * S, 10));
    }

    @Test
    void shouldExpireEverythingDueAfterALongPause() {
        for (int port = 1; port <= 20; port++) {
            int id = nat(port, T0);
            table.onTcpPacket(id, true, TcpState.ACK, T0 + port * S);
        }
        assertEquals(20, table.expire(T0 + 20_000 * S, 100));
        assertEquals(0, table.size());
    }

    @Test
    void shouldUnbindCountersOnExpiry() {
        int established = nat(1, T0);
        table.onTcpPacket(established, true, TcpState.ACK, T0);
        int closing = nat(2, T0);
        table.onTcpPacket(closing, true, TcpState.FIN, T0);
        assertEquals(1, server.activeConnections);
        assertEquals(1, server.inactiveConnections);

        table.expire(T0 + 60 * S, 10);
        assertEquals(1, server.activeConnections);
        assertEquals(0, server.inactiveConnections);
        table.expire(T0 + 900 * S, 10);
        assertEquals(0, server.activeConnections);
        assertEquals(0, server.inactiveConnections);
        assertEquals(2, server.stats.connections, "the total counts connections ever made");
    }

    @Test
    void shouldExpireAtMostTheLimitPerCall() {
        for (int port = 1; port <= 10; port++) {
            nat(port, T0);
        }
        assertEquals(3, table.expire(T0 + 3 * S, 3));
        assertEquals(7, table.size());
        assertEquals(3, table.expire(T0 + 3 * S, 3));
        assertEquals(4, table.expire(T0 + 3 * S, 100));
        assertEquals(0, table.size());
        assertEquals(0, server.inactiveConnections);
    }

    @Test
    void shouldKeepRealAddressWhenServerIsDeletedFromItsService() {
        VirtualService service = new VirtualService(TCP, VIP, 80, new RoundRobinScheduler());
        service.addRealServer(server);
        int id = nat(40000, T0);

        service.removeRealServer(server);
        RealServer replacement = new RealServer(Ipv4.parse("198.18.0.99"), 9090, ForwardingMethod.MASQ, 1);
        service.addRealServer(replacement);

        assertEquals(RIP, table.realAddress(id));
        assertEquals(8080, table.realPort(id));
        assertSame(server, table.realServer(id));
        assertEquals(id, table.lookupOut(TCP, RIP, 8080, CLIENT, 40000));
        assertEquals(id, table.lookupIn(TCP, CLIENT, 40000, VIP, 80));
    }

    @Test
    void shouldListLiveEntries() {
        nat(1, T0);
        int second = nat(2, T0);
        table.onTcpPacket(second, true, TcpState.ACK, T0);
        nat(3, T0);
        table.expire(T0 + 3 * S, 10);

        List<Integer> listed = new ArrayList<>();
        table.forEach(listed::add);
        assertEquals(List.of(second), listed);
    }

    private void assertState(int id, String state, int active, int inactive) {
        assertEquals(state, TcpState.name(table.state(id)));
        assertEquals(active, server.activeConnections, "active connections in " + state);
        assertEquals(inactive, server.inactiveConnections, "inactive connections in " + state);
    }

    @Test
    void shouldIndexAPortZeroServersNatReplyUnderThePortTheClientAsked() {
        RealServer anyPort = new RealServer(RIP, 0, ForwardingMethod.MASQ, 1);

        int id = table.create(TCP, CLIENT, 40000, VIP, 443, anyPort, 443, true, T0);

        assertEquals(443, table.realPort(id));
        assertEquals(id, table.lookupOut(TCP, RIP, 443, CLIENT, 40000));
        assertEquals(ConnectionTable.NONE, table.lookupOut(TCP, RIP, 0, CLIENT, 40000));
    }

    @Test
    void shouldKeepTemplatesOutOfConnectionLookupsAndConnectionCounts() {
        int template = table.createTemplate(TCP, CLIENT, VIP, 80, server, 8080, 60, T0);
        int id = nat(40000, T0);
        table.control(id, template);

        assertEquals(ConnectionTable.NONE, table.lookupIn(TCP, CLIENT, 0, VIP, 80));
        assertEquals(template, table.lookupTemplate(TCP, CLIENT, VIP, 80));
        assertEquals(ConnectionTable.NONE, table.lookupTemplate(TCP, CLIENT, VIP, 81));
        assertEquals(template, table.controlledBy(id));
        assertEquals(1, server.persistentConnections);
        assertEquals(1, server.inactiveConnections + server.activeConnections);

        table.onTcpPacket(id, true, TcpHeader.SYN, T0);
        table.onTcpPacket(id, false, TcpHeader.SYN | TcpHeader.ACK, T0);
        table.onTcpPacket(id, true, TcpHeader.ACK, T0);

        table.expire(T0 + 61 * S, Integer.MAX_VALUE);
        assertEquals(template, table.lookupTemplate(TCP, CLIENT, VIP, 80), "waits for its ESTABLISHED connection");
        assertEquals(T0 + 121 * S, table.expiresAtNs(template));
        table.expire(T0 + 901 * S, Integer.MAX_VALUE);
        assertEquals(ConnectionTable.NONE, table.lookupIn(TCP, CLIENT, 40000, VIP, 80), "connection idled out");
        assertEquals(template, table.lookupTemplate(TCP, CLIENT, VIP, 80), "fired while still controlling it");
        table.expire(T0 + 961 * S, Integer.MAX_VALUE);
        assertEquals(0, table.size());
        assertEquals(0, server.persistentConnections);
    }
}
