package org.jvs.net;

/**
 * What the data plane needs to know about the host's network: its interfaces, routes and local addresses.
 * The Linux implementation learns them through rtnetlink; tests use a fixed table. Queried on the data-plane
 * thread; implementations must not allocate per call.
 */
public interface HostNetwork {

    /** The attached interface with this index, or null. */
    NetInterface interfaceByIndex(int ifindex);

    /** Fills {@code hop} with the route towards {@code destination}; false when there is none. */
    boolean route(int destination, NextHop hop);

    /** True when the address is configured on the host itself (any interface, including lo). */
    boolean isLocalAddress(int address);

    /**
     * As {@link #isLocalAddress}, for an IPv6 address as two longs. The host's IPv6 addresses come from a driver
     * that reports them; until one does, the director takes none as the host's and answers Neighbour Discovery for
     * every IPv6 VIP and local address itself.
     */
    default boolean isLocalAddress6(long hi, long lo) {
        return false;
    }

    /**
     * Fills {@code hop} with the IPv6 route towards {@code destinationHi/Lo}; false when there is none (and always
     * false from a driver that reports no IPv6 routes).
     */
    default boolean route6(long destinationHi, long destinationLo, NextHop6 hop) {
        return false;
    }
}
