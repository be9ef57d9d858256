package org.jvs.keepalived;

import java.io.PrintStream;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.jvs.api.DirectorControl;
import org.jvs.api.RealServerHealth;
import org.jvs.api.ServiceKey;
import org.jvs.check.HealthListener;
import org.jvs.check.HealthMonitor;
import org.jvs.keepalived.config.KeepalivedConfig;
import org.jvs.log.Log;

/**
 * keepalived's checker process for a JVS director: keeps IPVS as the configuration and the health checks say,
 * through {@link DirectorControl} only. One lock serializes configuration changes and health events; checker
 * threads only hand their events to {@code events}, so they never wait for the lock (and a configuration change
 * that stops a checker never waits for a checker that waits for it).
 */
public final class ClusterManager implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private final IpvsDestinations ipvs;
    private final PoolRules rules;
    private final ConfigDiff diff;
    private final HealthWatcher watcher;
    private final ScriptRunner scripts;
    private final Executor events;
    private final PrintStream err;
    /** Health changes, one line each (the director's log; nowhere in tests). */
    private volatile Log log = Log.to(new PrintStream(PrintStream.nullOutputStream()), Log.Level.ERROR, "keepalived");
    private Map<String, VirtualServerState> servers = Map.of();
    private final Map<String, Target> byCheckedName = new HashMap<>();
    private boolean closed;

    private record Target(VirtualServerState vs, RealServerState rs) {
    }

    /**
     * @param watchers makes the health watcher that reports to the given listener
     * @param events   where health events are handled ({@code Runnable::run} in tests: at once, on the caller)
     * @param err      where refusals during health transitions are reported, one line each
     */
    public ClusterManager(DirectorControl control, Function<HealthListener, HealthWatcher> watchers,
                          ScriptRunner scripts, InstantSource clock, Executor events, PrintStream err) {
        this.ipvs = new IpvsDestinations(control);
        this.rules = new PoolRules(ipvs, scripts, clock);
        this.scripts = scripts;
        this.events = events;
        this.err = err;
        this.watcher = watchers.apply(new Listener());
        this.diff = new ConfigDiff(control, ipvs, rules, watcher, clock);
    }

    /** The real checkers on virtual threads, notify scripts, health events handled on one thread of their own. */
    public static ClusterManager forDirector(DirectorControl control, Log log) {
        ExecutorService events = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("jvs-health-events").factory());
        PrintStream err = log.stream(Log.Level.WARNING);
        ClusterManager manager = new ClusterManager(control, listener -> HealthWatcher.of(new HealthMonitor(listener)),
                new NotifyScripts(err), InstantSource.system(), events, err);
        manager.logHealthTo(log);
        return manager;
    }

    /** Where each health change is logged, one line (a warning when a server fails); nowhere unless given. */
    void logHealthTo(Log healthLog) {
        this.log = healthLog;
    }

    /**
     * Applies a configuration: the first one wholly, later ones as differences from the last (see
     * {@link ConfigDiff}). Returns the refusals met, one line each; the rest is applied regardless.
     */
    public List<String> apply(KeepalivedConfig config) {
        lock.lock();
        try {
            if (closed) {
                return List.of("the cluster manager is shut down");
            }
            servers = diff.apply(servers, config);
            byCheckedName.clear();
            for (VirtualServerState vs : servers.values()) {
                for (RealServerState rs : vs.realServers.values()) {
                    byCheckedName.put(rs.name, new Target(vs, rs));
                }
            }
            return ipvs.drainFailures();
        } finally {
            lock.unlock();
        }
    }

    /** What {@code ./jvs status} prints: every real server with its checkers, quorum and sorry server state. */
    public String status() {
        lock.lock();
        try {
            return StatusReport.render(servers.values(), watcher.status());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Every checked real server's health, per service it belongs to (a virtual server group's real server once per
     * address of the group), in configuration order; sorry servers are not included.
     */
    public List<RealServerHealth> health() {
        lock.lock();
        try {
            List<RealServerHealth> health = new ArrayList<>();
            for (VirtualServerState vs : servers.values()) {
                for (ServiceKey key : vs.keys) {
                    for (RealServerState rs : vs.realServers.values()) {
                        health.add(new RealServerHealth(key, rs.config.address(), rs.config.port(), rs.alive,
                                rs.since, rs.alive ? "" : rs.reason));
                    }
                }
            }
            return health;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the checkers; with omega, runs the down scripts as keepalived does when it stops. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            diff.shutdown(servers);
            byCheckedName.clear();
        } finally {
            lock.unlock();
        }
        watcher.close();
        if (events instanceof ExecutorService service) {
            service.shutdown();
        }
        if (scripts instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                err.println("jvs: " + e.getMessage());
            }
        }
    }

    private void healthChanged(String server, boolean up, String reason) {
        lock.lock();
        try {
            Target target = byCheckedName.get(server);
            if (target == null) {
                return; // unwatched meanwhile
            }
            target.rs().reason = reason == null ? "" : reason;
            rules.serverHealth(target.vs(), target.rs(), up);
            // keepalived's "TCP_CHECK on service ... failed" / "... success": one line per change
            log.log(up ? Log.Level.INFO : Log.Level.WARNING, server + ": health check "
                    + (up ? "succeeded" : "failed") + (reason == null || reason.isEmpty() ? "" : ": " + reason));
            report();
        } finally {
            lock.unlock();
        }
    }

    private void weightChanged(String server, int weight) {
        lock.lock();
        try {
            Target target = byCheckedName.get(server);
            if (target != null) {
                RealServerState rs = target.rs();
                // check_misc.c: cur_weight back to 0 leaves the configured weight (iweight)
                int effective = weight == HealthListener.CONFIGURED_WEIGHT ? rs.config.weight() : weight;
                rules.weight(target.vs(), rs, effective);
                report();
            }
        } finally {
            lock.unlock();
        }
    }

    private void firstCheck(String server, String reason) {
        lock.lock();
        try {
            Target target = byCheckedName.get(server);
            if (target != null) {
                target.rs().reason = reason == null ? "" : reason;
                rules.firstCheck(target.rs());
            }
        } finally {
            lock.unlock();
        }
    }

    private void report() {
        for (String failure : ipvs.drainFailures()) {
            err.println("jvs: " + failure);
        }
    }

    /** Called on checker threads: hands over and returns. */
    private final class Listener implements HealthListener {
        @Override
        public void onHealthChange(String server, boolean up, String reason) {
            events.execute(() -> healthChanged(server, up, reason));
        }

        @Override
        public void onWeightChange(String server, int weight) {
            events.execute(() -> weightChanged(server, weight));
        }

        @Override
        public void onFirstCheck(String server, boolean up, String reason) {
            events.execute(() -> firstCheck(server, reason));
        }
    }
}
