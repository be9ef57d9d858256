package org.jvs.core;

import org.agrona.collections.Long2LongHashMap;

/**
 * The director's own ARP cache: (interface, IPv4) to MAC. Learned from every ARP packet the ports see, so the
 * director needs no help from the kernel's table. Data-plane thread only.
 */
public final class Neighbours {
    public static final long UNKNOWN = -1L;

    private final Long2LongHashMap macs = new Long2LongHashMap(UNKNOWN);
    private final Long2LongHashMap lastRequestNs = new Long2LongHashMap(Long.MIN_VALUE);

    static long key(int ifindex, int address) {
        return ((long) ifindex << 32) | (address & 0xFFFFFFFFL);
    }

    /** The MAC of {@code address} on {@code ifindex}, or {@link #UNKNOWN}. */
    public long mac(int ifindex, int address) {
        return macs.get(key(ifindex, address));
    }

    public void learn(int ifindex, int address, long mac) {
        macs.put(key(ifindex, address), mac);
    }

    /**
     * True when an ARP request for this neighbour may go out now: at most one per {@code intervalNs}, so a burst
     * of packets towards an unresolved neighbour does not become a burst of requests.
     */
    boolean shouldRequest(int ifindex, int address, long nowNs, long intervalNs) {
        long key = key(ifindex, address);
        long last = lastRequestNs.get(key);
        if (last != Long.MIN_VALUE && nowNs - last < intervalNs) {
            return false;
        }
        lastRequestNs.put(key, nowNs);
        return true;
    }

    public int size() {
        return macs.size();
    }
}
