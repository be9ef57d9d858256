package org.jvs.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.jvs.service.Ipv6;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "lblc" (ip_vs_lblc.c): locality-based least connection, for cache clusters. Each destination address keeps
 * the server it was last given, so a cache serves the same origins; a new destination, or one whose server is
 * gone, quiesced or overloaded, gets the wlc choice and remembers it. Overloaded means here what the kernel
 * means: more active connections than its weight while some other server has fewer than half its weight. The
 * remembered server is not checked against the -x threshold, as in the kernel.
 * <p>
 * Entries idle for the expiration (sysctl lblc_expiration, 24 h) are dropped lazily, see {@link LocalityTable}.
 * An IPv6 destination keeps its server by its whole address, as ip_vs_lblc_get compares it.
 */
public final class LocalityBasedLeastConnectionScheduler implements Scheduler {
    private final LongSupplier clockNs;
    private final LocalityTable table;
    private final WeightedLeastConnectionScheduler leastConnection = new WeightedLeastConnectionScheduler();

    public LocalityBasedLeastConnectionScheduler() {
        this(System::nanoTime, LocalityTable.DEFAULT_EXPIRATION_NS);
    }

    /** With a clock in nanoseconds (System::nanoTime or a test's) and the lblc_expiration in nanoseconds. */
    public LocalityBasedLeastConnectionScheduler(LongSupplier clockNs, long expirationNs) {
        this.clockNs = clockNs;
        this.table = new LocalityTable(expirationNs, clockNs.getAsLong());
    }

    @Override
    public String name() {
        return "lblc";
    }

    int entries() {
        return table.entries();
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
        List<RealServer> servers = service.realServers();
        int entry = table.find(virtualAddress, ipv6, virtualHi, virtualLo);
        if (entry != LocalityTable.NONE) {
            table.touch(entry, nowNs);
            RealServer cached = table.server(entry, 0);
            if (cached.available() && cached.weight() > 0 && !overloaded(cached, servers)) {
                return cached;
            }
        }
        RealServer chosen = leastConnection.schedule(service, clientAddress, clientPort, virtualAddress, virtualPort);
        if (chosen == null) {
            return null;
        }
        if (entry == LocalityTable.NONE) {
            table.insert(table.add(virtualAddress, ipv6, virtualHi, virtualLo, nowNs), chosen, nowNs);
        } else if (table.server(entry, 0) != chosen) {
            table.replace(entry, chosen, nowNs);
        }
        return chosen;
    }

    /** is_overloaded of ip_vs_lblc.c and ip_vs_lblcr.c: busier than its weight while another is half idle. */
    static boolean overloaded(RealServer server, List<RealServer> servers) {
        if (server.activeLoad() <= server.weight()) {
            return false;
        }
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer other = servers.get(i);
            if (other.activeLoad() * 2L < other.weight()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Approximate: reads the destination's entry without touching it or running the table's expiry, so an entry
     * about to expire is still shown; a new destination shows the wlc choice it would remember.
     */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        List<RealServer> servers = service.realServers();
        List<String> reasons = new ArrayList<>();
        int entry = table.find(flow.virtualAddress(), flow.ipv6(), flow.virtualHi(), flow.virtualLo());
        RealServer chosen = null;
        if (entry != LocalityTable.NONE) {
            RealServer cached = table.server(entry, 0);
            reasons.add("lblc: destination " + flow.virtual() + " was last given "
                    + SchedulerChoice.load(cached));
            if (cached.available() && cached.weight() > 0 && !overloaded(cached, servers)) {
                chosen = cached;
            } else {
                reasons.add("  no longer usable (removed, quiesced or overloaded): the wlc choice replaces it");
            }
        } else {
            reasons.add("lblc: destination " + flow.virtual() + " has no server yet: the wlc choice, remembered for it");
        }
        return SchedulerChoice.keptOrElse(chosen, reasons, () -> leastConnection.explain(service, flow));
    }
}
