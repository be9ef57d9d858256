package org.jvs.core;

import java.util.ArrayList;
import java.util.List;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.TcpState;
import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;
import org.jvs.sched.SchedulerChoice;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * {@code ./jvs explain}: what one worker's director does with the flow CLIENT[:CPORT] -> VIP:VPORT, from its
 * tables, as {@link FlowExplanation} steps: for an existing connection what it did (service, real server, template,
 * rewrites, PROXY header, state and time left); for none, what it would do with a new one, decided as
 * {@link ConnectionScheduler} decides but changing nothing: the scheduler is asked through
 * {@link org.jvs.sched.Scheduler#explain}, templates are looked up, never created or re-armed, and the full-NAT
 * local address is read without moving its round robin. Runs on the data-plane thread as a control call; off the
 * hot path, it allocates freely.
 */
final class FlowExplainer {
    /** A client port not given: any connection from the client address matches. */
    static final int ANY_PORT = -1;

    private FlowExplainer() {
    }

    /**
     * The explanation of the client's connection to VIP:VPORT in this director's table ({@link #ANY_PORT}: the
     * first from that address), or null when it has none.
     */
    static FlowExplanation existing(Director director, int protocol, int client, int clientPort, int vip, int vport) {
        ConnectionTable table = director.connections();
        int id = clientPort == ANY_PORT ? findAnyPort(table, protocol, client, vip, vport)
                : table.lookupIn(protocol, client, clientPort, vip, vport);
        return id == ConnectionTable.NONE ? null : explainConnection(director, id);
    }

    private static int findAnyPort(ConnectionTable table, int protocol, int client, int vip, int vport) {
        int[] found = {ConnectionTable.NONE};
        table.forEach(id -> {
            if (found[0] == ConnectionTable.NONE && !table.template(id) && table.protocol(id) == protocol
                    && table.clientAddress(id) == client && table.virtualAddress(id) == vip
                    && table.virtualPort(id) == vport) {
                found[0] = id;
            }
        });
        return found[0];
    }

    private static FlowExplanation explainConnection(Director director, int id) {
        ConnectionTable table = director.connections();
        int protocol = table.protocol(id);
        int client = table.clientAddress(id);
        int clientPort = table.clientPort(id);
        int vip = table.virtualAddress(id);
        int vport = table.virtualPort(id);
        RealServer server = table.realServer(id);
        VirtualService service = server.service();
        List<FlowExplanation.Step> steps = new ArrayList<>();
        steps.add(new FlowExplanation.Step("service", serviceLines(director, service)));
        List<String> scheduler = new ArrayList<>();
        scheduler.add("real server " + Ipv4.toString(table.realAddress(id)) + ":" + table.realPort(id)
                + (server.available() ? "" : " (since removed from the service)")
                + ", chosen when the connection opened; kept for its life");
        if (service != null) {
            SchedulerChoice now = service.scheduler().explain(service, client, clientPort, vip, vport);
            scheduler.add("a new connection from this client would now get (" + exactness(now) + "):");
            indent(now.reasons(), scheduler);
        }
        steps.add(new FlowExplanation.Step("scheduler", scheduler));
        int template = table.controlledBy(id);
        steps.add(new FlowExplanation.Step("persistence", template == ConnectionTable.NONE
                ? List.of(service != null && service.persistenceTimeoutS() > 0 ? "no template (synced or opened"
                        + " before persistence was set)" : "none (the service is not persistent)")
                : List.of("template " + templateText(director, template))));
        steps.add(new FlowExplanation.Step("forwarding", rewrite(director, server.method(), table.tunnel(id), protocol,
                client, clientPort, vip, vport, table.realAddress(id), table.realPort(id), table.localAddress(id),
                table.localPort(id), true)));
        steps.add(new FlowExplanation.Step("PROXY", proxyLines(table.proxyProtocol(id), protocol, client, clientPort,
                vip, vport)));
        long leftNs = Math.max(0, table.expiresAtNs(id) - director.nowNs());
        String state = protocol == Protocol.TCP ? TcpState.name(table.state(id)) : "UDP";
        steps.add(new FlowExplanation.Step("state", List.of(state + (table.inactive(id) ? " (inactive)" : " (active)")
                + ", " + seconds(leftNs) + " left of " + table.timeoutSeconds(id) + " s")));
        return new FlowExplanation(heading(protocol, client, clientPort, vip, vport) + ": an existing connection"
                + worker(director), steps, true);
    }

    /** What a new connection CLIENT:CPORT -> VIP:VPORT would meet ({@link #ANY_PORT}: port-blind choices). */
    static FlowExplanation hypothetical(Director director, int protocol, int client, int clientPort, int vip,
                                        int vport) {
        int port = clientPort == ANY_PORT ? 0 : clientPort;
        String heading = heading(protocol, client, clientPort, vip, vport) + ": no connection; a new one"
                + worker(director);
        List<FlowExplanation.Step> steps = new ArrayList<>();
        ServiceTable services = director.services();
        VirtualService service = services.match(protocol, vip, vport);
        if (service == null) {
            VirtualService held = services.matchEvenOnStandby(protocol, vip, vport);
            steps.add(new FlowExplanation.Step("service", held != null
                    ? List.of("none: " + Ipv4.toString(vip) + " is on VRRP standby (a peer holds it); the packet is"
                            + " not ours and is left to the kernel")
                    : List.of("none: no virtual service " + Protocol.name(protocol) + " " + Ipv4.toString(vip) + ":"
                            + vport + (services.isVirtualAddress(vip) ? " (the VIP has services on other ports)" : "")
                            + "; the packet is not ours and is left to the kernel")));
            return new FlowExplanation(heading, steps, false);
        }
        List<String> serviceLines = serviceLines(director, service);
        if (protocol == Protocol.TCP) {
            serviceLines = new ArrayList<>(serviceLines);
            serviceLines.add("only a SYN opens a connection; any other segment without one is dropped");
        }
        steps.add(new FlowExplanation.Step("service", serviceLines));
        RealServer server = null;
        List<String> persistence = new ArrayList<>();
        if (service.persistenceTimeoutS() > 0) {
            int clientNetwork = client & service.persistenceNetmask();
            boolean ownPort = vport == service.port() && service.port() != 21;
            int template = director.connections().lookupTemplate(protocol, clientNetwork, vip, ownPort ? vport : 0);
            if (template != ConnectionTable.NONE) {
                RealServer kept = director.connections().realServer(template);
                boolean usable = kept.available()
                        && !(director.persistence().expiresQuiescentTemplates() && kept.weight() == 0);
                persistence.add("template " + templateText(director, template));
                if (usable) {
                    server = kept;
                    persistence.add("-> it keeps the client on " + SchedulerChoice.endpoint(kept)
                            + " and is re-armed; the scheduler is not asked");
                } else {
                    persistence.add("-> its server is gone or quiesced: the template is dropped and the scheduler asked");
                }
            } else {
                persistence.add("no template for " + Ipv4.toString(clientNetwork) + "/"
                        + Integer.bitCount(service.persistenceNetmask()) + ": the scheduler's choice starts one for "
                        + service.persistenceTimeoutS() + " s");
            }
        } else {
            persistence.add("none (the service is not persistent)");
        }
        List<String> scheduler = new ArrayList<>();
        if (server == null) {
            SchedulerChoice choice = service.scheduler().explain(service, client, port, vip, vport);
            scheduler.add(service.scheduler().name() + " (" + exactness(choice) + "):");
            indent(choice.reasons(), scheduler);
            server = choice.server();
        } else {
            scheduler.add("not asked: the persistence template chose " + SchedulerChoice.endpoint(server));
        }
        if (clientPort == ANY_PORT) {
            scheduler.add("(no client port given: a port-hashing choice assumes port 0)");
        }
        steps.add(new FlowExplanation.Step("scheduler", scheduler));
        steps.add(new FlowExplanation.Step("persistence", persistence));
        if (server == null) {
            steps.add(new FlowExplanation.Step("forwarding", List.of(service.scheduler().name().equals("twos")
                    ? "to the server the draw picks, by its method (see ./jvsadm -L -n)"
                    : "none: the first packet would be dropped (drop_no_real_server)")));
            return new FlowExplanation(heading, steps, false);
        }
        int realPort = server.port() != 0 ? server.port() : vport;
        int local = client;
        int localPort = port;
        if (server.method() == ForwardingMethod.FULLNAT) {
            local = director.localAddresses().peek(service);
            if (local == LocalAddresses.NONE) {
                local = director.fullNatSources().defaultAddress(server.address());
            }
            localPort = 0;
        }
        steps.add(new FlowExplanation.Step("forwarding", rewrite(director, server.method(), server.tunnel(), protocol,
                client, port, vip, vport, server.address(), realPort, local, localPort, false)));
        int version = protocol == Protocol.TCP && server.method().translatesReplies() ? service.proxyProtocol() : 0;
        steps.add(new FlowExplanation.Step("PROXY", proxyLines(version, protocol, client, port, vip, vport)));
        steps.add(new FlowExplanation.Step("state", List.of(protocol == Protocol.TCP
                ? "would open in SYN_RECV with " + director.timeouts().tcpTimeoutS(TcpState.SYN_RECV) + " s, then "
                        + director.timeouts().tcpS() + " s once ESTABLISHED"
                : "UDP, " + director.timeouts().udpS() + " s from each datagram")));
        return new FlowExplanation(heading, steps, false);
    }

    private static List<String> serviceLines(Director director, VirtualService service) {
        if (service == null) {
            return List.of("its service was deleted; the connection lives on until it expires");
        }
        String flags = service.schedulerFlags() == null || service.schedulerFlags().isEmpty() ? ""
                : " (" + service.schedulerFlags() + ")";
        String persistent = service.persistenceTimeoutS() > 0 ? ", persistent " + service.persistenceTimeoutS()
                + " s per /" + Integer.bitCount(service.persistenceNetmask()) : "";
        List<String> lines = new ArrayList<>();
        lines.add(Protocol.name(service.protocol()) + " " + Ipv4.toString(service.address()) + ":" + service.port()
                + (service.port() == 0 ? " (all ports)" : "") + ", scheduler " + service.scheduler().name() + flags
                + persistent + (service.onePacket() ? ", one-packet scheduling" : ""));
        lines.add(service.realServers().size() + " real server(s): " + servers(service));
        return lines;
    }

    private static String servers(VirtualService service) {
        StringBuilder text = new StringBuilder();
        for (RealServer server : service.realServers()) {
            text.append(text.isEmpty() ? "" : ", ").append(SchedulerChoice.endpoint(server)).append(' ')
                    .append(server.method().flag()).append(" w").append(server.weight());
        }
        return text.toString();
    }

    private static String templateText(Director director, int template) {
        ConnectionTable table = director.connections();
        long leftNs = Math.max(0, table.expiresAtNs(template) - director.nowNs());
        RealServer server = table.realServer(template);
        return Protocol.name(table.protocol(template)) + " " + Ipv4.toString(table.clientAddress(template))
                + " -> " + Ipv4.toString(table.virtualAddress(template)) + ":" + table.virtualPort(template) + " -> "
                + SchedulerChoice.endpoint(server) + ", " + seconds(leftNs) + " left of "
                + table.timeoutSeconds(template) + " s, " + table.controlledCount(template) + " connection(s) under it";
    }

    /**
     * The rewrite in each direction, one aligned row per hop: link, source, destination, what changed. A full-NAT
     * local port of 0 is one still to be allocated.
     */
    static List<String> rewrite(Director director, ForwardingMethod method, Tunnel tunnel, int protocol, int client,
                                int clientPort,
                                int vip, int vport, int real, int realPort, int local, int localPort,
                                boolean existing) {
        String c = endpoint(client, clientPort);
        String v = endpoint(vip, vport);
        String r = endpoint(real, realPort);
        List<String> lines = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"client -> director", c, "->", v, "as received"});
        switch (method) {
            case MASQ -> {
                lines.add("NAT (masquerading, -m): destination to the real server, replies back through the director");
                rows.add(new String[] {"director -> server", c, "->", r, "destination rewritten (DNAT)"});
                rows.add(new String[] {"server -> director", r, "->", c, "reply as received"});
                rows.add(new String[] {"director -> client", v, "->", c, "source rewritten back to the VIP"});
            }
            case FULLNAT -> {
                lines.add("full NAT (-b): source to a local address, destination to the real server; replies to the"
                        + " local address come back through the director");
                String l = local == LocalAddresses.NONE ? "(no route to the real server)"
                        : localPort == 0 ? Ipv4.toString(local) + ":<port>" : endpoint(local, localPort);
                rows.add(new String[] {"director -> server", l, "->", r, "source and destination rewritten"});
                rows.add(new String[] {"server -> director", r, "->", l, "reply as received"});
                rows.add(new String[] {"director -> client", v, "->", c, "both rewritten back"});
                if (localPort == 0) {
                    lines.add("local address " + (local == LocalAddresses.NONE ? "none" : Ipv4.toString(local))
                            + " (next in the service's round robin, or the director's own towards the server);"
                            + " <port>: the next free one of " + director.localPorts().lowest() + "-"
                            + director.localPorts().highest() + ", allocated when the connection opens");
                }
            }
            case ROUTE -> {
                lines.add("direct routing (-g): only the Ethernet destination changes; the real server holds the VIP"
                        + " and answers the client directly");
                rows.add(new String[] {"director -> server", c, "->", v, "unchanged; Ethernet to " + macOf(director, real)});
                rows.add(new String[] {"server -> client", v, "->", c, "directly, not through the director"});
            }
            case TUNNEL -> {
                lines.add(tunnelLine(tunnel));
                NextHop hop = new NextHop();
                String outer = director.network().route(real, hop) && hop.source != 0 ? Ipv4.toString(hop.source)
                        : "(route source)";
                String encapsulation = switch (tunnel.type()) {
                    case IPIP -> "IPIP";
                    case GUE -> "UDP to " + tunnel.port() + ", GUE";
                    case GRE -> "GRE";
                };
                rows.add(new String[] {"director -> server", outer, "->", Ipv4.toString(real), encapsulation + ", inside:"});
                rows.add(new String[] {"", c, "->", v, "unchanged"});
                rows.add(new String[] {"server -> client", v, "->", c, "directly, not through the director"});
            }
        }
        lines.addAll(FlowExplanation.columns(rows));
        if (!existing && method == ForwardingMethod.FULLNAT && local == LocalAddresses.NONE) {
            lines.add("-> no local address and no route: the first packet would be dropped (drop_no_route)");
        }
        return lines;
    }

    /** What a TUN server's tunnel does, named with the ipvsadm options that chose it. */
    private static String tunnelLine(Tunnel tunnel) {
        return switch (tunnel.type()) {
            case IPIP -> "IPIP tunnel (-i): the packet goes whole inside an IPIP packet to the real server, which"
                    + " answers the client directly";
            case GUE -> "GUE tunnel (-i --tun-type gue --tun-port " + tunnel.port() + " --tun-"
                    + tunnel.checksum().keyword() + "): the packet goes whole inside UDP (a source port per flow) and a"
                    + " GUE header to the real server, which answers the client directly";
            case GRE -> "GRE tunnel (-i --tun-type gre --tun-" + tunnel.checksum().keyword() + "): the packet goes"
                    + " whole inside a GRE packet to the real server, which answers the client directly";
        };
    }

    private static String macOf(Director director, int real) {
        NextHop hop = new NextHop();
        if (!director.network().route(real, hop)) {
            return "(no route to " + Ipv4.toString(real) + ")";
        }
        int next = hop.gateway != 0 ? hop.gateway : real;
        NetInterface out = director.network().interfaceByIndex(hop.ifindex);
        long mac = director.neighbours().mac(hop.ifindex, next);
        String name = out == null ? "ifindex " + hop.ifindex : out.name();
        return (mac == Neighbours.UNKNOWN ? "MAC of " + Ipv4.toString(next) + " (not yet resolved)" : mac(mac))
                + " on " + name;
    }

    private static List<String> proxyLines(int version, int protocol, int client, int clientPort, int vip, int vport) {
        if (version == 0) {
            return List.of("none");
        }
        String header = version == 1 ? "\"PROXY TCP4 " + Ipv4.toString(client) + " " + Ipv4.toString(vip) + " "
                + clientPort + " " + vport + "\\r\\n\"" : "v2 binary: TCP over IPv4, " + endpoint(client, clientPort)
                + " -> " + endpoint(vip, vport);
        return List.of("version " + version + " header before the first data segment to the real server: " + header,
                "TCP sequence numbers shifted by its length in both directions from then on");
    }

    private static String exactness(SchedulerChoice choice) {
        return choice.exact() ? "exact" : "approximate";
    }

    private static void indent(List<String> lines, List<String> into) {
        for (String line : lines) {
            into.add("  " + line);
        }
    }

    private static String heading(int protocol, int client, int clientPort, int vip, int vport) {
        return Protocol.name(protocol) + " " + (clientPort == ANY_PORT ? Ipv4.toString(client) + ":*"
                : endpoint(client, clientPort)) + " -> " + endpoint(vip, vport);
    }

    private static String worker(Director director) {
        return director.workers() > 1 ? " (worker " + director.worker() + " of " + director.workers() + ")" : "";
    }

    private static String seconds(long ns) {
        return (ns + 999_999_999L) / 1_000_000_000L + " s";
    }

    private static String endpoint(int address, int port) {
        return Ipv4.toString(address) + ":" + port;
    }

    private static String mac(long mac) {
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            text.append(String.format("%02x", (mac >>> shift) & 0xFF)).append(shift > 0 ? ":" : "");
        }
        return text.toString();
    }
}
