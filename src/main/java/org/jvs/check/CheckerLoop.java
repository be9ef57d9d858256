package org.jvs.check;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * One checker of one server, run as keepalived runs it: a first check after a random delay in [0, warmup], then
 * one every delay_loop. A failed check is retried {@code retry} times, delay_before_retry apart, and only when
 * all retry + 1 attempts in a row have failed does the checker count as failed (keepalived 2.2.7, check_tcp.c
 * tcp_epilog: down when retry_it >= retry, retry_it having counted the failures after the first). Down or up,
 * a failure goes through the same retries, as in tcp_epilog; the first success sets the checker up.
 */
final class CheckerLoop implements Runnable {
    private final WatchedServer server;
    private final int index;
    private final CheckCommon common;
    private final Checker checker;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    CheckerLoop(WatchedServer server, int index, Checker checker, Sleeper sleeper, RandomGenerator random) {
        this.server = server;
        this.index = index;
        this.common = server.server().checkers().get(index).common();
        this.checker = checker;
        this.sleeper = sleeper;
        this.random = random;
    }

    @Override
    public void run() {
        try {
            sleeper.sleep(warmupDelay());
            int failuresAfterFirst = 0;
            while (!server.stopped()) {
                CheckResult result = checkOnce();
                Duration next;
                if (result.up() || failuresAfterFirst >= common.retry()) {
                    failuresAfterFirst = 0;
                    server.decided(index, result);
                    next = common.delayLoop();
                } else {
                    failuresAfterFirst++;
                    server.retrying(index, result, failuresAfterFirst, common.retry());
                    next = common.delayBeforeRetry();
                }
                sleeper.sleep(next);
            }
        } catch (InterruptedException e) {
            // unwatched: the loop ends here
        }
    }

    private CheckResult checkOnce() throws InterruptedException {
        CheckedServer target = server.server();
        try {
            return checker.check(target.address(), target.port());
        } catch (RuntimeException e) {
            // a checker bug must not end the loop and freeze the server's state
            return CheckResult.fail("checker error: " + e);
        }
    }

    private Duration warmupDelay() {
        long warmupNs = common.warmup().toNanos();
        return warmupNs <= 0 ? Duration.ZERO : Duration.ofNanos(random.nextLong(warmupNs + 1));
    }
}
