package org.jvs.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Two JVS directors as a keepalived HA pair with connection sync, as users run one:
 *
 * <pre>
 *  client 198.51.100.10 --+-- [br0] --+-- A eth0 .2 / B eth0 .3      VIP 198.51.100.100 (VI_1)
 *                                     +-- rs1, rs2 eth1 .11, .12     (DR only: their way back to the client)
 *  A eth1 192.0.2.2 / B eth1 .3 --+-- [br1] --+-- rs1 192.0.2.11, rs2 192.0.2.12
 *                                              gateway 192.0.2.254 and full-NAT local address .200 (VI_2)
 * </pre>
 *
 * Both directors read the same keepalived.conf but for router_id and priority (A 150, B 100): {@code state BACKUP}
 * with {@code nopreempt}, VI_1 and VI_2 in one vrrp_sync_group, {@code lvs_sync_daemon eth1 VI_1 id 7}, and one
 * virtual server VIP:80 (rr over both real servers) of the lab's method. NAT real servers route via the floating
 * gateway; full-NAT ones have no route off their LAN (they answer the local address, which floats with VI_2); DR
 * ones hold the VIP on lo and answer the client on their second leg.
 *
 * <p>{@link #crash} is a dead host, not just a dead process: links down with kill -9, so nothing answers ARP for the
 * addresses the process left on its interfaces. {@link #revive} is that host rebooted: no VRRP address left, links
 * up, ./jvs director -f started again.
 */
final class HaPairLab implements AutoCloseable {
    static final String VIP = "198.51.100.100";
    static final String CLIENT = "198.51.100.10";
    static final String GATEWAY = "192.0.2.254";
    static final String LOCAL_ADDRESS = "192.0.2.200";
    static final List<String> RIPS = List.of("192.0.2.11", "192.0.2.12");
    static final int PORT = 80;
    private static final int PREFIX = 24;
    private static final Duration STARTUP = Duration.ofSeconds(30);

    /** The virtual server's lb_kind, as keepalived.conf spells it. */
    enum Method {
        NAT, FNAT, DR
    }

    /** One director of the pair: its namespace, its addresses, the process it runs now. */
    final class Peer {
        final String name;
        final String ns;
        final int priority;
        private final String outside;
        private final String inside;
        private Background process;
        private int starts;

        private Peer(String name, int priority, int hostByte) {
            this.name = name;
            this.priority = priority;
            this.outside = "198.51.100." + hostByte;
            this.inside = "192.0.2." + hostByte;
            this.ns = lab.addNamespace(name);
        }

        /** ./jvs director -f on this peer's configuration; returns once its control socket is up. */
        void start() {
            Path conf = lab.workDir().resolve(name + ".conf");
            try {
                Files.writeString(conf, configuration(this));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Launchers.ensureBuilt();
            starts++;
            process = lab.spawn(ns, "jvs-" + name + "-" + starts, Launchers.JVS, "director", "-f", conf.toString());
            awaitLog("control socket", STARTUP);
        }

        /** Waits for a line of this run's log containing {@code text}; fails the test with the log's tail if none. */
        void awaitLog(String text, Duration timeout) {
            if (process.awaitLine(Pattern.quote(text), timeout).isEmpty()) {
                throw new AssertionError("director " + name + " never logged '" + text + "' within " + timeout
                        + ":\n" + process.tail(30));
            }
        }

        /** A dead host: its links go down and its director is killed with SIGKILL, no goodbye advert. */
        void crash() {
            lab.check(ns, "ip", "link", "set", "eth0", "down");
            lab.check(ns, "ip", "link", "set", "eth1", "down");
            process.kill();
        }

        /** SIGTERM to the director; its exit code, or -1 if it had not ended within {@code timeout}. */
        int terminate(Duration timeout) {
            return process.terminate(timeout);
        }

        /** The host back from a reboot: none of the VRRP addresses it held, links up, the director started again. */
        void revive() {
            for (String[] leftover : vrrpAddresses()) {
                lab.run(ns, "ip", "addr", "del", leftover[1] + "/" + PREFIX, "dev", leftover[0]);
            }
            lab.up(ns, "eth0");
            lab.up(ns, "eth1");
            start();
        }

        /** {@code ./jvsadm ARGS} in this peer's namespace; it must succeed. */
        String jvsadm(String... args) {
            List<String> command = new ArrayList<>(List.of(Launchers.JVSADM));
            command.addAll(List.of(args));
            CommandResult result = lab.run(ns, Duration.ofSeconds(30), command.toArray(String[]::new));
            if (!result.ok()) {
                throw new AssertionError("director " + name + ": " + result.describe() + "; log: " + log());
            }
            return result.stdout();
        }

        /** {@code ./jvs counters} of this peer, for failure messages (the data plane's and the sync daemons'). */
        String counters() {
            CommandResult result = lab.run(ns, Duration.ofSeconds(30), Launchers.JVS, "counters");
            return result.ok() ? result.stdout() : result.describe();
        }

        /** This peer's /metrics, from its HTTP endpoint on its namespace's loopback. */
        String metrics() {
            CommandResult result = lab.run(ns, Duration.ofSeconds(30), "curl", "-sS", "--max-time", "10",
                    "http://127.0.0.1:9947/metrics");
            if (!result.ok()) {
                throw new AssertionError("director " + name + ": " + result.describe() + "; log: " + log());
            }
            return result.stdout();
        }

        /** The last lines this run of the director printed, for failure messages. */
        String log() {
            return process == null ? "(not started)" : process.tail(20);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    final Lab lab;
    final Method method;
    /** The sync daemons' multicast group (lvs_sync_daemon's group), or null for the kernel's 224.0.0.81. */
    private final String syncGroup;
    final String client;
    final Peer a;
    final Peer b;
    final List<String> realServers = new ArrayList<>();
    final List<NginxServer> nginx = new ArrayList<>();

    private HaPairLab(Lab lab, Method method, String syncGroup) {
        this.lab = lab;
        this.method = method;
        this.syncGroup = syncGroup;
        String lan = lab.addNamespace("lan");
        client = lab.addNamespace("cl");
        a = new Peer("a", 150, 2);
        b = new Peer("b", 100, 3);
        for (int i = 0; i < RIPS.size(); i++) {
            realServers.add(lab.addNamespace("rs" + (i + 1)));
        }
        wire(lan);
    }

    /** Builds the lab and its nginx servers (nothing of JVS runs yet); on failure tears down what was built. */
    static HaPairLab build(String labName, Method method) {
        return build(labName, method, null);
    }

    /** As {@link #build(String, Method)} with the sync daemons on multicast group {@code syncGroup}. */
    static HaPairLab build(String labName, Method method, String syncGroup) {
        Lab lab = new Lab(labName);
        try {
            return new HaPairLab(lab, method, syncGroup);
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void wire(String lan) {
        List<String> clientSide = new ArrayList<>(List.of("c0", "a0", "b0"));
        List<String> serverSide = new ArrayList<>(List.of("a1", "b1"));
        lab.veth(lan, "c0", client, "eth0");
        for (Peer peer : List.of(a, b)) {
            lab.veth(lan, peer.name + "0", peer.ns, "eth0");
            lab.veth(lan, peer.name + "1", peer.ns, "eth1");
            lab.address(peer.ns, "eth0", peer.outside + "/" + PREFIX);
            lab.address(peer.ns, "eth1", peer.inside + "/" + PREFIX);
        }
        lab.address(client, "eth0", CLIENT + "/" + PREFIX);
        for (int i = 0; i < realServers.size(); i++) {
            String rs = realServers.get(i);
            lab.veth(lan, "s" + (i + 1), rs, "eth0");
            serverSide.add("s" + (i + 1));
            lab.address(rs, "eth0", RIPS.get(i) + "/" + PREFIX);
            switch (method) {
                case NAT -> lab.route(rs, "default", "via", GATEWAY);
                case FNAT -> { } // on-link only: the local address is all it ever answers
                case DR -> {
                    // the VIP comes in on eth0, the answer leaves by eth1: asymmetric on purpose
                    lab.veth(lan, "s" + (i + 1) + "r", rs, "eth1");
                    clientSide.add("s" + (i + 1) + "r");
                    for (String key : List.of("all", "default", "eth0", "eth1")) {
                        lab.sysctl(rs, "net.ipv4.conf." + key + ".rp_filter", "0");
                    }
                    lab.address(rs, "eth1", "198.51.100." + (11 + i) + "/" + PREFIX);
                }
            }
        }
        lab.bridge(lan, "br0", clientSide.toArray(String[]::new));
        lab.bridge(lan, "br1", serverSide.toArray(String[]::new));
        if (method == Method.DR) {
            Launchers.ensureBuilt();
            for (String rs : realServers) {
                lab.check(rs, Launchers.JVS, "realserver", "--vip", VIP, "--mode", "dr");
            }
        }
    }

    /**
     * nginx on every real server, page = its name, with {@code fileName} under /slow/ (sent at
     * {@link NginxServer#SLOW_RATE}); full NAT's listeners expect a PROXY header. DR servers listen on the VIP.
     */
    void startNginx(Path file, String fileName) {
        for (int i = 0; i < realServers.size(); i++) {
            String name = "rs" + (i + 1);
            String address = method == Method.DR ? VIP : RIPS.get(i);
            NginxServer server = new NginxServer(lab, realServers.get(i), name + "-nginx", address, PORT, name,
                    method == Method.FNAT);
            try {
                Files.createLink(server.root().resolve("slow").resolve(fileName), file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.start();
            nginx.add(server);
        }
    }

    /** The other director of the pair. */
    Peer other(Peer peer) {
        return peer == a ? b : a;
    }

    /** {interface, address} of every address VRRP moves: VI_1's VIP, VI_2's gateway and local address. */
    private static List<String[]> vrrpAddresses() {
        return List.of(new String[] {"eth0", VIP}, new String[] {"eth1", GATEWAY},
                new String[] {"eth1", LOCAL_ADDRESS});
    }

    private String configuration(Peer peer) {
        StringBuilder realServerBlocks = new StringBuilder();
        for (String rip : RIPS) {
            realServerBlocks.append("""
                        real_server %s %d {
                            weight 1
                        }
                    """.formatted(rip, PORT));
        }
        String fullNat = method == Method.FNAT
                ? "    laddr_group_name laddr_ha\n    proxy_protocol v2\n" : "";
        return """
                ! HA pair member %1$s (HaPairLab): the same file on both but for router_id and priority
                global_defs {
                    router_id jvs_%1$s
                    lvs_sync_daemon eth1 VI_1 id 7%11$s
                }

                vrrp_sync_group HA {
                    group {
                        VI_1
                        VI_2
                    }
                }

                vrrp_instance VI_1 {
                    state BACKUP
                    nopreempt
                    interface eth0
                    virtual_router_id 51
                    priority %2$d
                    advert_int 1
                    virtual_ipaddress {
                        %3$s/%8$d dev eth0
                    }
                }

                vrrp_instance VI_2 {
                    state BACKUP
                    nopreempt
                    interface eth1
                    virtual_router_id 52
                    priority %2$d
                    advert_int 1
                    virtual_ipaddress {
                        %4$s/%8$d dev eth1
                        %5$s/%8$d dev eth1
                    }
                }

                local_address_group laddr_ha {
                    %5$s eth1
                }

                virtual_server %3$s %9$d {
                    lb_algo rr
                    lb_kind %6$s
                    protocol TCP
                %10$s%7$s}
                """.formatted(peer.name, peer.priority, VIP, GATEWAY, LOCAL_ADDRESS, method.name(),
                realServerBlocks, PREFIX, PORT, fullNat, syncGroup == null ? "" : " group " + syncGroup);
    }

    @Override
    public void close() {
        lab.close();
    }
}
