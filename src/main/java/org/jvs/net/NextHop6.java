package org.jvs.net;

/**
 * Mutable result of an IPv6 route lookup, reused by the caller so the hot path allocates nothing. Addresses are two
 * longs, first byte most significant, as everywhere in the core.
 */
public final class NextHop6 {
    /** Egress interface index. */
    public int ifindex;
    /** IPv6 address to resolve with Neighbour Discovery on that interface: the gateway (often link-local), or the
     * destination itself when on-link. */
    public long gatewayHi;
    public long gatewayLo;
    /** Preferred source address of the route (or a global address of the egress interface). */
    public long sourceHi;
    public long sourceLo;
    /** Egress MTU. */
    public int mtu;

    public void set(int ifindex, long gatewayHi, long gatewayLo, long sourceHi, long sourceLo, int mtu) {
        this.ifindex = ifindex;
        this.gatewayHi = gatewayHi;
        this.gatewayLo = gatewayLo;
        this.sourceHi = sourceHi;
        this.sourceLo = sourceLo;
        this.mtu = mtu;
    }
}
