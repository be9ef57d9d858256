package org.jvs.keepalived.config;

import java.time.Duration;

import org.jvs.api.IpAddress;
import org.jvs.service.Ipv6;

/**
 * Reads the values after a keyword as keepalived reads them (lib/parser.c read_unsigned, read_timer,
 * check_true_false; inet_pton for IPv4). Every failure is a ConfigException naming the keyword and the token.
 */
final class Values {
    /** read_timer's limit: TIMER_MAXIMUM, about 71 minutes in keepalived's microseconds; we allow a day more. */
    private static final long MAX_MICROS = 86_400L * 31 * 1_000_000;
    private static final int MICRO_DIGITS = 6;

    private Values() {
    }

    static String word(ConfigNode node, int index, String expected) throws ConfigException {
        if (index >= node.size()) {
            throw new ConfigException(node.where(), "missing value after '" + node.keyword() + "'; expected "
                    + expected);
        }
        return node.words().get(index);
    }

    static ConfigException bad(ConfigNode node, String token, String expected) {
        return new ConfigException(node.where(), "'" + Tokenizer.shorten(token) + "' after '" + node.keyword()
                + "' is not valid; expected " + expected);
    }

    static long number(ConfigNode node, int index, long min, long max) throws ConfigException {
        String expected = "a whole number in " + min + ".." + max;
        String token = word(node, index, expected);
        // parseUnsigned's -1 means "not a number", never the value -1: a signed range reads the sign itself
        boolean negative = min < 0 && token.startsWith("-") && token.length() > 1;
        long magnitude = parseUnsigned(negative ? token.substring(1) : token);
        long value = negative ? -magnitude : magnitude;
        if (magnitude < 0 || value < min || value > max) {
            throw bad(node, token, expected);
        }
        return value;
    }

    static int integer(ConfigNode node, int index, int min, int max) throws ConfigException {
        return (int) number(node, index, min, max);
    }

    /** -1 when the token is not a plain decimal number (or is far out of any range). */
    static long parseUnsigned(String token) {
        if (token.isEmpty() || token.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Seconds with up to six decimals ("1.5"), as read_timer takes them. */
    static Duration duration(ConfigNode node, int index, long minMicros) throws ConfigException {
        String expected = "seconds (decimals allowed, e.g. 1.5)" + (minMicros > 0 ? ", more than 0" : "");
        String token = word(node, index, expected);
        int dot = token.indexOf('.');
        String whole = dot < 0 ? token : token.substring(0, dot);
        String fraction = dot < 0 ? "" : token.substring(dot + 1);
        if (fraction.length() > MICRO_DIGITS || (whole.isEmpty() && fraction.isEmpty())) {
            throw bad(node, token, expected);
        }
        long seconds = whole.isEmpty() ? 0 : parseUnsigned(whole);
        long micros = fraction.isEmpty() ? 0 : parseUnsigned(fraction + "0".repeat(MICRO_DIGITS - fraction.length()));
        if (seconds < 0 || micros < 0 || seconds > MAX_MICROS / 1_000_000) {
            throw bad(node, token, expected);
        }
        long total = seconds * 1_000_000 + micros;
        if (total < minMicros || total > MAX_MICROS) {
            throw bad(node, token, expected);
        }
        return Duration.ofNanos(total * 1_000);
    }

    /** An optional on/off value: absent means true. */
    static boolean flag(ConfigNode node, int index) throws ConfigException {
        if (index >= node.size()) {
            return true;
        }
        String token = node.words().get(index);
        return switch (token) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw bad(node, token, "true/on/yes or false/off/no");
        };
    }

    static boolean isIpv6(String token) {
        return token.indexOf(':') >= 0;
    }

    static int ipv4(ConfigNode node, int index) throws ConfigException {
        String expected = "an IPv4 address a.b.c.d";
        String token = word(node, index, expected);
        long address = parseIpv4(token);
        if (address < 0) {
            throw bad(node, token, expected + (looksLikeName(token) ? " (host names are not accepted, as in "
                    + "keepalived)" : ""));
        }
        return (int) address;
    }

    /** An IPv4 address, or an IPv6 one as inet_pton reads it (keepalived's inet_stosockaddr). */
    static IpAddress address(ConfigNode node, int index) throws ConfigException {
        String expected = "an IPv4 address a.b.c.d or an IPv6 address";
        String token = word(node, index, expected);
        if (!isIpv6(token)) {
            return IpAddress.ofIpv4(ipv4(node, index));
        }
        try {
            return IpAddress.ofIpv6(Ipv6.parse(token));
        } catch (IllegalArgumentException notIpv6) {
            throw bad(node, token, expected + ": " + notIpv6.getMessage());
        }
    }

    /** The address as an unsigned 32-bit value, or -1 when the token is not a dotted quad. */
    static long parseIpv4(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long address = 0;
        for (String part : parts) {
            long octet = part.length() > 3 ? -1 : parseUnsigned(part);
            if (octet < 0 || octet > 255) {
                return -1;
            }
            address = address << 8 | octet;
        }
        return address;
    }

    private static boolean looksLikeName(String token) {
        return !token.isEmpty() && Character.isLetter(token.charAt(0));
    }

    /** A port; keepalived takes a missing port or "0" as none. */
    static int port(ConfigNode node, int index) throws ConfigException {
        if (index >= node.size()) {
            return 0;
        }
        return integer(node, index, 0, 65535);
    }

    /** Everything after the keyword, as one command line (notify_up "/bin/x arg" or notify_up /bin/x arg). */
    static String rest(ConfigNode node, String expected) throws ConfigException {
        word(node, 1, expected);
        return String.join(" ", node.words().subList(1, node.size()));
    }
}
