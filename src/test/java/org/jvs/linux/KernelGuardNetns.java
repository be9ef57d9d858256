package org.jvs.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Network namespaces for the guard and real-server tests: ip(8) and python3 run inside them, and Java code can run
 * on a thread that has entered one (the rest of the JVM stays where it was). Every wait is bounded.
 */
final class KernelGuardNetns {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final long COMMAND_TIMEOUT_SECONDS = 20;
    private static final MethodHandle SETNS = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("setns").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private KernelGuardNetns() {
    }

    /** Runs a command to completion; returns stdout, throws with stderr if it fails. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": no answer within " + COMMAND_TIMEOUT_SECONDS + " s");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + err.strip());
        }
        return out;
    }

    /** Runs each line as an ip(8) command, e.g. "-n jvst-ga link set lo up". */
    static void ip(String... lines) throws IOException, InterruptedException {
        for (String line : lines) {
            List<String> command = new ArrayList<>(List.of("ip"));
            command.addAll(List.of(line.split(" ")));
            run(command.toArray(String[]::new));
        }
    }

    static void create(String... namespaces) throws IOException, InterruptedException {
        delete(namespaces);
        for (String namespace : namespaces) {
            requireTestName(namespace);
            ip("netns add " + namespace, "-n " + namespace + " link set lo up");
        }
    }

    /** Deletes the namespaces that exist (their veths go with them); never throws. */
    static void delete(String... namespaces) {
        for (String namespace : namespaces) {
            requireTestName(namespace);
            if (Files.exists(Path.of("/var/run/netns", namespace))) {
                try {
                    run("ip", "netns", "del", namespace);
                } catch (IOException | InterruptedException e) {
                    System.err.println("could not delete namespace " + namespace + ": " + e.getMessage());
                }
            }
        }
    }

    /** A python3 process running in a namespace, whose stdout lines can be awaited with a timeout. */
    static final class Script implements AutoCloseable {
        private static final String END = "\u0000end";
        private final Process process;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private Script(Process process) {
            this.process = process;
            BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process was destroyed; END below tells readers
                }
                lines.add(END);
            });
        }

        /** The next stdout line, or null when none came within timeoutMs or the script has ended. */
        String readLine(long timeoutMs) throws InterruptedException {
            String line = lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (END.equals(line)) {
                lines.add(END);
                return null;
            }
            return line;
        }

        /** Sends SIGTERM and waits up to timeoutMs for the exit code; -1 if it had to be killed. */
        int terminate(long timeoutMs) throws InterruptedException {
            // Process.destroy() would also close our end of stdout and lose what the process prints on its way out
            process.toHandle().destroy();
            if (process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            process.destroyForcibly();
            return -1;
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Starts python3 -c script in namespace; close() kills it. */
    static Script python(String namespace, String script, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", "-u", "-c", script));
        command.addAll(List.of(arguments));
        return exec(namespace, command.toArray(String[]::new));
    }

    /** Starts command in namespace (ip netns exec replaces itself with it); close() kills it. */
    static Script exec(String namespace, String... command) throws IOException {
        requireTestName(namespace);
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        line.addAll(List.of(command));
        return new Script(new ProcessBuilder(line).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Runs a python3 script in namespace to completion; returns its stdout, stripped. */
    static String pythonResult(String namespace, String script, String... arguments) throws IOException, InterruptedException {
        try (Script process = python(namespace, script, arguments)) {
            StringBuilder out = new StringBuilder();
            for (String line = process.readLine(TimeUnit.SECONDS.toMillis(COMMAND_TIMEOUT_SECONDS)); line != null;
                    line = process.readLine(TimeUnit.SECONDS.toMillis(COMMAND_TIMEOUT_SECONDS))) {
                out.append(line).append('\n');
            }
            return out.toString().strip();
        }
    }

    /** Runs task on a new platform thread that has entered namespace; the thread ends with the task. */
    static <T> T inNamespace(String namespace, Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            int fd = Native.open("/var/run/netns/" + namespace, Native.O_CLOEXEC);
            try {
                Native.check(fd, "open netns " + namespace);
                int rc = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
                if (rc != 0) {
                    throw new IOException("setns into " + namespace + " failed");
                }
                result.set(task.call());
            } catch (Exception e) {
                failure.set(e);
            } catch (Throwable t) {
                failure.set(new RuntimeException(t));
            } finally {
                Native.close(fd);
            }
        });
        thread.join(TimeUnit.SECONDS.toMillis(COMMAND_TIMEOUT_SECONDS));
        if (thread.isAlive()) {
            throw new IllegalStateException("task in " + namespace + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    private static void requireTestName(String namespace) {
        if (!namespace.startsWith("jvst-g") && !namespace.startsWith("v6-g")) {
            throw new IllegalArgumentException("'" + namespace + "' is not a guard test namespace (expected jvst-g... or v6-g...)");
        }
    }
}
