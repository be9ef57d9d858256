package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reloading {@code ./jvs director -f keepalived-e2e/reload.conf} while a 10 MiB download runs through the VIP:
 * changing another real server's weight (by {@code ./jvs reload} and by SIGHUP) leaves the download and its
 * server's entry alone; a file with an error changes nothing and {@code ./jvs reload} names the line.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeepalivedReloadE2eTest {
    private static final String DOWNLOAD_PATH = "/slow/big.bin";
    private static final int DOWNLOAD_BYTES = 10 << 20;
    private static final int NEW_WEIGHT = 3;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STARTED_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(60);

    private KeepalivedCluster cluster;
    private Path original;

    @BeforeAll
    void startCluster() throws IOException {
        cluster = KeepalivedCluster.start("kareload", config(1, 1, 1));
        byte[] content = new byte[DOWNLOAD_BYTES];
        new Random(4).nextBytes(content);
        original = cluster.lvs.lab.workDir().resolve("big.bin");
        Files.write(original, content);
        for (NginxServer server : cluster.realServers) {
            Files.write(server.root().resolve(DOWNLOAD_PATH.substring(1)), content);
        }
    }

    @AfterAll
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void everyWeightOne() {
        if (!cluster.director.running()) {
            fail("the director died: " + cluster.director.log());
        }
        cluster.writeConfig(config(1, 1, 1));
        // the director still runs this file unless a test reloaded another: a JVM start saved per test
        if (!cluster.entries().values().stream().allMatch(e -> e.weight() == 1)) {
            CommandResult reload = cluster.jvs("reload");
            assertTrue(reload.ok(), reload.describe());
        }
        cluster.awaitEntries("three real servers at weight 1", SETTLE_TIMEOUT,
                entries -> entries.size() == 3 && entries.values().stream().allMatch(e -> e.weight() == 1));
    }

    @ParameterizedTest(name = "reload by {0}")
    @ValueSource(strings = {"jvs reload", "SIGHUP"})
    void shouldFinishRunningDownloadByteExactWhileReloadChangesAnotherServersWeight(String trigger) {
        Path received = cluster.lvs.lab.workDir().resolve("received-" + trigger.replace(' ', '-'));
        Background download = cluster.lvs.lab.spawn(cluster.lvs.client, "download-" + trigger.replace(' ', '-'),
                "curl", "-sS", "--max-time", String.valueOf(DOWNLOAD_TIMEOUT.toSeconds()), "-o", received.toString(),
                "http://" + LvsLab.VIP + DOWNLOAD_PATH);
        awaitFirstBytes(download, received);
        cluster.awaitEntries("the download's connection active on one real server", STARTED_TIMEOUT,
                entries -> entries.values().stream().filter(e -> e.activeConns() == 1).count() == 1);
        Map<String, IpvsListing.Entry> before = cluster.entries();
        String serving = before.entrySet().stream().filter(e -> e.getValue().activeConns() == 1).findFirst()
                .orElseThrow().getKey();
        int other = (List.copyOf(before.keySet()).indexOf(serving) + 1) % 3;
        int[] weights = {1, 1, 1};
        weights[other] = NEW_WEIGHT;
        cluster.writeConfig(config(weights[0], weights[1], weights[2]));

        if (trigger.equals("SIGHUP")) {
            cluster.director.hangUp();
            assertTrue(cluster.director.awaitLog("SIGHUP: reloaded", SETTLE_TIMEOUT),
                    "the director reports the SIGHUP reload: " + cluster.director.log());
        } else {
            CommandResult reload = cluster.jvs("reload");
            assertTrue(reload.ok(), reload.describe());
        }
        Map<String, IpvsListing.Entry> after = cluster.entries();
        assertTrue(download.alive(), "the reload ran while the download was in flight; it already ended: "
                + download.tail(3));
        String changed = KeepalivedCluster.endpoint(other);
        assertEquals(NEW_WEIGHT, after.get(changed).weight(), changed + "'s new weight in -L -n:\n" + after);
        assertEquals(before.get(serving), after.get(serving), "the downloading server's entry " + serving
                + " is untouched");

        assertEquals(0, download.awaitExit(DOWNLOAD_TIMEOUT), "curl through the VIP from " + serving + ": "
                + download.tail(3) + "; director log: " + cluster.director.log());
        assertEquals(-1L, mismatch(received), "the 10 MiB download from " + serving + " is byte-exact");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "doubled brace | real_server 192.0.2.12 80 {      | real_server 192.0.2.12 80 { {",
            "weight not a number | weight 1 ! rs2 | weight heavy",
            "unknown forwarding method | lb_kind NAT | lb_kind NATT",
    })
    void shouldChangeNothingAndNameTheLineWhenTheReloadedFileHasAnError(String what, String line,
                                                                          String broken) {
        Map<String, IpvsListing.Entry> before = cluster.entries();
        String good = config(7, 1, 1);
        String bad = good.replace(line.strip(), broken.strip());
        assertNotEquals(good, bad, "the test's broken line applies to reload.conf");
        int lineNumber = lineOf(bad, broken.strip());
        cluster.writeConfig(bad);

        CommandResult reload = cluster.jvs("reload");
        assertNotEquals(0, reload.exitCode(), what + ": ./jvs reload must fail: " + reload.describe());
        assertTrue(reload.stderr().contains(cluster.configFile + ":" + lineNumber),
                what + ": the error names " + cluster.configFile + ":" + lineNumber + ", said: " + reload.stderr());
        assertEquals(before, cluster.entries(), what + ": rs1's weight 7 in the same file is not applied either");
        assertTrue(cluster.director.running(), "the director survives a bad reload: " + cluster.director.log());
    }

    /** reload.conf with the given weights; rs2's weight line carries a marker comment the error test can find. */
    private static String config(int rs1, int rs2, int rs3) {
        return KeepalivedCluster.resource("reload.conf")
                .replace("@WEIGHT_rs1@", String.valueOf(rs1))
                .replace("weight @WEIGHT_rs2@", "weight " + rs2 + " ! rs2")
                .replace("@WEIGHT_rs3@", String.valueOf(rs3));
    }

    private static int lineOf(String text, String needle) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("'" + needle + "' not in the configuration");
    }

    private static void awaitFirstBytes(Background download, Path received) {
        long deadlineNs = System.nanoTime() + STARTED_TIMEOUT.toNanos();
        while (size(received) == 0) {
            if (!download.alive() || System.nanoTime() > deadlineNs) {
                throw new AssertionError("the download received nothing: " + download.tail(3));
            }
            Background.sleep(50);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long mismatch(Path received) {
        try {
            return Files.mismatch(original, received);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
