package org.jvs.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;

class ConnectionTableIpv6Test {
    private static final long S = 1_000_000_000L;
    private static final long T0 = -5_000 * S + 123_456_789L;
    private static final int TCP = Protocol.TCP;
    private static final int UDP = Protocol.UDP;
    private static final int NONE = ConnectionTable.NONE;
    private static final Ipv6 CLIENT = Ipv6.parse("2001:db8:c::7");
    private static final Ipv6 VIP = Ipv6.parse("2001:db8:f::1");
    private static final Ipv6 RIP = Ipv6.parse("2001:db8:5::10");
    private static final Ipv6 LIP = Ipv6.parse("2001:db8:d::100");

    private final ConnectionTable table = new ConnectionTable(64, new Timeouts());
    private final RealServer server = new RealServer(RIP, 8080, ForwardingMethod.MASQ, 1);

    private int nat66(int protocol, Ipv6 client, int clientPort, long nowNs) {
        return table.create6(protocol, client.hi(), client.lo(), clientPort, VIP.hi(), VIP.lo(), 80, server, 8080,
                true, nowNs);
    }

    private int lookupIn(int protocol, Ipv6 client, int clientPort, Ipv6 vip, int vport) {
        return table.lookupIn6(protocol, client.hi(), client.lo(), clientPort, vip.hi(), vip.lo(), vport);
    }

    private int lookupOut(int protocol, Ipv6 rip, int rport, Ipv6 local, int lport) {
        return table.lookupOut6(protocol, rip.hi(), rip.lo(), rport, local.hi(), local.lo(), lport);
    }

    private static Ipv6 address(long hi, long lo) {
        return new Ipv6(hi, lo);
    }

