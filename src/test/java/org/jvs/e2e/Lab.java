package org.jvs.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.jvs.service.Ipv4;
import org.jvs.service.Ipv6;

/**
 * A throw-away network lab: namespaces named {@code jvst-<lab>-<role>}, links between them, commands run inside them
 * and background processes tracked by PID. Closing it - or the JVM exiting, through a shutdown hook - stops those
 * processes and deletes every namespace it made, so a failed test leaves nothing behind.
 *
 * <p>Safety rules it enforces rather than trusts: links are only ever created between two of its own namespaces (never
 * the root namespace), and addresses only from the documentation/benchmark ranges 198.18.0.0/15, 192.0.2.0/24,
 * 198.51.100.0/24 and 203.0.113.0/24, and IPv6's 2001:db8::/32.
 */
final class Lab implements AutoCloseable {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LAB_NAME = Pattern.compile("[a-z0-9]{1,12}");
    private static final Pattern ROLE = Pattern.compile("[a-z0-9]{1,8}");
    /** 2001:db8::/32 (RFC 3849), the first 32 bits of every lab IPv6 address. */
    private static final long DOCUMENTATION_PREFIX6 = 0x2001_0db8L;
    private static final int[][] ALLOWED_NETWORKS = {
            {Ipv4.parse("198.18.0.0"), 15}, {Ipv4.parse("192.0.2.0"), 24},
            {Ipv4.parse("198.51.100.0"), 24}, {Ipv4.parse("203.0.113.0"), 24}};

