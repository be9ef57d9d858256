package org.jvs.linux;

import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;
import org.jvs.service.Ipv4;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.jvs.linux.VethNamespaces.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("netns")
class LinuxHostNetworkNetnsTest {
    private static final int GATEWAY = Ipv4.parse("198.51.100.254");

    private static NamespaceThread inL1;
    private static LinuxHostNetwork network;

    @BeforeAll
    static void createNamespaces() throws Exception {
        try {
            VethNamespaces.create();
            run("ip", "-n", L1, "route", "add", "default", "via", "198.51.100.254", "dev", V1);
            run("ip", "-n", L1, "route", "add", "203.0.113.0/24", "via", "198.51.100.253", "dev", V1, "mtu", "1300");
            run("ip", "-n", L1, "route", "add", "blackhole", "192.0.2.0/24");
            run("ip", "-n", L1, "neigh", "add", "198.51.100.7", "lladdr", "02:00:5e:10:00:07", "dev", V1, "nud", "permanent");
            inL1 = new NamespaceThread(L1);
            network = inL1.call(LinuxHostNetwork::open);
        } catch (Exception | Error e) {
            VethNamespaces.destroy();
            throw e;
        }
    }

    @AfterAll
    static void deleteNamespaces() {
        try {
            if (network != null) {
                network.close();
            }
            if (inL1 != null) {
                inL1.close();
            }
        } finally {
            VethNamespaces.destroy();
        }
    }

    @Test
    void shouldSeeVethMacMtuAndAddress() {
        NetInterface veth = network.interfaceByName(V1);
        assertNotNull(veth, "no interface " + V1 + " in " + network.attachableInterfaces());
        assertEquals(new NetInterface(veth.ifindex(), V1, V1_MAC, MTU, V1_ADDRESS, PREFIX_LENGTH), veth);
        assertEquals(veth, network.interfaceByIndex(veth.ifindex()));
    }

    @Test
    void shouldOfferOnlyUpNonLoopbackInterfacesForAttachment() {
        assertEquals(List.of(V1), network.attachableInterfaces().stream().map(NetInterface::name).toList());
    }

    @Test
    void shouldRouteConnectedDestinationToItself() {
        NextHop hop = new NextHop();
        assertTrue(network.route(V2_ADDRESS, hop));
        assertHop(hop, V2_ADDRESS, V1_ADDRESS, MTU);
    }

    @Test
    void shouldRouteOffLinkDestinationThroughDefaultGateway() {
        NextHop hop = new NextHop();
        assertTrue(network.route(Ipv4.parse("198.18.0.9"), hop));
        assertHop(hop, GATEWAY, V1_ADDRESS, MTU);
    }

    @Test
    void shouldPreferLongerPrefixAndItsRouteMtu() {
        NextHop hop = new NextHop();
        assertTrue(network.route(Ipv4.parse("203.0.113.9"), hop));
        assertHop(hop, Ipv4.parse("198.51.100.253"), V1_ADDRESS, 1300);
    }

    @Test
    void shouldNotRouteIntoBlackhole() {
        assertFalse(network.route(Ipv4.parse("192.0.2.1"), new NextHop()));
    }

    @Test
    void shouldKnowLocalAddressesIncludingLoopback() {
        assertTrue(network.isLocalAddress(V1_ADDRESS));
        assertTrue(network.isLocalAddress(Ipv4.parse("127.0.0.1")));
        assertFalse(network.isLocalAddress(V2_ADDRESS));
    }

    @Test
    void shouldReportPermanentNeighbour() {
        List<String> neighbours = new ArrayList<>();
        network.forEachNeighbour((ifindex, ipv4, mac) ->
                neighbours.add(ifindex + " " + Ipv4.toString(ipv4) + " " + Long.toHexString(mac)));
        int ifindex = network.interfaceByName(V1).ifindex();
        assertTrue(neighbours.contains(ifindex + " 198.51.100.7 2005e100007"), neighbours.toString());
    }

    @Test
    void shouldRefreshWhenKernelAnnouncesNewAddress() throws Exception {
        network.pollChanges();
        int added = Ipv4.parse("198.51.100.77");
        run("ip", "-n", L1, "address", "add", "198.51.100.77/32", "dev", V1);
        try {
            boolean refreshed = false;
            for (int attempt = 0; attempt < 50 && !refreshed; attempt++) {
                refreshed = inL1.call(network::pollChanges);
                if (!refreshed) {
                    Thread.sleep(20);
                }
            }
            assertTrue(refreshed, "no change notification within a second");
            assertTrue(network.isLocalAddress(added));
            assertEquals(V1_ADDRESS, network.interfaceByName(V1).ipv4Address(), "primary address changed");
        } finally {
            run("ip", "-n", L1, "address", "del", "198.51.100.77/32", "dev", V1);
        }
    }

    private static void assertHop(NextHop hop, int gateway, int source, int mtu) {
        int ifindex = network.interfaceByName(V1).ifindex();
        assertEquals(List.of(ifindex, Ipv4.toString(gateway), Ipv4.toString(source), mtu),
                List.of(hop.ifindex, Ipv4.toString(hop.gateway), Ipv4.toString(hop.source), hop.mtu));
    }
}
