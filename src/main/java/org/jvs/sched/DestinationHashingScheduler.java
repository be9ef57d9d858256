package org.jvs.sched;

import java.util.ArrayList;
import java.util.List;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "dh" (ip_vs_dh.c): a static map from the packet's destination address to a real server, for cache clusters
 * where each origin address should always hit the same cache. The 256 buckets are dealt to the servers round
 * robin, weights ignored; the destination address, multiplied by the golden-ratio prime 2654435761, picks the
 * bucket. No fallback: when the bucket's server is quiesced, overloaded or gone, nothing is chosen, so that
 * the cache_bypass setting can send the request to the origin server itself.
 * <p>
 * An IPv6 destination is hashed by the XOR of its four words, as ip_vs_dh_hashkey folds it:
 * {@link Scheduler#schedule6}'s default; only the explanation names the IPv6 address.
 */
public final class DestinationHashingScheduler implements Scheduler {
    static final int TABLE_SIZE = 256;
    private static final int TABLE_MASK = TABLE_SIZE - 1;
    private static final int GOLDEN_RATIO_PRIME = (int) 2654435761L;

    private final RealServer[] buckets = new RealServer[TABLE_SIZE];
    private boolean initialized;

    @Override
    public String name() {
        return "dh";
    }

    @Override
    public RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                               int virtualPort) {
        if (!initialized) {
            realServersChanged(service);
        }
        RealServer server = buckets[bucket(virtualAddress)];
        return server != null && Eligibility.schedulable(server) ? server : null;
    }

    /** ip_vs_dh_assign: bucket i to server i mod n, in list order. */
    @Override
    public void realServersChanged(VirtualService service) {
        List<RealServer> servers = service.realServers();
        int n = servers.size();
        for (int i = 0; i < TABLE_SIZE; i++) {
            buckets[i] = n == 0 ? null : servers.get(i % n);
        }
        initialized = true;
    }

    /** ip_vs_dh_hashkey; only the low 8 bits of the product are used, so 32-bit arithmetic gives the same. */
    static int bucket(int address) {
        return (address * GOLDEN_RATIO_PRIME) & TABLE_MASK;
    }

    /** Exact: the bucket of the destination (the VIP) and the server it was dealt to. */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        RealServer chosen = flow.scheduleWith(this, service);
        int bucket = bucket(flow.virtualAddress());
        List<String> reasons = new ArrayList<>();
        reasons.add("dh: destination " + flow.hashedVirtual() + " * 2654435761 = bucket "
                + bucket + " of " + TABLE_SIZE + ", dealt to " + (buckets[bucket] == null ? "no server"
                : SchedulerChoice.load(buckets[bucket])));
        reasons.add(SchedulerChoice.verdict(chosen));
        return new SchedulerChoice(chosen, true, reasons);
    }
}
