package org.jvs.check;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The health of one real server: each checker's up/down state and last result, and the listener calls its
 * transitions cause. Every change and every listener call happens under this object's lock, which gives the
 * listener one call at a time per server and lets {@link #stop()} promise that no call follows it.
 */
final class WatchedServer {
    private final CheckedServer server;
    private final HealthListener listener;
    private final InstantSource clock;
    private final boolean[] checkerUp;
    private final String[] lastResult;
    private final Instant[] since;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean up;
    private boolean stopped;
    private int weight = CheckResult.NO_WEIGHT;

    WatchedServer(CheckedServer server, HealthListener listener, InstantSource clock) {
        this.server = server;
        this.listener = listener;
        this.clock = clock;
        int count = server.checkers().size();
        this.checkerUp = new boolean[count];
        this.lastResult = new String[count];
        this.since = new Instant[count];
        Instant now = clock.instant();
        for (int i = 0; i < count; i++) {
            checkerUp[i] = server.startsUp();
            lastResult[i] = "not checked yet";
            since[i] = now;
        }
        this.up = count == 0 || server.startsUp();
    }

    CheckedServer server() {
        return server;
    }

    boolean isUp() {
        return up;
    }

    synchronized boolean stopped() {
        return stopped;
    }

    synchronized void adopt(Thread thread) {
        threads.add(thread);
    }

    /** A result that does not decide the checker's state yet: a failure with retries left. */
    synchronized void retrying(int checker, CheckResult result, int attempt, int retries) {
        if (!stopped) {
            lastResult[checker] = result.reason() + " (retry " + attempt + "/" + retries + " next)";
        }
    }

    /** A result that decides the checker's state: a success, or a failure with no retries left. */
    synchronized void decided(int checker, CheckResult result) {
        if (stopped) {
            return;
        }
        lastResult[checker] = result.reason();
        if (checkerUp[checker] != result.up()) {
            checkerUp[checker] = result.up();
            since[checker] = clock.instant();
            boolean nowUp = allUp();
            if (nowUp != up) {
                up = nowUp;
                listener.onHealthChange(server.name(), nowUp, server.checkers().get(checker).kind() + ": " + result.reason());
            }
        }
        if (!result.up()) {
            // keepalived drops a misc_dynamic weight once the check has failed for good, so a later pass asks again
            weight = CheckResult.NO_WEIGHT;
        } else if (result.hasWeight() && result.weight() != weight && !stopped) {
            weight = result.weight();
            listener.onWeightChange(server.name(), weight);
        }
    }

    private boolean allUp() {
        for (boolean checker : checkerUp) {
            if (!checker) {
                return false;
            }
        }
        return true;
    }

    synchronized List<CheckerStatus> status() {
        List<CheckerStatus> rows = new ArrayList<>(checkerUp.length);
        for (int i = 0; i < checkerUp.length; i++) {
            rows.add(new CheckerStatus(server.name(), server.checkers().get(i).kind(), checkerUp[i], lastResult[i], since[i]));
        }
        return rows;
    }

    /** Ends every loop of this server; returns once no listener call for it can start any more. */
    List<Thread> stop() {
        List<Thread> loops;
        synchronized (this) {
            stopped = true;
            loops = List.copyOf(threads);
        }
        loops.forEach(Thread::interrupt);
        return loops;
    }
}
