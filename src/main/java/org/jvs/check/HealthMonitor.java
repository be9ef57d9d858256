package org.jvs.check;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Runs the checkers of every watched real server concurrently, each on its own delay_loop, and tells the
 * listener when a server's health changes. Never touches the data plane itself.
 *
 * <p>One thread per checker: checks block on sockets and programs, and virtual threads make that cheap. The
 * listener is called on those threads, one call at a time per server; it must not wait for another server's
 * checks.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final long CLOSE_WAIT_MS = 2000;

    private final HealthListener listener;
    private final ThreadFactory threads;
    private final Function<CheckSpec, Checker> checkers;
    private final Sleeper sleeper;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final Map<String, WatchedServer> watched = new LinkedHashMap<>();
    private boolean closed;

    /** Checks on virtual threads. */
    public HealthMonitor(HealthListener listener) {
        this(listener, Thread.ofVirtual().name("jvs-check-", 0).factory());
    }

    /** Checks on threads from {@code threads} (tests pass platform threads that live in a network namespace). */
    public HealthMonitor(HealthListener listener, ThreadFactory threads) {
        this(listener, threads, Checker::of, Sleeper.REAL, InstantSource.system(), RandomGenerator.getDefault());
    }

    HealthMonitor(HealthListener listener, ThreadFactory threads, Function<CheckSpec, Checker> checkers,
                  Sleeper sleeper, InstantSource clock, RandomGenerator random) {
        this.listener = listener;
        this.threads = threads;
        this.checkers = checkers;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
    }

    /** Starts checking; the server's state is {@code startsUp} until the checks say otherwise. */
    public void watch(CheckedServer server) {
        List<Checker> built = server.checkers().stream().map(checkers).toList();
        WatchedServer state = new WatchedServer(server, listener, clock);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("health monitor is closed; cannot watch " + server.name());
            }
            if (watched.containsKey(server.name())) {
                throw new IllegalArgumentException("real server '" + server.name() + "' is already watched");
            }
            watched.put(server.name(), state);
            for (int i = 0; i < built.size(); i++) {
                Thread thread = threads.newThread(new CheckerLoop(state, i, built.get(i), sleeper, random));
                state.adopt(thread);
                thread.start();
            }
        }
    }

    /** Stops checking the named server; no further calls are made for it. */
    public void unwatch(String server) {
        WatchedServer state;
        synchronized (this) {
            state = watched.remove(server);
        }
        if (state != null) {
            state.stop();
        }
    }

    /** Whether the named server is up now (false when not watched). */
    public boolean isUp(String server) {
        WatchedServer state;
        synchronized (this) {
            state = watched.get(server);
        }
        return state != null && state.isUp();
    }

    /** One row per checker of every watched server, in the order they were watched. */
    public List<CheckerStatus> status() {
        List<WatchedServer> servers;
        synchronized (this) {
            servers = List.copyOf(watched.values());
        }
        List<CheckerStatus> rows = new ArrayList<>();
        servers.forEach(server -> rows.addAll(server.status()));
        return rows;
    }

    /** Stops every loop, waiting a little for checks in flight to notice. */
    @Override
    public void close() {
        List<WatchedServer> servers;
        synchronized (this) {
            closed = true;
            servers = List.copyOf(watched.values());
            watched.clear();
        }
        List<Thread> loops = new ArrayList<>();
        servers.forEach(server -> loops.addAll(server.stop()));
        long endNs = System.nanoTime() + CLOSE_WAIT_MS * 1_000_000L;
        try {
            for (Thread loop : loops) {
                long remainingMs = (endNs - System.nanoTime()) / 1_000_000L;
                if (remainingMs <= 0 || !loop.join(java.time.Duration.ofMillis(remainingMs))) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
