package org.jvs.check;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitor's state machine with scripted checkers and a sleeper that only records: every loop iteration ends
 * in a recorded sleep, so waiting for that sleep means the iteration's listener calls have happened.
 */
class HealthMonitorTest {
    private static final Duration WARMUP = Duration.ofSeconds(7);
    private static final Duration DELAY_LOOP = Duration.ofSeconds(60);
    private static final Duration BEFORE_RETRY = Duration.ofSeconds(3);
    private static final long WAIT_MS = 5000;

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final Map<String, ScriptedChecker> scripted = new HashMap<>();
    private final BlockingQueue<Duration> sleeps = new LinkedBlockingQueue<>();
    private final HealthMonitor monitor = new HealthMonitor(new HealthListener() {
        @Override
        public void onHealthChange(String server, boolean up, String reason) {
            events.add(server + (up ? " up: " : " down: ") + reason);
        }

        @Override
        public void onWeightChange(String server, int weight) {
            events.add(server + " weight " + weight);
        }

        @Override
        public void onFirstCheck(String server, boolean up, String reason) {
            events.add(server + (up ? " first up: " : " first down: ") + reason);
        }
    }, Thread.ofPlatform().daemon().factory(), spec -> scripted.get(((MiscCheckSpec) spec).command().getFirst()),
            duration -> sleeps.add(duration), InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")),
            RandomGenerator.of("L64X128MixRandom"));

    @AfterEach
    void close() {
        monitor.close();
    }

    /** A checker whose results the test hands over one by one. */
    private static final class ScriptedChecker implements Checker {
        final BlockingQueue<CheckResult> results = new LinkedBlockingQueue<>();

        @Override
        public CheckResult check(InetAddress address, int port) throws InterruptedException {
            return results.take();
        }
    }

    private CheckSpec checker(String name, int retry) {
        return checker(name, retry, WARMUP);
    }

    private CheckSpec checker(String name, int retry, Duration warmup) {
        scripted.put(name, new ScriptedChecker());
        CheckCommon common = new CheckCommon(0, 0, 0, 0, Duration.ofSeconds(1), retry, BEFORE_RETRY, warmup, DELAY_LOOP);
        return new MiscCheckSpec(common, List.of(name), Duration.ZERO, true);
    }

    private void feed(String checker, CheckResult... results) throws InterruptedException {
        for (CheckResult result : results) {
            scripted.get(checker).results.add(result);
            Duration slept = sleeps.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertNotNull(slept, "checker loop did not finish its iteration");
        }
    }

    private void watch(String server, boolean startsUp, CheckSpec... checkers) throws InterruptedException {
        monitor.watch(new CheckedServer(server, 0xC0000201, 80, List.of(checkers), startsUp));
        for (int i = 0; i < checkers.length; i++) {
            Duration warmup = sleeps.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertNotNull(warmup, "no warmup sleep");
            assertTrue(warmup.compareTo(WARMUP) <= 0 && !warmup.isNegative(), "warmup " + warmup + " outside [0, 7 s]");
        }
    }

    @ParameterizedTest(name = "retry {0}: down after {1} failures in a row")
    @CsvSource({"0, 1", "1, 2", "3, 4"})
    void shouldGoDownAfterRetryPlusOneFailuresInARow(int retry, int failuresToDown) throws InterruptedException {
        watch("rs", true, checker("c", retry));
        for (int i = 1; i < failuresToDown; i++) {
            feed("c", CheckResult.fail("connect refused"));
            assertNull(events.peek(), "down too early, after " + i + " failures");
            assertTrue(monitor.isUp("rs"));
        }
        feed("c", CheckResult.fail("connect refused"));
        assertEquals("rs down: MISC_CHECK: connect refused", events.poll(WAIT_MS, TimeUnit.MILLISECONDS));
        assertFalse(monitor.isUp("rs"));
    }

