package org.jvs.net;

/** Mutable result of a route lookup, reused by the caller so the hot path allocates nothing. */
public final class NextHop {
    /** Egress interface index. */
    public int ifindex;
    /** IPv4 address to resolve on that interface: the gateway, or the destination itself when on-link. */
    public int gateway;
    /** Preferred source address of the route (or the interface's primary address). */
    public int source;
    /** Egress MTU. */
    public int mtu;

    public void set(int ifindex, int gateway, int source, int mtu) {
        this.ifindex = ifindex;
        this.gateway = gateway;
        this.source = source;
        this.mtu = mtu;
    }
}
