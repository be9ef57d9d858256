package org.jvs.keepalived;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvs.check.CheckSpec;
import org.jvs.check.CheckedServer;
import org.jvs.check.CheckerStatus;
import org.jvs.check.HealthListener;

/** Stands in for the HealthMonitor: records watch/unwatch; tests play the checkers through {@link #listener}. */
final class FakeWatcher implements HealthWatcher {
    final HealthListener listener;
    final Map<String, CheckedServer> watched = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    boolean closed;

    FakeWatcher(HealthListener listener) {
        this.listener = listener;
    }

    @Override
    public void watch(CheckedServer server) {
        calls.add("watch " + server.name() + (server.startsUp() ? " up" : " down"));
        watched.put(server.name(), server);
    }

    @Override
    public void unwatch(String server) {
        calls.add("unwatch " + server);
        watched.remove(server);
    }

    @Override
    public List<CheckerStatus> status() {
        List<CheckerStatus> rows = new ArrayList<>();
        for (CheckedServer server : watched.values()) {
            for (CheckSpec checker : server.checkers()) {
                rows.add(new CheckerStatus(server.name(), checker.kind(), server.startsUp(), "connected",
                        Instant.parse("2025-01-01T00:00:00Z")));
            }
        }
        return rows;
    }

    @Override
    public void close() {
        closed = true;
    }

    void health(String server, boolean up) {
        listener.onHealthChange(server, up, up ? "connected" : "connection refused");
    }

    void firstCheck(String server, boolean up) {
        listener.onFirstCheck(server, up, up ? "connected" : "connection refused");
    }
}
