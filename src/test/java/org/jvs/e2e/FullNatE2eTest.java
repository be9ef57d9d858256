package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/**
 * Full NAT (-b) end to end beyond the forwarding matrix's full NAT cell: real servers with no route to the client at
 * all, answering the director's local addresses; a deliberately small source-port range ({@code --fullnat-ports
 * 40000-40007}, 8 ports per local address and real server, one worker) to see exhaustion refused and counted; the
 * save/restore round trip; and a keepalived configuration as DPVS writes it. One lab; the keepalived case runs last
 * since it restarts the director.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullNatE2eTest {
    private static final String VIP = LvsLab.VIP;
    private static final String RS1 = LvsLab.RIPS.getFirst();
    private static final int LOWEST_PORT = 40_000;
    private static final int PORTS = 8;
    private static final String FILE = "big.bin";
    private static final int FILE_BYTES = 10 << 20;
    /** The local address of the held-connections test: its own port space, untouched by the other tests. */
    private static final String HELD_LIP = "192.0.2.102";
    private static final Duration HOLD_TIMEOUT = Duration.ofSeconds(30);
    /** IPVS's CLOSE timeout (10 s) after the RSTs, with margin. */
    private static final Duration EXPIRY_TIMEOUT = Duration.ofSeconds(25);
    private static final String KEEPALIVED_CONF = """
            ! full NAT as DPVS's keepalived writes it; the real servers answer 192.0.2.104 and .105
            local_address_group laddr_fn {
                192.0.2.104-105 eth1
            }

            virtual_server 203.0.113.10 80 {
                delay_loop 1
                lb_algo rr
                lb_kind FNAT
                protocol TCP
                laddr_group_name laddr_fn
            %s}
            """;
    private static final String KEEPALIVED_SERVER = """
                real_server %s 80 {
                    weight 1
                    TCP_CHECK {
                        connect_timeout 2
                    }
                }
            """;
    private static final Set<String> KEEPALIVED_LADDRS = Set.of("192.0.2.104", "192.0.2.105");
    private static final Duration CHECKED_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern OPEN_LINE = Pattern.compile("(?m)^open \\d+ (\\d+) ");
    private static final Pattern EXHAUSTED = Pattern.compile("(?m)^drop_local_ports_exhausted (\\d+)$");
    /** ss -Htn state established: queues, local address:port, peer address:port (no state column). */
    private static final Pattern SS_PEER = Pattern.compile("(?m)^\\d+\\s+\\d+\\s+(\\S+):(\\d+)\\s+(\\S+):(\\d+)");

    /**
     * One worker: with N, each worker allocates only its own 1/N of the range (the ports that steer replies back to
     * it, LocalPortsTest), so "eight connections over eight ports" holds per worker's share, not for any eight clients.
     */
    @RegisterExtension
    static final LvsLabExtension LAB = LvsLabExtension.of(new LabCell("fnatports", ForwardingMethod.FULLNAT,
            AddressFamily.IPV4, VipPlacement.DIRECTOR_LO, List.of("--fullnat-ports",
            LOWEST_PORT + "-" + (LOWEST_PORT + PORTS - 1), "--workers", "1")));

    private LvsLab lvs;
    private Director director;
    private Client client;
    private String fileSha256;

    @BeforeAll
    void publishTheFile() throws NoSuchAlgorithmException {
        byte[] content = new byte[FILE_BYTES];
        new Random(6).nextBytes(content);
        fileSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        lvs.publish(FILE, content);
    }

    @ParameterizedTest(name = "local address [{0}]")
    @ValueSource(strings = {"", "192.0.2.100"})
    void shouldServeTenMebibytesEachWayToARealServerWithNoRouteToTheClient(String laddr) {
        CommandResult route = lvs.lab.run(lvs.realServers.getFirst(), "ip", "route", "get", LvsLab.CLIENT);
        assertFalse(route.ok(), "rs1 must have no route to the client, yet: " + route.stdout());
        StringBuilder rules = new StringBuilder();
        for (int port : new int[] {LvsLab.HTTP_PORT, LvsLab.ECHO_PORT}) {
            String virtual = VIP + ":" + port;
            rules.append("-A -t ").append(virtual).append(" -s rr\n");
            rules.append("-a -t ").append(virtual).append(" -r ").append(RS1).append(':').append(port).append(" -b\n");
            if (!laddr.isEmpty()) {
                rules.append("-P -t ").append(virtual).append(" -z ").append(laddr).append('\n');
            }
        }
        restore(rules.toString());
        String peer = laddr.isEmpty() ? LvsLab.DIRECTOR_INSIDE : laddr;
        String tag = laddr.isEmpty() ? "own" : laddr;

        CommandResult download = lvs.lab.run(lvs.client, Duration.ofSeconds(60), "bash", "-o", "pipefail", "-c",
                "curl -sS --max-time 50 'http://" + VIP + "/" + FILE + "?via=" + tag + "' | sha256sum");
        assertTrue(download.ok() && download.stdout().startsWith(fileSha256 + " "),
                "10 MiB download via -b (" + tag + "): " + download.describe() + " [" + download.stdout().strip()
                        + "], want " + fileSha256 + "; director log: " + director.log());
        String request = requestLine(lvs.httpLog(0), "GET /" + FILE + "?via=" + tag + " ");
        assertTrue(request.startsWith(peer + " "), "rs1 must see " + peer + " as its peer: " + request);

        CommandResult upload = client.transfer(VIP, LvsLab.ECHO_PORT, FILE_BYTES);
        assertTrue(upload.ok() && upload.stdout().contains("ok rs1 " + FILE_BYTES),
                "10 MiB upload and echo via -b (" + tag + "): " + upload.describe() + " [" + upload.stdout().strip()
                        + "]; director log: " + director.log());
        if (!laddr.isEmpty()) {
            assertEquals(directorInsideMac(), neighbourMac(lvs.realServers.getFirst(), laddr),
                    "the director must answer rs1's ARP for local address " + laddr);
        }
    }

    @Test
    void shouldRefuseAndCountTheNinthConcurrentConnectionOverEightPortsAndReuseThemOnceExpired() {
        String virtual = VIP + ":" + LvsLab.ECHO_PORT;
        restore("-A -t " + virtual + " -s rr\n-a -t " + virtual + " -r " + RS1 + ":" + LvsLab.ECHO_PORT + " -b\n"
                + "-P -t " + virtual + " -z " + HELD_LIP + "\n");
        long exhaustedBefore = exhaustedCount();
        Path release = lvs.lab.workDir().resolve("release-held");
        Path hold = lvs.script("/e2e/fullnat/hold.py");

        Background held = lvs.lab.spawn(lvs.client, "held", LvsLab.PYTHON, hold.toString(), VIP,
                String.valueOf(LvsLab.ECHO_PORT), String.valueOf(PORTS), release.toString(), "60");
        held.awaitLine("^(held|refused) ", HOLD_TIMEOUT);
        assertTrue(held.output().contains("held " + PORTS + "\n"), PORTS + " concurrent connections over "
                + PORTS + " ports: " + held.tail(10) + "; director log: " + director.log());
        List<Integer> ports = peerPorts(HELD_LIP);
        assertEquals(PORTS, ports.size(), "rs1's connections from " + HELD_LIP + ": " + ports);
        assertEquals(PORTS, new HashSet<>(ports).size(), "a real-server-side tuple was reused: " + ports);
        for (int port : ports) {
            assertTrue(port >= LOWEST_PORT && port < LOWEST_PORT + PORTS, "source port " + port + " outside "
                    + LOWEST_PORT + "-" + (LOWEST_PORT + PORTS - 1));
        }

        CommandResult ninth = holdOnce(hold, 1);
        assertNotEquals(0, ninth.exitCode(), "the 9th connection must be refused: " + ninth.stdout());
        assertTrue(ninth.stdout().contains("refused 1 "), ninth.describe());
        long exhausted = exhaustedCount() - exhaustedBefore;
        assertTrue(exhausted >= 1, "./jvs counters must count the refused SYN(s): " + exhausted);
        assertTrue(held.alive() && !held.output().contains("closed"), "the 8 connections were not held throughout: "
                + held.tail(5));

        touch(release);
        assertEquals(0, held.awaitExit(Duration.ofSeconds(10)), held.tail(5));
        awaitExpired(clientPorts(held.output()));
        CommandResult again = holdOnce(hold, PORTS);
        assertEquals(0, again.exitCode(), "after expiry all " + PORTS + " ports must be free again: "
                + again.describe() + "; connections: " + director.jvsadm("-L", "-c", "-n").stdout());
    }

    @Test
    void shouldRestoreFullNatServersAndLocalAddressesFromTheirSave() {
        String web = VIP + ":" + LvsLab.HTTP_PORT;
        String echo = VIP + ":" + LvsLab.ECHO_PORT;
        restore(String.join("\n",
                "-A -t " + web + " -s wrr",
                "-a -t " + web + " -r " + LvsLab.RIPS.get(0) + ":80 -b -w 1",
                "-a -t " + web + " -r " + LvsLab.RIPS.get(1) + ":80 -b -w 2",
                "-a -t " + web + " -r " + LvsLab.RIPS.get(2) + ":8080 -b -w 3",
                "-P -z 192.0.2.100 -t " + web,
                "-P -z 192.0.2.101 -t " + web + " -F eth1",
                "-A -t " + echo + " -s sh -p 120",
                "-a -t " + echo + " -r " + RS1 + ":" + LvsLab.ECHO_PORT + " -b",
                "-a -t " + echo + " -r " + LvsLab.RIPS.get(1) + ":" + LvsLab.ECHO_PORT + " -m",
                "-P -z 192.0.2.103 -t " + echo, ""));
        String listed = director.jvsadm("-L", "-n").stdout();
        String laddrs = director.jvsadm("-G").stdout();
        assertTrue(listed.contains("FullNat") && laddrs.contains("192.0.2.101"), listed + laddrs);

        String saved = lvs.lab.workDir().resolve("saved.rules").toString();
        CommandResult roundTrip = lvs.lab.run(lvs.director, "bash", "-e", "-c",
                Launchers.JVSADM + " -S > " + saved + "; " + Launchers.JVSADM + " -C; " + Launchers.JVSADM
                        + " -L -n; " + Launchers.JVSADM + " -G; " + Launchers.JVSADM + " -R < " + saved);
        assertTrue(roundTrip.ok(), roundTrip.describe());
        assertFalse(roundTrip.stdout().contains("FullNat") || roundTrip.stdout().contains("192.0.2.10"),
                "-C left something behind, so the restore would prove nothing: " + roundTrip.stdout());

        assertEquals(listed, director.jvsadm("-L", "-n").stdout(), "-L -n after -S | -C; -R");
        assertEquals(laddrs, director.jvsadm("-G").stdout(), "-G after -S | -C; -R");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldServeThroughFullNatFromAKeepalivedConfigWithALocalAddressGroup() throws IOException {
        StringBuilder servers = new StringBuilder();
        for (String rip : LvsLab.RIPS) {
            servers.append(KEEPALIVED_SERVER.formatted(rip));
        }
        Path conf = lvs.lab.workDir().resolve("keepalived-fnat.conf");
        Files.writeString(conf, KEEPALIVED_CONF.formatted(servers));
        director.stop();
        director.start("-f", conf.toString());

        String listed = awaitListing(LvsLab.RIPS.size());
        String laddrs = director.jvsadm("-G").stdout();
        assertTrue(laddrs.contains("192.0.2.104") && laddrs.contains("192.0.2.105"), "-G:\n" + laddrs);
        CommandResult status = lvs.lab.run(lvs.director, Launchers.JVS, "status");
        assertEquals(LvsLab.RIPS.size(), status.stdout().split("TCP_CHECK up", -1).length - 1,
                "a TCP_CHECK per real server, each up: " + status.describe() + "\n" + status.stdout());
        CommandResult requests = lvs.lab.run(lvs.client, Duration.ofSeconds(60), "bash", "-c",
                "for i in 1 2 3 4 5 6; do curl -sS --max-time 5 'http://" + VIP + "/?via=ka-'$i || echo FAILED; done");
        List<String> answers = requests.stdout().lines().map(String::strip).sorted().toList();
        assertEquals(List.of("rs1", "rs1", "rs2", "rs2", "rs3", "rs3"), answers,
                "6 requests, rr over 3 real servers, via lb_kind FNAT; -L -n:\n" + listed + "director log: "
                        + director.log());
        for (int i = 0; i < LvsLab.RIPS.size(); i++) {
            for (String line : lvs.httpLog(i).split("\n")) {
                if (line.contains("?via=ka-")) {
                    String peer = line.substring(0, line.indexOf(' '));
                    assertTrue(KEEPALIVED_LADDRS.contains(peer), LvsLab.NAMES.get(i) + " saw peer " + peer
                            + ", not a local address of laddr_fn: " + line);
                }
            }
        }
    }

    /** Waits until -L -n lists {@code servers} full-NAT real servers (the checkers' first results are in). */
    private String awaitListing(int servers) {
        long deadlineNs = System.nanoTime() + CHECKED_TIMEOUT.toNanos();
        String listing = "";
        while (System.nanoTime() < deadlineNs) {
            listing = director.jvsadm("-L", "-n").stdout();
            if (listing.split("FullNat", -1).length - 1 == servers) {
                return listing;
            }
            Background.sleep(500);
        }
        return fail("-L -n never listed " + servers + " FullNat real servers within " + CHECKED_TIMEOUT + ":\n"
                + listing + "director log: " + director.log());
    }

    /** Applies ipvsadm-restore lines in one ./jvsadm -R (one JVM start instead of one per line). */
    private void restore(String rules) {
        Path file = lvs.lab.workDir().resolve("rules-" + System.nanoTime());
        try {
            Files.writeString(file, rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CommandResult restored = lvs.lab.run(lvs.director, "bash", "-c", jvsadmLine("-R") + " < " + file);
        assertTrue(restored.ok(), restored.describe() + " for:\n" + rules + "director log: " + director.log());
    }

    private static String jvsadmLine(String args) {
        return Launchers.JVSADM + " " + args;
    }

    private CommandResult holdOnce(Path hold, int count) {
        return lvs.lab.run(lvs.client, HOLD_TIMEOUT, LvsLab.PYTHON, hold.toString(), VIP,
                String.valueOf(LvsLab.ECHO_PORT), String.valueOf(count), "-", "0");
    }

    private long exhaustedCount() {
        CommandResult counters = lvs.lab.run(lvs.director, Launchers.JVS, "counters");
        assertTrue(counters.ok(), counters.describe());
        Matcher line = EXHAUSTED.matcher(counters.stdout());
        return line.find() ? Long.parseLong(line.group(1)) : 0;
    }

    /** The source ports of rs1's established echo connections from {@code peer}. */
    private List<Integer> peerPorts(String peer) {
        CommandResult sockets = lvs.lab.check(lvs.realServers.getFirst(), "ss", "-Htn", "state", "established");
        List<Integer> ports = new ArrayList<>();
        Matcher socket = SS_PEER.matcher(sockets.stdout());
        while (socket.find()) {
            if (socket.group(2).equals(String.valueOf(LvsLab.ECHO_PORT)) && socket.group(3).equals(peer)) {
                ports.add(Integer.parseInt(socket.group(4)));
            }
        }
        return ports;
    }

    /** The client-side ports hold.py printed ("open I CLIENT_PORT GREETING"). */
    private static List<String> clientPorts(String holdOutput) {
        return OPEN_LINE.matcher(holdOutput).results().map(open -> open.group(1)).toList();
    }

    /** Waits until -L -c lists none of the client's connections from these ports. */
    private void awaitExpired(List<String> clientPorts) {
        assertEquals(PORTS, clientPorts.size(), "client ports of the held connections: " + clientPorts);
        long deadlineNs = System.nanoTime() + EXPIRY_TIMEOUT.toNanos();
        String listing = "";
        while (System.nanoTime() < deadlineNs) {
            listing = director.jvsadm("-L", "-c", "-n").stdout();
            String current = listing;
            if (clientPorts.stream().noneMatch(port -> current.contains(LvsLab.CLIENT + ":" + port + " "))) {
                return;
            }
            Background.sleep(500);
        }
        fail("the held connections did not expire within " + EXPIRY_TIMEOUT + ":\n" + listing);
    }

    private static String requestLine(String log, String needle) {
        for (String line : log.split("\n")) {
            if (line.contains(needle)) {
                return line;
            }
        }
        return "(no request '" + needle + "' in the log: " + log.lines().skip(Math.max(0, log.lines().count() - 5))
                .toList() + ")";
    }

    private String directorInsideMac() {
        return lvs.lab.check(lvs.director, "cat", "/sys/class/net/eth1/address").stdout().strip();
    }

    private String neighbourMac(String ns, String address) {
        String entry = lvs.lab.check(ns, "ip", "neigh", "show", address).stdout();
        Matcher mac = Pattern.compile("lladdr (\\S+)").matcher(entry);
        return mac.find() ? mac.group(1) : "(no neighbour entry: '" + entry.strip() + "')";
    }

    private static void touch(Path file) {
        try {
            Files.writeString(file, "release\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
