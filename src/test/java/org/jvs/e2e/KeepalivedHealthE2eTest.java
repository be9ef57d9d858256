package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./jvs director -f keepalived-e2e/health.conf} over nginx real servers: health checkers take a stopped
 * server out within delay_loop and its retries, after which no client request fails, and put it back when nginx
 * returns; inhibit_on_failure leaves weight 0; with every server down the sorry server answers; {@code ./jvs
 * status} shows each checker's verdict. Every test starts with all three servers up in IPVS.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeepalivedHealthE2eTest {
    private static final String VIP = LvsLab.VIP;
    private static final String SORRY = KeepalivedCluster.SORRY_ADDRESS + ":" + KeepalivedCluster.SORRY_PORT;
    /** health.conf's timers: delay_loop 1, delay_before_retry 1 (connect_timeout does not count: a stopped nginx refuses at once). */
    private static final Duration DELAY_LOOP = Duration.ofSeconds(1);
    private static final Duration DELAY_BEFORE_RETRY = Duration.ofSeconds(1);
    /**
     * Scheduling of the check threads and the listing poll: each poll starts a jvsadm JVM (up to ~1 s on a busy
     * two-core CI machine), and removal counts from nginx's stop to the end of the poll that saw it.
     */
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);
    private static final int REQUESTS_AFTER_CHANGE = 20;
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    private KeepalivedCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = KeepalivedCluster.start("kahealth", KeepalivedCluster.resource("health.conf"));
    }

    @AfterAll
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void allServersUp() {
        if (!cluster.director.running()) {
            fail("the director died: " + cluster.director.log());
        }
        cluster.realServers.forEach(NginxServer::start);
        cluster.sorry.start();
        cluster.awaitEntries("all three real servers in at weight 1, no sorry server", SETTLE_TIMEOUT,
                entries -> entries.keySet().equals(Set.of(endpoint(0), endpoint(1), endpoint(2)))
                        && entries.values().stream().allMatch(e -> e.weight() == 1));
    }

    @Test
    void shouldSpreadRequestsOverEveryHealthyRealServer() {
        assertEquals(Map.of("rs1", 4, "rs2", 4, "rs3", 4), cluster.client.httpCounts(VIP, LvsLab.HTTP_PORT, 12),
                "12 requests, rr over three healthy servers; director log: " + cluster.director.log());
    }

    @ParameterizedTest(name = "{0} ({1}, retry {2})")
    @CsvSource({"0, HTTP_GET, 1", "1, TCP_CHECK, 2"})
    void shouldRemoveStoppedServerInTimeAndFailNoRequestAfterwardsThenTakeItBack(int index, String checker,
                                                                                 int retry) {
        String stopped = LvsLab.NAMES.get(index);
        Duration bound = DELAY_LOOP.plus(DELAY_BEFORE_RETRY.multipliedBy(retry)).plus(SLACK);

        cluster.realServers.get(index).stop();
        Duration removal = cluster.awaitEntries(stopped + " removed after its nginx stopped", SETTLE_TIMEOUT,
                entries -> !entries.containsKey(endpoint(index)));
        System.out.printf("keepalived e2e: %s (%s, retry %d) removed %d ms after nginx stopped (bound %d ms)%n",
                stopped, checker, retry, removal.toMillis(), bound.toMillis());
        assertTrue(removal.compareTo(bound) <= 0, stopped + " (" + checker + ", retry " + retry + ") removed after "
                + removal.toMillis() + " ms, bound delay_loop + retry x delay_before_retry + slack = "
                + bound.toMillis() + " ms");

        Map<String, Integer> after = cluster.client.httpCounts(VIP, LvsLab.HTTP_PORT, REQUESTS_AFTER_CHANGE);
        Map<String, Integer> expected = new TreeMap<>(Map.of("rs1", 10, "rs2", 10, "rs3", 10));
        expected.remove(stopped);
        assertEquals(expected, after, REQUESTS_AFTER_CHANGE + " requests once " + stopped
                + " was out: none may fail or reach it; director log: " + cluster.director.log());

        cluster.realServers.get(index).start();
        Duration back = cluster.awaitEntries(stopped + " back after its nginx restarted", SETTLE_TIMEOUT,
                entries -> entries.containsKey(endpoint(index)) && entries.get(endpoint(index)).weight() == 1);
        System.out.printf("keepalived e2e: %s back %d ms after nginx restarted%n", stopped, back.toMillis());
        assertTrue(back.compareTo(bound) <= 0, stopped + " back after " + back.toMillis() + " ms, bound "
                + bound.toMillis() + " ms");
        assertEquals(Map.of("rs1", 4, "rs2", 4, "rs3", 4), cluster.client.httpCounts(VIP, LvsLab.HTTP_PORT, 12),
                "12 requests with " + stopped + " back");
    }

    @Test
    void shouldKeepInhibitedServerListedAtWeightZeroAndSendItNothing() {
        cluster.realServers.get(2).stop();
        cluster.awaitEntries("rs3 (inhibit_on_failure) at weight 0", SETTLE_TIMEOUT,
                entries -> entries.containsKey(endpoint(2)) && entries.get(endpoint(2)).weight() == 0);
        assertEquals(Map.of("rs1", 10, "rs2", 10), cluster.client.httpCounts(VIP, LvsLab.HTTP_PORT,
                REQUESTS_AFTER_CHANGE), "requests while rs3 is at weight 0; director log: " + cluster.director.log());
        assertEquals("Masq", cluster.entries().get(endpoint(2)).method(), "the inhibited entry keeps its method");

        cluster.realServers.get(2).start();
        cluster.awaitEntries("rs3 back at weight 1", SETTLE_TIMEOUT, entries -> entries.containsKey(endpoint(2))
                && entries.get(endpoint(2)).weight() == 1);
    }

    @Test
    void shouldSendEveryClientToTheSorryServerWhileNoRealServerIsUp() {
        cluster.realServers.forEach(NginxServer::stop);
        cluster.awaitEntries("sorry server in, rs1 and rs2 out, rs3 at weight 0", SETTLE_TIMEOUT,
                entries -> entries.keySet().equals(Set.of(endpoint(2), SORRY))
                        && entries.get(endpoint(2)).weight() == 0 && entries.get(SORRY).weight() == 1);

        assertEquals(Map.of("sorry", 10), cluster.client.httpCounts(VIP, LvsLab.HTTP_PORT, 10),
                "requests with every real server down; director log: " + cluster.director.log());

        cluster.realServers.get(0).start();
        cluster.awaitEntries("sorry server out once rs1 is back", SETTLE_TIMEOUT,
                entries -> !entries.containsKey(SORRY) && entries.containsKey(endpoint(0)));
        assertEquals(Map.of("rs1", 10), cluster.client.httpCounts(VIP, LvsLab.HTTP_PORT, 10),
                "requests with only rs1 back");
    }

    @Test
    void shouldShowEveryRealServerWithItsCheckerLastResultAndSinceWhen() {
        cluster.realServers.get(1).stop();
        cluster.awaitEntries("rs2 removed", SETTLE_TIMEOUT, entries -> !entries.containsKey(endpoint(1)));

        CommandResult status = cluster.jvs("status");
        assertTrue(status.ok(), status.describe());
        String text = status.stdout();
        assertStatusLines(text, endpoint(0), "up", "in IPVS with weight 1", "HTTP_GET", "up");
        assertStatusLines(text, endpoint(1), "down", "not in IPVS", "TCP_CHECK", "down");
        assertStatusLines(text, endpoint(2), "up", "in IPVS with weight 1", "HTTP_GET", "up");
        assertTrue(Pattern.compile("(?m)^    TCP_CHECK down since " + TIMESTAMP + ": \\S.*$").matcher(text).find(),
                "the failed TCP_CHECK says why:\n" + text);
        assertTrue(text.contains("sorry server " + SORRY + " out"), "the sorry server is listed, out:\n" + text);
    }

    /** The real server's line, then its checker's line right below it, each with a timestamp. */
    private static void assertStatusLines(String text, String endpoint, String state, String ipvs, String checker,
                                          String checkerState) {
        Pattern lines = Pattern.compile("(?m)^  -> " + Pattern.quote(endpoint) + " " + state + " since " + TIMESTAMP
                + ", " + Pattern.quote(ipvs) + ".*\\n    " + checker + " " + checkerState + " since " + TIMESTAMP);
        assertTrue(lines.matcher(text).find(), endpoint + " should be " + state + " (" + ipvs + ") with " + checker
                + " " + checkerState + " and since-when in:\n" + text);
    }

    private static String endpoint(int index) {
        return KeepalivedCluster.endpoint(index);
    }
}
