package org.jvs.keepalived.config;

import java.util.ArrayList;
import java.util.List;

import org.jvs.api.IpAddress;
import org.jvs.service.Ipv6;

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
                IpAddress[] range = ipv6Range(entry);
                members.add(new VirtualServerGroup.Member(range[0], range[1], Values.port(entry, 1)));
            } else {
                int[] range = range(entry);
                members.add(new VirtualServerGroup.Member(IpAddress.ofIpv4(range[0]), IpAddress.ofIpv4(range[1]),
                        Values.port(entry, 1)));
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
        int cut = rangeAt(entry, expected);
        int dash = cut >= 0 && token.charAt(cut) == '-' ? cut : -1;
        int slash = cut >= 0 && token.charAt(cut) == '/' ? cut : -1;
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

    /**
     * "2001:db8::1", "2001:db8::1-a" (the last group, in hex up to ffff: inet_stor), "2001:db8::1-2001:db8::a" or
     * "2001:db8::/120" (no host bits set) as first and last address, as alloc_vsg_entry reads an IPv6 member.
     */
    private static IpAddress[] ipv6Range(ConfigNode entry) throws ConfigException {
        String expected = "an IPv6 address or range (2001:db8::1, 2001:db8::1-a, 2001:db8::1-2001:db8::a or "
                + "2001:db8::/len)";
        String token = entry.keyword();
        int cut = rangeAt(entry, expected);
        int dash = cut >= 0 && token.charAt(cut) == '-' ? cut : -1;
        int slash = cut >= 0 && token.charAt(cut) == '/' ? cut : -1;
        Ipv6 first = ipv6(entry, cut < 0 ? token : token.substring(0, cut), expected);
        Ipv6 last = first;
        if (slash >= 0) {
            long length = Values.parseUnsigned(token.substring(slash + 1));
            if (length < 1 || length > 128) {
                throw bad(entry, token, expected);
            }
            long hiHost = length >= 64 ? 0 : -1L >>> length;
            long loHost = length >= 128 ? 0 : length <= 64 ? -1L : -1L >>> (length - 64);
            if ((first.hi() & hiHost) != 0 || (first.lo() & loHost) != 0) {
                throw bad(entry, token, expected + " with no host bits set");
            }
            last = new Ipv6(first.hi() | hiHost, first.lo() | loHost);
        } else if (dash >= 0) {
            String end = token.substring(dash + 1);
            if (end.indexOf(':') >= 0) {
                last = ipv6(entry, end, expected);
            } else {
                long group = end.isEmpty() || end.length() > 4 ? -1 : parseHex(end);
                if (group < 0) {
                    throw bad(entry, token, expected);
                }
                last = new Ipv6(first.hi(), (first.lo() & ~0xFFFFL) | group);
            }
            int order = Long.compareUnsigned(last.hi(), first.hi());
            if (order < 0 || order == 0 && Long.compareUnsigned(last.lo(), first.lo()) < 0) {
                throw bad(entry, token, expected + " whose end is not below its start");
            }
        }
        return new IpAddress[] {IpAddress.ofIpv6(first), IpAddress.ofIpv6(last)};
    }

    private static Ipv6 ipv6(ConfigNode entry, String text, String expected) throws ConfigException {
        try {
            return Ipv6.parse(text);
        } catch (IllegalArgumentException notIpv6) {
            throw bad(entry, entry.keyword(), expected + ": " + notIpv6.getMessage());
        }
    }

    /** Hex digits only (strtoul base 16 without its sign and "0x"), or -1. */
    private static long parseHex(String text) {
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0 || text.charAt(i) > 'f') {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** Where a member's range ('-') or prefix length ('/') starts, -1 for one address; both at once are refused. */
    private static int rangeAt(ConfigNode entry, String expected) throws ConfigException {
        String token = entry.keyword();
        int dash = token.indexOf('-');
        int slash = token.indexOf('/');
        if (dash >= 0 && slash >= 0) {
            throw bad(entry, token, expected);
        }
        return Math.max(dash, slash);
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
