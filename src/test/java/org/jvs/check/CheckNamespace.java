package org.jvs.check;

import org.jvs.linux.NetworkNamespace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a namespace with lo up and 192.0.2.1-3/32 on it, plus a veth pair jvst-ca (203.0.113.1/24)
 * and jvst-cb (no address) whose far side answers nothing, so 203.0.113.2 swallows every packet. Nothing links
 * it to the root namespace. Sockets must be opened on its threads ({@link #call}, {@link #threads}).
 */
final class CheckNamespace implements AutoCloseable {
    static final int SERVER = 0xC0000201;   // 192.0.2.1
    static final int CLIENT = 0xC0000202;   // 192.0.2.2
    static final int OTHER = 0xC0000203;    // 192.0.2.3
    static final int SILENT = 0xCB007102;   // 203.0.113.2, routed into a veth that never answers
    static final int NOWHERE = 0xC6336463;  // 198.51.100.99, no route at all

    private final String name;
    private final ExecutorService executor;

    /** @param name starts with "jvst-"; one per test class, so classes never share a namespace */
    CheckNamespace(String name) {
        this.name = name;
        this.executor = Executors.newCachedThreadPool(Thread.ofPlatform().name("in-" + name + "-", 0).daemon().factory());
        destroy();
        run("ip", "netns", "add", name);
        try {
            run("ip", "-n", name, "link", "set", "lo", "up");
            for (String address : new String[] {"192.0.2.1/32", "192.0.2.2/32", "192.0.2.3/32"}) {
                run("ip", "-n", name, "address", "add", address, "dev", "lo");
            }
            run("ip", "-n", name, "link", "add", "jvst-ca", "type", "veth", "peer", "name", "jvst-cb");
            run("ip", "-n", name, "address", "add", "203.0.113.1/24", "dev", "jvst-ca");
            run("ip", "-n", name, "link", "set", "jvst-ca", "up");
            run("ip", "-n", name, "link", "set", "jvst-cb", "up");
        } catch (RuntimeException e) {
            destroy();
            throw e;
        }
    }

    /** Runs a task on a platform thread inside the namespace, bounded. */
    <T> T call(Callable<T> task) throws Exception {
        try {
            return executor.submit(() -> {
                NetworkNamespace.enterOnCurrentThread(name);
                return task.call();
            }).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Starts a task on its own platform thread inside the namespace (servers' accept loops). */
    void start(ThrowingRunnable task) {
        threads().newThread(() -> {
            try {
                task.run();
            } catch (Exception e) {
                // servers end when the test closes their sockets
            }
        }).start();
    }

    /** Platform threads that enter the namespace before running, for HealthMonitor's checker loops. */
    ThreadFactory threads() {
        ThreadFactory platform = Thread.ofPlatform().name("check-in-" + name + "-", 0).daemon().factory();
        return runnable -> platform.newThread(() -> {
            try {
                NetworkNamespace.enterOnCurrentThread(name);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            runnable.run();
        });
    }

    void sysctl(String setting) {
        run("ip", "netns", "exec", name, "sysctl", "-q", "-w", setting);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        destroy();
    }

    /** Removes the namespace if present; never throws, so it is safe in finally/@AfterAll. */
    void destroy() {
        try {
            if (new java.io.File("/var/run/netns/" + name).exists()) {
                run("ip", "netns", "delete", name);
            }
        } catch (RuntimeException e) {
            System.err.println("could not delete namespace " + name + ": " + e.getMessage());
        }
    }

    static String run(String... command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", command), e);
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
            }
            return output;
        } catch (InterruptedException | IOException e) {
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
