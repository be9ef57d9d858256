package org.jvs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jvs.e2e.HaPairLab.Method;
import org.jvs.e2e.HaPairLab.Peer;

/**
 * A JVS HA pair ({@link HaPairLab}) with {@code lvs_sync_daemon}: a download in flight survives its director's
 * death, and the death of the director that took it over, byte for byte. A continuation on a fresh schedule would
 * fail (an established connection's segments are never scheduled; a real server that did not open it answers RST),
 * and the backup's {@code -L -c} must list the very connection before anything fails, so luck cannot pass it.
 *
 * <p>Each case: A becomes MASTER, B joins as BACKUP; a ~30 s download of a random file starts; B lists the
 * connection; A dies (links down, kill -9); B takes over and the download goes on; A returns from its "reboot" as
 * BACKUP (nopreempt) and lists the connection after its resync; B dies; A takes over; the file arrives whole. The
 * time from each kill to the next byte at the client is printed. A second test, which needs no sync, checks the lab
 * itself: after each takeover the survivor serves new connections on both real servers.
 */
@Tag("netns")
class HaSyncE2eTest {
    private static final String FILE = "data.bin";
    /** nginx sends /slow/ at 1500 KiB/s: ~30 s of it. */
    private static final int FILE_BYTES = 1_500 * 1024 * 30;
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration NEXT_BYTE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration DOWNLOAD_LIMIT = Duration.ofSeconds(80);
    private static final long FIRST_KILL_AFTER_MS = 3_000;
    /** -L -c -n: pro expire state source virtual destination. */
    private static final Pattern CLIENT_CONNECTION = Pattern.compile("(?m)^TCP\\s+\\S+\\s+\\S+\\s+"
            + Pattern.quote(HaPairLab.CLIENT) + ":(\\d+)\\s+" + Pattern.quote(HaPairLab.VIP + ":" + HaPairLab.PORT)
            + "\\s+(\\S+)\\s*$");

    private HaPairLab ha;

    @AfterEach
    void tearDown() {
        if (ha != null) {
            ha.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Method.class)
    void shouldKeepADownloadThroughTheDeathOfEachDirectorInTurn(Method method) throws Exception {
        String expectedSha256 = pair(method);
        Path out = ha.lab.workDir().resolve("received.bin");
        Background download = ha.lab.spawn(ha.client, "curl", "curl", "-sS", "--fail", "--max-time",
                String.valueOf(DOWNLOAD_LIMIT.toSeconds()), "-o", out.toString(),
                "http://" + HaPairLab.VIP + ":" + HaPairLab.PORT + "/slow/" + FILE);
        long startNs = System.nanoTime();

        String connection = awaitConnection(ha.a, Optional.empty(), Duration.ofSeconds(5), "the master lists it");
        awaitConnection(ha.b, Optional.of(connection), SYNC_TIMEOUT, "the backup lists the master's connection");
        assertSyncLagShown(startNs);
        Background.sleep(Math.max(0, FIRST_KILL_AFTER_MS - (System.nanoTime() - startNs) / 1_000_000));
        takeOver(ha.a, out, download);

        ha.a.revive();
        ha.a.awaitLog("VRRP_Instance(VI_1) Entering BACKUP STATE", STATE_TIMEOUT);
        awaitConnection(ha.a, Optional.of(connection), SYNC_TIMEOUT, "the returning director lists it after resync");
        assertThat(download.alive()).as("the download is still in flight at the second failover; curl: "
                + download.output()).isTrue();
        takeOver(ha.b, out, download);

        int exit = download.awaitExit(DOWNLOAD_LIMIT.plusSeconds(5));
        assertThat(exit).as("curl's exit: " + download.output() + "; A: " + ha.a.log() + "\nB: " + ha.b.log())
                .isZero();
        assertThat(Files.size(out)).isEqualTo(FILE_BYTES);
        assertThat(sha256(out)).as("sha256 of what arrived").isEqualTo(expectedSha256);
        System.out.printf("HA %s: %d bytes in %d ms through two takeovers%n", method, FILE_BYTES,
                (System.nanoTime() - startNs) / 1_000_000);
        if (method == Method.FNAT) {
            assertThat(Files.readString(servingNginx(connection).accessLog()))
                    .as("nginx saw the client's address in the PROXY v2 header, from the local address")
                    .contains(HaPairLab.CLIENT + " " + HaPairLab.LOCAL_ADDRESS + " \"GET /slow/" + FILE);
        }
    }

    /**
     * lvs_sync_daemon with an IPv6 group: both daemons sync over IPv6 multicast on the sync link (from its
     * link-local addresses, once Duplicate Address Detection let them be used), and the backup enters the master's
     * connection as with the kernel's IPv4 group.
     */
    @org.junit.jupiter.api.Test
    void shouldSyncOverAnIpv6MulticastGroup() throws Exception {
        ha = HaPairLab.build("hasync6", Method.NAT, "ff02::8848");
        for (HaPairLab.Peer peer : List.of(ha.a, ha.b)) {
            awaitLinkLocalUsable(peer.ns);
        }
        byte[] content = new byte[FILE_BYTES];
        new Random(6).nextBytes(content);
        Path file = ha.lab.workDir().resolve(FILE);
        Files.write(file, content);
        ha.startNginx(file, FILE);
        ha.a.start();
        ha.a.awaitLog("VRRP_Instance(VI_1) Entering MASTER STATE", STATE_TIMEOUT);
        ha.b.start();
        ha.b.awaitLog("VRRP_Instance(VI_1) Entering BACKUP STATE", STATE_TIMEOUT);
        assertThat(ha.a.jvsadm("-L", "--daemon")).contains("master sync daemon (mcast=eth1, syncid=7, ")
                .contains(", group=ff02::8848, port=8848, ttl=1)");
        Background download = ha.lab.spawn(ha.client, "curl", "curl", "-sS", "--fail", "--max-time",
                String.valueOf(DOWNLOAD_LIMIT.toSeconds()), "-o", ha.lab.workDir().resolve("received.bin").toString(),
                "http://" + HaPairLab.VIP + ":" + HaPairLab.PORT + "/slow/" + FILE);
        try {
            String connection = awaitConnection(ha.a, Optional.empty(), Duration.ofSeconds(5), "the master lists it");
            awaitConnection(ha.b, Optional.of(connection), SYNC_TIMEOUT,
                    "the backup lists the master's connection, synced over IPv6");
        } finally {
            download.kill();
        }
    }

    /** Waits (at most 10 s) until eth1 of {@code ns} has a link-local address that is no longer tentative. */
    private void awaitLinkLocalUsable(String ns) {
        long deadlineNs = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            CommandResult all = ha.lab.run(ns, Duration.ofSeconds(5), "ip", "-6", "addr", "show", "dev", "eth1",
                    "scope", "link");
            CommandResult tentative = ha.lab.run(ns, Duration.ofSeconds(5), "ip", "-6", "addr", "show", "dev",
                    "eth1", "tentative");
            if (all.stdout().contains("fe80::") && tentative.stdout().isBlank()) {
                return;
            }
            assertThat(System.nanoTime()).as("a usable link-local address on " + ns + "'s eth1: " + all.stdout())
                    .isLessThan(deadlineNs);
            Background.sleep(100);
        }
    }

