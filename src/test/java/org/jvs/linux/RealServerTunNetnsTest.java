package org.jvs.linux;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.collections.Int2IntHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvs.app.RealServerCommand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real-server helper as a real server runs it: {@code RealServerCommand} in its own JVM inside namespace R,
 * stopped by SIGTERM. Client C sends IPIP by hand, as a director would:
 * <pre>
 *   C jvstgcl-r 198.51.100.2 --- 198.51.100.1 jvstgrs-c R (VIP 203.0.113.10 on lo, UDP echo on VIP:9)
 * </pre>
 */
@Tag("netns")
class RealServerTunNetnsTest {
    private static final String R = "jvst-grs";
    private static final String C = "jvst-gcl";
    private static final String DR = "jvst-gdr";
    private static final String VIP = "203.0.113.10";
    private static final String RIP = "198.51.100.1";
    private static final String CLIENT = "198.51.100.2";

    /** A UDP echo on argv[1]:9 (IPv4 or IPv6); prints ready once bound. */
    static final String ECHO = """
            import socket, sys
            s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((sys.argv[1], 9))
            print("ready")
            while True:
                data, peer = s.recvfrom(2048)
                s.sendto(data, peer)
            """;

    /**
     * Sends to argv[3] first an IPIP packet carrying IPv6 (the helper must drop it), then one carrying a UDP
     * datagram argv[1]:port -> argv[2]:9 without checksum, then one whose checksum is partial (the pseudo-header
     * sum, as a director's kernel forwards a veth peer's datagram); prints each echo's text and source, or "timeout".
     */
    private static final String IPIP_CLIENT = """
            import socket, struct, sys
            client, vip, rip = sys.argv[1:4]
            def checksum(header):
                total = sum(struct.unpack("!10H", header))
                total = (total & 0xFFFF) + (total >> 16)
                return ~((total & 0xFFFF) + (total >> 16)) & 0xFFFF
            udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp_socket.bind((client, 0))
            udp_socket.settimeout(5)
            payload = b"hello through the tunnel"
            udp = struct.pack("!HHHH", udp_socket.getsockname()[1], 9, 8 + len(payload), 0) + payload
            header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                                 socket.inet_aton(client), socket.inet_aton(vip))
            header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
            tunnel = socket.socket(socket.AF_INET, socket.SOCK_RAW, 4)
            tunnel.sendto(b"\\x60" + bytes(39), (rip, 0))
            tunnel.sendto(header + udp, (rip, 0))
            def echo():
                try:
                    data, peer = udp_socket.recvfrom(2048)
                    print(data.decode(), peer[0], peer[1])
                except (socket.timeout, TimeoutError):
                    print("timeout")
            echo()
            payload = b"partial checksum"
            length = 8 + len(payload)
            pseudo = sum(struct.unpack("!4H", socket.inet_aton(client) + socket.inet_aton(vip))) + 17 + length
            pseudo = (pseudo & 0xFFFF) + (pseudo >> 16)
            udp = struct.pack("!HHHH", udp_socket.getsockname()[1], 9, length, pseudo) + payload
            header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 2, 0x4000, 64, 17, 0,
                                 socket.inet_aton(client), socket.inet_aton(vip))
            header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
            tunnel.sendto(header + udp, (rip, 0))
            echo()
            """;

    @BeforeAll
    static void createNetwork() throws Exception {
        try {
            KernelGuardNetns.create(R, C, DR);
            KernelGuardNetns.ip(
                    "link add jvstgrs-c netns " + R + " type veth peer name jvstgcl-r netns " + C,
                    "-n " + R + " addr add " + RIP + "/24 dev jvstgrs-c",
                    "-n " + R + " link set jvstgrs-c up",
                    "-n " + C + " addr add " + CLIENT + "/24 dev jvstgcl-r",
                    "-n " + C + " link set jvstgcl-r up",
                    "link add jvstgdr-x netns " + DR + " type veth peer name jvstgdr-y netns " + DR,
                    "-n " + DR + " link set jvstgdr-x up");
            KernelGuardNetns.run("ip", "netns", "exec", R, "sysctl", "-q", "-w", "net.ipv4.conf.jvstgrs-c.rp_filter=1");
        } catch (Exception e) {
            deleteNetwork();
            throw e;
        }
    }

