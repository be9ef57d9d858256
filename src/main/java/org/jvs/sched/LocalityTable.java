package org.jvs.sched;

import java.util.Arrays;

import org.jvs.service.Ipv6;
import org.jvs.service.RealServer;

/**
 * The destination-address table of lblc and lblcr (ip_vs_lblc_table / ip_vs_lblcr_table): 1024 hash chains of
 * entries, each a destination address, the set of real servers serving it (one for lblc, a replication set for
 * lblcr) and when it was last used. Entries live in parallel arrays chained by index, so adding and removing
 * them allocates nothing once the pool has grown to the high-water mark of entries.
 * <p>
 * The kernel collects stale entries from a timer every minute; here the scheduler calls {@link #tick} with the
 * time of each new connection and the same collection runs when a minute has passed. Every 30th run (half an
 * hour) drops entries idle longer than the expiration (24 h by default); the others, only while the table
 * holds more than 16 entries per chain, drop entries idle longer than 6 min.
 * <p>
 * A destination is IPv4 or IPv6 (en->af): an IPv6 one chains by the fold of its four words as ip_vs_lblc_hashkey
 * folds it, and is found by its whole address, as ip_vs_addr_equal compares it; the two families never match.
 */
final class LocalityTable {
    static final int NONE = -1;
    static final long CHECK_EXPIRE_INTERVAL_NS = 60_000_000_000L;
    static final long ENTRY_TIMEOUT_NS = 6 * CHECK_EXPIRE_INTERVAL_NS;
    static final long DEFAULT_EXPIRATION_NS = 24 * 60 * CHECK_EXPIRE_INTERVAL_NS;
    private static final int TABLE_BITS = 10;
    private static final int CHAINS = 1 << TABLE_BITS;
    private static final int CHAIN_MASK = CHAINS - 1;
    static final int MAX_SIZE = CHAINS * 16;
    private static final int COUNT_FOR_FULL_EXPIRATION = 30;
    private static final int GOLDEN_RATIO_32 = 0x61C88647;

    private final long expirationNs;
    private final int[] heads = new int[CHAINS];
    private int[] next = new int[0];
    /** The IPv4 address, or the fold of the IPv6 one ({@link Ipv6#fold}). */
    private int[] addresses = new int[0];
    private boolean[] ipv6 = new boolean[0];
    private long[] addressHi = new long[0];
    private long[] addressLo = new long[0];
    private long[] lastUseNs = new long[0];
    private long[] lastModifiedNs = new long[0];
    private int[] setSizes = new int[0];
    private RealServer[][] sets = new RealServer[0][];
    /** Head of the chain of unused entries. */
    private int free = NONE;
    private int entries;
    /** The chain the next collection starts after, so successive partial collections share the work. */
    private int rover;
    private int counter = 1;
    private long nextCheckNs;

    LocalityTable(long expirationNs, long nowNs) {
        this.expirationNs = expirationNs;
        this.nextCheckNs = nowNs + CHECK_EXPIRE_INTERVAL_NS;
        Arrays.fill(heads, NONE);
    }

    int entries() {
        return entries;
    }

    long expirationNs() {
        return expirationNs;
    }

    /** The entry for an IPv4 destination address, or NONE. */
    int find(int address) {
        return find(address, false, 0, 0);
    }

    /**
     * The entry for a destination, or NONE: IPv4 {@code address}, or when {@code ipv6} the address
     * {@code hi}/{@code lo} whose fold {@code address} is.
     */
    int find(int address, boolean ipv6, long hi, long lo) {
        for (int entry = heads[chain(address)]; entry != NONE; entry = next[entry]) {
            if (addresses[entry] == address && this.ipv6[entry] == ipv6
                    && (!ipv6 || addressHi[entry] == hi && addressLo[entry] == lo)) {
                return entry;
            }
        }
        return NONE;
    }

    /**
     * A new entry with an empty server set, used now, at the head of its chain as hlist_add_head; the destination as
     * {@link #find(int, boolean, long, long)} takes it.
     */
    int add(int address, boolean ipv6, long hi, long lo, long nowNs) {
        if (free == NONE) {
            grow();
        }
        int entry = free;
        free = next[entry];
        int chain = chain(address);
        next[entry] = heads[chain];
        heads[chain] = entry;
        addresses[entry] = address;
        this.ipv6[entry] = ipv6;
        addressHi[entry] = hi;
        addressLo[entry] = lo;
        lastUseNs[entry] = nowNs;
        lastModifiedNs[entry] = nowNs;
        setSizes[entry] = 0;
        entries++;
        return entry;
    }

    void touch(int entry, long nowNs) {
        lastUseNs[entry] = nowNs;
    }

