package org.jvs.check;

import java.net.InetAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * MISC_CHECK: runs misc_path and reads its exit code. A program that outlives misc_timeout is sent SIGTERM, then
 * SIGKILL two seconds later (keepalived's order), with its children, and the check fails as timed out.
 */
final class MiscChecker implements Checker {
    private static final long GRACE_MS = 2000;

    private final MiscCheckSpec spec;
    private final Duration timeout;

    MiscChecker(MiscCheckSpec spec) {
        if (spec.command().isEmpty()) {
            throw new IllegalArgumentException("MISC_CHECK needs a misc_path");
        }
        this.spec = spec;
        // keepalived: no misc_timeout means the virtual server's delay_loop
        this.timeout = spec.timeout().isZero() ? spec.common().delayLoop() : spec.timeout();
    }

    @Override
    public CheckResult check(InetAddress address, int port) throws InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(spec.command())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return CheckResult.fail("cannot run " + spec.command().getFirst() + ": " + e.getMessage());
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                return CheckResult.fail("timeout after " + Connections.text(timeout));
            }
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        return verdict(process.exitValue());
    }

    /** keepalived's reading of the exit code; with misc_dynamic, 2..255 is up with weight code - 2. */
    CheckResult verdict(int exitCode) {
        if (exitCode == 0) {
            return CheckResult.pass("exit 0");
        }
        if (spec.dynamic() && exitCode >= 2 && exitCode <= 255) {
            return CheckResult.passWithWeight(exitCode - 2, "exit " + exitCode + ", weight " + (exitCode - 2));
        }
        return CheckResult.fail("exit " + exitCode);
    }

    private static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(GRACE_MS, TimeUnit.MILLISECONDS)) {
                kill(process);
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