    @Test
    void shouldFindNat66EntryFromClientAndFromRealServer() {
        int id = nat66(TCP, CLIENT, 40000, T0);

        assertEquals(id, lookupIn(TCP, CLIENT, 40000, VIP, 80));
        assertEquals(id, lookupOut(TCP, RIP, 8080, CLIENT, 40000));
        assertTrue(table.ipv6(id));
        assertFalse(table.template(id));
        assertEquals(CLIENT, address(table.clientHi(id), table.clientLo(id)));
        assertEquals(VIP, address(table.virtualHi(id), table.virtualLo(id)));
        assertEquals(RIP, address(table.realHi(id), table.realLo(id)));
        assertEquals(CLIENT, address(table.localHi(id), table.localLo(id)));
        assertEquals(40000, table.clientPort(id));
        assertEquals(80, table.virtualPort(id));
        assertEquals(8080, table.realPort(id));
        assertEquals(40000, table.localPort(id));
        assertSame(server, table.realServer(id));
        assertEquals(1, server.inactiveConnections);
        assertEquals(1, server.stats.connections);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "other protocol,           17, 2001:db8:c::7,  40000, 2001:db8:f::1, 80",
        "other client high half,   6, 2001:db8:d::7,  40000, 2001:db8:f::1, 80",
        "other client low half,     6, 2001:db8:c::8,  40000, 2001:db8:f::1, 80",
        "other client port,         6, 2001:db8:c::7,  40001, 2001:db8:f::1, 80",
        "other VIP,                 6, 2001:db8:c::7,  40000, 2001:db8:f::2, 80",
        "other virtual port,        6, 2001:db8:c::7,  40000, 2001:db8:f::1, 443",
        "client and VIP swapped,    6, 2001:db8:f::1,  40000, 2001:db8:c::7, 80",
    })
    void shouldNotFindEntryUnderAnotherInKey(String what, int protocol, String client, int clientPort, String vip,
                                             int vport) {
        nat66(TCP, CLIENT, 40000, T0);
        assertEquals(NONE, lookupIn(protocol, Ipv6.parse(client), clientPort, Ipv6.parse(vip), vport));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "other protocol,      17, 2001:db8:5::10, 8080, 2001:db8:c::7, 40000",
        "other real address,   6, 2001:db8:5::11, 8080, 2001:db8:c::7, 40000",
        "other real port,      6, 2001:db8:5::10, 8081, 2001:db8:c::7, 40000",
        "other client,         6, 2001:db8:5::10, 8080, 2001:db8:c::8, 40000",
        "other client port,    6, 2001:db8:5::10, 8080, 2001:db8:c::7, 40001",
    })
    void shouldNotFindEntryUnderAnotherOutKey(String what, int protocol, String rip, int rport, String local,
                                              int lport) {
        nat66(TCP, CLIENT, 40000, T0);
        assertEquals(NONE, lookupOut(protocol, Ipv6.parse(rip), rport, Ipv6.parse(local), lport));
    }

    @Test
    void shouldFindFullNatReplyToAnIpv6LocalAddress() {
        int id = table.create6(TCP, CLIENT.hi(), CLIENT.lo(), 40000, VIP.hi(), VIP.lo(), 80, server, 8080,
                LIP.hi(), LIP.lo(), 2000, true, T0);

        assertEquals(id, lookupOut(TCP, RIP, 8080, LIP, 2000));
        assertEquals(NONE, lookupOut(TCP, RIP, 8080, CLIENT, 40000));
        assertEquals(id, lookupIn(TCP, CLIENT, 40000, VIP, 80));
        assertEquals(LIP, address(table.localHi(id), table.localLo(id)));
        assertEquals(2000, table.localPort(id));
    }

    @Test
    void shouldNotIndexRepliesOfDirectRouteEntries() {
        int id = table.create6(TCP, CLIENT.hi(), CLIENT.lo(), 40000, VIP.hi(), VIP.lo(), 80, server, 8080, false,
                T0);

        assertEquals(id, lookupIn(TCP, CLIENT, 40000, VIP, 80));
        assertEquals(NONE, lookupOut(TCP, RIP, 8080, CLIENT, 40000));
        assertTrue(table.noOutput(id));
    }

    /**
     * ::192.0.2.1 folds to 192.0.2.1 (its other words are 0), so these IPv6 entries hash into the very chains of the
     * IPv4 ones and have the same address words: only the family tells them apart.
     */
    @Test
    void shouldNeverMatchAnEntryOfTheOtherFamily() {
        int client4 = Ipv4.parse("198.51.100.7");
        int vip4 = Ipv4.parse("192.0.2.1");
        int rip4 = Ipv4.parse("198.18.0.10");
        Ipv6 client6 = address(0, client4 & 0xFFFF_FFFFL);
        Ipv6 vip6 = address(0, vip4 & 0xFFFF_FFFFL);
        Ipv6 rip6 = address(0, rip4 & 0xFFFF_FFFFL);
        RealServer server4 = new RealServer(rip4, 8080, ForwardingMethod.MASQ, 1);
        RealServer server6 = new RealServer(rip6, 8080, ForwardingMethod.MASQ, 1);
        assertEquals(client4, Ipv6.fold(client6.hi(), client6.lo()));

        int ipv4 = table.create(TCP, client4, 40000, vip4, 80, server4, true, T0);
        assertEquals(NONE, lookupIn(TCP, client6, 40000, vip6, 80));
        assertEquals(NONE, lookupOut(TCP, rip6, 8080, client6, 40000));
        assertEquals(NONE, lookupIn(TCP, address(0, Ipv6.mappedLo(client4)), 40000, address(0, Ipv6.mappedLo(vip4)),
                80));

        int ipv6 = table.create6(TCP, client6.hi(), client6.lo(), 40000, vip6.hi(), vip6.lo(), 80, server6, 8080,
                true, T0);
        assertEquals(ipv4, table.lookupIn(TCP, client4, 40000, vip4, 80));
        assertEquals(ipv4, table.lookupOut(TCP, rip4, 8080, client4, 40000));
        assertEquals(ipv6, lookupIn(TCP, client6, 40000, vip6, 80));
        assertEquals(ipv6, lookupOut(TCP, rip6, 8080, client6, 40000));
        assertFalse(table.ipv6(ipv4));

        int template4 = table.createTemplate(TCP, client4, vip4, 80, server4, 8080, 300, T0);
        int template6 = table.createTemplate6(TCP, client6.hi(), client6.lo(), vip6.hi(), vip6.lo(), 80, server6,
                8080, 300, T0);
        assertEquals(template4, table.lookupTemplate(TCP, client4, vip4, 80));
        assertEquals(template6, table.lookupTemplate6(TCP, client6.hi(), client6.lo(), vip6.hi(), vip6.lo(), 80));

        table.remove(ipv4);
        assertEquals(NONE, table.lookupIn(TCP, client4, 40000, vip4, 80));
        assertEquals(NONE, table.lookupOut(TCP, rip4, 8080, client4, 40000));
        assertEquals(ipv6, lookupIn(TCP, client6, 40000, vip6, 80));
    }

    @Test
    void shouldGiveAnIpv4EntrysAddressesInTheirMappedForm() {
        RealServer server4 = new RealServer(Ipv4.parse("198.18.0.10"), 8080, ForwardingMethod.MASQ, 1);
        int id = table.create(TCP, Ipv4.parse("198.51.100.7"), 40000, Ipv4.parse("192.0.2.1"), 80, server4, true, T0);

        assertFalse(table.ipv6(id));
        assertEquals(Ipv6.parse("::ffff:198.51.100.7"), address(table.clientHi(id), table.clientLo(id)));
        assertEquals(Ipv6.parse("::ffff:192.0.2.1"), address(table.virtualHi(id), table.virtualLo(id)));
        assertEquals(Ipv6.parse("::ffff:198.18.0.10"), address(table.realHi(id), table.realLo(id)));
        assertEquals(Ipv6.parse("::ffff:198.51.100.7"), address(table.localHi(id), table.localLo(id)));
    }

    /** ipvsadm -M 64 on an IPv6 service: every client of the /64 shares the template (ipv6_addr_prefix). */
    @ParameterizedTest(name = "/{0}: {1} -> {2}")
    @CsvSource({
        "64,  2001:db8:c::7,      true",
        "64,  2001:db8:c:0:ffff:ffff:ffff:ffff, true",
        "64,  2001:db8:c:1::7,    false",
        "128, 2001:db8:c::7,      true",
        "128, 2001:db8:c::8,      false",
        "48,  2001:db8:c:ffff::1, true",
        "48,  2001:db8:d::7,      false",
    })
    void shouldKeepAClientNetworkOfThePrefixLength(int prefixLength, String otherClient, boolean shared) {
        long networkHi = Ipv6.prefixHi(CLIENT.hi(), prefixLength);
        long networkLo = Ipv6.prefixLo(CLIENT.lo(), prefixLength);
        int template = table.createTemplate6(TCP, networkHi, networkLo, VIP.hi(), VIP.lo(), 80, server, 8080, 300,
                T0);

        Ipv6 other = Ipv6.parse(otherClient);
        int found = table.lookupTemplate6(TCP, Ipv6.prefixHi(other.hi(), prefixLength),
                Ipv6.prefixLo(other.lo(), prefixLength), VIP.hi(), VIP.lo(), 80);
        assertEquals(shared ? template : NONE, found);
        assertTrue(table.template(template));
        assertEquals(1, server.persistentConnections);
    }

    @Test
    void shouldKeepTemplatesAndConnectionsApart() {
        int template = table.createTemplate6(TCP, CLIENT.hi(), CLIENT.lo(), VIP.hi(), VIP.lo(), 80, server, 8080, 300,
                T0);
        assertEquals(NONE, lookupIn(TCP, CLIENT, 0, VIP, 80));

        int connection = table.create6(TCP, CLIENT.hi(), CLIENT.lo(), 0, VIP.hi(), VIP.lo(), 80, server, 8080, true,
                T0);
        assertNotEquals(template, connection);
        assertEquals(connection, lookupIn(TCP, CLIENT, 0, VIP, 80));
        assertEquals(template, table.lookupTemplate6(TCP, CLIENT.hi(), CLIENT.lo(), VIP.hi(), VIP.lo(), 80));
    }

    @Test
    void shouldExpireIpv6EntriesAndUnbindTheirServer() {
        Timeouts timeouts = new Timeouts();
        int id = nat66(UDP, CLIENT, 5353, T0);
        table.onUdpPacket(id, T0);
        long expiry = T0 + timeouts.udpTimeoutNs();

        assertEquals(0, table.expire(expiry - 1, 100));
        assertEquals(id, lookupIn(UDP, CLIENT, 5353, VIP, 80));
        assertEquals(1, table.expire(expiry, 100));
        assertEquals(NONE, lookupIn(UDP, CLIENT, 5353, VIP, 80));
        assertEquals(NONE, lookupOut(UDP, RIP, 8080, CLIENT, 5353));
        assertEquals(0, table.size());
        assertEquals(0, server.inactiveConnections);
        assertFalse(table.live(id));
    }

    @Test
    void shouldKeepAnIpv6TemplateWhileItControlsAConnection() {
        int template = table.createTemplate6(UDP, CLIENT.hi(), CLIENT.lo(), VIP.hi(), VIP.lo(), 80, server, 8080, 60,
                T0);
        int connection = nat66(UDP, CLIENT, 40000, T0);
        table.onUdpPacket(connection, T0);
        table.control(connection, template);

        table.expire(T0 + 60 * S, 100);
        assertEquals(template, table.lookupTemplate6(UDP, CLIENT.hi(), CLIENT.lo(), VIP.hi(), VIP.lo(), 80));
        assertEquals(1, table.controlledCount(template));

        table.remove(connection);
        assertEquals(0, table.controlledCount(template));

        table.expire(T0 + 120 * S, 100);
        assertEquals(NONE, table.lookupTemplate6(UDP, CLIENT.hi(), CLIENT.lo(), VIP.hi(), VIP.lo(), 80));
        assertEquals(0, server.persistentConnections);
    }

    @Test
    void shouldHideAnInvalidatedIpv6Template() {
        int template = table.createTemplate6(TCP, CLIENT.hi(), CLIENT.lo(), VIP.hi(), VIP.lo(), 80, server, 8080, 60,
                T0);
        table.invalidateTemplate(template);

        assertEquals(NONE, table.lookupTemplate6(TCP, CLIENT.hi(), CLIENT.lo(), VIP.hi(), VIP.lo(), 80));
        assertTrue(table.live(template));
        assertEquals(VIP, address(table.virtualHi(template), table.virtualLo(template)));
    }

    @Test
    void shouldEnterASyncedIpv6ConnectionWithThePeersStateAndTimeoutUncountedAsScheduled() {
        int id = table.createSynced6(TCP, CLIENT.hi(), CLIENT.lo(), 40000, VIP.hi(), VIP.lo(), 80, server, 8080,
                LIP.hi(), LIP.lo(), 2000, true, TcpState.ESTABLISHED, 900, T0);

        assertNotEquals(NONE, id);
        assertTrue(table.ipv6(id));
        assertEquals(id, lookupIn(TCP, CLIENT, 40000, VIP, 80));
        assertEquals(id, lookupOut(TCP, RIP, 8080, LIP, 2000));
        assertEquals(NONE, lookupOut(TCP, RIP, 8080, CLIENT, 40000), "replies go to the local address");
        assertEquals(TcpState.ESTABLISHED, table.state(id));
        assertEquals(T0 + 900 * S, table.expiresAtNs(id));
        assertEquals(1, server.activeConnections);
        assertEquals(0, server.inactiveConnections);
        assertEquals(0, server.stats.connections, "the peer scheduled it, not this director");
    }

    @Test
    void shouldRefuseAnIpv6EntryWhenFull() {
        ConnectionTable small = new ConnectionTable(1, new Timeouts());
        assertNotEquals(NONE, small.create6(TCP, CLIENT.hi(), CLIENT.lo(), 1, VIP.hi(), VIP.lo(), 80, server, 8080,
                true, T0));
        assertEquals(NONE, small.create6(TCP, CLIENT.hi(), CLIENT.lo(), 2, VIP.hi(), VIP.lo(), 80, server, 8080, true,
                T0));
        assertEquals(NONE, small.createTemplate6(TCP, CLIENT.hi(), CLIENT.lo(), VIP.hi(), VIP.lo(), 80, server, 8080,
                60, T0));
        assertEquals(NONE, small.createSynced6(TCP, CLIENT.hi(), CLIENT.lo(), 3, VIP.hi(), VIP.lo(), 80, server, 8080,
                CLIENT.hi(), CLIENT.lo(), 3, true, TcpState.ESTABLISHED, 900, T0));
    }
}