    int size(int entry) {
        return setSizes[entry];
    }

    /** The set's servers, the most recently inserted first. */
    RealServer server(int entry, int index) {
        return sets[entry][index];
    }

    long lastModifiedNs(int entry) {
        return lastModifiedNs[entry];
    }

    /** ip_vs_dest_set_insert: at the front, as list_add_rcu, unless it is there already. */
    void insert(int entry, RealServer server, long nowNs) {
        RealServer[] set = sets[entry];
        int size = setSizes[entry];
        for (int i = 0; i < size; i++) {
            if (set[i] == server) {
                return;
            }
        }
        if (size == set.length) {
            set = Arrays.copyOf(set, size * 2);
            sets[entry] = set;
        }
        System.arraycopy(set, 0, set, 1, size);
        set[0] = server;
        setSizes[entry] = size + 1;
        lastModifiedNs[entry] = nowNs;
    }

    /** Makes {@code server} the only one of the set (lblc's entry pointing at a new server). */
    void replace(int entry, RealServer server, long nowNs) {
        Arrays.fill(sets[entry], 0, setSizes[entry], null);
        setSizes[entry] = 0;
        insert(entry, server, nowNs);
        lastUseNs[entry] = nowNs;
    }

    /** ip_vs_dest_set_erase. */
    void erase(int entry, RealServer server, long nowNs) {
        RealServer[] set = sets[entry];
        int size = setSizes[entry];
        for (int i = 0; i < size; i++) {
            if (set[i] == server) {
                System.arraycopy(set, i + 1, set, i, size - i - 1);
                set[size - 1] = null;
                setSizes[entry] = size - 1;
                lastModifiedNs[entry] = nowNs;
                return;
            }
        }
    }

    /** Runs the periodic collection when its minute has come; called with the time of each new connection. */
    void tick(long nowNs) {
        if (nowNs - nextCheckNs < 0) {
            return;
        }
        nextCheckNs = nowNs + CHECK_EXPIRE_INTERVAL_NS;
        if (counter % COUNT_FOR_FULL_EXPIRATION == 0) {
            collect(nowNs, expirationNs, Integer.MAX_VALUE);
            counter = 1;
            return;
        }
        if (entries <= MAX_SIZE) {
            counter++;
            return;
        }
        int goal = Math.min((entries - MAX_SIZE) * 4 / 3, MAX_SIZE / 2);
        collect(nowNs, ENTRY_TIMEOUT_NS, goal);
    }

    /** Drops entries idle for {@code idleNs} or longer, chain by chain after the rover, until goal are gone. */
    private void collect(long nowNs, long idleNs, int goal) {
        int chain = rover;
        for (int i = 0; i < CHAINS; i++) {
            chain = (chain + 1) & CHAIN_MASK;
            int previous = NONE;
            int entry = heads[chain];
            while (entry != NONE) {
                int following = next[entry];
                if (nowNs - (lastUseNs[entry] + idleNs) < 0) {
                    previous = entry;
                } else {
                    unlink(chain, previous, entry);
                    goal--;
                }
                entry = following;
            }
            if (goal <= 0) {
                break;
            }
        }
        rover = chain;
    }

    private void unlink(int chain, int previous, int entry) {
        if (previous == NONE) {
            heads[chain] = next[entry];
        } else {
            next[previous] = next[entry];
        }
        Arrays.fill(sets[entry], 0, setSizes[entry], null);
        setSizes[entry] = 0;
        next[entry] = free;
        free = entry;
        entries--;
    }

    /** Doubles the entry pool; the only allocation, and only when more destinations are live than ever before. */
    private void grow() {
        int old = addresses.length;
        int capacity = Math.max(64, old * 2);
        next = Arrays.copyOf(next, capacity);
        addresses = Arrays.copyOf(addresses, capacity);
        ipv6 = Arrays.copyOf(ipv6, capacity);
        addressHi = Arrays.copyOf(addressHi, capacity);
        addressLo = Arrays.copyOf(addressLo, capacity);
        lastUseNs = Arrays.copyOf(lastUseNs, capacity);
        lastModifiedNs = Arrays.copyOf(lastModifiedNs, capacity);
        setSizes = Arrays.copyOf(setSizes, capacity);
        sets = Arrays.copyOf(sets, capacity);
        for (int entry = capacity - 1; entry >= old; entry--) {
            sets[entry] = new RealServer[2];
            next[entry] = free;
            free = entry;
        }
    }

    /** hash_32(address, 10), as ip_vs_lblcr_hashkey. */
    private static int chain(int address) {
        return address * GOLDEN_RATIO_32 >>> (32 - TABLE_BITS);
    }
}
