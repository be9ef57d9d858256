package org.jvs.sched;

import java.util.List;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "lc" (ip_vs_lc.c): the server with the smallest connection overhead (active * 256 + inactive), the first
 * in list order on a tie. Weights only matter as far as weight 0 quiesces a server.
 */
public final class LeastConnectionScheduler implements Scheduler {

    @Override
    public String name() {
        return "lc";
    }

    @Override
    public RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                               int virtualPort) {
        List<RealServer> servers = service.realServers();
        RealServer least = null;
        int leastOverhead = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer server = servers.get(i);
            if (!Eligibility.schedulable(server)) {
                continue;
            }
            int overhead = server.overhead();
            if (least == null || overhead < leastOverhead) {
                least = server;
                leastOverhead = overhead;
            }
        }
        return least;
    }

    /** Exact: the choice is a function of the weights and the connection counts, and changes nothing. */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        RealServer chosen = flow.scheduleWith(this, service);
        List<String> reasons = new java.util.ArrayList<>();
        reasons.add(name() + ": least overhead (active * 256 + inactive), the first in list order on a tie, over:");
        SchedulerChoice.loads(service.realServers(), reasons);
        reasons.add(SchedulerChoice.verdict(chosen));
        return new SchedulerChoice(chosen, true, reasons);
    }
}
