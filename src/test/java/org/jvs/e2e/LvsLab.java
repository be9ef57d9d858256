package org.jvs.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of the kernel's IPVS selftest (tools/testing/selftests/net/ipvs.sh) with three real servers:
 *
 * <pre>
 *  client 198.51.100.2 ----------- 198.51.100.1 director 192.0.2.1 --+-- [sw: br0] --+-- rs1..rs3 192.0.2.11-13
 *         198.18.10.2 --+-- [sw: br1] ------------------------------------------------+-- rs1..rs3 198.18.10.11-13
 * </pre>
 *
 * The second segment is the direct return path DR and TUN replies take (VIP -> client without the director); NAT real
 * servers route back through the director instead. In IPv6 the same layout has 2001:db8:c::/64 for the client's side,
 * 2001:db8:a::/64 for the real servers' (rs1..rs3 ::11-13), 2001:db8:b::/64 for the return segment and the VIP
 * 2001:db8:f::10; NAT64 has the IPv6 client side and VIP with the IPv4 real servers, reached by full NAT from the
 * IPv4 local address 192.0.2.101. The switch namespace holds both bridges, so the director sees only
 * its own two veths. Offloads stay at their defaults: the director must cope with GSO frames and partial checksums.
 */
final class LvsLab implements AutoCloseable {
    static final String VIP = "203.0.113.10";
    static final String CLIENT = "198.51.100.2";
    static final String DIRECTOR_OUTSIDE = "198.51.100.1";
    static final String DIRECTOR_INSIDE = "192.0.2.1";
    static final String CLIENT_RETURN = "198.18.10.2";
    static final List<String> RIPS = List.of("192.0.2.11", "192.0.2.12", "192.0.2.13");
    static final List<String> NAMES = List.of("rs1", "rs2", "rs3");
    static final int HTTP_PORT = 80;
    static final int MAPPED_HTTP_PORT = 8080;
    static final int ECHO_PORT = 5001;
    static final int UDP_PORT = 5353;
    static final String VIP6 = "2001:db8:f::10";
    static final String CLIENT6 = "2001:db8:c::2";
    static final String DIRECTOR_OUTSIDE6 = "2001:db8:c::1";
    static final String DIRECTOR_INSIDE6 = "2001:db8:a::1";
    static final String CLIENT_RETURN6 = "2001:db8:b::2";
    static final List<String> RIPS6 = List.of("2001:db8:a::11", "2001:db8:a::12", "2001:db8:a::13");
    /** Full NAT's local address in the IPv6 lab (the director has no IPv6 fallback to its own address). */
    static final String LIP6 = "2001:db8:a::101";
    /** Full NAT's IPv4 local address in the NAT64 lab. */
    static final String LIP_NAT64 = "192.0.2.101";
    /** The system interpreter when there is one: version-manager shims (pyenv) can take seconds per start. */
    static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(30);

    /** The family of the lab's addresses (client, VIP, real servers); each family is wired by its own code. */
    enum AddressFamily {
        IPV4,
        IPV6,
        /** An IPv6 client and VIP, IPv4 real servers: the director translates (NAT64 by full NAT). */
        NAT64;

        /** How a host finds the link address of a neighbour in this family: ARP (ND for IPv6). */
        String neighbourProtocol() {
            return switch (this) {
                case IPV4 -> "ARP";
                case IPV6, NAT64 -> "ND";
            };
        }

        /** The client, its segment and the VIP are IPv6. */
        boolean clientIpv6() {
            return this != IPV4;
        }

        /** The real servers and their segments are IPv6. */
        boolean serversIpv6() {
            return this == IPV6;
        }

        @Override
        public String toString() {
            return switch (this) {
                case IPV4 -> "IPv4";
                case IPV6 -> "IPv6";
                case NAT64 -> "NAT64";
            };
        }
    }

    /** How packets for the VIP reach the director. */
    enum VipPlacement {
        /** VIP on the director's lo, ip_forward=1, client routes via the director (as ipvs.sh does). */
        DIRECTOR_LO,
        /** VIP configured nowhere on the director, ip_forward=0; the client sees the VIP on-link and the director answers ARP for it. */
        ARP_ONLY
    }

