package org.jvs.sched;

import java.util.List;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "rr" (ip_vs_rr.c): each new connection goes to the next real server after the previous choice, skipping
 * quiesced (weight 0), overloaded and removed servers.
 */
public final class RoundRobinScheduler implements Scheduler {
    /** Index of the last choice; -1 is the list head, before the first server. */
    private int cursor = -1;
    private RealServer last;
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
        if (cursor >= n || (cursor >= 0 && servers.get(cursor) != last)) {
            realServersChanged(service);
        }
        int start = cursor;
        for (int step = 1; step <= n; step++) {
            int index = start + step;
            if (index >= n) {
                index -= n;
            }
            RealServer server = servers.get(index);
            if (Eligibility.schedulable(server)) {
                cursor = index;
                last = server;
                return server;
            }
        }
        return null;
    }

    /**
     * Keeps the cursor on the last chosen server; if that one left, on the nearest earlier server still there
     * (ip_vs_rr_del_dest), so the rotation continues where it was.
     */
    @Override
    public void realServersChanged(VirtualService service) {
        List<RealServer> servers = service.realServers();
        int position = -1;
        if (last != null) {
            position = servers.indexOf(last);
            for (int i = Math.min(cursor, known.length) - 1; position < 0 && i >= 0; i--) {
                position = servers.indexOf(known[i]);
            }
        }
        cursor = position;
        last = position >= 0 ? servers.get(position) : null;
        known = servers.toArray(new RealServer[0]);
    }
}
