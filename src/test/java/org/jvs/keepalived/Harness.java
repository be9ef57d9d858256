package org.jvs.keepalived;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import org.jvs.keepalived.config.KeepalivedConfig;

/** A cluster manager over a recording director, fake checkers and recorded scripts, all on the test's thread. */
final class Harness {
    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    final RecordingDirector director = new RecordingDirector();
    final List<String> scripts = new ArrayList<>();
    final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    FakeWatcher watcher;
    final ClusterManager manager;

    Harness() {
        manager = new ClusterManager(director, listener -> watcher = new FakeWatcher(listener), scripts::add,
                InstantSource.fixed(START), Runnable::run, new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    /** Applies and expects no refusal; forgets the calls made so far. */
    Harness start(KeepalivedConfig config) {
        List<String> failures = manager.apply(config);
        if (!failures.isEmpty()) {
            throw new AssertionError("refused: " + failures);
        }
        director.takeCalls();
        watcher.calls.clear();
        scripts.clear();
        return this;
    }

    void down(String rip) {
        watcher.health(TestConfigs.checked(rip), false);
    }

    void up(String rip) {
        watcher.health(TestConfigs.checked(rip), true);
    }

    List<String> calls() {
        return director.takeCalls();
    }

    String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }
}
