package org.jvs.linux;

import org.jvs.net.NextHop6;
import org.jvs.service.Ipv6;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.jvs.linux.VethNamespaces.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LinuxHostNetwork's IPv6 addresses and routes, from the kernel of namespaces v6-hn1/v6-hn2 joined by a veth. */
@Tag("netns")
class LinuxHostNetwork6NetnsTest {
    private static final String N1 = "v6-hn1";
    private static final String N2 = "v6-hn2";
    private static final String V1 = "v6-hn-a";
    private static final String V2 = "v6-hn-b";
    private static final Ipv6 OWN = Ipv6.parse("2001:db8:1::1");
    private static final Ipv6 PEER = Ipv6.parse("2001:db8:1::2");
    private static final Ipv6 ON_LO = Ipv6.parse("2001:db8:ffff::1");
    private static final Ipv6 LINK_LOCAL_GATEWAY = Ipv6.parse("fe80::2");
    private static final Ipv6 PREFERRED_SOURCE = Ipv6.parse("2001:db8:ffff::7");

    private static NamespaceThread inN1;
    private static LinuxHostNetwork network;

    @BeforeAll
    static void createNamespaces() throws Exception {
        try {
            deleteNamespaces();
            run("ip", "netns", "add", N1);
            run("ip", "netns", "add", N2);
            run("ip", "-n", N1, "link", "add", V1, "mtu", "1400", "type", "veth", "peer", "name", V2, "netns", N2);
            run("ip", "-n", N1, "link", "set", V1, "up");
            run("ip", "-n", N1, "link", "set", "lo", "up");
            run("ip", "-n", N2, "link", "set", V2, "up");
            run("ip", "-n", N1, "address", "add", OWN + "/64", "dev", V1, "nodad");
            run("ip", "-n", N1, "address", "add", PREFERRED_SOURCE + "/128", "dev", "lo");
            run("ip", "-n", N2, "address", "add", PEER + "/64", "dev", V2, "nodad");
            run("ip", "-n", N1, "address", "add", ON_LO + "/128", "dev", "lo");
            run("ip", "-n", N1, "-6", "route", "add", "default", "via", "fe80::2", "dev", V1);
            run("ip", "-n", N1, "-6", "route", "add", "2001:db8:99::/48", "via", "2001:db8:1::fe", "dev", V1, "mtu", "1300");
            run("ip", "-n", N1, "-6", "route", "add", "2001:db8:77::/48", "dev", V1, "src", PREFERRED_SOURCE.toString());
            run("ip", "-n", N1, "-6", "route", "add", "blackhole", "2001:db8:dead::/48");
            inN1 = new NamespaceThread(N1);
            network = inN1.call(LinuxHostNetwork::open);
        } catch (Exception | Error e) {
            deleteNamespaces();
            throw e;
        }
    }

    @AfterAll
    static void deleteNamespaces() {
        try {
            if (network != null) {
                network.close();
            }
            if (inN1 != null) {
                inN1.close();
            }
        } finally {
            for (String namespace : List.of(N1, N2)) {
                if (new java.io.File("/var/run/netns/" + namespace).exists()) {
                    run("ip", "netns", "delete", namespace);
                }
            }
        }
    }

    @Test
    void shouldKnowIpv6AddressesOfEveryInterfaceIncludingLoopbackAndLinkLocal() throws Exception {
        assertTrue(network.isLocalAddress6(OWN.hi(), OWN.lo()));
        assertTrue(network.isLocalAddress6(ON_LO.hi(), ON_LO.lo()));
        assertTrue(network.isLocalAddress6(0, 1), "::1");
        String linkLocal = run("ip", "-n", N1, "-6", "-o", "address", "show", "dev", V1, "scope", "link")
                .replaceAll("(?s).*inet6 (fe80::[0-9a-f:]+)/64.*", "$1");
        Ipv6 eui64 = Ipv6.parse(linkLocal);
        assertTrue(network.isLocalAddress6(eui64.hi(), eui64.lo()), linkLocal);
        assertFalse(network.isLocalAddress6(PEER.hi(), PEER.lo()));
        assertTrue(network.localAddresses6().containsAll(List.of(OWN, ON_LO, eui64)), network.localAddresses6().toString());
    }

