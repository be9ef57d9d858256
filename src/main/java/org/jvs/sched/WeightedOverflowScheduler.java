package org.jvs.sched;

import java.util.List;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "ovf" (ip_vs_ovf.c): the server of highest weight among those whose active connections do not exceed their
 * weight, the first in list order on a tie. The weight is a capacity: the heaviest server fills up to it (one
 * over, as the kernel compares active &gt; weight before counting the new one), then new connections overflow
 * to the next heaviest. Only active connections count, so UDP, whose connections are never active, never
 * overflows.
 */
public final class WeightedOverflowScheduler implements Scheduler {

    @Override
    public String name() {
        return "ovf";
    }

    @Override
    public RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                               int virtualPort) {
        List<RealServer> servers = service.realServers();
        RealServer heaviest = null;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer server = servers.get(i);
            if (!Eligibility.schedulable(server) || server.activeLoad() > server.weight()) {
                continue;
            }
            if (heaviest == null || server.weight() > heaviest.weight()) {
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
        reasons.add(name() + ": the server of highest weight whose active connections do not exceed its weight, over:");
        SchedulerChoice.loads(service.realServers(), reasons);
        reasons.add(SchedulerChoice.verdict(chosen));
        return new SchedulerChoice(chosen, true, reasons);
    }
}