    @Test
    void shouldWaitDelayBeforeRetryBetweenRetriesAndDelayLoopOtherwise() throws InterruptedException {
        watch("rs", true, checker("c", 2));
        scripted.get("c").results.addAll(List.of(CheckResult.pass("ok"), CheckResult.fail("x"), CheckResult.fail("x"),
                CheckResult.fail("x"), CheckResult.fail("x")));
        List<Duration> expected = List.of(DELAY_LOOP, BEFORE_RETRY, BEFORE_RETRY, DELAY_LOOP, BEFORE_RETRY);
        for (Duration delay : expected) {
            assertEquals(delay, sleeps.poll(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void shouldForgiveFailuresFollowedBySuccess() throws InterruptedException {
        watch("rs", true, checker("c", 1));
        feed("c", CheckResult.fail("x"), CheckResult.pass("ok"), CheckResult.fail("x"), CheckResult.pass("ok"));
        assertEquals("rs first up: MISC_CHECK: ok", events.poll());
        assertNull(events.peek());
        assertTrue(monitor.isUp("rs"));
    }

    @Test
    void shouldComeBackUpOnFirstSuccess() throws InterruptedException {
        watch("rs", true, checker("c", 0));
        feed("c", CheckResult.fail("status 503"));
        assertEquals("rs down: MISC_CHECK: status 503", events.poll(WAIT_MS, TimeUnit.MILLISECONDS));
        feed("c", CheckResult.pass("status 200"));
        assertEquals("rs up: MISC_CHECK: status 200", events.poll(WAIT_MS, TimeUnit.MILLISECONDS));
        assertTrue(monitor.isUp("rs"));
    }

    @Test
    void shouldStartDownWithAlphaAndGoUpOnlyWhenEveryCheckerPassed() throws InterruptedException {
        watch("rs", false, checker("a", 1), checker("b", 1));
        assertFalse(monitor.isUp("rs"));
        feed("a", CheckResult.pass("ok"));
        assertNull(events.peek());
        assertFalse(monitor.isUp("rs"));
        feed("b", CheckResult.pass("fine"));
        assertEquals("rs up: MISC_CHECK: fine", events.poll(WAIT_MS, TimeUnit.MILLISECONDS));
    }

    @Test
    void shouldCallListenerOnlyOnTransitions() throws InterruptedException {
        watch("rs", true, checker("a", 0), checker("b", 0));
        feed("a", CheckResult.fail("a broke"));
        assertEquals("rs down: MISC_CHECK: a broke", events.poll(WAIT_MS, TimeUnit.MILLISECONDS));
        feed("b", CheckResult.fail("b broke"), CheckResult.pass("b ok"));
        feed("a", CheckResult.fail("still"));
        assertNull(events.peek(), "server stayed down: no call expected");
        feed("a", CheckResult.pass("a ok"));
        assertEquals("rs up: MISC_CHECK: a ok", events.poll(WAIT_MS, TimeUnit.MILLISECONDS));
        assertNull(events.peek());
    }

    @Test
    void shouldReportDynamicWeightOnlyWhenItChanges() throws InterruptedException {
        watch("rs", true, checker("c", 0));
        feed("c", CheckResult.passWithWeight(5, "exit 7"), CheckResult.passWithWeight(5, "exit 7"),
                CheckResult.passWithWeight(1, "exit 3"));
        assertEquals(List.of("rs weight 5", "rs first up: MISC_CHECK: exit 7", "rs weight 1"), drain());
    }

    @Test
    void shouldGiveTheConfiguredWeightBackWhenADynamicCheckExitsZero() throws InterruptedException {
        watch("rs", true, checker("c", 0));
        feed("c", CheckResult.pass("exit 0"), CheckResult.passWithWeight(5, "exit 7"), CheckResult.pass("exit 0"),
                CheckResult.pass("exit 0"));
        assertEquals(List.of("rs first up: MISC_CHECK: exit 0", "rs weight 5",
                "rs weight " + HealthListener.CONFIGURED_WEIGHT), drain());
    }

    @Test
    void shouldDropAFailedCheckersWeightAfterTheDownAndSetANewOneBeforeTheUp() throws InterruptedException {
        watch("rs", true, checker("c", 0));
        feed("c", CheckResult.passWithWeight(1, "exit 3"));
        drain();
        feed("c", CheckResult.fail("exit 1"), CheckResult.fail("exit 1"), CheckResult.passWithWeight(1, "exit 3"));
        assertEquals(List.of("rs down: MISC_CHECK: exit 1", "rs weight " + HealthListener.CONFIGURED_WEIGHT,
                "rs weight 1", "rs up: MISC_CHECK: exit 3"), drain(), "a weight is asked again after the failure");
    }

    @Test
    void shouldKeepOneCheckersWeightWhenAnotherCheckerFails() throws InterruptedException {
        watch("rs", true, checker("dynamic", 0), checker("other", 0));
        feed("dynamic", CheckResult.passWithWeight(4, "exit 6"));
        feed("other", CheckResult.fail("connect refused"), CheckResult.pass("connected"));
        feed("dynamic", CheckResult.passWithWeight(4, "exit 6"));
        assertEquals(List.of("rs weight 4", "rs first up: MISC_CHECK: exit 6", "rs down: MISC_CHECK: connect refused",
                "rs up: MISC_CHECK: connected"), drain());
    }

    @ParameterizedTest(name = "starts up {0}, first result up {1}: {2}")
    @CsvSource({
        "true,  true,  rs first up: MISC_CHECK: r",
        "false, false, rs first down: MISC_CHECK: r",
        "true,  false, rs down: MISC_CHECK: r",
        "false, true,  rs up: MISC_CHECK: r",
    })
    void shouldTellOfEachCheckersFirstResultOnceEvenWhenItChangesNothing(boolean startsUp, boolean up,
                                                                          String event) throws InterruptedException {
        watch("rs", startsUp, checker("c", 1));
        CheckResult result = up ? CheckResult.pass("r") : CheckResult.fail("r");
        feed("c", result, result, result, result);
        assertEquals(List.of(event), drain(), "once, after the retries; nothing for the same result again");
    }

    @Test
    void shouldTellOfTheFirstFailureOfEveryCheckerOfAServerThatStartsDown() throws InterruptedException {
        watch("rs", false, checker("a", 0), checker("b", 0));
        feed("a", CheckResult.fail("a broke"));
        feed("b", CheckResult.fail("b broke"), CheckResult.pass("b ok"), CheckResult.fail("b again"));
        assertEquals(List.of("rs first down: MISC_CHECK: a broke", "rs first down: MISC_CHECK: b broke"), drain());
        assertFalse(monitor.isUp("rs"));
    }

    /** Every event so far: each feed waited for its iteration, so nothing is still on its way. */
    private List<String> drain() {
        List<String> all = new java.util.ArrayList<>();
        events.drainTo(all);
        return all;
    }

    @Test
    void shouldMakeNoCallAfterUnwatchReturnsEvenFromACheckInFlight() throws InterruptedException {
        java.util.concurrent.CountDownLatch checking = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        HealthMonitor own = new HealthMonitor(new RecordingListener(events), Thread.ofPlatform().daemon().factory(),
                spec -> (address, port) -> {
                    checking.countDown();
                    // a check that ignores interrupts, like a blocked platform-thread socket
                    while (true) {
                        try {
                            release.await();
                            return CheckResult.fail("late");
                        } catch (InterruptedException e) {
                            continue;
                        }
                    }
                }, Sleeper.REAL, InstantSource.system(), RandomGenerator.getDefault());
        try {
            own.watch(new CheckedServer("rs", 1, 1, List.of(checker("c", 0, Duration.ZERO)), true));
            assertTrue(checking.await(WAIT_MS, TimeUnit.MILLISECONDS));
            own.unwatch("rs");
            release.countDown();
            assertNull(events.poll(300, TimeUnit.MILLISECONDS), "listener called after unwatch returned");
            assertFalse(own.isUp("rs"));
            assertTrue(own.status().isEmpty());
        } finally {
            own.close();
        }
    }

    @Test
    void shouldStopLoopsPromptlyOnUnwatch() throws InterruptedException {
        Thread[] loop = new Thread[1];
        HealthMonitor own = new HealthMonitor(new RecordingListener(), runnable -> loop[0] = new Thread(runnable),
                spec -> (address, port) -> {
                    Thread.sleep(60_000);
                    return CheckResult.pass("never");
                }, Sleeper.REAL, InstantSource.system(), RandomGenerator.getDefault());
        try {
            own.watch(new CheckedServer("rs", 1, 1, List.of(checker("c", 0)), true));
            own.unwatch("rs");
            assertTrue(loop[0].join(Duration.ofSeconds(5)), "loop still running after unwatch");
        } finally {
            own.close();
        }
    }

    @Test
    void shouldListOneStatusRowPerCheckerInWatchOrder() throws InterruptedException {
        watch("first", true, checker("a", 2));
        watch("second", false, checker("b", 0));
        feed("a", CheckResult.fail("connect refused"));
        List<CheckerStatus> rows = monitor.status();
        assertEquals(2, rows.size());
        assertEquals(new CheckerStatus("first", "MISC_CHECK", true, "connect refused (retry 1/2 next)",
                Instant.parse("2026-01-01T00:00:00Z")), rows.get(0));
        assertEquals(new CheckerStatus("second", "MISC_CHECK", false, "not checked yet",
                Instant.parse("2026-01-01T00:00:00Z")), rows.get(1));
    }

    @Test
    void shouldKeepServerWithoutCheckersUp() {
        monitor.watch(new CheckedServer("bare", 1, 1, List.of(), false));
        assertTrue(monitor.isUp("bare"));
        assertFalse(monitor.isUp("unknown"));
    }

    @Test
    void shouldRefuseToWatchTheSameServerTwice() throws InterruptedException {
        watch("rs", true, checker("c", 0));
        assertThrows(IllegalArgumentException.class,
                () -> monitor.watch(new CheckedServer("rs", 1, 1, List.of(), true)));
    }

    @Test
    void shouldTreatACheckerExceptionAsAFailure() throws InterruptedException {
        HealthMonitor own = new HealthMonitor(new RecordingListener(events), Thread.ofVirtual().factory(),
                spec -> (address, port) -> {
                    throw new IllegalStateException("bug");
                }, duration -> sleeps.put(duration), InstantSource.system(), RandomGenerator.getDefault());
        try {
            own.watch(new CheckedServer("rs", 1, 1, List.of(checker("c", 0)), true));
            String event = events.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertEquals("rs down: MISC_CHECK: checker error: java.lang.IllegalStateException: bug", event);
        } finally {
            own.close();
        }
    }

    private record RecordingListener(BlockingQueue<String> into) implements HealthListener {
        RecordingListener() {
            this(new LinkedBlockingQueue<>());
        }

        @Override
        public void onHealthChange(String server, boolean up, String reason) {
            into.add(server + (up ? " up: " : " down: ") + reason);
        }

        @Override
        public void onWeightChange(String server, int weight) {
            into.add(server + " weight " + weight);
        }

        @Override
        public void onFirstCheck(String server, boolean up, String reason) {
            into.add(server + (up ? " first up: " : " first down: ") + reason);
        }
    }
}
