package org.jvs.api;

/** A refused control operation; the message is the one line ipvsadm would print (e.g. "Service not defined"). */
public final class ControlException extends Exception {
    private static final long serialVersionUID = 1L;

    private static final String NOT_FORWARDED = " are not forwarded yet (JVS's data plane is ";

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

    /** Whether this is a {@link #familyNotForwarded} refusal (the REST API answers it about the field "address"). */
    public boolean isFamilyNotForwarded() {
        return String.valueOf(getMessage()).contains(NOT_FORWARDED);
    }
}
