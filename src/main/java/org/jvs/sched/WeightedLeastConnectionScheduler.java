package org.jvs.sched;

import java.util.List;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "wlc" (ip_vs_wlc.c): the server with the smallest overhead per weight, overhead being active * 256 +
 * inactive. Compares overhead1 * weight2 &gt; overhead2 * weight1 in 64 bits instead of dividing; the first in
 * list order wins a tie.
 */
public final class WeightedLeastConnectionScheduler implements Scheduler {

    @Override
    public String name() {
        return "wlc";
    }

    @Override
    public RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                               int virtualPort) {
        List<RealServer> servers = service.realServers();
        RealServer least = null;
        long leastOverhead = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer server = servers.get(i);
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

    /** Exact: the choice is a function of the weights and the connection counts, and changes nothing. */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        RealServer chosen = flow.scheduleWith(this, service);
        List<String> reasons = new java.util.ArrayList<>();
        reasons.add(name() + ": least overhead per weight ((active * 256 + inactive) / weight), the first in list order on a tie, over:");
        SchedulerChoice.loads(service.realServers(), reasons);
        reasons.add(SchedulerChoice.verdict(chosen));
        return new SchedulerChoice(chosen, true, reasons);
    }
}
