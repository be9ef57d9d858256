package org.jvs.core;

import org.agrona.collections.Int2ObjectHashMap;
import org.jvs.service.Ipv6Map;

/**
 * The director's own IPv6 neighbour cache, {@link Neighbours}' counterpart: (interface, IPv6 address) to MAC,
 * learned from Neighbour Discovery (RFC 4861 section 7.2). An address is 128 bits, too wide to share Neighbours'
 * long key, so each neighbour gets an entry numbered once, and {@link #pendingKey} names its held frames in the
 * ring IPv4 uses ({@link PendingFrames}) with the top bit set, which no IPv4 key (a positive ifindex above the
 * address) has. Entries are never removed, as IPv4's are not; a lookup allocates nothing, only a neighbour seen
 * for the first time does. Data-plane thread only.
 */
final class Ipv6Neighbours {
    private static final long IPV6_KEY = Long.MIN_VALUE;

    /** One neighbour: its MAC ({@link Neighbours#UNKNOWN} while being solicited) and when it was last solicited. */
    static final class Entry {
        final int ifindex;
        final int number;
        long mac = Neighbours.UNKNOWN;
        long lastSolicitedNs = Long.MIN_VALUE;

        Entry(int ifindex, int number) {
            this.ifindex = ifindex;
            this.number = number;
        }
    }

    private final Int2ObjectHashMap<Ipv6Map<Entry>> byInterface = new Int2ObjectHashMap<>();
    private int entries;

    /** The neighbour's entry, or null when the director never solicited nor heard from it. */
    Entry find(int ifindex, long hi, long lo) {
        Ipv6Map<Entry> onLink = byInterface.get(ifindex);
        return onLink == null ? null : onLink.get(hi, lo);
    }

    /** The neighbour's entry, made (its MAC unknown) when there is none. */
    Entry entry(int ifindex, long hi, long lo) {
        Ipv6Map<Entry> onLink = byInterface.get(ifindex);
        if (onLink == null) {
            onLink = new Ipv6Map<>();
            byInterface.put(ifindex, onLink);
        }
        Entry entry = onLink.get(hi, lo);
        if (entry == null) {
            entry = new Entry(ifindex, entries++);
            onLink.put(hi, lo, entry);
        }
        return entry;
    }

    /** The MAC of {@code hi}/{@code lo} on {@code ifindex}, or {@link Neighbours#UNKNOWN}. */
    long mac(int ifindex, long hi, long lo) {
        Entry entry = find(ifindex, hi, lo);
        return entry == null ? Neighbours.UNKNOWN : entry.mac;
    }

    /** The key of the entry's frames in {@link PendingFrames}. */
    static long pendingKey(Entry entry) {
        return IPV6_KEY | (long) entry.ifindex << 32 | entry.number & 0xFFFFFFFFL;
    }

    /**
     * True when a solicitation for this neighbour may go out now: at most one per {@code intervalNs}, as
     * {@link Neighbours#shouldRequest} paces ARP requests.
     */
    static boolean shouldSolicit(Entry entry, long nowNs, long intervalNs) {
        if (entry.lastSolicitedNs != Long.MIN_VALUE && nowNs - entry.lastSolicitedNs < intervalNs) {
            return false;
        }
        entry.lastSolicitedNs = nowNs;
        return true;
    }

    int size() {
        return entries;
    }
}