    @Test
    void shouldRouteConnectedDestinationToItselfFromTheInterfacesGlobalAddress() {
        assertHop(PEER, PEER, OWN, 1400);
    }

    @Test
    void shouldRouteOffLinkDestinationThroughLinkLocalDefaultGateway() {
        assertHop(Ipv6.parse("2001:db8:5::9"), LINK_LOCAL_GATEWAY, OWN, 1400);
    }

    @Test
    void shouldPreferLongerPrefixAndItsRouteMtu() {
        assertHop(Ipv6.parse("2001:db8:99::9"), Ipv6.parse("2001:db8:1::fe"), OWN, 1300);
    }

    @Test
    void shouldTakeTheRoutesPreferredSource() {
        Ipv6 destination = Ipv6.parse("2001:db8:77::3");
        assertHop(destination, destination, PREFERRED_SOURCE, 1400);
    }

    @Test
    void shouldNotRouteIntoBlackhole() {
        assertFalse(network.route6(Ipv6.parse("2001:db8:dead::1").hi(), Ipv6.parse("2001:db8:dead::1").lo(), new NextHop6()));
    }

    @Test
    void shouldLookUpWithoutAllocating() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        NextHop6 hop = new NextHop6();
        Ipv6 far = Ipv6.parse("2001:db8:99::9");
        for (int round = 0; round < 2_000; round++) {
            network.route6(far.hi(), far.lo() + (round & 7), hop);
            network.isLocalAddress6(ON_LO.hi(), ON_LO.lo());
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        boolean all = true;
        for (int round = 0; round < 20_000; round++) {
            all &= network.route6(far.hi(), far.lo() + (round & 7), hop);
            all &= network.isLocalAddress6(ON_LO.hi(), ON_LO.lo());
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(all);
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated in 20 000 look-ups");
    }

    @Test
    void shouldRefreshWhenKernelAnnouncesNewIpv6AddressAndRoute() throws Exception {
        inN1.call(network::pollChanges);
        Ipv6 added = Ipv6.parse("2001:db8:1::77");
        Ipv6 beyond = Ipv6.parse("2001:db8:55::1");
        run("ip", "-n", N1, "address", "add", added + "/128", "dev", "lo");
        run("ip", "-n", N1, "-6", "route", "add", "2001:db8:55::/48", "via", "fe80::3", "dev", V1);
        try {
            NextHop6 hop = new NextHop6();
            for (int attempt = 0; attempt < 50 && !(network.isLocalAddress6(added.hi(), added.lo())
                    && network.route6(beyond.hi(), beyond.lo(), hop) && hop.gatewayLo == 3); attempt++) {
                if (!inN1.call(network::pollChanges)) {
                    Thread.sleep(20);
                }
            }
            assertTrue(network.isLocalAddress6(added.hi(), added.lo()), "no IPv6 address notification within a second");
            assertHop(beyond, Ipv6.parse("fe80::3"), OWN, 1400);
        } finally {
            run("ip", "-n", N1, "-6", "route", "del", "2001:db8:55::/48");
            run("ip", "-n", N1, "address", "del", added + "/128", "dev", "lo");
        }
    }

    private static void assertHop(Ipv6 destination, Ipv6 gateway, Ipv6 source, int mtu) {
        NextHop6 hop = new NextHop6();
        assertTrue(network.route6(destination.hi(), destination.lo(), hop), "no route to " + destination);
        int ifindex = network.interfaceByName(V1).ifindex();
        assertEquals(List.of(ifindex, gateway, source, mtu),
                List.of(hop.ifindex, new Ipv6(hop.gatewayHi, hop.gatewayLo), new Ipv6(hop.sourceHi, hop.sourceLo), hop.mtu));
    }
}
