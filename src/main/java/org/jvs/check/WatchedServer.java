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
    /** checker->has_run: the checker has had a decided result since it was watched. */
    private final boolean[] hasRun;
    /** The weight each checker asks for, HealthListener.CONFIGURED_WEIGHT when none. */
    private final int[] weight;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean up;
    private boolean stopped;

    WatchedServer(CheckedServer server, HealthListener listener, InstantSource clock) {
        this.server = server;
        this.listener = listener;
        this.clock = clock;
        int count = server.checkers().size();
        this.checkerUp = new boolean[count];
        this.lastResult = new String[count];
        this.since = new Instant[count];
        this.hasRun = new boolean[count];
        this.weight = new int[count];
        Instant now = clock.instant();
        for (int i = 0; i < count; i++) {
            checkerUp[i] = server.startsUp();
            lastResult[i] = "not checked yet";
            since[i] = now;
            weight[i] = HealthListener.CONFIGURED_WEIGHT;
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

    /**
     * A result that decides the checker's state: a success, or a failure with no retries left. Mirrors
     * keepalived 2.2.7: misc_check_child_thread (check_misc.c) sets a pass's weight before the state changes and
     * takes a failed checker's weight back out; update_svr_checker_state (ipwrapper.c) tells of a checker's
     * first result even when it changes nothing (has_run).
     */
    synchronized void decided(int checker, CheckResult result) {
        if (stopped) {
            return;
        }
        lastResult[checker] = result.reason();
        String reason = server.checkers().get(checker).kind() + ": " + result.reason();
        if (result.up()) {
            // exit 0 after a misc_dynamic weight gives the configured weight back (cur_weight = 0)
            ask(checker, result.hasWeight() ? result.weight() : HealthListener.CONFIGURED_WEIGHT);
        }
        boolean first = !hasRun[checker];
        hasRun[checker] = true;
        if (checkerUp[checker] != result.up()) {
            checkerUp[checker] = result.up();
            since[checker] = clock.instant();
            boolean nowUp = allUp();
            if (nowUp != up) {
                up = nowUp;
                listener.onHealthChange(server.name(), nowUp, reason);
            }
        } else if (first) {
            listener.onFirstCheck(server.name(), result.up(), reason);
        }
        if (!result.up()) {
            // effective_weight -= cur_weight: the server comes back at its configured weight, and a later pass
            // asks again; after the down, so that IPVS is not edited for a server on its way out
            ask(checker, HealthListener.CONFIGURED_WEIGHT);
        }
    }

    private void ask(int checker, int asked) {
        if (weight[checker] != asked) {
            weight[checker] = asked;
            listener.onWeightChange(server.name(), asked);
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
