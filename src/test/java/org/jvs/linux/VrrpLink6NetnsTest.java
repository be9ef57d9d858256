package org.jvs.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvs.service.Ipv6;
import org.jvs.vrrp.VrrpAdvert;

/**
 * VRRP over IPv6 on the wire, in two namespaces (vr6-l1, vr6-l2) joined by a veth: adverts to ff02::12 from the
 * link-local address with hop limit 255, read back with the hop limit and destination the kernel hands over beside
 * the payload (another hop limit shows, for the caller to drop); IPv6 VIPs added nodad and removed; unsolicited
 * neighbour advertisements that move a neighbour's cached MAC.
 */
@Tag("netns")
class VrrpLink6NetnsTest {
    private static final String L1 = "vr6-l1";
    private static final String L2 = "vr6-l2";
    private static final String V1 = "vr6v1";
    private static final String V2 = "vr6v2";
    private static final long V1_MAC = 0x02005e160001L;
    private static final Ipv6 VIP = Ipv6.parse("2001:db8:6::10");

    private static NamespaceThread inL1;
    private static NamespaceThread inL2;

    @BeforeAll
    static void createNamespaces() throws Exception {
        try {
            destroy();
            VethNamespaces.run("ip", "netns", "add", L1);
            VethNamespaces.run("ip", "netns", "add", L2);
            VethNamespaces.run("ip", "-n", L1, "link", "add", V1, "address", "02:00:5e:16:00:01", "type", "veth",
                    "peer", "name", V2, "address", "02:00:5e:16:00:02", "netns", L2);
            for (String[] link : new String[][] {{L1, V1}, {L2, V2}, {L1, "lo"}, {L2, "lo"}}) {
                VethNamespaces.run("ip", "-n", link[0], "link", "set", link[1], "up");
            }
            inL1 = new NamespaceThread(L1);
            inL2 = new NamespaceThread(L2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((linkLocal(L1, V1).contains("tentative") || linkLocal(L2, V2).contains("tentative")
                    || !linkLocal(L1, V1).contains("fe80")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (Exception | Error e) {
            deleteNamespaces();
            throw e;
        }
    }

    private static String linkLocal(String ns, String dev) {
        return VethNamespaces.run("ip", "-n", ns, "-6", "addr", "show", "dev", dev, "scope", "link");
    }

    @AfterAll
    static void deleteNamespaces() throws Exception {
        try {
            if (inL1 != null) {
                inL1.close();
            }
            if (inL2 != null) {
                inL2.close();
            }
        } finally {
            destroy();
        }
    }

    private static void destroy() {
        for (String namespace : List.of(L1, L2)) {
            if (new java.io.File("/var/run/netns/" + namespace).exists()) {
                VethNamespaces.run("ip", "netns", "delete", namespace);
            }
        }
    }

    @Test
    void shouldSendAdvertsToTheGroupWithHopLimit255FromTheLinkLocalAddressAndShowAnotherHopLimit() throws Exception {
        long[] source = inL1.call(() -> InterfaceAddresses.linkLocal(V1));
        long[] peer = inL2.call(() -> InterfaceAddresses.linkLocal(V2));
        assertThat(source).as("the link-local address of " + V1).isNotNull();
        try (VrrpLink sender = inL1.call(() -> VrrpLink.open6(V1, source[0], source[1], false));
             VrrpLink receiver = inL2.call(() -> VrrpLink.open6(V2, peer[0], peer[1], false));
             Arena arena = Arena.ofConfined()) {
            MemorySegment message = arena.allocate(64);
            int length = VrrpAdvert.write6(message, 0, 61, 150, 100, new long[] {VIP.hi(), VIP.lo()}, source[0],
                    source[1], VrrpLink.VRRP_GROUP6_HI, VrrpLink.VRRP_GROUP6_LO);
            sender.send6(message, length, VrrpLink.VRRP_GROUP6_HI, VrrpLink.VRRP_GROUP6_LO);

            MemorySegment received = arena.allocate(1500);
            assertThat(receive(receiver, received)).isEqualTo(24);
            assertThat(receiver.hopLimit()).isEqualTo(255);
            assertThat(new long[] {receiver.sourceHi(), receiver.sourceLo()}).isEqualTo(source);
            assertThat(receiver.destinationHi()).isEqualTo(VrrpLink.VRRP_GROUP6_HI);
            assertThat(receiver.destinationLo()).isEqualTo(VrrpLink.VRRP_GROUP6_LO);
            VrrpAdvert advert = new VrrpAdvert().wrap(received, 0);
            assertThat(advert.validate6(24, receiver.sourceHi(), receiver.sourceLo(), receiver.destinationHi(),
                    receiver.destinationLo())).isEqualTo(VrrpAdvert.OK);
            assertThat(advert.priority()).isEqualTo(150);

            // the same advert through a socket of python's with hop limit 64: a routed advert, which VRRP drops
            String hex = HexFormat.of().formatHex(message.asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            VethNamespaces.run("ip", "netns", "exec", L1, "python3", "-c", "import socket\n"
                    + "s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 112)\n"
                    + "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 64)\n"
                    + "s.sendto(bytes.fromhex('" + hex + "'), ('ff02::12', 0, 0, socket.if_nametoindex('" + V1 + "')))\n");
            assertThat(receive(receiver, received)).isEqualTo(24);
            assertThat(receiver.hopLimit()).isEqualTo(64);
        }
    }

    private static int receive(VrrpLink link, MemorySegment buffer) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        int length = 0;
        while (length == 0 && System.nanoTime() < deadline) {
            length = link.receive6(buffer);
            Thread.sleep(5);
        }
        return length;
    }

    @Test
    void shouldAddAnIpv6VirtualAddressWithoutDuplicateDetectionAndRemoveIt() throws Exception {
        try (InterfaceAddresses addresses = inL1.call(InterfaceAddresses::open)) {
            assertThat(inL1.call(() -> addresses.add6(V1, VIP.hi(), VIP.lo(), 64))).isTrue();
            assertThat(inL1.call(() -> addresses.add6(V1, VIP.hi(), VIP.lo(), 64))).as("already there").isFalse();
            assertThat(VethNamespaces.run("ip", "-n", L1, "-6", "addr", "show", "dev", V1))
                    .contains("inet6 2001:db8:6::10/64 scope global nodad").doesNotContain("tentative");
            assertThat(inL1.call(() -> addresses.remove6(V1, VIP.hi(), VIP.lo(), 64))).isTrue();
            assertThat(inL1.call(() -> addresses.remove6(V1, VIP.hi(), VIP.lo(), 64))).as("already gone").isFalse();
            assertThat(VethNamespaces.run("ip", "-n", L1, "-6", "addr", "show", "dev", V1))
                    .doesNotContain("2001:db8:6::10");
        }
    }

    @Test
    void shouldMoveANeighboursCachedMacWithUnsolicitedAdvertisements() throws Exception {
        VethNamespaces.run("ip", "-n", L2, "-6", "neigh", "replace", VIP.toString(), "lladdr", "02:00:5e:16:00:99",
                "dev", V2, "nud", "stale");
        inL1.call(() -> {
            UnsolicitedNeighbourAdverts.send(V1, V1_MAC, new long[] {VIP.hi(), VIP.lo()}, 2);
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        String entry = "";
        while (!entry.contains("02:00:5e:16:00:01") && System.nanoTime() < deadline) {
            entry = VethNamespaces.run("ip", "-n", L2, "-6", "neigh", "show", VIP.toString(), "dev", V2);
            Thread.sleep(20);
        }
        assertThat(entry).contains("lladdr 02:00:5e:16:00:01");
    }
}
