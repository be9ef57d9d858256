package org.jvs.keepalived.config;

import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;

/**
 * The tunnel options after {@code lvs_method TUN} (keepalived's svr_forwarding_handler, kernel 5.2+):
 * {@code type ipip|gue|gre}, {@code port N} (GUE's UDP port, required for gue and refused otherwise) and one of
 * {@code nocsum|csum|remcsum} (none for ipip, no remcsum for gre). Each lvs_method line states the whole tunnel:
 * what it leaves out takes keepalived's defaults (ipip, no port, nocsum).
 */
final class TunnelParser {
    private static final String OPTIONS = "type ipip|gue|gre, port 1..65535, nocsum, csum or remcsum";

    private TunnelParser() {
    }

    /** The tunnel of an {@code lvs_method}, {@code lb_kind} or {@code sorry_server_lvs_method} line. */
    static Tunnel parse(ConfigNode node, ForwardingMethod method) throws ConfigException {
        TunnelType type = TunnelType.IPIP;
        int port = 0;
        TunnelChecksum checksum = TunnelChecksum.NOCSUM;
        for (int i = 2; i < node.size(); i++) {
            String word = node.words().get(i);
            if (method != ForwardingMethod.TUNNEL) {
                throw Values.bad(node, word, "nothing after " + node.words().get(1) + " (tunnel options are for TUN)");
            }
            switch (word) {
                case "type" -> {
                    String name = Values.word(node, ++i, "ipip, gue or gre after 'type'");
                    type = TunnelType.byName(name);
                    if (type == null) {
                        throw Values.bad(node, name, "ipip, gue or gre after 'type'");
                    }
                }
                case "port" -> {
                    Values.word(node, i + 1, "a gue tunnel port 1..65535 after 'port'");
                    port = Values.integer(node, ++i, 1, 65535);
                }
                case "nocsum", "csum", "remcsum" -> checksum = TunnelChecksum.byKeyword(word);
                default -> throw Values.bad(node, word, OPTIONS);
            }
        }
        Tunnel tunnel = new Tunnel(type, port, checksum);
        String refusal = tunnel.refusal();
        if (refusal != null) {
            throw new ConfigException(node.where(), "'" + String.join(" ", node.words().subList(1, node.size()))
                    + "' after '" + node.keyword() + "' is not valid: " + refusal + " (as keepalived: gue tunnels "
                    + "require port, otherwise cannot have port; ipip takes no checksum option, gre no remcsum)");
        }
        return tunnel;
    }
}
