package org.jvs.check;

import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * Runs the checkers of every watched real server concurrently, each on its own delay_loop, and tells the
 * listener when a server's health changes. Never touches the data plane itself.
 */
public final class HealthMonitor implements AutoCloseable {

    /** Checks on virtual threads. */
    public HealthMonitor(HealthListener listener) {
        this(listener, Thread.ofVirtual().name("jvs-check-", 0).factory());
    }

    /** Checks on threads from {@code threads} (tests pass platform threads that live in a network namespace). */
    public HealthMonitor(HealthListener listener, ThreadFactory threads) {
        throw new UnsupportedOperationException("issue 4, in progress");
    }

    /** Starts checking; the server's state is {@code startsUp} until the checks say otherwise. */
    public void watch(CheckedServer server) {
        throw new UnsupportedOperationException("issue 4, in progress");
    }

    /** Stops checking the named server; no further calls are made for it. */
    public void unwatch(String server) {
        throw new UnsupportedOperationException("issue 4, in progress");
    }

    /** Whether the named server is up now (false when not watched). */
    public boolean isUp(String server) {
        throw new UnsupportedOperationException("issue 4, in progress");
    }

    /** One row per checker of every watched server, in the order they were watched. */
    public List<CheckerStatus> status() {
        throw new UnsupportedOperationException("issue 4, in progress");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("issue 4, in progress");
    }
}
