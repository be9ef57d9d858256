package org.jvs.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "rr" (ip_vs_rr.c): each new connection goes to the next real server after the previous choice, skipping
 * quiesced (weight 0), overloaded and removed servers. The cursor may be shared by the copies of this scheduler on
 * several workers (a compare-and-set per choice, no lock), so that together they rotate as one.
 */
public final class RoundRobinScheduler implements Scheduler {
    /** Index of the last choice; -1 is the list head, before the first server. */
    private AtomicInteger cursor = new AtomicInteger(-1);
    /** Whether this copy moves the cursor at configuration changes (false: another worker's copy does). */
    private boolean leader = true;
    /** The servers as they were at the last change, to find where the cursor goes when its server leaves. */
    private RealServer[] known = new RealServer[0];

    @Override
    public String name() {
        return "rr";
    }

    @Override
    public RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                               int virtualPort) {
        List<RealServer> servers = service.realServers();
        int n = servers.size();
        while (true) {
            int previous = cursor.get();
            // a follower may see a shorter list than its leader for as long as a change takes to reach it
            int start = previous < n ? previous : -1;
            int chosen = -1;
            for (int step = 1; step <= n; step++) {
                int index = start + step;
                if (index >= n) {
                    index -= n;
                }
                if (Eligibility.schedulable(servers.get(index))) {
                    chosen = index;
                    break;
                }
            }
            if (chosen < 0) {
                return null;
            }
            if (cursor.compareAndSet(previous, chosen)) {
                return servers.get(chosen);
            }
        }
    }

    /**
     * Keeps the cursor on the last chosen server; if that one left, on the nearest earlier server still there
     * (ip_vs_rr_del_dest), so the rotation continues where it was.
     */
    @Override
    public void realServersChanged(VirtualService service) {
        List<RealServer> servers = service.realServers();
        if (leader) {
            int last = cursor.get();
            int position = -1;
            for (int i = Math.min(last, known.length - 1); position < 0 && i >= 0; i--) {
                position = servers.indexOf(known[i]);
            }
            cursor.set(position);
        }
        known = servers.toArray(new RealServer[0]);
    }

    @Override
    public Object sharedState() {
        return cursor;
    }

    @Override
    public void shareState(Object state) {
        cursor = (AtomicInteger) state;
        leader = false;
    }

    /**
     * Exact: the next eligible server after the cursor, found as {@link #schedule} finds it but without moving the
     * cursor (shared by all workers, so this is the director's next rr choice whichever client asks).
     */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        List<RealServer> servers = service.realServers();
        int n = servers.size();
        int previous = cursor.get();
        int start = previous < n ? previous : -1;
        List<String> reasons = new ArrayList<>();
        reasons.add("rr: the next eligible server after the last one chosen ("
                + (start < 0 ? "none yet: start of the list" : "#" + (start + 1) + " " + SchedulerChoice.endpoint(servers.get(start)))
                + "), in list order:");
        RealServer chosen = null;
        for (int step = 1; step <= n && chosen == null; step++) {
            int index = (start + step) % n;
            RealServer server = servers.get(index);
            boolean eligible = Eligibility.schedulable(server);
            reasons.add("  #" + (index + 1) + " " + SchedulerChoice.endpoint(server) + " weight " + server.weight()
                    + SchedulerChoice.eligibility(server) + (eligible ? "  <- next" : ", skipped"));
            chosen = eligible ? server : null;
        }
        reasons.add(SchedulerChoice.verdict(chosen));
        return new SchedulerChoice(chosen, true, reasons);
    }
}
