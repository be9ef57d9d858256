package org.jvs.sched;

import java.util.List;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "nq" (ip_vs_nq.c): the first server with no active connection, so nothing waits in a queue while a server
 * idles; when every server is busy, the sed choice (shortest (active + 1) / weight).
 */
public final class NeverQueueScheduler implements Scheduler {

    @Override
    public String name() {
        return "nq";
    }

    @Override
    public RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                               int virtualPort) {
        List<RealServer> servers = service.realServers();
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer server = servers.get(i);
            if (server.activeLoad() == 0 && Eligibility.schedulable(server)) {
                return server;
            }
        }
        // the kernel does both in one pass; before the first idle server its sed choice does not matter
        return ShortestExpectedDelayScheduler.shortestExpectedDelay(servers);
    }

    /** Exact: the choice is a function of the weights and the connection counts, and changes nothing. */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        RealServer chosen = flow.scheduleWith(this, service);
        List<String> reasons = new java.util.ArrayList<>();
        reasons.add(name() + ": the first server with no active connection, else the shortest expected delay ((active + 1) / weight), over:");
        SchedulerChoice.loads(service.realServers(), reasons);
        reasons.add(SchedulerChoice.verdict(chosen));
        return new SchedulerChoice(chosen, true, reasons);
    }
}
