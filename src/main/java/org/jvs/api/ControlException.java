package org.jvs.api;

/** A refused control operation; the message is the one line ipvsadm would print (e.g. "Service not defined"). */
public final class ControlException extends Exception {
    private static final long serialVersionUID = 1L;

    private static final String NOT_FORWARDED = " are not forwarded yet (JVS's data plane is ";
    private static final String MIXED = " mixes address families";

    public ControlException(String message) {
        super(message);
    }

    /**
     * A director's refusal of an address family it does not forward yet, naming the entry:
     * "[2001:db8::10]:80: IPv6 virtual services are not forwarded yet (JVS's data plane is IPv4-only)".
     */
    public static ControlException familyNotForwarded(String named, IpAddress.Family family, String what,
                                                      IpAddress.Family forwarded) {
        return new ControlException(named + ": " + family + " " + what + NOT_FORWARDED + forwarded + "-only)");
    }

    /**
     * A refusal of an entry whose family differs from its service's where IPVS allows no mix, naming it and why:
     * "[2001:db8::2]:8080: an IPv6 real server of an IPv4 service mixes address families (allowed for tunnels, -i,
     * only)". ip_vs_ctl.c refuses such a destination (EINVAL) but for IP_VS_CONN_F_TUNNEL.
     */
    public static ControlException mixedFamilies(String named, IpAddress.Family family, String what,
                                                 IpAddress.Family serviceFamily, String allowed) {
        return new ControlException(named + ": an " + family + " " + what + " of an " + serviceFamily
                + " service" + MIXED + " (allowed for " + allowed + " only)");
    }

    /**
     * Whether this refuses an address for its family ({@link #familyNotForwarded}, {@link #mixedFamilies}); the
     * REST API answers it about the field "address".
     */
    public boolean isFamilyNotForwarded() {
        String message = String.valueOf(getMessage());
        return message.contains(NOT_FORWARDED) || message.contains(MIXED);
    }
}
