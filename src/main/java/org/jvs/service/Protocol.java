package org.jvs.service;

/** IP protocol numbers of the protocols a virtual service can carry, and their ipvsadm spelling. */
public final class Protocol {
    public static final int ICMP = 1;
    public static final int IPIP = 4;
    public static final int TCP = 6;
    public static final int UDP = 17;
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
