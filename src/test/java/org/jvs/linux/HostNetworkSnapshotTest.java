package org.jvs.linux;

import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;
import org.jvs.service.Ipv4;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lookups over a snapshot built from the captured kernel dumps (see {@link CapturedDumps}). */
class HostNetworkSnapshotTest {
    private static HostNetworkSnapshot snapshot;

    @BeforeAll
    static void buildFromCapturedDumps() throws IOException {
        CapturedDumps dumps = CapturedDumps.decodeAll();
        snapshot = new HostNetworkSnapshot(dumps.links, dumps.addresses, dumps.routes, dumps.neighbours);
    }

    @ParameterizedTest
    @CsvSource({
            // destination,  next hop,        source,       mtu   (why)
            "198.51.100.5,   198.51.100.5,    198.51.100.1, 1400", // connected: on-link, prefsrc
            "203.0.113.5,    198.51.100.253,  198.51.100.1, 1300", // /24 beats default, route mtu
            "198.19.1.1,     198.51.100.250,  198.51.100.1, 1400", // multipath: first next hop
            "192.0.2.1,      198.51.100.254,  198.51.100.1, 1400", // default, interface's primary address
    })
    void shouldRouteByLongestPrefix(String destination, String nextHop, String source, int mtu) {
        NextHop hop = new NextHop();
        assertTrue(snapshot.route(Ipv4.parse(destination), hop));
        assertEquals(List.of(3, nextHop, source, mtu),
                List.of(hop.ifindex, Ipv4.toString(hop.gateway), Ipv4.toString(hop.source), hop.mtu));
    }

    @Test
    void shouldNotRouteWithoutMatchingRoute() {
        HostNetworkSnapshot empty = new HostNetworkSnapshot(List.of(), List.of(), List.of(), List.of());
        assertFalse(empty.route(Ipv4.parse("192.0.2.1"), new NextHop()));
    }

    @Test
    void shouldNotRouteIntoRejectRouteEvenWhenDefaultExists() {
        Rtnetlink.Link link = new Rtnetlink.Link(3, "jvst-c1", 0x02005e100011L, 1500, Rtnetlink.IFF_UP, 1);
        List<Rtnetlink.Route> routes = List.of(
                new Rtnetlink.Route(Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTN_UNICAST, 0, 0, Ipv4.parse("198.51.100.254"), 3, 0, 0, 0),
                new Rtnetlink.Route(Rtnetlink.RT_TABLE_MAIN, 6, Ipv4.parse("192.0.2.0"), 24, 0, 0, 0, 0, 0));
        HostNetworkSnapshot withBlackhole = new HostNetworkSnapshot(List.of(link), List.of(), routes, List.of());
        assertFalse(withBlackhole.route(Ipv4.parse("192.0.2.1"), new NextHop()));
        assertTrue(withBlackhole.route(Ipv4.parse("192.0.3.1"), new NextHop()));
    }

    @Test
    void shouldPreferLowerMetricForSamePrefix() {
        Rtnetlink.Link link = new Rtnetlink.Link(3, "jvst-c1", 0x02005e100011L, 1500, Rtnetlink.IFF_UP, 1);
        int prefix = Ipv4.parse("203.0.113.0");
        List<Rtnetlink.Route> routes = List.of(
                new Rtnetlink.Route(Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTN_UNICAST, prefix, 24, Ipv4.parse("198.51.100.2"), 3, 0, 200, 0),
                new Rtnetlink.Route(Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTN_UNICAST, prefix, 24, Ipv4.parse("198.51.100.3"), 3, 0, 100, 0),
                new Rtnetlink.Route(Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTN_UNICAST, prefix, 24, Ipv4.parse("198.51.100.4"), 3, 0, 300, 0));
        NextHop hop = new NextHop();
        assertTrue(new HostNetworkSnapshot(List.of(link), List.of(), routes, List.of()).route(Ipv4.parse("203.0.113.9"), hop));
        assertEquals("198.51.100.3", Ipv4.toString(hop.gateway));
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.1", "198.51.100.9", "127.0.0.1"})
    void shouldKnowConfiguredAddressesAsLocal(String address) {
        assertTrue(snapshot.isLocalAddress(Ipv4.parse(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.2", "198.51.100.255", "0.0.0.0"})
    void shouldNotTakeOtherAddressesAsLocal(String address) {
        assertFalse(snapshot.isLocalAddress(Ipv4.parse(address)));
    }

    @Test
    void shouldListEveryConfiguredAddressOnceForTheKernelGuard() {
        List<String> listed = java.util.Arrays.stream(snapshot.localAddresses()).mapToObj(Ipv4::toString).sorted().toList();
        assertEquals(List.of("127.0.0.1", "198.51.100.1", "198.51.100.9"), listed);
    }

    @Test
    void shouldDescribeInterfaceWithPrimaryAddress() {
        assertEquals(new NetInterface(3, "jvst-c1", 0x02005e100011L, 1400, Ipv4.parse("198.51.100.1"), 24),
                snapshot.interfaceByIndex(3));
        assertEquals(snapshot.interfaceByIndex(3), snapshot.interfaceByName("jvst-c1"));
    }

    @Test
    void shouldOfferUpNonLoopbackInterfacesForAttachment() {
        assertEquals(List.of("jvst-c2", "jvst-c1"), snapshot.attachableInterfaces().stream().map(NetInterface::name).toList());
    }

    @Test
    void shouldReportOnlyNeighboursWithUsableMac() {
        List<String> seen = new ArrayList<>();
        snapshot.forEachNeighbour((ifindex, ipv4, mac) -> seen.add(ifindex + " " + Ipv4.toString(ipv4) + " " + Long.toHexString(mac)));
        assertEquals(List.of("3 198.51.100.7 2005e100007", "3 198.51.100.8 2005e100008"), seen.stream().sorted().toList());
    }
}
