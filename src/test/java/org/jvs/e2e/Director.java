package org.jvs.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVS director of a lab: {@code ./jvs director} in the director namespace, administered with {@code ./jvsadm}.
 * Ready means {@code ./jvsadm -L -n} succeeds.
 */
final class Director {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration JVSADM_TIMEOUT = Duration.ofSeconds(30);

    private final Lab lab;
    private final String ns;
    private Background process;

    Director(Lab lab, String ns) {
        this.lab = lab;
        this.ns = ns;
    }

    void start(String... extraArgs) {
        Launchers.ensureBuilt();
        List<String> command = new ArrayList<>(List.of(Launchers.JVS, "director"));
        command.addAll(List.of(extraArgs));
        process = lab.spawn(ns, "director", command.toArray(String[]::new));
        long deadlineNs = System.nanoTime() + READY_TIMEOUT.toNanos();
        CommandResult last = null;
        while (System.nanoTime() < deadlineNs) {
            if (!process.alive()) {
                throw new IllegalStateException("./jvs director exited with " + process.awaitExit(Duration.ZERO)
                        + " before it was ready: " + process.tail(15));
            }
            last = lab.run(ns, JVSADM_TIMEOUT, Launchers.JVSADM, "-L", "-n");
            if (last.ok()) {
                return;
            }
            Background.sleep(300);
        }
        throw new IllegalStateException("director not ready after " + READY_TIMEOUT + " ("
                + (last == null ? "no answer" : last.describe()) + "); its log: " + process.tail(15));
    }

    /** Runs {@code ./jvsadm args} in the director namespace; it must succeed. */
    CommandResult jvsadm(String... args) {
        CommandResult result = tryJvsadm(args);
        if (!result.ok()) {
            throw new AssertionError(result.describe() + "; director log: " + log());
        }
        return result;
    }

    CommandResult tryJvsadm(String... args) {
        List<String> command = new ArrayList<>(List.of(Launchers.JVSADM));
        command.addAll(List.of(args));
        return lab.run(ns, JVSADM_TIMEOUT, command.toArray(String[]::new));
    }

    /** What {@code ./jvs counters} prints now (its error when it fails), for failure messages. */
    String counters() {
        CommandResult result = lab.run(ns, JVSADM_TIMEOUT, Launchers.JVS, "counters");
        return result.ok() ? result.stdout() : result.describe() + "\n";
    }

    boolean running() {
        return process != null && process.alive();
    }

    /** Sends SIGHUP, which makes a director started with -f re-read its file. */
    void hangUp() {
        if (process == null) {
            throw new IllegalStateException("the director is not running");
        }
        CommandResult kill = Lab.execute(Duration.ofSeconds(5), List.of("kill", "-HUP", String.valueOf(process.pid())));
        if (!kill.ok()) {
            throw new IllegalStateException(kill.describe());
        }
    }

    /** Whether the director printed a line matching {@code regex} within {@code timeout}. */
    boolean awaitLog(String regex, Duration timeout) {
        return process != null && process.awaitLine(regex, timeout).isPresent();
    }

    /** The last lines the director printed, for failure messages. */
    String log() {
        return process == null ? "(not started)" : process.tail(15);
    }

    /** SIGTERM, as the contract says stops it; returns its exit code (-1 if it had to be killed). */
    int stop() {
        if (process == null) {
            return -1;
        }
        Background stopping = process;
        process = null;
        lab.stop(stopping);
        return stopping.awaitExit(Duration.ZERO);
    }
}
