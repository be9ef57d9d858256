package org.jvs.ctl;

import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;

/**
 * ipvsadm 1.31's checks of -a/-e's tunnel options, in its order: any of them needs -i ("Tunnel options conflict
 * with forward method"), then its table of legal combinations per tunnel type (tunnel_types_v_options): gue needs
 * --tun-port and takes one of --tun-nocsum, --tun-csum, --tun-remcsum; gre takes one of --tun-nocsum, --tun-csum;
 * ipip takes none. Each refusal starts as ipvsadm's message and names the token at fault.
 */
final class TunnelOptions {
    /** The tunnel option columns, in the order ipvsadm checks them (tunopts). */
    private static final int[] COLUMNS = {
        OptionRules.TUN_PORT, OptionRules.TUN_NOCSUM, OptionRules.TUN_CSUM, OptionRules.TUN_REMCSUM,
    };
    /** Per tunnel type (kernel order ipip, gue, gre), per column above: '+' needed, 'x' illegal, '1' one of. */
    private static final String[] RULES = {"xxxx", "+111", "x11x"};

    private TunnelOptions() {
    }

    /** The tunnel of an -a/-e line after ipvsadm's checks: IPIP (with nothing given) for every method but -i's. */
    static Tunnel check(CommandEntry line) throws CommandLineException {
        String firstGiven = firstGiven(line);
        if (firstGiven != null && line.method != ForwardingMethod.TUNNEL) {
            String method = line.has(OptionRules.FORWARD) ? "'" + line.given(OptionRules.FORWARD) + "'"
                    : "the default -g";
            throw IpvsadmParser.usage("Tunnel options conflict with forward method: '" + firstGiven + "' with "
                    + method + " (expected -i)");
        }
        TunnelType type = line.tunnelType;
        String rules = RULES[type.ordinal()];
        int last = -1;
        for (int i = 0; i < COLUMNS.length; i++) {
            int column = COLUMNS[i];
            char rule = rules.charAt(i);
            String name = OptionRules.optionName(column);
            if (!line.has(column)) {
                if (rule == '+') {
                    throw IpvsadmParser.usage("You need to supply the '" + name + "' option for the '"
                            + type.ipvsadmName() + "' tunnel type: '" + line.given(OptionRules.TUN_TYPE)
                            + "' needs --" + name + " PORT (expected 1..65535)");
                }
            } else if (rule == 'x') {
                throw IpvsadmParser.usage("Illegal '" + name + "' option with the '" + type.ipvsadmName()
                        + "' tunnel type: '" + line.given(column) + "' (" + accepted(type) + ")");
            } else if (rule == '1') {
                if (last >= 0) {
                    throw IpvsadmParser.usage("The option '" + name + "' conflicts with the '"
                            + OptionRules.optionName(last) + "' option in the '" + type.ipvsadmName()
                            + "' tunnel type: '" + line.given(column) + "' with '" + line.given(last)
                            + "' (expected at most one of --tun-nocsum --tun-csum"
                            + (type == TunnelType.GUE ? " --tun-remcsum)" : ")"));
                }
                last = column;
            }
        }
        return new Tunnel(type, line.tunnelPort, line.tunnelChecksum);
    }

    /** ipvsadm's tun_flags as the one checksum option a line may carry. */
    static TunnelChecksum checksum(IpvsadmOption option) {
        return switch (option) {
            case TUN_CSUM -> TunnelChecksum.CSUM;
            case TUN_REMCSUM -> TunnelChecksum.REMCSUM;
            default -> TunnelChecksum.NOCSUM;
        };
    }

    private static String accepted(TunnelType type) {
        return switch (type) {
            case IPIP -> "ipip takes no tunnel options; expected --tun-type gue or gre for them";
            case GUE -> "gue takes --tun-port and one of --tun-nocsum --tun-csum --tun-remcsum";
            case GRE -> "gre takes one of --tun-nocsum --tun-csum";
        };
    }

    private static String firstGiven(CommandEntry line) {
        if (line.has(OptionRules.TUN_TYPE)) {
            return line.given(OptionRules.TUN_TYPE);
        }
        for (int column : COLUMNS) {
            if (line.has(column)) {
                return line.given(column);
            }
        }
        return null;
    }
}
