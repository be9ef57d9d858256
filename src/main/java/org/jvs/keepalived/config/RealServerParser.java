package org.jvs.keepalived.config;

import java.util.ArrayList;
import java.util.List;

import org.jvs.check.CheckSpec;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;
import org.jvs.api.IpAddress;

/** One real_server block, or a sorry_server line (keepalived check/check_parser.c, check_data.c alloc_rs). */
final class RealServerParser {

    /** What the virtual server gives its real servers when they do not say otherwise. */
    record Defaults(ForwardingMethod method, Tunnel tunnel, int weight, boolean inhibitOnFailure, boolean alpha,
                    Inherited inherited) {
    }

    private RealServerParser() {
    }

    /** The real server, IPv4 or IPv6. */
    static RealServerConfig parse(ConfigNode rs, Defaults defaults, Warnings warnings) throws ConfigException {
        IpAddress address = Values.address(rs, 1);
        int port = Values.port(rs, 2);
        ForwardingMethod method = defaults.method();
        Tunnel tunnel = defaults.tunnel();
        int weight = defaults.weight();
        int upper = 0;
        int lower = 0;
        boolean inhibit = defaults.inhibitOnFailure();
        // rs_alpha_handler takes "alpha [true|false]"; unset, validate_check_config gives it the virtual server's
        boolean alpha = defaults.alpha();
        String notifyUp = "";
        String notifyDown = "";
        Inherited inherited = defaults.inherited();
        for (ConfigNode node : rs.children()) {
            Keywords.requireKnown(node, Keywords.REAL_SERVER, "real_server");
            String k = node.keyword();
            if (Inherited.applies(k)) {
                inherited = inherited.apply(node);
                continue;
            }
            switch (k) {
                case "weight" -> weight = Values.integer(node, 1, 0, Integer.MAX_VALUE);
                case "lvs_method" -> {
                    method = VirtualServerParser.method(node);
                    tunnel = TunnelParser.parse(node, method);
                }
                case "uthreshold" -> upper = Values.integer(node, 1, 0, Integer.MAX_VALUE);
                case "lthreshold" -> lower = Values.integer(node, 1, 0, Integer.MAX_VALUE);
                case "inhibit_on_failure" -> inhibit = Values.flag(node, 1);
                case "notify_up" -> notifyUp = Values.rest(node, "a command");
                case "notify_down" -> notifyDown = Values.rest(node, "a command");
                case "alpha" -> alpha = Values.flag(node, 1);
                default -> {
                    if (!Keywords.CHECKERS.contains(k)) {
                        warnings.notImplemented(node.where(), k);
                    }
                }
            }
        }
        List<CheckSpec> checkers = new ArrayList<>();
        for (ConfigNode node : rs.children()) {
            if (Keywords.CHECKERS.contains(node.keyword())) {
                CheckSpec spec = CheckerParser.parse(node, inherited, warnings);
                if (spec != null) {
                    checkers.add(spec);
                }
            }
        }
        return new RealServerConfig(rs.where(), address, port, method, weight, upper, lower, inhibit, alpha,
                notifyUp, notifyDown, List.copyOf(checkers), tunnel);
    }

    /** keepalived's alloc_ssvr: weight 1, the virtual server's method, no checkers. */
    static RealServerConfig sorryServer(ConfigNode node, ForwardingMethod method, Tunnel tunnel, Warnings warnings)
            throws ConfigException {
        return new RealServerConfig(node.where(), Values.address(node, 1), Values.port(node, 2), method, 1, 0, 0,
                false, false, "", "", List.of(), tunnel);
    }
}