    @AfterAll
    static void deleteNetwork() {
        KernelGuardNetns.delete(R, C, DR);
    }

    @Test
    void shouldDecapsulateIpipToVipSoClientGetsReplyDirectly() throws Exception {
        try (KernelGuardNetns.Script helper = KernelGuardNetns.exec(R, realServerCommand("--vip", VIP, "--mode", "tun", "--dev", "jvstgrs-c"))) {
            String ready = awaitLineContaining(helper, "tun mode");
            assertNotNull(ready, "the helper must report that it runs in tun mode");
            try (KernelGuardNetns.Script echo = KernelGuardNetns.python(R, ECHO, VIP)) {
                assertEquals("ready", echo.readLine(10_000), "the echo binds to the VIP, so the VIP must be on lo");
                assertEquals("hello through the tunnel " + VIP + " 9\npartial checksum " + VIP + " 9",
                        KernelGuardNetns.pythonResult(C, IPIP_CLIENT, CLIENT, VIP, RIP),
                        "each echo must come back from the VIP, straight to the client, the partial checksum's too");
            }
            assertEquals(143, helper.terminate(10_000), "SIGTERM must end the helper as a signalled JVM does");
            assertEquals("jvs realserver: stopped; decapsulated 2, dropped 1, TCP super-packets 0, partial checksums 1",
                    awaitLineContaining(helper, "stopped"));
        }
        assertTrue(KernelGuardNetns.run("ip", "-n", R, "link", "show").indexOf("jvsipip0") < 0, "the TUN device must go with the helper");
        assertEquals("0", sysctl(R, "net.ipv4.conf.jvstgrs-c.rp_filter"), "--dev's reverse-path filter must be off");
    }

    @Test
    void shouldConfigureDirectRoutingAndExit() throws Exception {
        List<String> lines = new ArrayList<>();
        try (KernelGuardNetns.Script helper = KernelGuardNetns.exec(DR, realServerCommand("--vip", VIP, "--mode", "dr", "--dev", "jvstgdr-x"))) {
            for (String line = helper.readLine(30_000); line != null; line = helper.readLine(30_000)) {
                lines.add(line);
            }
            assertEquals(0, helper.terminate(10_000), String.join("\n", lines));
        }
        assertEquals("jvs realserver: dr mode ready for VIP " + VIP, lines.getLast());
        assertTrue(KernelGuardNetns.run("ip", "-n", DR, "-4", "-o", "addr", "show", "dev", "lo").contains(" inet " + VIP + "/32 "));
        assertEquals("1", sysctl(DR, "net.ipv4.conf.all.arp_ignore"));
        assertEquals("2", sysctl(DR, "net.ipv4.conf.all.arp_announce"));
        assertEquals("1", sysctl(DR, "net.ipv4.conf.lo.arp_ignore"));
        assertEquals("2", sysctl(DR, "net.ipv4.conf.lo.arp_announce"));
        assertEquals("0", sysctl(DR, "net.ipv4.conf.all.rp_filter"));
        assertEquals("0", sysctl(DR, "net.ipv4.conf.jvstgdr-x.rp_filter"));
    }

    private static String sysctl(String namespace, String name) throws Exception {
        return KernelGuardNetns.run("ip", "netns", "exec", namespace, "sysctl", "-n", name).strip();
    }

    static String awaitLineContaining(KernelGuardNetns.Script script, String text) throws InterruptedException {
        for (String line = script.readLine(30_000); line != null; line = script.readLine(30_000)) {
            if (line.contains(text)) {
                return line;
            }
        }
        return null;
    }

    /** java for RealServerCommand on this build's classes; surefire's own class path is a manifest jar. */
    static String[] realServerCommand(String... arguments) throws URISyntaxException {
        String classPath = location(RealServerCommand.class) + File.pathSeparator + location(Int2IntHashMap.class);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, RealServerCommand.class.getName()));
        command.addAll(List.of(arguments));
        return command.toArray(String[]::new);
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
