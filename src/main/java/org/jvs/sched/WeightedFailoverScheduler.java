package org.jvs.sched;

import java.util.List;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "fo" (ip_vs_fo.c): every new connection to the available server of highest weight, the first in list order
 * on a tie. The others stand by: lowering the weight of (or losing) the primary fails over to the next.
 */
public final class WeightedFailoverScheduler implements Scheduler {

    @Override
    public String name() {
        return "fo";
    }

    @Override
    public RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                               int virtualPort) {
        List<RealServer> servers = service.realServers();
        RealServer heaviest = null;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer server = servers.get(i);
            if (Eligibility.schedulable(server) && (heaviest == null || server.weight() > heaviest.weight())) {
                heaviest = server;
            }
        }
        return heaviest;
    }

    /** Exact: the choice is a function of the weights and the connection counts, and changes nothing. */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        RealServer chosen = flow.scheduleWith(this, service);
        List<String> reasons = new java.util.ArrayList<>();
        reasons.add(name() + ": the available server of highest weight, the first in list order on a tie, over:");
        SchedulerChoice.loads(service.realServers(), reasons);
        reasons.add(SchedulerChoice.verdict(chosen));
        return new SchedulerChoice(chosen, true, reasons);
    }
}
