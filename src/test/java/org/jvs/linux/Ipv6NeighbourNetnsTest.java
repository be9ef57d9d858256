package org.jvs.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvs.service.Ipv6;

import static org.jvs.linux.VethNamespaces.run;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the kernel does with Neighbour Discovery for addresses JVS answers for, and what an AF_PACKET port receives
 * of it. Namespace v6-nd1 (a director, or a DR real server) and its peer v6-nd2 share a veth:
 * <pre>
 *   v6-nd1  v6-nd-a 2001:db8:1::1/64, lo 2001:db8:f::2 ---- v6-nd-b 2001:db8:1::2/64  v6-nd2
 * </pre>
 * The peer reaches 2001:db8:f::/64 on-link, so it asks for those addresses with Neighbour Solicitations.
 */
@Tag("netns")
class Ipv6NeighbourNetnsTest {
    private static final String N1 = "v6-nd1";
    private static final String N2 = "v6-nd2";
    private static final String V1 = "v6-nd-a";
    private static final String V2 = "v6-nd-b";
    private static final String V1_MAC = "02:00:5e:16:00:01";
    /** Held by no one: a VIP only JVS answers for. */
    private static final String UNHELD_VIP = "2001:db8:f::1";
    /** On v6-nd1's lo, as ./jvs realserver puts a DR VIP. */
    private static final String VIP_ON_LO = "2001:db8:f::2";
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    @BeforeAll
    static void createNamespaces() {
        try {
            deleteNamespaces();
            run("ip", "netns", "add", N1);
            run("ip", "netns", "add", N2);
            run("ip", "-n", N1, "link", "add", V1, "address", V1_MAC, "type", "veth", "peer", "name", V2, "netns", N2);
            run("ip", "-n", N1, "address", "add", "2001:db8:1::1/64", "dev", V1, "nodad");
            run("ip", "-n", N1, "address", "add", VIP_ON_LO + "/128", "dev", "lo");
            run("ip", "-n", N2, "address", "add", "2001:db8:1::2/64", "dev", V2, "nodad");
            for (String[] link : new String[][] {{N1, V1}, {N2, V2}, {N1, "lo"}, {N2, "lo"}}) {
                run("ip", "-n", link[0], "link", "set", link[1], "up");
            }
            run("ip", "-n", N2, "-6", "route", "add", "2001:db8:f::/64", "dev", V2);
        } catch (RuntimeException | Error e) {
            deleteNamespaces();
            throw e;
        }
    }

    @AfterAll
    static void deleteNamespaces() {
        for (String namespace : List.of(N1, N2)) {
            if (new java.io.File("/var/run/netns/" + namespace).exists()) {
                run("ip", "netns", "delete", namespace);
            }
        }
    }

    @Test
    void shouldHaveTheInterfaceReceiveAllMulticastWhileAPortIsOpen() throws Exception {
        try (NamespaceThread inN1 = new NamespaceThread(N1)) {
            AfPacketPort port = inN1.call(() -> AfPacketPort.open(V1));
            try {
                assertTrue(link().contains("allmulti 1"), "the port must ask for every multicast frame: " + link());
            } finally {
                port.close();
            }
            assertTrue(link().contains("allmulti 0"), "closing the port must give the membership back: " + link());
        }
    }

    @Test
    void shouldReceiveTheSolicitationForAVipTheKernelDoesNotAnswer() throws Exception {
        try (NamespaceThread inN1 = new NamespaceThread(N1)) {
            AfPacketPort port = inN1.call(() -> AfPacketPort.open(V1));
            try (PortPoller poller = new PortPoller(List.of(port))) {
                Ipv6 vip = Ipv6.parse(UNHELD_VIP);
                boolean[] seen = new boolean[1];
                Process ping = VethNamespaces.start("ip", "netns", "exec", N2, "ping", "-6", "-c", "2", "-W", "1", UNHELD_VIP);
                try {
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while (!seen[0] && System.nanoTime() < deadline) {
                        poller.await(50);
                        port.receive((ifindex, frame, offset, length, flags) ->
                                seen[0] |= isSolicitationFor(frame, offset, length, vip), 64);
                    }
                } finally {
                    ping.destroyForcibly();
                    ping.waitFor();
                }
                assertTrue(seen[0], "no NS for " + UNHELD_VIP + " to its solicited-node group reached the port");
            } finally {
                port.close();
            }
        }
        assertFalse(answered(UNHELD_VIP), "the kernel answered ND for an address it does not hold: " + neighbours());
    }

    /**
     * A DR real server's VIP on lo: IPv6 has no arp_ignore, and needs none. Linux answers an NS only for an address
     * of the interface it arrived on (ndisc_recv_ns looks the target up strictly on that device), so the VIP on lo is
     * never advertised on the shared segment, while a packet sent to it (at the MAC the director resolved for the
     * real server) is accepted.
     */
    @Test
    void shouldAcceptPacketsToAnAddressOnLoButNeverAnswerNdForIt() {
        assertFalse(ping(VIP_ON_LO), "with no neighbour entry the peer cannot reach the address on lo");
        assertFalse(answered(VIP_ON_LO), "the kernel answered ND for its address on lo: " + neighbours());
        run("ip", "-n", N2, "neigh", "replace", VIP_ON_LO, "lladdr", V1_MAC, "dev", V2, "nud", "permanent");
        try {
            assertTrue(ping(VIP_ON_LO), "a packet to the address on lo, sent to the NIC's MAC, must be accepted");
        } finally {
            run("ip", "-n", N2, "neigh", "del", VIP_ON_LO, "dev", V2);
        }
        assertTrue(ping("2001:db8:1::1"), "the NIC's own address is answered (ND works at all)");
    }

    private static boolean ping(String address) {
        try {
            run("ip", "netns", "exec", N2, "ping", "-6", "-c", "1", "-W", "2", address);
            return true;
        } catch (IllegalStateException failed) {
            return false;
        }
    }

    /** True when the peer's neighbour entry for address has a link-layer address (someone sent an NA). */
    private static boolean answered(String address) {
        return run("ip", "-n", N2, "-6", "neigh", "show", address).contains("lladdr");
    }

    private static String neighbours() {
        return run("ip", "-n", N2, "-6", "neigh", "show");
    }

    /** With -d, ip(8) shows the device's allmulti count (IFLA_ALLMULTI), which counts sockets' memberships too. */
    private static String link() {
        return run("ip", "-n", N1, "-d", "link", "show", "dev", V1);
    }

    /** An NS (ICMPv6 135 right after the fixed header) for target, sent to 33:33:ff + target's last 24 bits. */
    private static boolean isSolicitationFor(MemorySegment frame, long offset, int length, Ipv6 target) {
        if (length < 14 + 40 + 24 || (frame.get(U16, offset + 12) & 0xFFFF) != 0x86DD
                || frame.get(ValueLayout.JAVA_BYTE, offset + 14 + 6) != 58
                || (frame.get(ValueLayout.JAVA_BYTE, offset + 14 + 40) & 0xFF) != 135) {
            return false;
        }
        long destinationMac = frame.get(U64, offset) >>> 16;
        return destinationMac == (0x3333_ff00_0000L | target.lo() & 0xFF_FFFF)
                && frame.get(U64, offset + 14 + 48) == target.hi() && frame.get(U64, offset + 14 + 56) == target.lo();
    }
}