    /** Where real servers send their replies. */
    enum ReturnPath {
        /** Default route via the director (NAT). */
        VIA_DIRECTOR,
        /** Default route via the client's return-segment address (DR, TUN). */
        DIRECT,
        /**
         * No route at all: no default route, return segment down and without its address, so only the director's
         * own addresses on 192.0.2.0/24 (full NAT's local addresses) are reachable.
         */
        NONE
    }

    final Lab lab;
    final AddressFamily family;
    final String client;
    final String director;
    final String fabric;
    final List<String> realServers = new ArrayList<>();
    /** This lab's addresses, in its family: the VIP, the client's, the director's on either side. */
    final String vip;
    final String clientAddress;
    final String directorOutside;
    final String directorInside;
    final String clientReturn;
    /** The real servers' addresses, in the order of {@link #realServers}. */
    final List<String> rips;
    /** The full-NAT local addresses a service needs in this family (none in IPv4: the director's own serves). */
    final List<String> localAddresses;
    private Path tcpcheck;

    private LvsLab(Lab lab, AddressFamily family, VipPlacement placement, ReturnPath returnPath) {
        this.lab = lab;
        this.family = family;
        vip = family.clientIpv6() ? VIP6 : VIP;
        clientAddress = family.clientIpv6() ? CLIENT6 : CLIENT;
        directorOutside = family.clientIpv6() ? DIRECTOR_OUTSIDE6 : DIRECTOR_OUTSIDE;
        directorInside = family.serversIpv6() ? DIRECTOR_INSIDE6 : DIRECTOR_INSIDE;
        clientReturn = family.serversIpv6() ? CLIENT_RETURN6 : CLIENT_RETURN;
        rips = family.serversIpv6() ? RIPS6 : RIPS;
        localAddresses = switch (family) {
            case IPV4 -> List.of();
            case IPV6 -> List.of(LIP6);
            case NAT64 -> List.of(LIP_NAT64);
        };
        client = lab.addNamespace("cli");
        director = lab.addNamespace("dir");
        fabric = lab.addNamespace("sw");
        for (String name : NAMES) {
            realServers.add(lab.addNamespace(name));
        }
        wire();
        placeVip(placement);
        if (returnPath == ReturnPath.NONE) {
            isolateRealServers();
        } else {
            routeReplies(returnPath);
        }
    }

