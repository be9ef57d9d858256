package org.jvs.sched;

import java.util.List;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "sed" (ip_vs_sed.c): the server with the shortest expected delay (active + 1) / weight. The + 1 counts the
 * connection being placed, so a heavy idle server beats a light idle one, which plain active/weight would tie.
 * Inactive connections are ignored: they cost a server little. Compares (active1 + 1) * weight2 &gt;
 * (active2 + 1) * weight1 in 64 bits instead of dividing; the first in list order wins a tie.
 */
public final class ShortestExpectedDelayScheduler implements Scheduler {

    @Override
    public String name() {
        return "sed";
    }

    @Override
    public RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                               int virtualPort) {
        return shortestExpectedDelay(service.realServers());
    }

    /** The sed choice, shared with nq for when no server is idle. */
    static RealServer shortestExpectedDelay(List<RealServer> servers) {
        RealServer least = null;
        long leastDelay = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer server = servers.get(i);
            if (!Eligibility.schedulable(server)) {
                continue;
            }
            long delay = server.activeLoad() + 1L;
            if (least == null || leastDelay * server.weight() > delay * least.weight()) {
                least = server;
                leastDelay = delay;
            }
        }
        return least;
    }

    /** Exact: the choice is a function of the weights and the connection counts, and changes nothing. */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        RealServer chosen = flow.scheduleWith(this, service);
        List<String> reasons = new java.util.ArrayList<>();
        reasons.add(name() + ": shortest expected delay ((active + 1) / weight), the first in list order on a tie, over:");
        SchedulerChoice.loads(service.realServers(), reasons);
        reasons.add(SchedulerChoice.verdict(chosen));
        return new SchedulerChoice(chosen, true, reasons);
    }
}
