package org.jvs.conn;

import org.agrona.collections.Int2IntHashMap;
import org.jvs.service.Ipv6Map;

/**
 * Full NAT's source ports (DPVS's sa_pool): a port on a local address (LIP) for a new connection to RIP:RPORT such
 * that the real-server-side 5-tuple (protocol, LIP:lport, RIP:rport) is not in use. Each LIP has a cursor rotating
 * over the port range; a candidate is taken when the connection table's reply index does not find it, so a live
 * tuple is never handed out twice and a freed port comes back only after its entry expired and the cursor went
 * round. Tries are bounded so a flood at exhaustion costs a bounded amount of work per new connection.
 * Data-plane thread only; allocates nothing once a LIP has been seen. IPv6 LIPs have cursors of their own, keyed by
 * the whole address, and search the reply index's IPv6 keys.
 */
public final class LocalPorts {
    /** The default range: below Linux's ephemeral ports (32768-60999), so the director's own sockets never collide. */
    public static final int DEFAULT_LOWEST = 1024;
    public static final int DEFAULT_HIGHEST = 32767;
    public static final int NONE = -1;
    /** A bound on lookups per new connection; the cursor makes a free port near at hand unless the range is full. */
    static final int MAX_TRIES = 4096;

    private final ConnectionTable connections;
    private final Int2IntHashMap cursors = new Int2IntHashMap(NONE);
    /** An IPv6 LIP's cursor, in an int[1] made when the LIP is first seen. */
    private final Ipv6Map<int[]> cursors6 = new Ipv6Map<>();
    /** Where the cursor stands after the last {@link #search}. */
    private int searchedTo;
    private int lowest = DEFAULT_LOWEST;
    private int highest = DEFAULT_HIGHEST;
    /** With several workers, this one allocates only the ports {@code port % workers == worker}. */
    private int worker;
    private int workers = 1;

    public LocalPorts(ConnectionTable connections) {
        this.connections = connections;
    }

    /** Sets the range, both ends included; refused unless 1 <= lowest <= highest <= 65535. */
    public void range(int lowest, int highest) {
        if (lowest < 1 || lowest > highest || highest > 0xFFFF) {
            throw new IllegalArgumentException("full-NAT port range " + lowest + "-" + highest
                    + " is invalid (expected LOW-HIGH with 1 <= LOW <= HIGH <= 65535)");
        }
        this.lowest = lowest;
        this.highest = highest;
        cursors.clear();
        cursors6.clear();
    }

    /**
     * Makes this table allocate only ports {@code port % workers == worker}, so a full-NAT reply's local port
     * names the worker that owns its connection (DPVS partitions local ports among cores alike).
     */
    public void partition(int worker, int workers) {
        if (workers < 1 || worker < 0 || worker >= workers) {
            throw new IllegalArgumentException("worker " + worker + " of " + workers);
        }
        this.worker = worker;
        this.workers = workers;
        cursors.clear();
        cursors6.clear();
    }

    public int lowest() {
        return lowest;
    }

    public int highest() {
        return highest;
    }

    /** A free port on {@code localAddress} towards RIP:RPORT, or NONE when none was found (exhaustion). */
    public int allocate(int protocol, int localAddress, int realAddress, int realPort) {
        int port = search(protocol, false, localAddress, 0, 0, realAddress, 0, 0, realPort,
                cursors.get(localAddress));
        if (searchedTo != NONE) {
            cursors.put(localAddress, searchedTo);
        }
        return port;
    }

    /** As {@link #allocate} for an IPv6 LIP towards an IPv6 RIP:RPORT. */
    public int allocate6(int protocol, long localHi, long localLo, long realHi, long realLo, int realPort) {
        int[] cursor = cursors6.get(localHi, localLo);
        int port = search(protocol, true, 0, localHi, localLo, 0, realHi, realLo, realPort,
                cursor == null ? NONE : cursor[0]);
        if (searchedTo != NONE) {
            if (cursor == null) {
                cursors6.put(localHi, localLo, new int[] {searchedTo});
            } else {
                cursor[0] = searchedTo;
            }
        }
        return port;
    }

    /**
     * The first port from {@code cursor} (NONE: the range's first) whose tuple the reply index does not find, or
     * NONE; leaves the cursor after the ports tried in {@link #searchedTo} (NONE when the partition is empty).
     */
    private int search(int protocol, boolean ipv6, int localAddress, long localHi, long localLo, int realAddress,
                       long realHi, long realLo, int realPort, int cursor) {
        searchedTo = NONE;
        int first = lowest + Math.floorMod(worker - lowest, workers);
        if (first > highest) {
            return NONE;
        }
        int last = first + (highest - first) / workers * workers;
        int size = (last - first) / workers + 1;
        if (cursor == NONE) {
            cursor = first;
        }
        int tries = Math.min(size, MAX_TRIES);
        for (int i = 0; i < tries; i++) {
            int candidate = cursor;
            cursor = cursor == last ? first : cursor + workers;
            int found = ipv6 ? connections.lookupOut6(protocol, realHi, realLo, realPort, localHi, localLo, candidate)
                    : connections.lookupOut(protocol, realAddress, realPort, localAddress, candidate);
            if (found == ConnectionTable.NONE) {
                searchedTo = cursor;
                return candidate;
            }
        }
        searchedTo = cursor;
        return NONE;
    }
}
