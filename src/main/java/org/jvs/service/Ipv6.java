package org.jvs.service;

/**
 * An IPv6 address as the control plane holds it: the two longs of the hot path ({@code hi} bytes 0-7, {@code lo}
 * bytes 8-15, first byte most significant), with the text forms of glibc's inet_pton and inet_ntop, which ipvsadm
 * reads and prints through.
 * <p>
 * Text out follows RFC 5952 section 4 as glibc does: lowercase, no leading zeros, the longest run of two or more
 * zero groups (the first of equals) as "::", a single zero group kept as "0". Like glibc, the last 32 bits are
 * dotted when the first 80 bits are zero and the next 16 all ones (IPv4-mapped, ::ffff:192.0.2.1) or the first 96
 * bits are zero with a non-zero seventh group (the deprecated IPv4-compatible form, ::192.0.2.1).
 */
public record Ipv6(long hi, long lo) {
    private static final int GROUPS = 8;

    /** An address and port as ipvsadm writes them, {@code [2001:db8::10]:80}; no port for a bare address. */
    public record Endpoint(Ipv6 address, int port, boolean hasPort) {
        /**
         * Reads {@code [address]:port} (port 0..65535 in decimal) or a bare address with no brackets and no port,
         * as ipvsadm's parse_service; throws IllegalArgumentException naming the text.
         */
        public static Endpoint parse(String text) {
            if (!text.startsWith("[")) {
                return new Endpoint(Ipv6.parse(text), 0, false);
            }
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "' is not an IPv6 endpoint (expected [address]:port)");
            }
            String portText = text.substring(close + 2);
            int port = portText.isEmpty() || portText.length() > 5 ? -1 : decimal(portText, 0, portText.length());
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv6 endpoint (port '" + portText
                        + "' is not 0..65535)");
            }
            return new Endpoint(Ipv6.parse(text.substring(1, close)), port, true);
        }

        /** {@code [2001:db8::10]:80}, or the bare address without a port. */
        @Override
        public String toString() {
            return hasPort ? "[" + address + "]:" + port : address.toString();
        }
    }

    /** Reads an address as inet_pton(AF_INET6) does; throws IllegalArgumentException naming the text and the fault. */
    public static Ipv6 parse(String text) {
        int[] groups = new int[GROUPS];
        int count = 0;
        int compressedAt = -1;
        int length = text.length();
        int position = 0;
        if (text.isEmpty()) {
            throw invalid(text, "empty");
        }
        if (text.startsWith("::")) {
            compressedAt = 0;
            position = 2;
        } else if (text.startsWith(":")) {
            throw invalid(text, "a single ':' at the start");
        }
        if (position == length && compressedAt == 0) {
            return new Ipv6(0, 0);
        }
        while (true) {
            int end = position;
            while (end < length && isHexDigit(text.charAt(end))) {
                end++;
            }
            if (end < length && text.charAt(end) == '.') {
                if (count > GROUPS - 2) {
                    throw invalid(text, "too many groups before the dotted IPv4 part");
                }
                int ipv4 = dottedQuad(text, position);
                groups[count++] = ipv4 >>> 16;
                groups[count++] = ipv4 & 0xFFFF;
                break;
            }
            if (end == position) {
                throw invalid(text, end < length ? "unexpected '" + text.charAt(end) + "'" : "a single ':' at the end");
            }
            if (end - position > 4) {
                throw invalid(text, "group '" + text.substring(position, end) + "' has more than 4 hex digits");
            }
            if (count == GROUPS) {
                throw invalid(text, "more than 8 groups");
            }
            groups[count++] = Integer.parseInt(text, position, end, 16);
            if (end == length) {
                break;
            }
            if (text.charAt(end) != ':') {
                throw invalid(text, "unexpected '" + text.charAt(end) + "'");
            }
            position = end + 1;
            if (position < length && text.charAt(position) == ':') {
                if (compressedAt >= 0) {
                    throw invalid(text, "more than one '::'");
                }
                compressedAt = count;
                position++;
                if (position == length) {
                    break;
                }
            }
        }
        if (compressedAt < 0 && count != GROUPS) {
            throw invalid(text, count + " groups where 8 are needed");
        }
        if (compressedAt >= 0 && count == GROUPS) {
            throw invalid(text, "'::' stands for no group");
        }
        int[] expanded = new int[GROUPS];
        int tail = count - Math.max(compressedAt, 0);
        System.arraycopy(groups, 0, expanded, 0, count - tail);
        System.arraycopy(groups, count - tail, expanded, GROUPS - tail, tail);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = hi << 16 | expanded[i];
            lo = lo << 16 | expanded[i + 4];
        }
        return new Ipv6(hi, lo);
    }

    /** inet_pton4 as glibc's inet_pton6 applies it: four decimal octets, each 0..255 without a leading zero. */
    private static int dottedQuad(String text, int from) {
        int address = 0;
        int octets = 0;
        int position = from;
        while (true) {
            int end = position;
            while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
                end++;
            }
            int octet = end == position || end - position > 3 ? -1 : decimal(text, position, end);
            if (octet < 0 || octet > 255 || (end - position > 1 && text.charAt(position) == '0')) {
                throw invalid(text, "'" + text.substring(from) + "' is not a dotted IPv4 address");
            }
            address = address << 8 | octet;
            octets++;
            if (end == text.length() && octets == 4) {
                return address;
            }
            if (end == text.length() || octets == 4 || text.charAt(end) != '.') {
                throw invalid(text, "'" + text.substring(from) + "' is not a dotted IPv4 address");
            }
            position = end + 1;
        }
    }

    /** ASCII only: inet_pton knows no other digits. */
    private static boolean isHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** The decimal value of text[from, to), or -1 if it holds anything but digits. */
    private static int decimal(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static IllegalArgumentException invalid(String text, String fault) {
        return new IllegalArgumentException("'" + text + "' is not an IPv6 address (" + fault + ")");
    }

    /**
     * The 32 bits IPVS hashes an IPv6 address by: the XOR of its four 32-bit words (the addr_fold of
     * ip_vs_conn_hashkey, ip_vs_sh_hashkey, ip_vs_dh_hashkey, ip_vs_mh_hashkey, ip_vs_lblc(r)_hashkey), in host
     * order as their ntohl(addr_fold) reads it. Each of those hashes an IPv6 address exactly as it hashes an IPv4
     * one, with this fold in place of the IPv4 address.
     */
    public static int fold(long hi, long lo) {
        return (int) (hi >>> 32) ^ (int) hi ^ (int) (lo >>> 32) ^ (int) lo;
    }

    /** The low long of ::ffff:a.b.c.d, the IPv4-mapped form of an IPv4 address (its high long is 0). */
    public static long mappedLo(int ipv4) {
        return 0xFFFF_0000_0000L | (ipv4 & 0xFFFF_FFFFL);
    }

    /** The high long of an address's first {@code prefixLength} (0..128) bits, the rest zero: ipv6_addr_prefix. */
    public static long prefixHi(long hi, int prefixLength) {
        return prefixLength >= 64 ? hi : prefixLength <= 0 ? 0 : hi & -1L << (64 - prefixLength);
    }

    /** The low long of an address's first {@code prefixLength} (0..128) bits, the rest zero: ipv6_addr_prefix. */
    public static long prefixLo(long lo, int prefixLength) {
        return prefixLength >= 128 ? lo : prefixLength <= 64 ? 0 : lo & -1L << (128 - prefixLength);
    }

    /** True for ::ffff:a.b.c.d (RFC 4291 section 2.5.5.2), which carries an IPv4 address in its low 32 bits. */
    public boolean isIpv4Mapped() {
        return isIpv4Mapped(hi, lo);
    }

    /** As {@link #isIpv4Mapped()} for the address hi/lo. */
    public static boolean isIpv4Mapped(long hi, long lo) {
        return hi == 0 && lo >>> 32 == 0xFFFF;
    }

    /** The text form of inet_ntop(AF_INET6), see the class comment. */
    public static String toString(long hi, long lo) {
        int[] words = new int[GROUPS];
        for (int i = 0; i < 4; i++) {
            words[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            words[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestBase = -1;
        int bestLength = 0;
        for (int i = 0; i < GROUPS; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < GROUPS && words[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestBase = start;
                bestLength = i - start;
            }
        }
        if (bestLength < 2) {
            bestBase = -1;
        }
        StringBuilder text = new StringBuilder(45);
        for (int i = 0; i < GROUPS; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLength) {
                if (i == bestBase) {
                    text.append(':');
                }
                continue;
            }
            if (i != 0) {
                text.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLength == 6 || bestLength == 5 && words[5] == 0xFFFF)) {
                return text.append(Ipv4.toString((int) lo)).toString();
            }
            text.append(Integer.toHexString(words[i]));
        }
        if (bestBase >= 0 && bestBase + bestLength == GROUPS) {
            text.append(':');
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return toString(hi, lo);
    }
}