    /**
     * A SIGTERM while both sync daemons run, as systemd stops the service: the director hands over at once (its
     * priority-0 advert), and its shutdown goes through both daemons' ends rather than waiting for ever on a data
     * plane that has already stopped.
     */
    @org.junit.jupiter.api.Test
    void shouldHandOverAndStopBothDaemonsOnSigterm() throws Exception {
        pair(Method.NAT);
        int exit = ha.a.terminate(Duration.ofSeconds(15));
        ha.b.awaitLog("VRRP_Instance(VI_1) Entering MASTER STATE", Duration.ofSeconds(3));
        assertThat(exit).as("a's exit after SIGTERM; its log: " + ha.a.log()).isNotEqualTo(-1);
        assertThat(ha.a.log()).contains("Stopping IPVS sync daemon master").contains("Stopping IPVS sync daemon backup");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Method.class)
    void shouldServeNewConnectionsFromEachSurvivor(Method method) throws Exception {
        pair(method);
        assertThat(pages()).as("through A").containsOnlyKeys("rs1", "rs2");

        ha.a.crash();
        ha.b.awaitLog("VRRP_Instance(VI_1) Entering MASTER STATE", STATE_TIMEOUT);
        ha.b.awaitLog("VRRP_Instance(VI_2) Entering MASTER STATE", STATE_TIMEOUT);
        assertThat(pages()).as("through B; its log: " + ha.b.log()).containsOnlyKeys("rs1", "rs2");

        ha.a.revive();
        ha.a.awaitLog("VRRP_Instance(VI_1) Entering BACKUP STATE", STATE_TIMEOUT);
        ha.b.crash();
        ha.a.awaitLog("VRRP_Instance(VI_1) Entering MASTER STATE", STATE_TIMEOUT);
        ha.a.awaitLog("VRRP_Instance(VI_2) Entering MASTER STATE", STATE_TIMEOUT);
        assertThat(pages()).as("through A again; its log: " + ha.a.log()).containsOnlyKeys("rs1", "rs2");
    }

    /**
     * The lab with nginx serving a random file; A started alone becomes MASTER, then B joins as BACKUP. Returns the
     * file's sha256.
     */
    private String pair(Method method) throws IOException {
        ha = HaPairLab.build("hasync", method);
        byte[] content = new byte[FILE_BYTES];
        new Random(method.ordinal() + 81).nextBytes(content);
        Path file = ha.lab.workDir().resolve(FILE);
        Files.write(file, content);
        ha.startNginx(file, FILE);
        ha.a.start();
        ha.a.awaitLog("VRRP_Instance(VI_1) Entering MASTER STATE", STATE_TIMEOUT);
        ha.a.awaitLog("VRRP_Instance(VI_2) Entering MASTER STATE", STATE_TIMEOUT);
        ha.b.start();
        ha.b.awaitLog("VRRP_Instance(VI_1) Entering BACKUP STATE", STATE_TIMEOUT);
        return sha256(file);
    }

