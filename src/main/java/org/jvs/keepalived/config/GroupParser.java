package org.jvs.keepalived.config;

import java.util.ArrayList;
import java.util.List;

/** virtual_server_group (keepalived check_data.c alloc_vsg_entry) and DPVS's local_address_group. */
final class GroupParser {
    private GroupParser() {
    }

    static VirtualServerGroup virtualServerGroup(ConfigNode group, Warnings warnings) throws ConfigException {
        String name = Values.word(group, 1, "a group name");
        List<VirtualServerGroup.Member> members = new ArrayList<>();
        for (ConfigNode entry : group.children()) {
            noBlock(entry);
            if (entry.keyword().equals("fwmark")) {
                warnings.each(entry.where(), "fwmark", "fwmark virtual servers are not implemented by JVS; "
                        + "group member skipped");
            } else if (Values.isIpv6(entry.keyword())) {
                warnings.each(entry.where(), "IPv6", "IPv6 is not implemented by JVS; group member skipped");
            } else {
                int[] range = range(entry);
                members.add(new VirtualServerGroup.Member(range[0], range[1], Values.port(entry, 1)));
            }
        }
        return new VirtualServerGroup(group.where(), name, List.copyOf(members));
    }

    static LocalAddressGroup localAddressGroup(ConfigNode group, Warnings warnings) throws ConfigException {
        String name = Values.word(group, 1, "a group name");
        List<LocalAddressGroup.Member> members = new ArrayList<>();
        for (ConfigNode entry : group.children()) {
            noBlock(entry);
            if (Values.isIpv6(entry.keyword())) {
                warnings.each(entry.where(), "IPv6", "IPv6 is not implemented by JVS; local address skipped");
                continue;
            }
            int[] range = range(entry);
            String iface = entry.size() > 1 ? entry.words().get(1) : "";
            members.add(new LocalAddressGroup.Member(range[0], range[1], iface));
        }
        return new LocalAddressGroup(group.where(), name, List.copyOf(members));
    }

    /** "a.b.c.d", "a.b.c.d-e" (last octet), "a.b.c.d-a.b.c.e" or "a.b.c.d/len" as first and last address. */
    private static int[] range(ConfigNode entry) throws ConfigException {
        String expected = "an IPv4 address or range (a.b.c.d, a.b.c.d-e, a.b.c.d-a.b.c.e or a.b.c.d/len)";
        String token = entry.keyword();
        int dash = token.indexOf('-');
        int slash = token.indexOf('/');
        if (dash >= 0 && slash >= 0) {
            throw bad(entry, token, expected);
        }
        int cut = Math.max(dash, slash);
        long first = Values.parseIpv4(cut < 0 ? token : token.substring(0, cut));
        if (first < 0) {
            throw bad(entry, token, expected);
        }
        long last = first;
        if (slash >= 0) {
            long len = Values.parseUnsigned(token.substring(slash + 1));
            if (len < 1 || len > 32) {
                throw bad(entry, token, expected);
            }
            long hostBits = (1L << (32 - len)) - 1;
            if ((first & hostBits) != 0) {
                throw bad(entry, token, expected + " with no host bits set");
            }
            last = first | hostBits;
        } else if (dash >= 0) {
            String end = token.substring(dash + 1);
            last = end.indexOf('.') >= 0 ? Values.parseIpv4(end) : lastOctet(first, end);
            if (last < first) {
                throw bad(entry, token, expected + " whose end is not below its start");
            }
        }
        return new int[] {(int) first, (int) last};
    }

    private static long lastOctet(long first, String end) {
        long octet = Values.parseUnsigned(end);
        return octet < 0 || octet > 255 ? -1 : (first & ~0xffL) | octet;
    }

    private static ConfigException bad(ConfigNode entry, String token, String expected) {
        return new ConfigException(entry.where(), "'" + Tokenizer.shorten(token) + "' is not valid in a group; "
                + "expected " + expected);
    }

    private static void noBlock(ConfigNode entry) throws ConfigException {
        if (entry.hasBlock()) {
            throw new ConfigException(entry.where(), "unexpected block after '" + Tokenizer.shorten(entry.keyword())
                    + "'; expected one group member per line");
        }
    }
}
