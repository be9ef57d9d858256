package org.jvs.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import org.jvs.api.DirectorControl;
import org.jvs.ctl.ControlServer;
import org.jvs.ctl.Reply;
import org.jvs.keepalived.ClusterManager;
import org.jvs.keepalived.ConfigReloader;
import org.jvs.keepalived.config.KeepalivedConfig;
import org.jvs.keepalived.config.KeepalivedConfigParser;

import sun.misc.Signal;

/**
 * {@code ./jvs director -f FILE}: applies the keepalived configuration at start, again on SIGHUP and on
 * {@code ./jvs reload}, and answers {@code ./jvs status}. Without -f, those two commands say so.
 */
final class KeepalivedSetup implements AutoCloseable {
    static final String RELOAD = "reload";
    static final String STATUS = "status";
    private static final int EXIT_FAILED = 1;

    private final Path file;
    private final ClusterManager manager;
    private final ConfigReloader reloader;
    private final PrintStream err;
    /** The configuration read at start, whose VRRP part the director runs. */
    private KeepalivedConfig started;

    private KeepalivedSetup(Path file, ClusterManager manager, PrintStream err) {
        this.file = file;
        this.manager = manager;
        this.reloader = new ConfigReloader(() -> KeepalivedConfigParser.parse(file), manager);
        this.err = err;
    }

    /** ./jvs reload and ./jvs status on a director started without -f. */
    static void registerWithoutConfiguration(ControlServer server) {
        Reply none = new Reply(EXIT_FAILED, "", "jvs: this director was not started with -f FILE\n");
        server.register(RELOAD, args -> none);
        server.register(STATUS, args -> none);
    }

    /**
     * Reads and applies {@code file}; refuses to start (closing what it started) when the file cannot be read
     * or the director refuses part of it, after printing each problem on one line.
     */
    /** The VRRP instances' lines of ./jvs status, first; none without vrrp_instance. */
    private volatile java.util.function.Supplier<String> vrrpStatus = () -> "";

    void vrrpStatus(java.util.function.Supplier<String> status) {
        this.vrrpStatus = status;
    }

    static KeepalivedSetup start(Path file, DirectorControl control, ControlServer server, PrintStream err)
            throws IOException {
        KeepalivedSetup setup = new KeepalivedSetup(file, ClusterManager.forDirector(control, err), err);
        ConfigReloader.Outcome outcome = setup.reloader.reload();
        setup.started = outcome.config();
        outcome.warnings().forEach(err::println);
        if (!outcome.ok()) {
            setup.close();
            if (!outcome.applied()) {
                throw new IOException(outcome.errors().getFirst());
            }
            outcome.errors().forEach(line -> err.println("jvs director: " + line));
            throw new IOException(file + ": the director refused " + outcome.errors().size()
                    + " change(s) listed above");
        }
        server.register(RELOAD, args -> setup.reload());
        server.register(STATUS, args -> new Reply(0, setup.vrrpStatus.get() + setup.manager.status(), ""));
        Signal.handle(new Signal("HUP"), signal -> Thread.ofPlatform().name("jvs-sighup").start(setup::reloadOnSignal));
        return setup;
    }

    /** The configuration as read at start (its VRRP instances are not changed by reloads). */
    KeepalivedConfig startedWith() {
        return started;
    }

    private Reply reload() {
        ConfigReloader.Outcome outcome = reloader.reload();
        StringBuilder stderr = new StringBuilder();
        for (String warning : outcome.warnings()) {
            stderr.append(warning).append('\n');
        }
        for (String error : outcome.errors()) {
            stderr.append("jvs reload: ").append(error).append('\n');
        }
        if (!outcome.applied()) {
            stderr.append("jvs reload: nothing changed\n");
        }
        String stdout = outcome.applied() ? "reloaded " + file + "\n" : "";
        return new Reply(outcome.ok() ? 0 : EXIT_FAILED, stdout, stderr.toString());
    }

    private void reloadOnSignal() {
        Reply reply = reload();
        err.print(reply.stderr());
        if (reply.exitCode() == 0) {
            err.println("jvs director: SIGHUP: reloaded " + file);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
