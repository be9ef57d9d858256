package org.jvs.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jvs.api.DirectorControl;
import org.jvs.api.RealServerHealth;
import org.jvs.ctl.ControlServer;
import org.jvs.ctl.Reply;
import org.jvs.keepalived.ClusterManager;
import org.jvs.keepalived.ConfigReloader;
import org.jvs.keepalived.config.KeepalivedConfig;
import org.jvs.keepalived.config.KeepalivedConfigParser;
import org.jvs.linux.SystemdNotify;
import org.jvs.log.Log;

import sun.misc.Signal;

/**
 * {@code ./jvs director -f FILE}: applies the keepalived configuration at start, again on SIGHUP and on
 * {@code ./jvs reload}, and answers {@code ./jvs status}. Without -f, those two commands say so. The virtual
 * servers go to the cluster manager and the VRRP part to the {@link VrrpService}, at start and at every reload; a
 * file that cannot be read, or whose new vrrp_instance could not run here, changes nothing. Under systemd each
 * reload is announced as Type=notify-reload asks: RELOADING=1 when it starts, READY=1 when it is done.
 */
final class KeepalivedSetup implements AutoCloseable {
    static final String RELOAD = "reload";
    static final String STATUS = "status";
    private static final int EXIT_FAILED = 1;

    private final Path file;
    private final ClusterManager manager;
    private final ConfigReloader reloader;
    private final Log log;
    private final SystemdNotify notify;
    /** The configuration read at start (its global_defs are not changed by reloads). */
    private KeepalivedConfig started;
    /** Runs the VRRP part, once {@link #serve} gave it. */
    private volatile VrrpService vrrp;

    private KeepalivedSetup(Path file, ClusterManager manager, Log log, SystemdNotify notify) {
        this.file = file;
        this.manager = manager;
        this.reloader = new ConfigReloader(() -> {
            KeepalivedConfig config = KeepalivedConfigParser.parse(file);
            VrrpService running = vrrp;
            if (running != null) {
                running.check(config);
            }
            return config;
        }, manager);
        this.log = log;
        this.notify = notify;
    }

    /** ./jvs reload and ./jvs status on a director started without -f. */
    static void registerWithoutConfiguration(ControlServer server) {
        Reply none = new Reply(EXIT_FAILED, "", "jvs: this director was not started with -f FILE\n");
        server.register(RELOAD, args -> none);
        server.register(STATUS, args -> none);
    }

    /**
     * Reads {@code file} and applies its virtual servers; refuses to start (closing what it started) when the file
     * cannot be read or the director refuses part of it, after printing each problem on one line. The VRRP part
     * and the reload and status commands follow with {@link #serve}.
     */
    static KeepalivedSetup start(Path file, DirectorControl control, ControlServer server, Log log,
                                 SystemdNotify notify) throws IOException {
        KeepalivedSetup setup = new KeepalivedSetup(file,
                ClusterManager.forDirector(control, log), log, notify);
        ConfigReloader.Outcome outcome = setup.reloader.reload();
        setup.started = outcome.config();
        outcome.warnings().forEach(log::warning);
        if (!outcome.ok()) {
            setup.close();
            if (!outcome.applied()) {
                throw new IOException(outcome.errors().getFirst());
            }
            outcome.errors().forEach(log::error);
            throw new IOException(file + ": the director refused " + outcome.errors().size()
                    + " change(s) listed above");
        }
        return setup;
    }

    /**
     * Starts the configuration's VRRP part on {@code service}, then answers ./jvs reload, SIGHUP and ./jvs status;
     * refuses (an IOException naming the problem) when a vrrp_instance cannot run.
     */
    void serve(VrrpService service, ControlServer server) throws IOException {
        List<String> refused = service.reload(started);
        if (!refused.isEmpty()) {
            throw new IOException(file + ": " + String.join("; ", refused));
        }
        vrrp = service;
        server.register(RELOAD, args -> reload());
        server.register(STATUS, args -> new Reply(0, service.status() + manager.status(), ""));
        Signal.handle(new Signal("HUP"), signal -> Thread.ofPlatform().name("jvs-sighup").start(this::reloadOnSignal));
    }

    /** The health checks' view of every real server (for the dashboard). */
    List<RealServerHealth> health() {
        return manager.health();
    }

    /** The configuration as read at start (its global_defs are not changed by reloads). */
    KeepalivedConfig startedWith() {
        return started;
    }

    /** Reloads take turns (SIGHUP during ./jvs reload): the VRRP part follows the virtual servers it was read with. */
    private synchronized Reply reload() {
        announce(true);
        try {
            return reloadNow();
        } finally {
            announce(false);
        }
    }

    private Reply reloadNow() {
        ConfigReloader.Outcome outcome = reloader.reload();
        List<String> errors = new ArrayList<>(outcome.errors());
        if (outcome.applied()) {
            errors.addAll(vrrp.reload(outcome.config()));
        }
        StringBuilder stderr = new StringBuilder();
        for (String warning : outcome.warnings()) {
            stderr.append(warning).append('\n');
        }
        for (String error : errors) {
            stderr.append("jvs reload: ").append(error).append('\n');
        }
        if (!outcome.applied()) {
            stderr.append("jvs reload: nothing changed\n");
        }
        String stdout = outcome.applied() ? "reloaded " + file + "\n" : "";
        return new Reply(outcome.applied() && errors.isEmpty() ? 0 : EXIT_FAILED, stdout, stderr.toString());
    }

    private void reloadOnSignal() {
        Reply reply = reload();
        reply.stderr().lines().forEach(log::warning);
        if (reply.exitCode() == 0) {
            log.info("SIGHUP: reloaded " + file);
        }
    }

    /** RELOADING=1 before a reload, READY=1 after it (whatever its outcome: the old configuration still runs). */
    private void announce(boolean starting) {
        try {
            if (starting) {
                notify.reloading();
            } else {
                notify.ready("reloaded " + file);
            }
        } catch (IOException refused) {
            log.warning("cannot notify systemd: " + refused.getMessage());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
