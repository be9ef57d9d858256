package org.jvs.service;

/**
 * How a packet reaches its real server, named as ipvsadm names them in {@code -L} output and flags.
 * Mirrors IP_VS_CONN_F_MASQ / _TUNNEL / _DROUTE, and DPVS's FULLNAT.
 */
public enum ForwardingMethod {
    /** NAT: destination rewritten to RIP:port; replies return through the director. */
    MASQ("Masq", "-m"),
    /** IPIP: the whole packet encapsulated to the real server, which answers the client directly. */
    TUNNEL("Tunnel", "-i"),
    /** Direct routing: only the destination MAC changes; the real server answers the client directly. */
    ROUTE("Route", "-g"),
    /**
     * Full NAT (DPVS's FNAT): source rewritten to one of the service's local addresses (LIP:lport) and
     * destination to RIP:port, so real servers answer the director and need no route to clients.
     */
    FULLNAT("FullNat", "-b");

    private final String ipvsadmName;
    private final String flag;

    ForwardingMethod(String ipvsadmName, String flag) {
        this.ipvsadmName = ipvsadmName;
        this.flag = flag;
    }

    /** The word ipvsadm prints in the Forward column ({@code Masq}, {@code Tunnel}, {@code Route}). */
    public String ipvsadmName() {
        return ipvsadmName;
    }

    /** True when replies come back through the director and must be translated (NAT and full NAT). */
    public boolean translatesReplies() {
        return this == MASQ || this == FULLNAT;
    }

    /** The flag ipvsadm {@code -S} writes for this method. */
    public String flag() {
        return flag;
    }
}