    /** Builds the lab; on any failure what was built is torn down before the exception leaves. */
    static LvsLab build(String name, AddressFamily family, VipPlacement placement, ReturnPath returnPath) {
        Lab lab = new Lab(name);
        try {
            return new LvsLab(lab, family, placement, returnPath);
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void wire() {
        lab.veth(client, "eth0", director, "eth0");
        lab.veth(director, "eth1", fabric, "dir");
        lab.veth(client, "eth1", fabric, "cli");
        List<String> serverPorts = new ArrayList<>(List.of("dir"));
        List<String> returnPorts = new ArrayList<>(List.of("cli"));
        for (int i = 0; i < realServers.size(); i++) {
            String rs = realServers.get(i);
            lab.veth(rs, "eth0", fabric, NAMES.get(i));
            lab.veth(rs, "eth1", fabric, NAMES.get(i) + "r");
            serverPorts.add(NAMES.get(i));
            returnPorts.add(NAMES.get(i) + "r");
        }
        lab.bridge(fabric, "br0", serverPorts.toArray(String[]::new));
        lab.bridge(fabric, "br1", returnPorts.toArray(String[]::new));

        relaxReversePathFilter(client, "eth0", "eth1");
        lab.address(client, "eth0", clientAddress + prefix(family.clientIpv6()));
        lab.address(client, "eth1", clientReturn + prefix(family.serversIpv6()));
        lab.address(director, "eth0", directorOutside + prefix(family.clientIpv6()));
        lab.address(director, "eth1", directorInside + prefix(family.serversIpv6()));
        for (int i = 0; i < realServers.size(); i++) {
            String rs = realServers.get(i);
            relaxReversePathFilter(rs, "eth0", "eth1");
            // lets a UDP server bind the VIP before the real-server helper puts it on lo
            lab.sysctl(rs, family.serversIpv6() ? "net.ipv6.ip_nonlocal_bind" : "net.ipv4.ip_nonlocal_bind", "1");
            lab.address(rs, "eth0", rips.get(i) + prefix(family.serversIpv6()));
            lab.address(rs, "eth1", returnAddress(i) + prefix(family.serversIpv6()));
        }
    }

    /** /24 for the lab's IPv4 segments, /64 for its IPv6 ones. */
    private static String prefix(boolean ipv6) {
        return ipv6 ? "/64" : "/24";
    }

    /** An address and port as jvsadm, curl and the logs write them: {@code a.b.c.d:port} or {@code [v6]:port}. */
    static String endpoint(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** Replies from the VIP arrive on the return segment while the VIP routes via the director: asymmetric on purpose. */
    private void relaxReversePathFilter(String ns, String... devices) {
        lab.sysctl(ns, "net.ipv4.conf.all.rp_filter", "0");
        lab.sysctl(ns, "net.ipv4.conf.default.rp_filter", "0");
        for (String dev : devices) {
            lab.sysctl(ns, "net.ipv4.conf." + dev + ".rp_filter", "0");
        }
    }

    private void placeVip(VipPlacement placement) {
        lab.route(client, "default", "via", directorOutside);
        String forwarding = family == AddressFamily.IPV4 ? "net.ipv4.ip_forward" : "net.ipv6.conf.all.forwarding";
        if (placement == VipPlacement.DIRECTOR_LO) {
            lab.address(director, "lo", vip + (family.clientIpv6() ? "/128" : "/32"));
            lab.sysctl(director, forwarding, "1");
        } else if (family.clientIpv6()) {
            // on-link: the client asks for the VIP with Neighbour Discovery, which JVS answers
            lab.route(client, vip + "/128", "dev", "eth0");
            lab.sysctl(director, forwarding, "0");
        } else {
            lab.route(client, VIP + "/32", "dev", "eth0", "scope", "link");
            lab.sysctl(director, "net.ipv4.ip_forward", "0");
        }
    }

    /** (Re)points every real server's default route for the given return path (VIA_DIRECTOR or DIRECT). */
    void routeReplies(ReturnPath returnPath) {
        if (returnPath == ReturnPath.NONE) {
            throw new IllegalArgumentException("real servers of return path NONE have no route to point");
        }
        String gateway = returnPath == ReturnPath.VIA_DIRECTOR ? directorInside : clientReturn;
        for (String rs : realServers) {
            lab.check(rs, "ip", family.serversIpv6() ? "-6" : "-4", "route", "replace", "default", "via", gateway);
        }
    }

    /** Return path NONE: every real server keeps only its on-link 192.0.2.0/24 (2001:db8:a::/64). */
    private void isolateRealServers() {
        for (String rs : realServers) {
            lab.check(rs, "ip", "addr", "flush", "dev", "eth1");
            lab.check(rs, "ip", "link", "set", "eth1", "down");
        }
    }

    String returnAddress(int index) {
        return family.serversIpv6() ? "2001:db8:b::" + (11 + index) : "198.18.10." + (11 + index);
    }

    /**
     * On every real server: HTTP on 80 (page = its name) and 8080 (page = name:8080), the byte-exact echo on
     * ECHO_PORT, and a UDP responder on UDP_PORT answering "name request" from the address it was asked on (bound
     * to the RIP and to the VIP, since an unbound UDP socket would answer DR/TUN requests from its RIP).
     */
    void startServers() {
        Path script = tcpcheckScript();
        boolean ipv6 = family.serversIpv6();
        for (int i = 0; i < realServers.size(); i++) {
            String rs = realServers.get(i);
            String name = NAMES.get(i);
            Path site = page(name, name);
            Path mapped = page(name + "-8080", name + ":8080");
            List<String> bindAll = ipv6 ? List.of("--bind", "::") : List.of();
            lab.spawn(rs, name + "-http", command(List.of(PYTHON, "-m", "http.server", "--directory", site.toString()),
                    bindAll, String.valueOf(HTTP_PORT)));
            lab.spawn(rs, name + "-http8080", command(List.of(PYTHON, "-m", "http.server", "--directory",
                    mapped.toString()), bindAll, String.valueOf(MAPPED_HTTP_PORT)));
            lab.spawn(rs, name + "-echo", command(List.of(PYTHON, script.toString(), "serve", String.valueOf(ECHO_PORT),
                    name), ipv6 ? List.of("::") : List.of()));
            for (String bind : udpBindings(i)) {
                lab.spawn(rs, name + "-udp-" + bind, "socat", (ipv6 ? "UDP6-RECVFROM:" : "UDP4-RECVFROM:") + UDP_PORT
                                + ",bind=" + (ipv6 ? "[" + bind + "]" : bind) + ",fork",
                        "SYSTEM:read -r line; echo \"" + name + " $line\"");
            }
        }
        for (String rs : realServers) {
            awaitListening(rs, "-t", HTTP_PORT);
            awaitListening(rs, "-t", MAPPED_HTTP_PORT);
            awaitListening(rs, "-t", ECHO_PORT);
            awaitListening(rs, "-u", UDP_PORT);
        }
    }

    /**
     * The addresses real server {@code index}'s UDP services bind: its RIP and the VIP, as the real server sees the
     * VIP; in NAT64 only the RIP (the IPv4 real servers never see the IPv6 VIP).
     */
    List<String> udpBindings(int index) {
        return family == AddressFamily.NAT64 ? List.of(rips.get(index)) : List.of(rips.get(index), vip);
    }

    private static String[] command(List<String> start, List<String> middle, String... end) {
        List<String> command = new ArrayList<>(start);
        command.addAll(middle);
        command.addAll(List.of(end));
        return command.toArray(String[]::new);
    }

    private void awaitListening(String ns, String protocolFlag, int port) {
        long deadlineNs = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
        String needle = ":" + port + " ";
        while (System.nanoTime() < deadlineNs) {
            CommandResult sockets = lab.run(ns, "ss", "-Hln", protocolFlag);
            if (sockets.ok() && sockets.stdout().contains(needle)) {
                return;
            }
            Background.sleep(100);
        }
        throw new IllegalStateException("in " + ns + ": nothing listens on port " + port + " after " + LISTEN_TIMEOUT);
    }

    /** Puts a file beside every real server's port-80 page (call before or after startServers). */
    void publish(String fileName, byte[] content) {
        for (String name : NAMES) {
            try {
                Path site = Files.createDirectories(lab.workDir().resolve(name));
                Files.write(site.resolve(fileName), content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What real server {@code index}'s port-80 HTTP server logged so far: one line per request, peer first. */
    String httpLog(int index) {
        try {
            return Files.readString(lab.workDir().resolve(NAMES.get(index) + "-http.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private Path page(String dir, String content) {
        try {
            Path site = Files.createDirectories(lab.workDir().resolve(dir));
            Files.writeString(site.resolve("index.html"), content + "\n");
            return site;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The echo/transfer checker, copied out of the test resources so processes in the namespaces can run it. */
    Path tcpcheckScript() {
        if (tcpcheck == null) {
            tcpcheck = script("/e2e/tcpcheck.py");
        }
        return tcpcheck;
    }

    /** A test resource copied into the lab's work directory, where processes in the namespaces can read it. */
    Path script(String resource) {
        Path copy = lab.workDir().resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try (InputStream in = LvsLab.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    /** A test resource's own file (under target/test-classes), for arguments fixed before any lab exists. */
    static Path resource(String resource) {
        URL url = LvsLab.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("test resource " + resource + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        lab.close();
    }
}
