package org.jvs.keepalived.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;
import org.jvs.service.Protocol;
import org.jvs.api.IpAddress;

/**
 * One virtual_server block (keepalived check/check_parser.c). Like keepalived, settings apply wherever they stand
 * in the block: real servers are read after all of the virtual server's own keywords.
 */
final class VirtualServerParser {
    private static final Set<String> SCHEDULERS =
            Set.of("rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr", "sed", "nq", "twos");
    private static final int IPVS_SVC_PERSISTENT_TIMEOUT_S = 360;
    private static final int LVS_MAX_TIMEOUT_S = 86_400 * 31;

    private final Warnings warnings;

    private int protocol = Protocol.TCP;
    private String scheduler = "wlc";
    private final Map<String, ConfigLocation> schedulerFlags = new LinkedHashMap<>();
    private final List<ConfigNode> numberedFlags = new ArrayList<>();
    private boolean onePacket;
    private ForwardingMethod method = ForwardingMethod.MASQ;
    /** The tunnel options of lb_kind TUN, which its real servers take unless their own lvs_method says otherwise. */
    private Tunnel tunnel = Tunnel.IPIP;
    private int persistenceTimeoutS;
    private int persistenceNetmask = -1;
    /** The address is IPv6, or ip_family inet6 says a group's members are: persistence_granularity is a length. */
    private boolean ipv6;
    private boolean granularityGiven;
    private boolean alpha;
    private boolean omega;
    private int quorum = 1;
    private int hysteresis;
    private String quorumUp = "";
    private String quorumDown = "";
    private boolean inhibitOnFailure;
    private int weight = 1;
    private ConfigNode sorryServer;
    private ConfigNode sorryServerMethod;
    private ConfigNode sorryServerInhibit;
    private String laddrGroupName = "";
    private int proxyProtocol;
    private Inherited inherited = Inherited.KEEPALIVED_DEFAULTS;

    private VirtualServerParser(Warnings warnings) {
        this.warnings = warnings;
    }

    /** The virtual server, or null when JVS skips it (IPv6, fwmark, SCTP) with a warning. */
    static VirtualServerConfig parse(ConfigNode vs, Warnings warnings) throws ConfigException {
        return new VirtualServerParser(warnings).read(vs);
    }

    private VirtualServerConfig read(ConfigNode vs) throws ConfigException {
        String first = Values.word(vs, 1, "an IPv4 or IPv6 address and port, 'group NAME' or 'fwmark N'");
        IpAddress address = IpAddress.ofIpv4(0);
        int port = 0;
        String group = "";
        if (first.equals("fwmark")) {
            warnings.each(vs.where(), "fwmark", "fwmark virtual servers are not implemented by JVS; "
                    + "virtual server skipped");
            return null;
        } else if (first.equals("group")) {
            group = Values.word(vs, 2, "the name of a virtual_server_group");
        } else {
            address = Values.address(vs, 1);
            port = Values.port(vs, 2);
        }
        ipv6 = !address.isIpv4();
        for (ConfigNode node : vs.children()) {
            Keywords.requireKnown(node, Keywords.VIRTUAL_SERVER, "virtual_server");
            if (!node.keyword().equals("real_server") && !keyword(node)) {
                return null;
            }
        }
        resolveNumberedFlags();
        if (granularityGiven && persistenceTimeoutS == 0) {
            persistenceTimeoutS = IPVS_SVC_PERSISTENT_TIMEOUT_S;
        }
        List<RealServerConfig> realServers = new ArrayList<>();
        RealServerParser.Defaults defaults = new RealServerParser.Defaults(method, tunnel, weight, inhibitOnFailure,
                alpha, inherited);
        for (ConfigNode node : vs.children()) {
            if (node.keyword().equals("real_server")) {
                RealServerConfig rs = RealServerParser.parse(node, defaults, warnings);
                if (rs != null) {
                    realServers.add(rs);
                }
            }
        }
        return new VirtualServerConfig(vs.where(), address, port, group, protocol, scheduler,
                String.join(",", schedulerFlags.keySet()), onePacket, method, persistenceTimeoutS, persistenceNetmask,
                inherited.delayLoop(), alpha, omega, quorum, hysteresis, quorumUp, quorumDown, inhibitOnFailure,
                sorryServer(), sorryServerInhibit != null && sorryServer != null, laddrGroupName, proxyProtocol,
                List.copyOf(realServers));
    }

