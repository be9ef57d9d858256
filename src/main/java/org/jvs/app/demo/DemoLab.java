package org.jvs.app.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's namespaces, links and processes, and running commands in them. Namespace names carry the demo's process
 * id (jvst-demo&lt;pid&gt;-cli), so two demos on one machine never touch each other's lab, and one left behind by a
 * killed demo is recognised by its dead pid and removed. {@link #teardown} is idempotent.
 */
public final class DemoLab {
    private static final Pattern DEMO_NAMESPACE = Pattern.compile("jvst-demo(\\d+)-.+");
    private static final Path NETNS = Path.of("/run/netns");
    private static final long COMMAND_TIMEOUT_MS = 60_000;
    private static final long READY_TIMEOUT_MS = 30_000;

    private final String prefix = "jvst-demo" + ProcessHandle.current().pid() + "-";
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Path workDir;

    public DemoLab() {
        removeLeftovers();
        try {
            workDir = Files.createTempDirectory("jvst-demo-");
        } catch (IOException e) {
            throw new DemoFailure("cannot create a temporary directory: " + e.getMessage());
        }
    }

    /** A directory for the demo's files and logs, deleted by {@link #teardown}. */
    public Path workDir() {
        return workDir;
    }

    /** The full name of this demo's namespace for a role ("cli" -> "jvst-demo1234-cli"). */
    public String ns(String role) {
        return prefix + role;
    }

    /** Creates the namespace for a role with lo up; returns its full name. */
    public String namespace(String role) {
        String ns = ns(role);
        execute(List.of("ip", "netns", "add", ns), true);
        namespaces.add(ns);
        ip(ns, "link", "set", "lo", "up");
        return ns;
    }

    /** A veth pair, both ends up; a MAC may be null for a random one. */
    public void veth(String nsA, String ifA, String macA, String nsB, String ifB, String macB) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", nsA, "link", "add", ifA));
        if (macA != null) {
            command.addAll(List.of("address", macA));
        }
        command.addAll(List.of("type", "veth", "peer", "name", ifB));
        if (macB != null) {
            command.addAll(List.of("address", macB));
        }
        command.addAll(List.of("netns", nsB));
        execute(command, true);
        ip(nsA, "link", "set", ifA, "up");
        ip(nsB, "link", "set", ifB, "up");
    }

    public void bridge(String ns, String name, List<String> ports) {
        ip(ns, "link", "add", name, "type", "bridge", "stp_state", "0", "forward_delay", "0");
        for (String port : ports) {
            ip(ns, "link", "set", port, "master", name);
        }
        ip(ns, "link", "set", name, "up");
    }

    public void noReversePathFilter(String ns) {
        for (String scope : List.of("all", "default", "eth0", "eth1")) {
            check(ns, "sysctl", "-qw", "net.ipv4.conf." + scope + ".rp_filter=0");
        }
    }

    public void ip(String ns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(Arrays.asList(args));
        check(ns, command.toArray(String[]::new));
    }

    /** Runs a command in a namespace; a failure ends the demo. */
    public void check(String ns, String... command) {
        execute(inNamespace(ns, command), true);
    }

    /** Runs a command in a namespace and returns how it went. */
    public Result run(String ns, String... command) {
        return execute(inNamespace(ns, command), false);
    }

    /** Starts a long-running process in a namespace, its output going to the log named {@code label}. */
    public Process spawn(String ns, String label, String... command) {
        try {
            Process process = new ProcessBuilder(inNamespace(ns, command)).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve(label + ".log").toFile()).start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new DemoFailure("cannot start " + command[0] + ": " + e.getMessage());
        }
    }

    /** The last line a spawned process wrote to its log (they are kept in the work directory until teardown). */
    public String lastLine(String label) {
        try {
            List<String> lines = Files.readAllLines(workDir.resolve(label + ".log"));
            return lines.isEmpty() ? "(no output)" : lines.getLast();
        } catch (IOException e) {
            return "(no output)";
        }
    }

    public void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        processes.remove(process);
    }

    /** Stops every process, deletes every namespace and the work directory; safe to call more than once. */
    public synchronized void teardown() {
        new ArrayList<>(processes).forEach(this::stop);
        for (String ns : namespaces.reversed()) {
            deleteNamespace(ns);
        }
        namespaces.clear();
        try (var paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }

    /** Namespaces of demos whose process is gone (killed before it could tear down). */
    private static void removeLeftovers() {
        String[] names = NETNS.toFile().list();
        for (String name : names == null ? new String[0] : names) {
            Matcher demo = DEMO_NAMESPACE.matcher(name);
            if (demo.matches() && ProcessHandle.of(Long.parseLong(demo.group(1))).isEmpty()) {
                deleteNamespace(name);
            }
        }
    }

    /** Whatever still runs in a demo namespace was started by that demo; kill it so the namespace can go. */
    private static void deleteNamespace(String ns) {
        for (String pid : execute(List.of("ip", "netns", "pids", ns), false).out().split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        execute(List.of("ip", "netns", "del", ns), false);
    }

    private static List<String> inNamespace(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(command));
        return full;
    }

    public static void requireTool(String tool) {
        if (!onPath(tool)) {
            throw new DemoFailure("needs '" + tool + "' on the PATH");
        }
    }

    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Polls {@code condition} every 200 ms; ends the demo with {@code failure} if it stays false for 30 s. */
    public static void awaitTrue(BooleanSupplier condition, String failure) {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        while (System.nanoTime() < deadlineNs) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new DemoFailure(failure + " within " + READY_TIMEOUT_MS / 1000 + " s");
    }

    private static Result execute(List<String> command, boolean mustSucceed) {
        try {
            Path output = Files.createTempFile("jvst-demo-", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                int exit = -1;
                if (process.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    exit = process.exitValue();
                } else {
                    process.destroyForcibly();
                }
                Result result = new Result(exit, Files.readString(output, StandardCharsets.UTF_8));
                if (mustSucceed && exit != 0) {
                    throw new DemoFailure("'" + String.join(" ", command) + "' failed: " + result.firstWords());
                }
                return result;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new DemoFailure("cannot run " + command.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted");
        }
    }

    /** How a command ended: exit code (-1 if it timed out) and its output. */
    public record Result(int exit, String out) {
        public String firstWords() {
            String line = out.strip().lines().findFirst().orElse(exit == -1 ? "timed out" : "exit " + exit);
            return line.length() > 200 ? line.substring(0, 200) + "..." : line;
        }
    }
}
