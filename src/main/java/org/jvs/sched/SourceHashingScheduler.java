package org.jvs.sched;

import java.util.ArrayList;
import java.util.List;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "sh" (ip_vs_sh.c): a static map from the client address (and, with sh-port, its port) to a real server, so a
 * client keeps its server without persistence templates. The 256 buckets are dealt to the servers in list
 * order, each taking as many consecutive buckets as its weight (one when its weight is 0) before the next, so
 * weights set the share of clients. A bucket is hash_32(port + address) of 8 bits.
 * <p>
 * When the bucket's server is quiesced or overloaded nothing is chosen; with sh-fallback the buckets after it
 * (again hashed: hash_32 plus offset) are tried in turn, so only that server's clients move.
 * <p>
 * An IPv6 client is hashed by the XOR of its four words, as ip_vs_sh_hashkey folds it: {@link Scheduler#schedule6}'s
 * default; only the explanation names the IPv6 address.
 */
public final class SourceHashingScheduler implements Scheduler {
    static final int TABLE_BITS = 8;
    static final int TABLE_SIZE = 1 << TABLE_BITS;
    private static final int TABLE_MASK = TABLE_SIZE - 1;
    /** GOLDEN_RATIO_32 of the kernel's hash_32(). */
    private static final int GOLDEN_RATIO_32 = 0x61C88647;

    private final RealServer[] buckets = new RealServer[TABLE_SIZE];
    private boolean initialized;
    /** The flags text last parsed, compared by reference so that a change is seen without parsing per packet. */
    private String flagsText;
    private int flags;

    @Override
    public String name() {
        return "sh";
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
        int first = bucket(clientAddress, port, 0);
        RealServer server = buckets[first];
        if (server == null || Eligibility.schedulable(server)) {
            return server;
        }
        if ((flags & SchedulerFlags.FALLBACK) == 0) {
            return null;
        }
        for (int offset = 0; offset < TABLE_SIZE; offset++) {
            server = buckets[bucket(clientAddress, port, (offset + first) & TABLE_MASK)];
            if (Eligibility.schedulable(server)) {
                return server;
            }
        }
        return null;
    }

    /** ip_vs_sh_reassign: weight consecutive buckets per server, round after round until the table is full. */
    @Override
    public void realServersChanged(VirtualService service) {
        List<RealServer> servers = service.realServers();
        int n = servers.size();
        int server = 0;
        int taken = 0;
        for (int i = 0; i < TABLE_SIZE; i++) {
            if (n == 0) {
                buckets[i] = null;
                continue;
            }
            buckets[i] = servers.get(server);
            if (++taken >= servers.get(server).weight()) {
                server = (server + 1) % n;
                taken = 0;
            }
        }
        parseFlags(service);
        initialized = true;
    }

    private void parseFlags(VirtualService service) {
        flagsText = service.schedulerFlags();
        flags = SchedulerFlags.parse(flagsText);
    }

    /** ip_vs_sh_hashkey: (offset + hash_32(port + address, 8)) mod 256. */
    static int bucket(int address, int port, int offset) {
        return (offset + ((port + address) * GOLDEN_RATIO_32 >>> (32 - TABLE_BITS))) & TABLE_MASK;
    }

    /** Exact: the bucket of the client's address (and port with sh-port), and the server it was dealt to. */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        RealServer chosen = flow.scheduleWith(this, service);
        int port = (flags & SchedulerFlags.PORT) != 0 ? flow.clientPort() : 0;
        int first = bucket(flow.clientAddress(), port, 0);
        List<String> reasons = new ArrayList<>();
        reasons.add("sh: hash_32(" + ((flags & SchedulerFlags.PORT) != 0 ? "client port + " : "")
                + "client address " + flow.hashedClient() + ") = bucket " + first + " of "
                + TABLE_SIZE + ", dealt to " + (buckets[first] == null ? "no server"
                : SchedulerChoice.load(buckets[first])));
        if (buckets[first] != null && chosen != buckets[first]) {
            reasons.add((flags & SchedulerFlags.FALLBACK) != 0 ? "  not eligible: sh-fallback tried the next buckets"
                    : "  not eligible, and without sh-fallback no other bucket is tried");
        }
        reasons.add(SchedulerChoice.verdict(chosen));
        return new SchedulerChoice(chosen, true, reasons);
    }
}
