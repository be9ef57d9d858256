package org.jvs.keepalived;

import java.util.List;

import org.jvs.check.CheckedServer;
import org.jvs.check.CheckerStatus;
import org.jvs.check.HealthMonitor;

/** The part of {@link HealthMonitor} the cluster manager uses, so that tests can feed health events themselves. */
public interface HealthWatcher extends AutoCloseable {

    void watch(CheckedServer server);

    void unwatch(String server);

    List<CheckerStatus> status();

    @Override
    void close();

    /** The real checkers. */
    static HealthWatcher of(HealthMonitor monitor) {
        return new HealthWatcher() {
            @Override
            public void watch(CheckedServer server) {
                monitor.watch(server);
            }

            @Override
            public void unwatch(String server) {
                monitor.unwatch(server);
            }

            @Override
            public List<CheckerStatus> status() {
                return monitor.status();
            }

            @Override
            public void close() {
                monitor.close();
            }
        };
    }
}
