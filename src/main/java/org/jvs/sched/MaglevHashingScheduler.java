package org.jvs.sched;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "mh" (ip_vs_mh.c): Maglev consistent hashing of the client address (and, with mh-port, its port). Each
 * server walks its own permutation of the lookup table (start and step from two hashes of its address and
 * port) and the servers take turns claiming their next free slot until the table is full. Removing one of N
 * servers therefore moves about 1/N of the clients, and only those that were on it or must make room.
 * <p>
 * Weights give a server turns of weight / gcd slots per round, shifted right so the largest stays within
 * 2^(index/2) turns. They are the last non-zero weights: quiescing a server (weight 0) does not rebuild the
 * table, it only makes the server unavailable, so its clients return to it when it comes back. An unavailable
 * (quiesced or overloaded) server gets nothing; with mh-fallback, rehashing with growing offsets finds another.
 * <p>
 * IPv6 clients and servers are hashed by the XOR of their address's four words, as ip_vs_mh_hashkey folds them:
 * {@link Scheduler#schedule6}'s default and {@link RealServer#address()}; only the explanation names the address.
 */
public final class MaglevHashingScheduler implements Scheduler {
    /** Table sizes by CONFIG_IP_VS_MH_TAB_INDEX - 8: primes, so that every step visits every slot. */
    private static final int[] PRIMES = {251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071};
    private static final int MIN_TABLE_INDEX = 8;
    /** The kernel's default CONFIG_IP_VS_MH_TAB_INDEX: 4093 slots. */
    public static final int DEFAULT_TABLE_INDEX = 12;
    /** The fixed keys of generate_hash_secret(): slot order is the kernel's, and the same on every director. */
    private static final long OFFSET_KEY = 2654435761L;
    private static final long SKIP_KEY = 2654446892L;

    private final int tableSize;
    /** IP_VS_MH_TAB_BITS: how many bits of weight / gcd are kept before shifting. */
    private final int weightBits;
    private final RealServer[] lookup;
    private Map<RealServer, Integer> lastWeights = new IdentityHashMap<>();
    private boolean initialized;
    private String flagsText;
    private int flags;

    public MaglevHashingScheduler() {
        this(DEFAULT_TABLE_INDEX);
    }

    /** With a table of the size CONFIG_IP_VS_MH_TAB_INDEX {@code tableIndex} gives (8: 251 .. 17: 131071). */
    public MaglevHashingScheduler(int tableIndex) {
        if (tableIndex < MIN_TABLE_INDEX || tableIndex >= MIN_TABLE_INDEX + PRIMES.length) {
            throw new IllegalArgumentException("mh table index " + tableIndex + " is out of range (expected "
                    + MIN_TABLE_INDEX + " to " + (MIN_TABLE_INDEX + PRIMES.length - 1) + ")");
        }
        tableSize = PRIMES[tableIndex - MIN_TABLE_INDEX];
        weightBits = tableIndex / 2;
        lookup = new RealServer[tableSize];
    }

    @Override
    public String name() {
        return "mh";
    }

    int tableSize() {
        return tableSize;
    }

    @Override
    public RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                               int virtualPort) {
        if (!initialized) {
            realServersChanged(service);
        }
        if (service.schedulerFlags() != flagsText) {
            parseFlags(service);
        }
        int port = (flags & SchedulerFlags.PORT) != 0 ? clientPort : 0;
        int first = slot(hash(clientAddress, port, 0, OFFSET_KEY));
        RealServer server = lookup[first];
        if (server == null || Eligibility.schedulable(server)) {
            return server;
        }
        if ((flags & SchedulerFlags.FALLBACK) == 0) {
            return null;
        }
        for (int offset = 0; offset < tableSize; offset++) {
            server = lookup[slot(hash(clientAddress, port, (offset + first) % tableSize, OFFSET_KEY))];
            if (server == null) {
                return null;
            }
            if (Eligibility.schedulable(server)) {
                return server;
            }
        }
        return null;
    }

    /** ip_vs_mh_dest_changed: recompute gcd and shift, then refill the whole table. */
    @Override
    public void realServersChanged(VirtualService service) {
        List<RealServer> servers = service.realServers();
        int n = servers.size();
        int[] weights = updateLastWeights(servers);
        int gcd = 0;
        int max = 0;
        for (int weight : weights) {
            if (weight > 0) {
                gcd = gcd > 0 ? gcd(weight, gcd) : weight;
            }
            max = Math.max(max, weight);
        }
        parseFlags(service);
        initialized = true;
        if (gcd < 1) {
            Arrays.fill(lookup, null);
            return;
        }
        int fls = 32 - Integer.numberOfLeadingZeros(max / gcd);
        int shift = Math.max(0, fls - weightBits);
        int[] next = new int[n];
        int[] skip = new int[n];
        int[] turns = new int[n];
        for (int i = 0; i < n; i++) {
            RealServer server = servers.get(i);
            next[i] = slot(hash(server.address(), server.port(), 0, OFFSET_KEY));
            skip[i] = Integer.remainderUnsigned(hash(server.address(), server.port(), 0, SKIP_KEY), tableSize - 1) + 1;
            int scaled = (weights[i] / gcd) >> shift;
            turns[i] = scaled != 0 ? scaled : (weights[i] != 0 ? 1 : 0);
        }
        populate(servers, next, skip, turns);
    }

    /** ip_vs_mh_populate: round after round, each server claims its next free preferred slots, turns of them. */
    private void populate(List<RealServer> servers, int[] next, int[] skip, int[] turns) {
        boolean[] taken = new boolean[tableSize];
        int filled = 0;
        while (true) {
            for (int i = 0; i < servers.size(); i++) {
                for (int turn = 0; turn < turns[i]; turn++) {
                    while (taken[next[i]]) {
                        next[i] += skip[i];
                        if (next[i] >= tableSize) {
                            next[i] -= tableSize;
                        }
                    }
                    taken[next[i]] = true;
                    lookup[next[i]] = servers.get(i);
                    if (++filled == tableSize) {
                        return;
                    }
                }
            }
        }
    }

    /** Keeps each server's latest non-zero weight, as the kernel's last_weight (a new server's own weight). */
    private int[] updateLastWeights(List<RealServer> servers) {
        Map<RealServer, Integer> updated = new IdentityHashMap<>();
        int[] weights = new int[servers.size()];
        for (int i = 0; i < weights.length; i++) {
            RealServer server = servers.get(i);
            Integer last = lastWeights.get(server);
            weights[i] = last == null || server.weight() != 0 ? server.weight() : last;
            updated.put(server, weights[i]);
        }
        lastWeights = updated;
        return weights;
    }

    private void parseFlags(VirtualService service) {
        flagsText = service.schedulerFlags();
        flags = SchedulerFlags.parse(flagsText);
    }

    private int slot(int hash) {
        return Integer.remainderUnsigned(hash, tableSize);
    }

    /** ip_vs_mh_hashkey: hsiphash of offset + port + address. */
    static int hash(int address, int port, int offset, long key) {
        return Hsiphash.hash(offset + port + address, key, key);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int r = a % b;
            a = b;
            b = r;
        }
        return a;
    }

    /** Exact: the slot of the client's hash in the Maglev lookup table and the server that claimed it. */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        RealServer chosen = flow.scheduleWith(this, service);
        int port = (flags & SchedulerFlags.PORT) != 0 ? flow.clientPort() : 0;
        int first = slot(hash(flow.clientAddress(), port, 0, OFFSET_KEY));
        List<String> reasons = new ArrayList<>();
        reasons.add("mh: hsiphash(" + ((flags & SchedulerFlags.PORT) != 0 ? "client port + " : "")
                + "client address " + flow.hashedClient() + ") = slot " + first + " of "
                + tableSize + ", claimed by " + (lookup[first] == null ? "no server"
                : SchedulerChoice.load(lookup[first])));
        if (lookup[first] != null && chosen != lookup[first]) {
            reasons.add((flags & SchedulerFlags.FALLBACK) != 0 ? "  not eligible: mh-fallback rehashed to another slot"
                    : "  not eligible, and without mh-fallback no other slot is tried");
        }
        reasons.add(SchedulerChoice.verdict(chosen));
        return new SchedulerChoice(chosen, true, reasons);
    }
}
