package org.jvs.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./jvs demo}: builds a throw-away lab of network namespaces (client, director, three real servers running a
 * tiny HTTP server that answers with its own name) and shows JVS balancing real HTTP requests in NAT, TUN and DR, one
 * after the other. Needs root and only what a fresh machine has: iproute2, curl, python3 (or the JDK's jwebserver).
 *
 * <p>Layout as the kernel's IPVS selftest (ipvs.sh): client 198.51.100.2 - director 198.51.100.1 / 192.0.2.1 - a
 * bridge with rs1..rs3 (192.0.2.11-13), plus a return segment 198.18.10.0/24 client - real servers that DR and TUN
 * replies take straight to the client. The VIP 203.0.113.10 is on the director's lo. Nothing links to the root
 * namespace; everything is deleted at the end, also on failure or Ctrl-C.
 */
public final class Demo {
    private static final String PREFIX = "jvst-demo-";
    private static final String VIP = "203.0.113.10";
    private static final String DIRECTOR_INSIDE = "192.0.2.1";
    private static final String CLIENT_RETURN = "198.18.10.2";
    private static final List<String> SERVERS = List.of("rs1", "rs2", "rs3");
    private static final int DEFAULT_REQUESTS = 12;
    private static final int MAX_REQUESTS = 300;
    private static final long COMMAND_TIMEOUT_MS = 60_000;
    private static final long READY_TIMEOUT_MS = 30_000;

    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final String java = ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    private final String classpath = System.getProperty("java.class.path");
    private Path workDir;

    private Demo() {
    }

    /** Runs the demo; returns 0 on success, otherwise prints one line saying why and returns 1 (2 for bad usage). */
    public static int run(String[] args) {
        int requests = DEFAULT_REQUESTS;
        if (args.length == 2 && args[0].equals("--requests")) {
            try {
                requests = Integer.parseInt(args[1]);
            } catch (NumberFormatException e) {
                requests = -1;
            }
            if (requests < 3 || requests > MAX_REQUESTS) {
                System.err.println("jvs demo: --requests '" + args[1] + "' is not a number from 3 to " + MAX_REQUESTS);
                return 2;
            }
        } else if (args.length != 0) {
            System.err.println("jvs demo: unexpected '" + args[0] + "' (usage: jvs demo [--requests N])");
            return 2;
        }
        Demo demo = new Demo();
        Thread hook = new Thread(demo::teardown, "jvs-demo-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            demo.show(requests);
            System.out.println("demo: NAT, TUN and DR all balanced every request over rs1, rs2 and rs3");
            return 0;
        } catch (DemoFailure e) {
            System.err.println("jvs demo: " + e.getMessage());
            return 1;
        } finally {
            demo.teardown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs the same idempotent teardown
            }
        }
    }

    private void show(int requests) {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new DemoFailure("needs root: it creates network namespaces (try: sudo ./jvs demo)");
        }
        for (String tool : List.of("ip", "curl")) {
            requireTool(tool);
        }
        buildLab();
        startHttpServers();
        for (String mode : List.of("NAT", "TUN", "DR")) {
            demonstrate(mode, requests);
        }
    }

    private void buildLab() {
        try {
            workDir = Files.createTempDirectory(PREFIX);
        } catch (IOException e) {
            throw new DemoFailure("cannot create a temporary directory: " + e.getMessage());
        }
        String cli = namespace("cli");
        String dir = namespace("dir");
        String sw = namespace("sw");
        veth(cli, "eth0", dir, "eth0");
        veth(dir, "eth1", sw, "dir");
        veth(cli, "eth1", sw, "cli");
        List<String> inside = new ArrayList<>(List.of("dir"));
        List<String> back = new ArrayList<>(List.of("cli"));
        for (int i = 0; i < SERVERS.size(); i++) {
            String rs = namespace(SERVERS.get(i));
            veth(rs, "eth0", sw, SERVERS.get(i));
            veth(rs, "eth1", sw, SERVERS.get(i) + "r");
            inside.add(SERVERS.get(i));
            back.add(SERVERS.get(i) + "r");
            noReversePathFilter(rs);
            ip(rs, "addr", "add", "192.0.2." + (11 + i) + "/24", "dev", "eth0");
            ip(rs, "addr", "add", "198.18.10." + (11 + i) + "/24", "dev", "eth1");
        }
        bridge(sw, "br0", inside);
        bridge(sw, "br1", back);
        noReversePathFilter(cli);
        ip(cli, "addr", "add", "198.51.100.2/24", "dev", "eth0");
        ip(cli, "addr", "add", CLIENT_RETURN + "/24", "dev", "eth1");
        ip(cli, "route", "add", "default", "via", "198.51.100.1");
        ip(dir, "addr", "add", "198.51.100.1/24", "dev", "eth0");
        ip(dir, "addr", "add", DIRECTOR_INSIDE + "/24", "dev", "eth1");
        ip(dir, "addr", "add", VIP + "/32", "dev", "lo");
        check(dir, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        System.out.println("lab: client 198.51.100.2 -> director (VIP " + VIP + ") -> rs1..rs3 192.0.2.11-13");
    }

    private void startHttpServers() {
        for (int i = 0; i < SERVERS.size(); i++) {
            String name = SERVERS.get(i);
            Path site = workDir.resolve(name);
            try {
                Files.createDirectories(site);
                Files.writeString(site.resolve("index.html"), name + "\n");
            } catch (IOException e) {
                throw new DemoFailure("cannot write the page of " + name + ": " + e.getMessage());
            }
            Path python = Path.of("/usr/bin/python3");
            List<String> server = Files.isExecutable(python) || onPath("python3")
                    ? List.of(Files.isExecutable(python) ? python.toString() : "python3", "-m", "http.server",
                    "--directory", site.toString(), "80")
                    : List.of(Path.of(java).resolveSibling("jwebserver").toString(), "-b", "0.0.0.0", "-p", "80",
                    "-d", site.toString());
            spawn(PREFIX + name, name + "-http", server.toArray(String[]::new));
        }
        for (String name : SERVERS) {
            awaitTrue(() -> run(PREFIX + name, "ss", "-Hlnt").out().contains(":80 "),
                    "the HTTP server of " + name + " did not start");
        }
    }

    private void demonstrate(String mode, int requests) {
        System.out.println();
        System.out.println("=== " + mode + " ===");
        String flag = switch (mode) {
            case "NAT" -> "-m";
            case "TUN" -> "-i";
            default -> "-g";
        };
        List<Process> helpers = new ArrayList<>();
        for (String name : SERVERS) {
            String rs = PREFIX + name;
            // NAT replies must come back through the director; DR/TUN replies go straight to the client
            ip(rs, "route", "replace", "default", "via", mode.equals("NAT") ? DIRECTOR_INSIDE : CLIENT_RETURN);
            run(rs, "ip", "addr", "del", VIP + "/32", "dev", "lo");
            if (mode.equals("DR")) {
                check(rs, jvm("org.jvs.app.Jvs", "realserver", "--vip", VIP, "--mode", "dr"));
            } else if (mode.equals("TUN")) {
                Process helper = spawn(rs, name + "-tun", jvm("org.jvs.app.Jvs", "realserver", "--vip", VIP,
                        "--mode", "tun"));
                helpers.add(helper);
                awaitTrue(() -> {
                    if (!helper.isAlive()) {
                        throw new DemoFailure("'jvs realserver --mode tun' in " + name + " exited: "
                                + lastLine(name + "-tun"));
                    }
                    return run(rs, "ip", "-o", "addr", "show", "dev", "lo").out().contains(" " + VIP + "/");
                }, "'jvs realserver --mode tun' in " + name + " did not put the VIP on lo");
            }
        }
        Process director = spawn(PREFIX + "dir", "director-" + mode, jvm("org.jvs.app.Jvs", "director"));
        awaitTrue(() -> {
            if (!director.isAlive()) {
                throw new DemoFailure("the director exited: " + lastLine("director-" + mode));
            }
            return jvsadm("-L", "-n").exit() == 0;
        }, "the director did not become ready");
        jvsadmOrFail("-A", "-t", VIP + ":80", "-s", "rr");
        for (int i = 0; i < SERVERS.size(); i++) {
            jvsadmOrFail("-a", "-t", VIP + ":80", "-r", "192.0.2." + (11 + i) + ":80", flag, "-w", "1");
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < requests; i++) {
            Result answer = run(PREFIX + "cli", "curl", "-sS", "--max-time", "5", "http://" + VIP + "/");
            counts.merge(answer.exit() == 0 ? answer.out().strip() : "failed", 1, Integer::sum);
        }
        System.out.println("$ ./jvsadm -L -n --stats");
        System.out.print(jvsadmOrFail("-L", "-n", "--stats").out());
        System.out.println(requests + " HTTP requests from the client to http://" + VIP + "/ answered by: " + counts);
        stop(director);
        helpers.forEach(this::stop);
        if (counts.containsKey("failed") || !counts.keySet().equals(new TreeSet<>(SERVERS))) {
            throw new DemoFailure(mode + ": expected every request answered by rs1, rs2 and rs3, got " + counts);
        }
    }

    private String[] jvm(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp", classpath, mainClass));
        command.addAll(Arrays.asList(args));
        return command.toArray(String[]::new);
    }

    private Result jvsadm(String... args) {
        return run(PREFIX + "dir", jvm("org.jvs.app.Jvsadm", args));
    }

    private Result jvsadmOrFail(String... args) {
        Result result = jvsadm(args);
        if (result.exit() != 0) {
            throw new DemoFailure("jvsadm " + String.join(" ", args) + " failed: " + result.firstWords());
        }
        return result;
    }

    private String namespace(String role) {
        String ns = PREFIX + role;
        if (Files.exists(Path.of("/run/netns", ns))) {
            deleteNamespace(ns); // left by an interrupted earlier demo
        }
        execute(List.of("ip", "netns", "add", ns), true);
        namespaces.add(ns);
        ip(ns, "link", "set", "lo", "up");
        return ns;
    }

    private void veth(String nsA, String ifA, String nsB, String ifB) {
        execute(List.of("ip", "-n", nsA, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", nsB), true);
        ip(nsA, "link", "set", ifA, "up");
        ip(nsB, "link", "set", ifB, "up");
    }

    private void bridge(String ns, String name, List<String> ports) {
        ip(ns, "link", "add", name, "type", "bridge", "stp_state", "0", "forward_delay", "0");
        for (String port : ports) {
            ip(ns, "link", "set", port, "master", name);
        }
        ip(ns, "link", "set", name, "up");
    }

    private void noReversePathFilter(String ns) {
        for (String scope : List.of("all", "default")) {
            check(ns, "sysctl", "-qw", "net.ipv4.conf." + scope + ".rp_filter=0");
        }
        for (String dev : List.of("eth0", "eth1")) {
            check(ns, "sysctl", "-qw", "net.ipv4.conf." + dev + ".rp_filter=0");
        }
    }

    private void ip(String ns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(Arrays.asList(args));
        check(ns, command.toArray(String[]::new));
    }

    private void check(String ns, String... command) {
        execute(inNamespace(ns, command), true);
    }

    private Result run(String ns, String... command) {
        return execute(inNamespace(ns, command), false);
    }

    private static List<String> inNamespace(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(command));
        return full;
    }

    private Process spawn(String ns, String label, String... command) {
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
    private String lastLine(String label) {
        try {
            List<String> lines = Files.readAllLines(workDir.resolve(label + ".log"));
            return lines.isEmpty() ? "(no output)" : lines.getLast();
        } catch (IOException e) {
            return "(no output)";
        }
    }

    private void stop(Process process) {
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

    private synchronized void teardown() {
        new ArrayList<>(processes).forEach(this::stop);
        for (String ns : namespaces.reversed()) {
            deleteNamespace(ns);
        }
        namespaces.clear();
        if (workDir != null) {
            try (var paths = Files.walk(workDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temporary directory is harmless
            }
            workDir = null;
        }
    }

    /** Whatever still runs in a demo namespace was started by the demo; kill it so the namespace can go. */
    private void deleteNamespace(String ns) {
        for (String pid : execute(List.of("ip", "netns", "pids", ns), false).out().split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        execute(List.of("ip", "netns", "del", ns), false);
    }

    private static void requireTool(String tool) {
        if (!onPath(tool)) {
            throw new DemoFailure("needs '" + tool + "' on the PATH");
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String failure) {
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
            Path output = Files.createTempFile(PREFIX, ".out");
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

    private record Result(int exit, String out) {
        String firstWords() {
            String line = out.strip().lines().findFirst().orElse(exit == -1 ? "timed out" : "exit " + exit);
            return line.length() > 200 ? line.substring(0, 200) + "..." : line;
        }
    }

    /** A reason the demo cannot go on, worded for the person who ran it. */
    private static final class DemoFailure extends RuntimeException {
        DemoFailure(String reason) {
            super(reason, null, false, false);
        }
    }
}
