package org.jvs.app;

import org.jvs.app.demo.ConnectionHops;
import org.jvs.app.demo.DemoFailure;
import org.jvs.app.demo.DemoLab;
import org.jvs.app.demo.Hop;
import org.jvs.app.demo.HopFormatter;
import org.jvs.app.demo.LinkCaptures;
import org.jvs.service.Ipv4;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code ./jvs demo}: builds a throw-away lab of network namespaces (client, director, three real servers running a
 * tiny HTTP server that answers with its own name) and shows JVS balancing real HTTP requests in NAT, full NAT, TUN
 * and DR, one after the other. For each it then opens one more connection while capturing on the client's and the
 * real servers' links, and prints its SYN and SYN-ACK as each link saw them: the seed's steps, hop by hop. Needs
 * root and only what a fresh machine has: iproute2, curl, python3 (or the JDK's jwebserver).
 *
 * <p>Layout as the kernel's IPVS selftest (ipvs.sh): client 198.51.100.2 - director 198.51.100.1 / 192.0.2.1 - a
 * bridge with rs1..rs3 (192.0.2.11-13), plus a return segment 198.18.10.0/24 client - real servers that DR and TUN
 * replies take straight to the client. The VIP 203.0.113.10 is on the director's lo. The MACs that DR rewrites are
 * 02:00 followed by the interface's IPv4 address in hex. Nothing links to the root namespace; everything is deleted
 * at the end, also on failure or Ctrl-C.
 *
 * <p>Then the IPv6 round: the same lab carries 2001:db8:c::/64 between client and director and 2001:db8:a::/64
 * inside; an IPv6 client reaches the IPv6 VIP 2001:db8:f::10 through NAT66 (IPv6 real servers 2001:db8:a::11-13) and
 * through NAT64 (full NAT to the real servers' IPv4 addresses from the local address 192.0.2.100, RFC 7915).
 */
public final class Demo {
    private static final String VIP = "203.0.113.10";
    private static final int HTTP_PORT = 80;
    private static final String DIRECTOR_INSIDE = "192.0.2.1";
    private static final String CLIENT_RETURN = "198.18.10.2";
    private static final List<String> SERVERS = List.of("rs1", "rs2", "rs3");
    private static final int DEFAULT_REQUESTS = 12;
    private static final int MAX_REQUESTS = 300;
    private static final long CAPTURE_MAX_MS = 15_000;
    private static final long HOPS_WAIT_MS = 2_000;
    private static final String VIP6 = "2001:db8:f::10";
    private static final String CLIENT6 = "2001:db8:c::2";
    private static final String DIRECTOR_OUTSIDE6 = "2001:db8:c::1";
    private static final String DIRECTOR_INSIDE6 = "2001:db8:a::1";
    private static final String LOCAL_ADDRESS64 = "192.0.2.100";

    /** The IPv6 rounds: an IPv6 client and VIP, IPv6 real servers (NAT66) or IPv4 ones (NAT64). */
    private enum Mode6 {
        NAT66("NAT66", "-m", "the director rewrites the IPv6 destination and the reply's source, as NAT does for IPv4"),
        NAT64("NAT64", "-b", "full NAT across families: an IPv6 request leaves as IPv4 from the local address "
                + LOCAL_ADDRESS64 + " to an IPv4 real server, and the reply returns as IPv6 (RFC 7915)");

        final String title;
        final String flag;
        final String story;

        Mode6(String title, String flag, String story) {
            this.title = title;
            this.flag = flag;
            this.story = story;
        }
    }

    /** The forwarding methods in the order shown, with their ipvsadm flag. */
    private enum Mode {
        NAT("NAT", "-m", "the director rewrites the request's destination and the reply's source;"
                + " it is the real servers' gateway"),
        FULL_NAT("full NAT", "-b", "the director rewrites source and destination both ways;"
                + " the real servers have no route to the client"),
        TUN("TUN", "-i", "the director wraps the request in IPIP to the real server;"
                + " the reply goes straight to the client"),
        DR("DR", "-g", "the director changes only the MACs (02:00 + IPv4 in hex);"
                + " the reply goes straight to the client");

        final String title;
        final String flag;
        final String story;

        Mode(String title, String flag, String story) {
            this.title = title;
            this.flag = flag;
            this.story = story;
        }

        boolean replyViaDirector() {
            return this == NAT || this == FULL_NAT;
        }
    }

    private final DemoLab lab;
    private final String java = ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    private final String classpath = System.getProperty("java.class.path");

    private Demo(DemoLab lab) {
        this.lab = lab;
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
        DemoLab lab = null;
        Thread hook = null;
        try {
            if (!"root".equals(System.getProperty("user.name"))) {
                throw new DemoFailure("needs root: it creates network namespaces (try: sudo ./jvs demo)");
            }
            for (String tool : List.of("ip", "curl")) {
                DemoLab.requireTool(tool);
            }
            lab = new DemoLab();
            hook = new Thread(lab::teardown, "jvs-demo-teardown");
            Runtime.getRuntime().addShutdownHook(hook);
            new Demo(lab).show(requests);
            System.out.println();
            System.out.println("demo: NAT, full NAT, TUN and DR all balanced every request over rs1, rs2 and rs3,"
                    + " and so did NAT66 and NAT64 for an IPv6 client");
            return 0;
        } catch (DemoFailure e) {
            System.err.println("jvs demo: " + e.getMessage());
            return 1;
        } finally {
            if (lab != null) {
                lab.teardown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs the same idempotent teardown
                }
            }
        }
    }

    private void show(int requests) {
        buildLab();
        startHttpServers();
        for (Mode mode : Mode.values()) {
            demonstrate(mode, requests);
        }
        addIpv6();
        for (Mode6 mode : Mode6.values()) {
            demonstrate6(mode, requests);
        }
    }

    /** IPv6 beside IPv4 (no duplicate address detection, so the addresses are usable at once). */
    private void addIpv6() {
        String cli = lab.ns("cli");
        String dir = lab.ns("dir");
        lab.ip(cli, "-6", "addr", "add", CLIENT6 + "/64", "dev", "eth0", "nodad");
        lab.ip(cli, "-6", "route", "add", "default", "via", DIRECTOR_OUTSIDE6);
        lab.ip(dir, "-6", "addr", "add", DIRECTOR_OUTSIDE6 + "/64", "dev", "eth0", "nodad");
        lab.ip(dir, "-6", "addr", "add", DIRECTOR_INSIDE6 + "/64", "dev", "eth1", "nodad");
        for (int i = 0; i < SERVERS.size(); i++) {
            String rs = lab.ns(SERVERS.get(i));
            lab.ip(rs, "-6", "addr", "add", rip6(i) + "/64", "dev", "eth0", "nodad");
            lab.ip(rs, "-6", "route", "replace", "default", "via", DIRECTOR_INSIDE6);
        }
        System.out.println();
        System.out.println("lab, IPv6: client " + CLIENT6 + " -> director (VIP " + VIP6 + ", inside "
                + DIRECTOR_INSIDE6 + ") -> rs1..rs3 2001:db8:a::11-13");
    }

    private void demonstrate6(Mode6 mode, int requests) {
        System.out.println();
        System.out.println("=== " + mode.title + " (" + mode.flag + ", IPv6 client) ===");
        System.out.println(mode.story);
        for (String name : SERVERS) {
            String rs = lab.ns(name);
            if (mode == Mode6.NAT64) {
                lab.run(rs, "ip", "route", "del", "default"); // full NAT: the local address is on-link
            }
        }
        Process process = startDirector("director-" + mode);
        String service = "[" + VIP6 + "]:" + HTTP_PORT;
        jvsadmOrFail("-A", "-t", service, "-s", "rr");
        for (int i = 0; i < SERVERS.size(); i++) {
            String real = mode == Mode6.NAT66 ? "[" + rip6(i) + "]:" + HTTP_PORT : rip(i) + ":" + HTTP_PORT;
            jvsadmOrFail("-a", "-t", service, "-r", real, mode.flag, "-w", "1");
        }
        if (mode == Mode6.NAT64) {
            // a local address of its own: the IPv4 full-NAT round used the director's address, and the real servers
            // still hold those connections in TIME_WAIT, which a new one from the same address and port would meet
            jvsadmOrFail("-P", "-t", service, "-z", LOCAL_ADDRESS64, "-F", "eth1");
        }
        String url = "http://[" + VIP6 + "]/";
        balance(mode.title, url, requests);
        lab.stop(process);
    }

    private void buildLab() {
        String cli = lab.namespace("cli");
        String dir = lab.namespace("dir");
        String sw = lab.namespace("sw");
        lab.veth(cli, "eth0", mac("198.51.100.2"), dir, "eth0", mac("198.51.100.1"));
        lab.veth(dir, "eth1", mac(DIRECTOR_INSIDE), sw, "dir", null);
        lab.veth(cli, "eth1", mac(CLIENT_RETURN), sw, "cli", null);
        List<String> inside = new ArrayList<>(List.of("dir"));
        List<String> back = new ArrayList<>(List.of("cli"));
        for (int i = 0; i < SERVERS.size(); i++) {
            String rs = lab.namespace(SERVERS.get(i));
            lab.veth(rs, "eth0", mac(rip(i)), sw, SERVERS.get(i), null);
            lab.veth(rs, "eth1", mac(returnAddress(i)), sw, SERVERS.get(i) + "r", null);
            inside.add(SERVERS.get(i));
            back.add(SERVERS.get(i) + "r");
            lab.noReversePathFilter(rs);
            lab.ip(rs, "addr", "add", rip(i) + "/24", "dev", "eth0");
            lab.ip(rs, "addr", "add", returnAddress(i) + "/24", "dev", "eth1");
        }
        lab.bridge(sw, "br0", inside);
        lab.bridge(sw, "br1", back);
        lab.noReversePathFilter(cli);
        lab.ip(cli, "addr", "add", "198.51.100.2/24", "dev", "eth0");
        lab.ip(cli, "addr", "add", CLIENT_RETURN + "/24", "dev", "eth1");
        lab.ip(cli, "route", "add", "default", "via", "198.51.100.1");
        lab.ip(dir, "addr", "add", "198.51.100.1/24", "dev", "eth0");
        lab.ip(dir, "addr", "add", DIRECTOR_INSIDE + "/24", "dev", "eth1");
        lab.ip(dir, "addr", "add", VIP + "/32", "dev", "lo");
        lab.check(dir, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        System.out.println("lab: client 198.51.100.2 -> director (VIP " + VIP + ", inside " + DIRECTOR_INSIDE
                + ") -> rs1..rs3 192.0.2.11-13");
    }

    private void startHttpServers() {
        for (String name : SERVERS) {
            Path site = lab.workDir().resolve(name);
            try {
                Files.createDirectories(site);
                Files.writeString(site.resolve("index.html"), name + "\n");
            } catch (IOException e) {
                throw new DemoFailure("cannot write the page of " + name + ": " + e.getMessage());
            }
            Path python = Path.of("/usr/bin/python3");
            List<String> server = Files.isExecutable(python) || DemoLab.onPath("python3")
                    ? List.of(Files.isExecutable(python) ? python.toString() : "python3", "-m", "http.server",
                    "--bind", "::", "--directory", site.toString(), String.valueOf(HTTP_PORT))
                    : List.of(Path.of(java).resolveSibling("jwebserver").toString(), "-b", "::", "-p",
                    String.valueOf(HTTP_PORT), "-d", site.toString());
            lab.spawn(lab.ns(name), name + "-http", server.toArray(String[]::new));
        }
        for (String name : SERVERS) {
            DemoLab.awaitTrue(() -> lab.run(lab.ns(name), "ss", "-Hlnt").out().contains(":" + HTTP_PORT + " "),
                    "the HTTP server of " + name + " did not start");
        }
    }

    private void demonstrate(Mode mode, int requests) {
        System.out.println();
        System.out.println("=== " + mode.title + " (" + mode.flag + ") ===");
        System.out.println(mode.story);
        List<Process> helpers = prepareRealServers(mode);
        Process process = startDirector("director-" + mode);
        jvsadmOrFail("-A", "-t", VIP + ":" + HTTP_PORT, "-s", "rr");
        for (int i = 0; i < SERVERS.size(); i++) {
            jvsadmOrFail("-a", "-t", VIP + ":" + HTTP_PORT, "-r", rip(i) + ":" + HTTP_PORT, mode.flag, "-w", "1");
        }
        balance(mode.title, "http://" + VIP + "/", requests);
        showOneConnection(mode);
        lab.stop(process);
        helpers.forEach(lab::stop);
    }

    /** Starts ./jvs director in the director's namespace and waits until jvsadm reaches it. */
    private Process startDirector(String name) {
        Process process = lab.spawn(lab.ns("dir"), name, jvm("org.jvs.app.Jvs", "director"));
        DemoLab.awaitTrue(() -> {
            if (!process.isAlive()) {
                throw new DemoFailure("the director exited: " + lab.lastLine(name));
            }
            return jvsadm("-L", "-n").exit() == 0;
        }, "the director did not become ready");
        return process;
    }

    /** {@code requests} HTTP requests from the client to {@code url}; each of rs1..rs3 must answer some, none fail. */
    private void balance(String title, String url, int requests) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < requests; i++) {
            DemoLab.Result answer = httpGet(url);
            counts.merge(answer.exit() == 0 ? answer.out().strip() : "failed", 1, Integer::sum);
        }
        System.out.println("$ ./jvsadm -L -n --stats");
        System.out.print(jvsadmOrFail("-L", "-n", "--stats").out());
        System.out.println(requests + " HTTP requests from the client to " + url + " answered by: " + counts);
        if (counts.containsKey("failed") || !counts.keySet().equals(new TreeSet<>(SERVERS))) {
            throw new DemoFailure(title + ": expected every request answered by rs1, rs2 and rs3, got " + counts);
        }
    }

    /** Routes and VIP handling on the real servers as the mode needs them; returns helpers to stop afterwards. */
    private List<Process> prepareRealServers(Mode mode) {
        List<Process> helpers = new ArrayList<>();
        for (String name : SERVERS) {
            String rs = lab.ns(name);
            switch (mode) {
                case NAT -> lab.ip(rs, "route", "replace", "default", "via", DIRECTOR_INSIDE);
                // no route to the client at all: only the director's inside address, on their own subnet, is reachable
                case FULL_NAT -> lab.run(rs, "ip", "route", "del", "default");
                default -> lab.ip(rs, "route", "replace", "default", "via", CLIENT_RETURN);
            }
            lab.run(rs, "ip", "addr", "del", VIP + "/32", "dev", "lo");
            if (mode == Mode.DR) {
                lab.check(rs, jvm("org.jvs.app.Jvs", "realserver", "--vip", VIP, "--mode", "dr"));
            } else if (mode == Mode.TUN) {
                Process helper = lab.spawn(rs, name + "-tun", jvm("org.jvs.app.Jvs", "realserver", "--vip", VIP,
                        "--mode", "tun"));
                helpers.add(helper);
                DemoLab.awaitTrue(() -> {
                    if (!helper.isAlive()) {
                        throw new DemoFailure("'jvs realserver --mode tun' in " + name + " exited: "
                                + lab.lastLine(name + "-tun"));
                    }
                    return lab.run(rs, "ip", "-o", "addr", "show", "dev", "lo").out().contains(" " + VIP + "/");
                }, "'jvs realserver --mode tun' in " + name + " did not put the VIP on lo");
            }
        }
        return helpers;
    }

    /** One more request, captured on the client's and the real servers' links; prints its opening hop by hop. */
    private void showOneConnection(Mode mode) {
        List<LinkCaptures.Point> points = new ArrayList<>();
        points.add(new LinkCaptures.Point(lab.ns("cli"), "eth0", Hop.CLIENT_SIDE));
        if (!mode.replyViaDirector()) {
            points.add(new LinkCaptures.Point(lab.ns("cli"), "eth1", Hop.RETURN_LINK));
        }
        for (String name : SERVERS) {
            points.add(new LinkCaptures.Point(lab.ns(name), "eth0", Hop.REAL_SERVER_SIDE));
        }
        int vip = Ipv4.parse(VIP);
        ConnectionHops hops;
        DemoLab.Result answer;
        try {
            LinkCaptures captures = LinkCaptures.start(points, CAPTURE_MAX_MS);
            try {
                answer = httpGet("http://" + VIP + "/");
                long deadlineNs = System.nanoTime() + HOPS_WAIT_MS * 1_000_000;
                do {
                    hops = ConnectionHops.of(captures.seen(), vip, HTTP_PORT);
                } while (!hops.missing(mode.replyViaDirector()).isEmpty() && System.nanoTime() < deadlineNs
                        && pause());
            } finally {
                captures.stop();
            }
        } catch (IOException e) {
            throw new DemoFailure(mode.title + ": " + e.getMessage());
        }
        String server = answer.exit() == 0 ? answer.out().strip() : "no one (" + answer.firstWords() + ")";
        System.out.println("one connection, answered by " + server + ", as seen on each link:");
        HopFormatter.format(hops.inOrder(), mode == Mode.DR).forEach(System.out::println);
        List<String> missing = hops.missing(mode.replyViaDirector());
        if (!missing.isEmpty()) {
            throw new DemoFailure(mode.title + ": not seen within " + HOPS_WAIT_MS / 1000 + " s: "
                    + String.join(", ", missing));
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(50);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private DemoLab.Result httpGet(String url) {
        return lab.run(lab.ns("cli"), "curl", "-sS", "-g", "--max-time", "5", url);
    }

    private static String rip(int index) {
        return "192.0.2." + (11 + index);
    }

    private static String rip6(int index) {
        return "2001:db8:a::" + (11 + index);
    }

    private static String returnAddress(int index) {
        return "198.18.10." + (11 + index);
    }

    /** 02:00 and the IPv4 address in hex, so a MAC in the DR hops tells whose it is. */
    private static String mac(String address) {
        int ip = Ipv4.parse(address);
        return String.format("02:00:%02x:%02x:%02x:%02x", ip >>> 24, (ip >>> 16) & 0xFF, (ip >>> 8) & 0xFF, ip & 0xFF);
    }

    private String[] jvm(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp", classpath,
                mainClass));
        command.addAll(Arrays.asList(args));
        return command.toArray(String[]::new);
    }

    private DemoLab.Result jvsadm(String... args) {
        return lab.run(lab.ns("dir"), jvm("org.jvs.app.Jvsadm", args));
    }

    private DemoLab.Result jvsadmOrFail(String... args) {
        DemoLab.Result result = jvsadm(args);
        if (result.exit() != 0) {
            throw new DemoFailure("jvsadm " + String.join(" ", args) + " failed: " + result.firstWords());
        }
        return result;
    }
}
