package org.jvs.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.TcpState;
import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;
import org.jvs.sched.ExplainedFlow;
import org.jvs.sched.SchedulerChoice;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;
import org.jvs.service.Ipv4;
import org.jvs.service.Ipv6;
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
        int id = clientPort == ANY_PORT ? findAnyPort(table, protocol, vport,
                        e -> !table.ipv6(e) && table.clientAddress(e) == client && table.virtualAddress(e) == vip)
                : table.lookupIn(protocol, client, clientPort, vip, vport);
        return id == ConnectionTable.NONE ? null : explainConnection(director, id);
    }

    /** As {@link #existing} for an IPv6 client of an IPv6 VIP. */
    static FlowExplanation existing6(Director director, int protocol, long clientHi, long clientLo, int clientPort,
                                     long vipHi, long vipLo, int vport) {
        ConnectionTable table = director.connections();
        int id = clientPort == ANY_PORT ? findAnyPort(table, protocol, vport, e -> table.ipv6(e)
                        && table.clientHi(e) == clientHi && table.clientLo(e) == clientLo
                        && table.virtualHi(e) == vipHi && table.virtualLo(e) == vipLo)
                : table.lookupIn6(protocol, clientHi, clientLo, clientPort, vipHi, vipLo, vport);
        return id == ConnectionTable.NONE ? null : explainConnection(director, id);
    }

    /** The first connection (not a template) to port {@code vport} whose client and VIP are {@code ends}'. */
    private static int findAnyPort(ConnectionTable table, int protocol, int vport, IntPredicate ends) {
        int[] found = {ConnectionTable.NONE};
        table.forEach(id -> {
            if (found[0] == ConnectionTable.NONE && !table.template(id) && table.protocol(id) == protocol
                    && table.virtualPort(id) == vport && ends.test(id)) {
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
        boolean ipv6 = table.ipv6(id);
        List<String> scheduler = new ArrayList<>();
        scheduler.add("real server " + (ipv6 ? bracketed(Ipv6.toString(table.realHi(id), table.realLo(id)))
                : Ipv4.toString(table.realAddress(id))) + ":" + table.realPort(id)
                + (server.available() ? "" : " (since removed from the service)")
                + ", chosen when the connection opened; kept for its life");
        if (service != null) {
            SchedulerChoice now = service.scheduler().explain(service, ipv6
                    ? ExplainedFlow.ipv6(table.clientHi(id), table.clientLo(id), clientPort, table.virtualHi(id),
                            table.virtualLo(id), vport)
                    : ExplainedFlow.ipv4(client, clientPort, vip, vport));
            scheduler.add("a new connection from this client would now get (" + exactness(now) + "):");
            indent(now.reasons(), scheduler);
        }
        steps.add(new FlowExplanation.Step("scheduler", scheduler));
        int template = table.controlledBy(id);
        steps.add(new FlowExplanation.Step("persistence", template == ConnectionTable.NONE
                ? List.of(service != null && service.persistenceTimeoutS() > 0 ? "no template (synced or opened"
                        + " before persistence was set)" : "none (the service is not persistent)")
                : List.of("template " + templateText(director, template))));
        steps.add(new FlowExplanation.Step("forwarding", ipv6
                ? rewrite(director, server.method(), table.tunnel(id), hops6(table.clientHi(id), table.clientLo(id),
                        clientPort, table.virtualHi(id), table.virtualLo(id), vport, table.realHi(id), table.realLo(id),
                        table.realPort(id), Ipv6.toString(table.localHi(id), table.localLo(id)), table.localPort(id)),
                        true)
                : rewrite(director, server.method(), table.tunnel(id), protocol, client, clientPort, vip, vport,
                        table.realAddress(id), table.realPort(id), table.localAddress(id), table.localPort(id), true)));
        steps.add(new FlowExplanation.Step("PROXY", ipv6 ? proxyLines6(table.proxyProtocol(id))
                : proxyLines(table.proxyProtocol(id), protocol, client, clientPort, vip, vport)));
        long leftNs = Math.max(0, table.expiresAtNs(id) - director.nowNs());
        String state = protocol == Protocol.TCP ? TcpState.name(table.state(id)) : "UDP";
        steps.add(new FlowExplanation.Step("state", List.of(state + (table.inactive(id) ? " (inactive)" : " (active)")
                + ", " + seconds(leftNs) + " left of " + table.timeoutSeconds(id) + " s")));
        String heading = ipv6 ? heading6(protocol, table.clientHi(id), table.clientLo(id), clientPort,
                table.virtualHi(id), table.virtualLo(id), vport) : heading(protocol, client, clientPort, vip, vport);
        return new FlowExplanation(heading + ": an existing connection" + worker(director), steps, true);
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
            server = templateLines(director, service, template, Ipv4.toString(clientNetwork) + "/"
                    + Integer.bitCount(service.persistenceNetmask()), persistence);
        } else {
            persistence.add("none (the service is not persistent)");
        }
        List<String> scheduler = new ArrayList<>();
        if (server == null) {
            SchedulerChoice choice = service.scheduler().explain(service, ExplainedFlow.ipv4(client, port, vip, vport));
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
        steps.add(newState(director, protocol));
        return new FlowExplanation(heading, steps, false);
    }

    /** The state a new connection would open in, and its timeouts. */
    private static FlowExplanation.Step newState(Director director, int protocol) {
        return new FlowExplanation.Step("state", List.of(protocol == Protocol.TCP
                ? "would open in SYN_RECV with " + director.timeouts().tcpTimeoutS(TcpState.SYN_RECV) + " s, then "
                        + director.timeouts().tcpS() + " s once ESTABLISHED"
                : "UDP, " + director.timeouts().udpS() + " s from each datagram"));
    }

    /**
     * As {@link #hypothetical} for an IPv6 client of an IPv6 VIP: its template is the client cut to the service's
     * prefix length, the scheduler asked through {@link org.jvs.sched.Scheduler#explain6}.
     */
    static FlowExplanation hypothetical6(Director director, int protocol, long clientHi, long clientLo,
                                         int clientPort, long vipHi, long vipLo, int vport) {
        int port = clientPort == ANY_PORT ? 0 : clientPort;
        String heading = heading6(protocol, clientHi, clientLo, clientPort, vipHi, vipLo, vport)
                + ": no connection; a new one" + worker(director);
        List<FlowExplanation.Step> steps = new ArrayList<>();
        ServiceTable services = director.services();
        VirtualService service = services.match6(protocol, vipHi, vipLo, vport);
        String vip = bracketed(Ipv6.toString(vipHi, vipLo));
        if (service == null) {
            steps.add(new FlowExplanation.Step("service", services.matchEvenOnStandby6(protocol, vipHi, vipLo, vport)
                    != null ? List.of("none: " + vip + " is on VRRP standby (a peer holds it); the packet is not ours"
                            + " and is left to the kernel")
                    : List.of("none: no virtual service " + Protocol.name(protocol) + " " + vip + ":" + vport
                            + (services.isVirtualAddress6(vipHi, vipLo) ? " (the VIP has services on other ports)" : "")
                            + "; the packet is not ours and is left to the kernel")));
            return new FlowExplanation(heading, steps, false);
        }
        steps.add(new FlowExplanation.Step("service", serviceLines(director, service)));
        RealServer server = null;
        List<String> persistence = new ArrayList<>();
        if (service.persistenceTimeoutS() > 0) {
            int prefixLength = service.persistencePrefixLength();
            long networkHi = Ipv6.prefixHi(clientHi, prefixLength);
            long networkLo = Ipv6.prefixLo(clientLo, prefixLength);
            boolean ownPort = vport == service.port() && service.port() != 21;
            int template = director.connections().lookupTemplate6(protocol, networkHi, networkLo, vipHi, vipLo,
                    ownPort ? vport : 0);
            server = templateLines(director, service, template, Ipv6.toString(networkHi, networkLo) + "/"
                    + prefixLength, persistence);
        } else {
            persistence.add("none (the service is not persistent)");
        }
        List<String> scheduler = new ArrayList<>();
        if (server == null) {
            SchedulerChoice choice = service.scheduler().explain(service,
                    ExplainedFlow.ipv6(clientHi, clientLo, port, vipHi, vipLo, vport));
            scheduler.add(service.scheduler().name() + " (" + exactness(choice) + "):");
            indent(choice.reasons(), scheduler);
            server = choice.server();
        } else {
            scheduler.add("not asked: the persistence template chose " + SchedulerChoice.endpoint(server));
        }
        steps.add(new FlowExplanation.Step("scheduler", scheduler));
        steps.add(new FlowExplanation.Step("persistence", persistence));
        if (server == null) {
            steps.add(new FlowExplanation.Step("forwarding", List.of("none: the first packet would be dropped"
                    + " (drop_no_real_server)")));
            return new FlowExplanation(heading, steps, false);
        }
        String local = null;
        if (server.method() == ForwardingMethod.FULLNAT) {
            int slot = director.localAddresses().peek6(service);
            local = slot == LocalAddresses.NO_SLOT ? null : Ipv6.toString(director.localAddresses().hi(service, slot),
                    director.localAddresses().lo(service, slot));
        }
        steps.add(new FlowExplanation.Step("forwarding", rewrite(director, server.method(), server.tunnel(),
                hops6(clientHi, clientLo, port, vipHi, vipLo, vport, server.addressHi(), server.addressLo(),
                        server.port() != 0 ? server.port() : vport, local, 0), false)));
        int version = protocol == Protocol.TCP && server.method().translatesReplies() ? service.proxyProtocol() : 0;
        steps.add(new FlowExplanation.Step("PROXY", proxyLines6(version)));
        steps.add(newState(director, protocol));
        return new FlowExplanation(heading, steps, false);
    }

    /**
     * An IPv6 flow's hops: {@code local} the full-NAT local address (null: none) at {@code localPort} (0: still to
     * be allocated). Direct routing's Ethernet destination comes from Neighbour Discovery, a tunnel's outer source
     * from the IPv6 route; neither is in this director's IPv4 tables.
     */
    private static Hops hops6(long clientHi, long clientLo, int clientPort, long vipHi, long vipLo, int vport,
                              long realHi, long realLo, int realPort, String local, int localPort) {
        String real = Ipv6.toString(realHi, realLo);
        return new Hops(endpoint6(clientHi, clientLo, clientPort), endpoint6(vipHi, vipLo, vport), real,
                bracketed(real) + ":" + realPort, local, local == null || localPort == 0 ? null
                        : bracketed(local) + ":" + localPort, "the MAC Neighbour Discovery finds for " + real,
                "(IPv6 route source)");
    }

    /** A connection of an IPv6 client: its PROXY header, when it has one, carries IPv6 addresses (TCP6). */
    private static List<String> proxyLines6(int version) {
        return version == 0 ? List.of("none") : List.of("version " + version + " header before the first data segment"
                + " to the real server, with the client's and VIP's IPv6 addresses");
    }

    private static String heading6(int protocol, long clientHi, long clientLo, int clientPort, long vipHi, long vipLo,
                                   int vport) {
        return Protocol.name(protocol) + " " + (clientPort == ANY_PORT ? bracketed(Ipv6.toString(clientHi, clientLo))
                + ":*" : endpoint6(clientHi, clientLo, clientPort)) + " -> " + endpoint6(vipHi, vipLo, vport);
    }

    private static String endpoint6(long hi, long lo, int port) {
        return bracketed(Ipv6.toString(hi, lo)) + ":" + port;
    }

    /** An IPv6 address as it stands before a port: [2001:db8::1]; an IPv4 one as it is. */
    private static String bracketed(String address) {
        return address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    }

    /**
     * What the client network's template (or NONE) does with a new connection, said into {@code lines}: returns
     * the server it keeps, or null when the scheduler is asked.
     */
    private static RealServer templateLines(Director director, VirtualService service, int template, String network,
                                            List<String> lines) {
        if (template == ConnectionTable.NONE) {
            lines.add("no template for " + network + ": the scheduler's choice starts one for "
                    + service.persistenceTimeoutS() + " s");
            return null;
        }
        RealServer kept = director.connections().realServer(template);
        boolean usable = kept.available()
                && !(director.persistence().expiresQuiescentTemplates() && kept.weight() == 0);
        lines.add("template " + templateText(director, template));
        if (!usable) {
            lines.add("-> its server is gone or quiesced: the template is dropped and the scheduler asked");
            return null;
        }
        lines.add("-> it keeps the client on " + SchedulerChoice.endpoint(kept)
                + " and is re-armed; the scheduler is not asked");
        return kept;
    }

    private static List<String> serviceLines(Director director, VirtualService service) {
        if (service == null) {
            return List.of("its service was deleted; the connection lives on until it expires");
        }
        String flags = service.schedulerFlags() == null || service.schedulerFlags().isEmpty() ? ""
                : " (" + service.schedulerFlags() + ")";
        int prefixLength = service.ipv6() ? service.persistencePrefixLength()
                : Integer.bitCount(service.persistenceNetmask());
        String persistent = service.persistenceTimeoutS() > 0 ? ", persistent " + service.persistenceTimeoutS()
                + " s per /" + prefixLength : "";
        String vip = service.ipv6() ? bracketed(Ipv6.toString(service.addressHi(), service.addressLo()))
                : Ipv4.toString(service.address());
        List<String> lines = new ArrayList<>();
        lines.add(Protocol.name(service.protocol()) + " " + vip + ":" + service.port()
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
        String client = table.ipv6(template) ? Ipv6.toString(table.clientHi(template), table.clientLo(template))
                : Ipv4.toString(table.clientAddress(template));
        String vip = table.ipv6(template) ? bracketed(Ipv6.toString(table.virtualHi(template),
                table.virtualLo(template))) : Ipv4.toString(table.virtualAddress(template));
        return Protocol.name(table.protocol(template)) + " " + client
                + " -> " + vip + ":" + table.virtualPort(template) + " -> "
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
        String link = "";
        String outer = "";
        if (method == ForwardingMethod.ROUTE) {
            link = macOf(director, real);
        } else if (method == ForwardingMethod.TUNNEL) {
            NextHop hop = new NextHop();
            outer = director.network().route(real, hop) && hop.source != 0 ? Ipv4.toString(hop.source)
                    : "(route source)";
        }
        String localAddress = local == LocalAddresses.NONE ? null : Ipv4.toString(local);
        return rewrite(director, method, tunnel, new Hops(endpoint(client, clientPort), endpoint(vip, vport),
                Ipv4.toString(real), endpoint(real, realPort), localAddress,
                localAddress == null || localPort == 0 ? null : endpoint(local, localPort), link, outer), existing);
    }

    /**
     * A flow's addresses as the rewrite rows show them: {@code localAddress} null without one, {@code local} null
     * while its port is still to be allocated; {@code link}, the Ethernet destination of direct routing, and
     * {@code outer}, a tunnel's outer source.
     */
    private record Hops(String client, String vip, String realAddress, String real, String localAddress,
                        String local, String link, String outer) {
    }

    private static List<String> rewrite(Director director, ForwardingMethod method, Tunnel tunnel, Hops hops,
                                        boolean existing) {
        String c = hops.client();
        String v = hops.vip();
        String r = hops.real();
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
                String l = hops.localAddress() == null ? "(no route to the real server)"
                        : hops.local() == null ? bracketed(hops.localAddress()) + ":<port>" : hops.local();
                rows.add(new String[] {"director -> server", l, "->", r, "source and destination rewritten"});
                rows.add(new String[] {"server -> director", r, "->", l, "reply as received"});
                rows.add(new String[] {"director -> client", v, "->", c, "both rewritten back"});
                if (hops.local() == null) {
                    lines.add("local address " + (hops.localAddress() == null ? "none" : hops.localAddress())
                            + " (next in the service's round robin, or the director's own towards the server);"
                            + " <port>: the next free one of " + director.localPorts().lowest() + "-"
                            + director.localPorts().highest() + ", allocated when the connection opens");
                }
            }
            case ROUTE -> {
                lines.add("direct routing (-g): only the Ethernet destination changes; the real server holds the VIP"
                        + " and answers the client directly");
                rows.add(new String[] {"director -> server", c, "->", v, "unchanged; Ethernet to " + hops.link()});
                rows.add(new String[] {"server -> client", v, "->", c, "directly, not through the director"});
            }
            case TUNNEL -> {
                lines.add(tunnelLine(tunnel));
                String encapsulation = switch (tunnel.type()) {
                    case IPIP -> "IPIP";
                    case GUE -> "UDP to " + tunnel.port() + ", GUE";
                    case GRE -> "GRE";
                };
                rows.add(new String[] {"director -> server", hops.outer(), "->", hops.realAddress(),
                    encapsulation + ", inside:"});
                rows.add(new String[] {"", c, "->", v, "unchanged"});
                rows.add(new String[] {"server -> client", v, "->", c, "directly, not through the director"});
            }
        }
        lines.addAll(FlowExplanation.columns(rows));
        if (!existing && method == ForwardingMethod.FULLNAT && hops.localAddress() == null) {
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