    /**
     * {@code dying} dies (a host, not just a process) mid-download; its peer must become MASTER and the client
     * receive more of the file. Prints the time from the kill to the next byte.
     */
    private void takeOver(Peer dying, Path out, Background download) throws IOException {
        Peer survivor = ha.other(dying);
        long before = Files.size(out);
        long killNs = System.nanoTime();
        dying.crash();
        survivor.awaitLog("VRRP_Instance(VI_1) Entering MASTER STATE", STATE_TIMEOUT);
        long masterNs = System.nanoTime();
        // count from here: bytes on their way at the kill (and, for DR, what the real server's window still let
        // it send straight to the client) do not prove the survivor carries the connection
        long atMaster = Files.size(out);
        long deadlineNs = killNs + NEXT_BYTE_TIMEOUT.toNanos();
        while (Files.size(out) <= atMaster && download.alive() && System.nanoTime() < deadlineNs) {
            Background.sleep(20);
        }
        long nextByteNs = System.nanoTime();
        assertThat(Files.size(out)).as("bytes arrive after " + dying + " died (had " + before + ", then " + atMaster
                + " when " + survivor + " became MASTER); curl: " + download.output() + "; " + survivor + ": "
                + survivor.log() + "\n" + survivor + "'s -L -c -n:\n" + survivor.jvsadm("-L", "-c", "-n")
                + survivor + "'s counters:\n" + survivor.counters()).isGreaterThan(atMaster);
        System.out.printf("HA %s: %s died at byte %d; %s MASTER after %d ms, next byte after %d ms%n", ha.method,
                dying, before, survivor, (masterNs - killNs) / 1_000_000, (nextByteNs - killNs) / 1_000_000);
    }

    /**
     * Polls {@code peer}'s {@code -L -c -n} for the client's connection to the VIP (the line from "source" on, e.g.
     * "198.51.100.10:41234 198.51.100.100:80 192.0.2.11:80"), or exactly {@code expected} when given.
     */
    private String awaitConnection(Peer peer, Optional<String> expected, Duration timeout, String what) {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        String listing;
        while (true) {
            listing = peer.jvsadm("-L", "-c", "-n");
            Matcher line = CLIENT_CONNECTION.matcher(listing);
            while (line.find()) {
                String found = HaPairLab.CLIENT + ":" + line.group(1) + " " + HaPairLab.VIP + ":" + HaPairLab.PORT
                        + " " + line.group(2);
                if (expected.isEmpty() || expected.get().equals(found)) {
                    return found;
                }
            }
            if (System.nanoTime() > deadlineNs) {
                throw new AssertionError(what + ": " + expected.orElse("the client's connection") + " not listed by "
                        + peer + " within " + timeout + "; -L -c -n:\n" + listing + peer + "'s log: " + peer.log()
                        + "\ncounters of a:\n" + ha.a.counters() + "counters of b:\n" + ha.b.counters());
            }
            Background.sleep(200);
        }
    }

    /**
     * While the master syncs, /metrics says how far behind the backup may be: the master's oldest unsent update is
     * younger than the one-second hold of a part-full message (plus scrape slack), and the backup heard the master
     * since the download began.
     */
    private void assertSyncLagShown(long downloadStartNs) {
        double startedAt = System.currentTimeMillis() / 1000.0 - (System.nanoTime() - downloadStartNs) / 1e9;
        assertThat(metricValue(ha.a.metrics(), "jvs_sync_master_pending_seconds")).as("master's pending age")
                .isBetween(0.0, 3.0);
        assertThat(metricValue(ha.a.metrics(), "jvs_sync_master_backlog_bytes")).as("master's backlog")
                .isGreaterThanOrEqualTo(0.0);
        assertThat(metricValue(ha.b.metrics(), "jvs_sync_backup_last_message_timestamp_seconds"))
                .as("when the backup last heard the master").isGreaterThan(startedAt - 2);
    }

    private static double metricValue(String exposition, String name) {
        Matcher line = Pattern.compile("^" + name + " (\\S+)$", Pattern.MULTILINE).matcher(exposition);
        assertThat(line.find()).as(name + " in /metrics:\n" + exposition).isTrue();
        return Double.parseDouble(line.group(1));
    }

    private NginxServer servingNginx(String connection) {
        String rip = connection.substring(connection.lastIndexOf(' ') + 1, connection.lastIndexOf(':'));
        return ha.nginx.get(HaPairLab.RIPS.indexOf(rip));
    }

    /** Four requests for / on fresh connections, counted by page (rr: two each); "FAILED" counts failures. */
    private Map<String, Integer> pages() {
        CommandResult result = ha.lab.run(ha.client, Duration.ofSeconds(30), "bash", "-c",
                "for i in 1 2 3 4; do curl -sS --max-time 5 http://" + HaPairLab.VIP + "/ || echo FAILED; done");
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : result.stdout().split("\n")) {
            if (!line.isBlank()) {
                counts.merge(line.strip(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
