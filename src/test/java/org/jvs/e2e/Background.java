package org.jvs.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process the lab started and will stop: its output (stdout and stderr together) goes to a file so a test can wait
 * for a line and a failure message can quote the tail.
 */
final class Background {
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final long POLL_MS = 50;

    private final String label;
    private final Process process;
    private final Path log;

    Background(String label, Process process, Path log) {
        this.label = label;
        this.process = process;
        this.log = log;
    }

    String label() {
        return label;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of the output, for failure messages. */
    String tail(int lines) {
        String[] all = output().split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join(" | ", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    /** Waits for a line matching {@code regex}; returns the match, or empty if time runs out or the process ends first. */
    Optional<Matcher> awaitLine(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ended = !process.isAlive();
            Matcher matcher = pattern.matcher(output());
            if (matcher.find()) {
                return Optional.of(matcher);
            }
            if (ended || System.nanoTime() > deadlineNs) {
                return Optional.empty();
            }
            sleep(POLL_MS);
        }
    }

    /** Waits for the process to end by itself; returns its exit code, or -1 if it is still running at the deadline. */
    int awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM (children first, so a launcher script cannot orphan them), then SIGKILL after a grace period. */
    void stop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (awaitExit(GRACE) == -1 && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            awaitExit(GRACE);
        }
    }

    /**
     * SIGTERM only (children first), as systemd stops a service; returns the exit code, or -1 if the process is still
     * running after {@code timeout} (the lab's teardown kills it then).
     */
    int terminate(Duration timeout) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL, as a crash: no chance to say goodbye (a VRRP master sends no priority-0 advert). */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(GRACE);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return label + " (pid " + pid() + ")";
    }
}
