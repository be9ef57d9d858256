package org.jvs.service;

/** IP protocol numbers of the protocols a virtual service can carry, and their ipvsadm spelling. */
public final class Protocol {
    public static final int ICMP = 1;
    public static final int IPIP = 4;
    public static final int TCP = 6;
    public static final int UDP = 17;
    /** IPv6 encapsulated in IPv4 or IPv6 (RFC 4213, RFC 2473). */
    public static final int IPV6 = 41;
    public static final int GRE = 47;
    public static final int ICMPV6 = 58;

    private Protocol() {
    }

    /** "TCP" / "UDP" as ipvsadm prints them in listings. */
    public static String name(int protocol) {
        return switch (protocol) {
            case TCP -> "TCP";
            case UDP -> "UDP";
            default -> "IP" + protocol;
        };
    }

    /** "-t" / "-u" as ipvsadm {@code -S} writes them. */
    public static String flag(int protocol) {
        return protocol == TCP ? "-t" : "-u";
    }
}
