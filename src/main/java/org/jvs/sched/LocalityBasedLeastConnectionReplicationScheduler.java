package org.jvs.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.jvs.service.Ipv6;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "lblcr" (ip_vs_lblcr.c): locality-based least connection with replication. Each destination address keeps
 * a set of servers and takes the least loaded of them (overhead / weight); when that one is overloaded (more
 * active connections than its weight while another server is below half its weight) the wlc choice over all
 * servers joins the set, so a popular destination is replicated over more caches. A set not changed for the
 * expiration (24 h) loses its most loaded member on the next connection, so replicas shrink back once demand
 * falls. An IPv6 destination keeps its set by its whole address, as ip_vs_lblcr_get compares it.
 */
public final class LocalityBasedLeastConnectionReplicationScheduler implements Scheduler {
    private final LongSupplier clockNs;
    private final LocalityTable table;
    private final WeightedLeastConnectionScheduler leastConnection = new WeightedLeastConnectionScheduler();

    public LocalityBasedLeastConnectionReplicationScheduler() {
        this(System::nanoTime, LocalityTable.DEFAULT_EXPIRATION_NS);
    }

    /** With a clock in nanoseconds (System::nanoTime or a test's) and the lblcr_expiration in nanoseconds. */
    public LocalityBasedLeastConnectionReplicationScheduler(LongSupplier clockNs, long expirationNs) {
        this.clockNs = clockNs;
        this.table = new LocalityTable(expirationNs, clockNs.getAsLong());
    }

    @Override
    public String name() {
        return "lblcr";
    }

    int entries() {
        return table.entries();
    }

    /** How many servers replicate a destination now (0 when it has no entry). */
    int replicas(int destination) {
        int entry = table.find(destination);
        return entry == LocalityTable.NONE ? 0 : table.size(entry);
    }

    @Override
    public RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                               int virtualPort) {
        return schedule(service, clientAddress, clientPort, virtualAddress, virtualPort, false, 0, 0);
    }

    @Override
    public RealServer schedule6(VirtualService service, long clientHi, long clientLo, int clientPort,
                                long virtualHi, long virtualLo, int virtualPort) {
        return schedule(service, Ipv6.fold(clientHi, clientLo), clientPort, Ipv6.fold(virtualHi, virtualLo),
                virtualPort, true, virtualHi, virtualLo);
    }

    /** {@code virtualAddress} is the IPv4 VIP, or when {@code ipv6} the fold of {@code virtualHi}/{@code virtualLo}. */
    private RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                                int virtualPort, boolean ipv6, long virtualHi, long virtualLo) {
        long nowNs = clockNs.getAsLong();
        table.tick(nowNs);
        int entry = table.find(virtualAddress, ipv6, virtualHi, virtualLo);
        if (entry != LocalityTable.NONE) {
            table.touch(entry, nowNs);
            RealServer least = leastLoaded(entry);
            if (table.size(entry) > 1 && nowNs - (table.lastModifiedNs(entry) + table.expirationNs()) > 0) {
                RealServer most = mostLoaded(entry);
                if (most != null) {
                    table.erase(entry, most, nowNs);
                }
            }
            if (least != null && !LocalityBasedLeastConnectionScheduler.overloaded(least, service.realServers())) {
                return least;
            }
        }
        RealServer chosen = leastConnection.schedule(service, clientAddress, clientPort, virtualAddress, virtualPort);
        if (chosen == null) {
            return null;
        }
        if (entry == LocalityTable.NONE) {
            entry = table.add(virtualAddress, ipv6, virtualHi, virtualLo, nowNs);
        }
        table.insert(entry, chosen, nowNs);
        return chosen;
    }

    /** ip_vs_dest_set_min: the set's least overhead / weight among servers still available, quiesced skipped. */
    private RealServer leastLoaded(int entry) {
        RealServer least = null;
        long leastOverhead = 0;
        for (int i = 0, n = table.size(entry); i < n; i++) {
            RealServer server = table.server(entry, i);
            if (!Eligibility.schedulable(server)) {
                continue;
            }
            long overhead = server.overhead();
            if (least == null || leastOverhead * server.weight() > overhead * least.weight()) {
                least = server;
                leastOverhead = overhead;
            }
        }
        return least;
    }

    /** ip_vs_dest_set_max: the set's most overhead / weight, servers of weight 0 left out, availability not. */
    private RealServer mostLoaded(int entry) {
        RealServer most = null;
        long mostOverhead = 0;
        for (int i = 0, n = table.size(entry); i < n; i++) {
            RealServer server = table.server(entry, i);
            if (server.weight() <= 0) {
                continue;
            }
            long overhead = server.overhead();
            if (most == null || mostOverhead * server.weight() < overhead * most.weight()) {
                most = server;
                mostOverhead = overhead;
            }
        }
        return most;
    }

    /**
     * Approximate: the least loaded of the destination's set, read without touching the entry or shrinking an
     * expired set; when that one is overloaded, or there is no set, the wlc choice that would join it.
     */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        List<String> reasons = new ArrayList<>();
        int entry = table.find(flow.virtualAddress(), flow.ipv6(), flow.virtualHi(), flow.virtualLo());
        RealServer chosen = null;
        if (entry != LocalityTable.NONE) {
            RealServer least = leastLoaded(entry);
            reasons.add("lblcr: destination " + flow.virtual() + " is replicated on "
                    + table.size(entry) + " server(s); the least loaded: "
                    + (least == null ? "none usable" : SchedulerChoice.load(least)));
            if (least != null && !LocalityBasedLeastConnectionScheduler.overloaded(least, service.realServers())) {
                chosen = least;
            } else {
                reasons.add("  overloaded or none: the wlc choice joins the set");
            }
        } else {
            reasons.add("lblcr: destination " + flow.virtual() + " has no set yet: the wlc choice starts one");
        }
        return SchedulerChoice.keptOrElse(chosen, reasons, () -> leastConnection.explain(service, flow));
    }
}