    /** Applies one keyword; false when the whole virtual server is to be skipped. */
    private boolean keyword(ConfigNode node) throws ConfigException {
        String k = node.keyword();
        if (Inherited.applies(k)) {
            inherited = inherited.apply(node);
            return true;
        }
        switch (k) {
            case "ip_family" -> {
                // the family of a group's (or fwmark) virtual server; an address says its own
                String family = Values.word(node, 1, "inet or inet6");
                if (!family.equals("inet") && !family.equals("inet6")) {
                    throw Values.bad(node, family, "inet or inet6");
                }
                ipv6 |= family.equals("inet6");
            }
            case "protocol" -> {
                String p = Values.word(node, 1, "TCP or UDP").toUpperCase(Locale.ROOT);
                switch (p) {
                    case "TCP" -> protocol = Protocol.TCP;
                    case "UDP" -> protocol = Protocol.UDP;
                    case "SCTP" -> {
                        warnings.each(node.where(), "SCTP", "SCTP is not implemented by JVS; virtual server skipped");
                        return false;
                    }
                    default -> throw Values.bad(node, node.words().get(1), "TCP, UDP or SCTP");
                }
            }
            case "lb_algo", "lvs_sched" -> {
                String s = Values.word(node, 1, "a scheduler: " + String.join(", ", SCHEDULERS));
                if (!SCHEDULERS.contains(s)) {
                    throw Values.bad(node, s, "a scheduler: " + Keywords.expected(SCHEDULERS, s));
                }
                scheduler = s;
            }
            case "ops" -> onePacket = true;
            case "sh-port", "sh-fallback", "mh-port", "mh-fallback" -> schedulerFlags.putIfAbsent(k, node.where());
            case "flag-1", "flag-2" -> numberedFlags.add(node);
            case "lb_kind", "lvs_method" -> {
                method = method(node);
                tunnel = TunnelParser.parse(node, method);
            }
            case "persistence_timeout" -> persistenceTimeoutS = node.size() < 2 ? IPVS_SVC_PERSISTENT_TIMEOUT_S
                    : Values.integer(node, 1, 1, LVS_MAX_TIMEOUT_S);
            case "persistence_granularity" -> {
                persistenceNetmask = ipv6 ? prefixLength(node) : netmask(node);
                granularityGiven = true;
            }
            case "alpha" -> alpha = true;
            case "omega" -> omega = true;
            case "inhibit_on_failure" -> inhibitOnFailure = true;
            case "quorum" -> quorum = Values.integer(node, 1, 1, Integer.MAX_VALUE);
            case "hysteresis" -> hysteresis = Values.integer(node, 1, 0, Integer.MAX_VALUE);
            case "quorum_up" -> quorumUp = Values.rest(node, "a command");
            case "quorum_down" -> quorumDown = Values.rest(node, "a command");
            case "weight" -> weight = Values.integer(node, 1, 1, Integer.MAX_VALUE);
            case "sorry_server" -> sorryServer = node;
            case "sorry_server_lvs_method" -> sorryServerMethod = node;
            case "sorry_server_inhibit" -> sorryServerInhibit = node;
            case "laddr_group_name" -> laddrGroupName = Values.word(node, 1, "the name of a local_address_group");
            case "proxy_protocol" -> proxyProtocol = proxyProtocol(node);
            default -> warnings.notImplemented(node.where(), k);
        }
        return true;
    }

    /** The method word of an lvs_method line; {@link TunnelParser} reads what follows it. */
    static ForwardingMethod method(ConfigNode node) throws ConfigException {
        String expected = "NAT, DR, TUN or FNAT";
        String kind = Values.word(node, 1, expected);
        return switch (kind) {
            case "NAT" -> ForwardingMethod.MASQ;
            case "DR" -> ForwardingMethod.ROUTE;
            case "TUN" -> ForwardingMethod.TUNNEL;
            case "FNAT" -> ForwardingMethod.FULLNAT;
            default -> throw Values.bad(node, kind, expected);
        };
    }

    /** keepalived parses the netmask with getaddrinfo and does not require it to be contiguous. */
    /** An IPv6 virtual server's persistence_granularity: a prefix length, as ipvsadm's -M for IPv6. */
    private static int prefixLength(ConfigNode node) throws ConfigException {
        return Values.integer(node, 1, 1, IpAddress.Family.IPV6.bits());
    }

    private static int netmask(ConfigNode node) throws ConfigException {
        String expected = "an IPv4 netmask such as 255.255.255.0";
        String token = Values.word(node, 1, expected);
        long mask = Values.parseIpv4(token);
        if (mask < 0) {
            throw Values.bad(node, token, expected);
        }
        return (int) mask;
    }

    /** DPVS's values; "-insecure" (accepting clients that send their own header) is not distinguished. */
    private int proxyProtocol(ConfigNode node) throws ConfigException {
        String expected = "v1, v2, v1-insecure, v2-insecure or disable";
        String value = Values.word(node, 1, expected).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "disable" -> 0;
            case "v1" -> 1;
            case "v2" -> 2;
            case "v1-insecure", "v2-insecure" -> {
                warnings.once(node.where(), "proxy_protocol insecure", "proxy_protocol " + value
                        + ": the insecure variant is not implemented by JVS; " + value.substring(0, 2) + " is used");
                yield value.charAt(1) - '0';
            }
            default -> throw Values.bad(node, node.words().get(1), expected);
        };
    }

    /** IP_VS_SVC_F_SCHED1/2 mean fallback/port for sh and mh; keepalived ignores them for other schedulers. */
    private void resolveNumberedFlags() {
        for (ConfigNode node : numberedFlags) {
            boolean hashing = scheduler.equals("sh") || scheduler.equals("mh");
            if (hashing) {
                schedulerFlags.putIfAbsent(scheduler + (node.keyword().equals("flag-1") ? "-fallback" : "-port"),
                        node.where());
            } else {
                warnings.each(node.where(), node.keyword(), node.keyword() + " only applies to the sh and mh "
                        + "schedulers; ignored");
            }
        }
        for (String flag : List.copyOf(schedulerFlags.keySet())) {
            if (!flag.startsWith(scheduler + "-")) {
                warnings.each(schedulerFlags.remove(flag), flag, flag + " only applies to the " + flag.substring(0, 2)
                        + " scheduler; ignored");
            }
        }
    }

    private RealServerConfig sorryServer() throws ConfigException {
        if (sorryServer == null) {
            if (sorryServerInhibit != null) {
                warnings.each(sorryServerInhibit.where(), "sorry_server_inhibit",
                        "sorry_server_inhibit without sorry_server; ignored");
            }
            return null;
        }
        ForwardingMethod m = sorryServerMethod == null ? method : method(sorryServerMethod);
        Tunnel t = sorryServerMethod == null ? tunnel : TunnelParser.parse(sorryServerMethod, m);
        return RealServerParser.sorryServer(sorryServer, m, t, warnings);
    }
}