    private final String name;
    private final Path workDir;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Background> processes = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::teardown, "jvst-teardown");
    private boolean closed;

    Lab(String name) {
        if (!LAB_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("lab name '" + name + "' must be 1-12 of [a-z0-9]");
        }
        this.name = name;
        try {
            this.workDir = Files.createTempDirectory("jvst-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A scratch directory for files the lab's processes serve or write; deleted with the lab. */
    Path workDir() {
        return workDir;
    }

    /** Creates namespace {@code jvst-<lab>-<role>} (replacing a stale one a crashed run of this lab left) with lo up. */
    synchronized String addNamespace(String role) {
        if (!ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("namespace role '" + role + "' must be 1-8 of [a-z0-9]");
        }
        String ns = "jvst-" + name + "-" + role;
        if (Files.exists(Path.of("/run/netns", ns))) {
            deleteNamespace(ns);
        }
        host("ip", "netns", "add", ns);
        namespaces.add(ns);
        check(ns, "ip", "link", "set", "lo", "up");
        return ns;
    }

    /** A veth pair between two of this lab's namespaces, both ends up. */
    void veth(String nsA, String ifA, String nsB, String ifB) {
        requireOwn(nsA);
        requireOwn(nsB);
        host("ip", "-n", nsA, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        up(nsA, ifA);
        up(nsB, ifB);
    }

    /** A bridge (no STP, so ports forward at once) enslaving the given interfaces of the same namespace. */
    void bridge(String ns, String bridge, String... ports) {
        requireOwn(ns);
        check(ns, "ip", "link", "add", bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0");
        for (String port : ports) {
            check(ns, "ip", "link", "set", port, "master", bridge);
        }
        up(ns, bridge);
    }

    void up(String ns, String dev) {
        check(ns, "ip", "link", "set", dev, "up");
    }

    /**
     * Adds {@code a.b.c.d/len} or {@code 2001:db8:.../len} to a device (an IPv6 one without duplicate address
     * detection, which would hold it back a second); refuses anything outside the lab's address ranges.
     */
    void address(String ns, String dev, String cidr) {
        String address = cidr.substring(0, cidr.indexOf('/') < 0 ? cidr.length() : cidr.indexOf('/'));
        requireLabAddress(address);
        if (address.indexOf(':') >= 0) {
            check(ns, "ip", "addr", "add", cidr, "dev", dev, "nodad");
        } else {
            check(ns, "ip", "addr", "add", cidr, "dev", dev);
        }
    }

    /**
     * {@code ip route add <spec...>}, e.g. route(ns, "default", "via", "198.51.100.1"); an IPv6 route (any IPv6
     * address in the spec) as {@code ip -6 route add}.
     */
    void route(String ns, String... spec) {
        boolean ipv6 = Arrays.stream(spec).anyMatch(part -> part.indexOf(':') >= 0);
        List<String> command = new ArrayList<>(ipv6 ? List.of("ip", "-6", "route", "add") : List.of("ip", "route", "add"));
        command.addAll(Arrays.asList(spec));
        check(ns, command.toArray(String[]::new));
    }

    void sysctl(String ns, String key, String value) {
        check(ns, "sysctl", "-qw", key + "=" + value);
    }

    /** Runs a command inside a namespace and waits for it (bounded). */
    CommandResult run(String ns, Duration timeout, String... command) {
        requireOwn(ns);
        return execute(timeout, inNamespace(ns, command));
    }

    CommandResult run(String ns, String... command) {
        return run(ns, COMMAND_TIMEOUT, command);
    }

    /** Runs a command inside a namespace and insists it succeeds. */
    CommandResult check(String ns, String... command) {
        CommandResult result = run(ns, command);
        if (!result.ok()) {
            throw new IllegalStateException("in " + ns + ": " + result.describe());
        }
        return result;
    }

    /** Starts a long-running command inside a namespace; the lab stops it on close. */
    synchronized Background spawn(String ns, String label, String... command) {
        requireOwn(ns);
        Path log = workDir.resolve(label + ".log");
        try {
            Process process = new ProcessBuilder(inNamespace(ns, command))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            Background background = new Background(label, process, log);
            processes.add(background);
            return background;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** Stops one background process early (it is also forgotten, so close() does not stop it twice). */
    synchronized void stop(Background background) {
        background.stop();
        processes.remove(background);
    }

    @Override
    public void close() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to: it does the same idempotent teardown
        }
    }

    private synchronized void teardown() {
        if (closed) {
            return;
        }
        closed = true;
        for (Background background : processes.reversed()) {
            background.stop();
        }
        processes.clear();
        for (String ns : namespaces.reversed()) {
            deleteNamespace(ns);
        }
        namespaces.clear();
        deleteTree(workDir);
    }

    /**
     * Kills whatever still runs inside one of our namespaces (only processes this lab started can be in there) and
     * deletes it; deleting a namespace also deletes the veths and bridges in it.
     */
    private static void deleteNamespace(String ns) {
        CommandResult pids = execute(Duration.ofSeconds(10), List.of("ip", "netns", "pids", ns));
        for (String pid : pids.stdout().split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        execute(Duration.ofSeconds(10), List.of("ip", "netns", "del", ns));
    }

    private void requireOwn(String ns) {
        if (!namespaces.contains(ns)) {
            throw new IllegalArgumentException("namespace '" + ns + "' does not belong to lab " + name);
        }
    }

    static void requireLabAddress(String address) {
        if (address.indexOf(':') >= 0) {
            if (Ipv6.parse(address).hi() >>> 32 != DOCUMENTATION_PREFIX6) {
                throw new IllegalArgumentException("address " + address + " is outside the lab's IPv6 range (2001:db8::/32)");
            }
            return;
        }
        int ip = Ipv4.parse(address);
        for (int[] network : ALLOWED_NETWORKS) {
            int mask = -1 << (32 - network[1]);
            if ((ip & mask) == network[0]) {
                return;
            }
        }
        throw new IllegalArgumentException("address " + address
                + " is outside the lab ranges (198.18.0.0/15, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)");
    }

    private static List<String> inNamespace(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(command));
        return full;
    }

    private static void host(String... command) {
        CommandResult result = execute(COMMAND_TIMEOUT, List.of(command));
        if (!result.ok()) {
            throw new IllegalStateException(result.describe());
        }
    }

    static CommandResult execute(Duration timeout, List<String> command) {
        String text = String.join(" ", command);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("jvst-out", ".txt");
            err = Files.createTempFile("jvst-err", ".txt");
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            int exit;
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                exit = process.exitValue();
            } else {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                exit = -1;
            }
            return new CommandResult(text, exit, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new CommandResult(text, 127, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CommandResult(text, -1, "", "interrupted");
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a temp file left in /tmp is harmless
            }
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(Lab::deleteQuietly);
        } catch (IOException ignored) {
            // already gone
        }
    }
}
