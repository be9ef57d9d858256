package org.jvs.linux;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./jvs realserver --vip IPV6} as a real server runs it, in its own JVM inside namespace R: tun mode takes
 * IPv6 in IPv6 and IPv6 in IPv4 (protocol 41) from raw sockets, with no sit or ip6_tunnel driver in the kernel.
 * Client C tunnels by hand, as a director would:
 * <pre>
 *   C v6gcl-r 2001:db8:1::2, 198.51.100.2 --- 2001:db8:1::1, 198.51.100.1 v6grs-c R (VIP 2001:db8:f::10 on lo)
 * </pre>
 */
@Tag("netns")
class RealServerTun6NetnsTest {
    private static final String R = "v6-grs";
    private static final String C = "v6-gcl";
    private static final String VIP = "2001:db8:f::10";
    private static final String CLIENT = "2001:db8:1::2";

    /**
     * Sends a UDP datagram [argv[1]]:port -> [argv[2]]:9 inside IPv6 to argv[3] (IPv6 outer) or argv[4] (IPv4
     * outer), as argv[5] says, after one whose inner packet is IPv4 (the helper must drop it); prints the echo's text
     * and source, or "timeout".
     */
    private static final String TUNNEL_CLIENT = """
            import socket, struct, sys
            client, vip, rip6, rip4, outer = sys.argv[1:6]
            def checksum(data):
                if len(data) % 2:
                    data += b"\\0"
                total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
                while total >> 16:
                    total = (total & 0xFFFF) + (total >> 16)
                return ~total & 0xFFFF
            udp_socket = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            udp_socket.bind((client, 0))
            udp_socket.settimeout(5)
            payload = ("hello through the " + outer + " tunnel").encode()
            src, dst = socket.inet_pton(socket.AF_INET6, client), socket.inet_pton(socket.AF_INET6, vip)
            udp = struct.pack("!HHHH", udp_socket.getsockname()[1], 9, 8 + len(payload), 0) + payload
            pseudo = src + dst + struct.pack("!IxxxB", len(udp), 17)
            udp = udp[:6] + struct.pack("!H", checksum(pseudo + udp)) + udp[8:]
            inner = struct.pack("!IHBB", 0x60000000, len(udp), 17, 64) + src + dst + udp
            if outer == "ipv6":
                tunnel = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 41)
                target = (rip6, 0)
            else:
                tunnel = socket.socket(socket.AF_INET, socket.SOCK_RAW, 41)
                target = (rip4, 0)
            tunnel.sendto(b"\\x45" + bytes(39), target)
            tunnel.sendto(inner, target)
            try:
                data, peer = udp_socket.recvfrom(2048)
                print(data.decode(), peer[0], peer[1])
            except (socket.timeout, TimeoutError):
                print("timeout")
            """;

    @BeforeAll
    static void createNetwork() throws Exception {
        try {
            KernelGuardNetns.create(R, C);
            KernelGuardNetns.ip(
                    "link add v6grs-c netns " + R + " type veth peer name v6gcl-r netns " + C,
                    "-n " + R + " addr add 2001:db8:1::1/64 dev v6grs-c nodad",
                    "-n " + R + " addr add 198.51.100.1/24 dev v6grs-c",
                    "-n " + R + " link set v6grs-c up",
                    "-n " + C + " addr add " + CLIENT + "/64 dev v6gcl-r nodad",
                    "-n " + C + " addr add 198.51.100.2/24 dev v6gcl-r",
                    "-n " + C + " link set v6gcl-r up");
        } catch (Exception e) {
            deleteNetwork();
            throw e;
        }
    }

    @AfterAll
    static void deleteNetwork() {
        KernelGuardNetns.delete(R, C);
    }

    @Test
    void shouldDecapsulateIpv6InIpv6AndInIpv4SoTheClientGetsRepliesFromTheVip() throws Exception {
        try (KernelGuardNetns.Script helper = KernelGuardNetns.exec(R, RealServerTunNetnsTest.realServerCommand("--vip", VIP, "--mode", "tun",
                "--dev", "v6grs-c"))) {
            assertNotNull(RealServerTunNetnsTest.awaitLineContaining(helper, "tun mode"), "the helper must report that it runs in tun mode");
            try (KernelGuardNetns.Script echo = KernelGuardNetns.python(R, RealServerTunNetnsTest.ECHO, VIP)) {
                assertEquals("ready", echo.readLine(10_000), "the echo binds to the VIP, so the VIP must be on lo");
                for (String outer : List.of("ipv6", "ipv4")) {
                    assertEquals("hello through the " + outer + " tunnel " + VIP + " 9",
                            KernelGuardNetns.pythonResult(C, TUNNEL_CLIENT, CLIENT, VIP, "2001:db8:1::1", "198.51.100.1", outer),
                            "the echo must come back from the VIP, straight to the client");
                }
            }
            assertEquals(143, helper.terminate(10_000), "SIGTERM must end the helper as a signalled JVM does");
            assertEquals("jvs realserver: stopped; decapsulated 2, dropped 2, TCP super-packets 0, partial checksums 0",
                    RealServerTunNetnsTest.awaitLineContaining(helper, "stopped"));
            assertEquals("jvs realserver: malformed tunnel packets dropped: inner_not_ipv6 2",
                    RealServerTunNetnsTest.awaitLineContaining(helper, "malformed"));
        }
        assertTrue(KernelGuardNetns.run("ip", "-n", R, "-6", "-o", "addr", "show", "dev", "lo").contains(" inet6 " + VIP + "/128 "));
    }

    @Test
    void shouldPutTheIpv6VipOnLoForDirectRoutingAndExit() throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        try (KernelGuardNetns.Script helper = KernelGuardNetns.exec(C, RealServerTunNetnsTest.realServerCommand(
                "--vip", "2001:db8:f::20", "--mode", "dr", "--dev", "v6gcl-r"))) {
            for (String line = helper.readLine(30_000); line != null; line = helper.readLine(30_000)) {
                lines.add(line);
            }
            assertEquals(0, helper.terminate(10_000), String.join("\n", lines));
        }
        assertEquals("jvs realserver: dr mode ready for VIP 2001:db8:f::20", lines.getLast());
        assertTrue(KernelGuardNetns.run("ip", "-n", C, "-6", "-o", "addr", "show", "dev", "lo").contains(" inet6 2001:db8:f::20/128 "));
    }
}
