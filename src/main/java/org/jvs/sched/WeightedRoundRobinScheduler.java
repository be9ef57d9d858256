package org.jvs.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "wrr" (ip_vs_wrr.c): round robin in passes of falling current weight. Each pass picks, in list order, the
 * servers whose weight reaches the current weight; the current weight starts at the maximum weight and steps
 * down by the weights' greatest common divisor. So a server of weight w gets w/gcd connections per cycle of
 * sum(w)/gcd, the heavier ones first.
 */
public final class WeightedRoundRobinScheduler implements Scheduler {
    private static final int HEAD = -1;
    private static final int NO_STOP = -2;

    private boolean initialized;
    /**
     * Index of the last choice, or HEAD (mark->cl), in the high half; the current weight (mark->cw) in the low
     * half. Shared by the copies of this scheduler on several workers (a compare-and-set per choice, no lock).
     */
    private AtomicLong mark = new AtomicLong(mark(HEAD, 0));
    /** Whether this copy resets the mark at configuration changes (false: another worker's copy does). */
    private boolean leader = true;
    /** Maximum weight less gcd-1, where passes start (mark->mw). */
    private int maxWeight;
    /** Greatest common divisor of the positive weights: the step between passes (mark->di). */
    private int step = 1;

    private static long mark(int current, int currentWeight) {
        return (long) current << 32 | (currentWeight & 0xFFFFFFFFL);
    }

    @Override
    public String name() {
        return "wrr";
    }

    @Override
    public RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                               int virtualPort) {
        if (!initialized) {
            realServersChanged(service);
        }
        if (maxWeight <= 0) {
            return null;
        }
        List<RealServer> servers = service.realServers();
        while (true) {
            long previous = mark.get();
            int current = (int) (previous >> 32);
            int currentWeight = (int) previous;
            if (current >= servers.size() || currentWeight > maxWeight || currentWeight <= 0) {
                // a follower still on the servers before a change its leader already made
                current = HEAD;
                currentWeight = maxWeight;
            }
            long next = choose(servers, current, currentWeight);
            if (mark.compareAndSet(previous, next)) {
                return choseNothing ? null : servers.get((int) (next >> 32));
            }
        }
    }

    /** Set by {@link #choose}: no server may take the connection. Each copy runs on one worker's thread only. */
    private boolean choseNothing;

    /**
     * ip_vs_wrr_schedule from (current, currentWeight): the mark after the choice, its index the server chosen
     * unless {@link #choseNothing}.
     */
    private long choose(List<RealServer> servers, int current, int currentWeight) {
        choseNothing = false;
        int n = servers.size();
        int index = current;
        int last = current;
        int stop = NO_STOP;
        boolean lastPass = false;
        boolean restarted = false;
        while (true) {
            for (index++; index < n; index++) {
                RealServer server = servers.get(index);
                if (!server.overloaded() && server.available() && server.weight() >= currentWeight) {
                    return mark(index, currentWeight);
                }
                if (index == stop) {
                    choseNothing = true;
                    return mark(index, currentWeight);
                }
            }
            index = HEAD;
            currentWeight -= step;
            if (currentWeight <= 0) {
                currentWeight = maxWeight;
                // a pass for weight >= 1 over every server found nothing: all are overloaded
                if (lastPass || last == HEAD) {
                    choseNothing = true;
                    return mark(HEAD, currentWeight);
                }
                restarted = true;
            }
            lastPass = currentWeight <= step;
            if (lastPass && restarted && last != HEAD) {
                // the first pass for weight >= 1 only covered the servers after 'last': finish at 'last'
                stop = last;
            }
        }
    }

    /** ip_vs_wrr_dest_changed: restart from the list head with gcd and maximum recomputed. */
    @Override
    public void realServersChanged(VirtualService service) {
        List<RealServer> servers = service.realServers();
        int gcd = 0;
        int max = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            int weight = servers.get(i).weight();
            if (weight > 0) {
                gcd = gcd > 0 ? gcd(weight, gcd) : weight;
            }
            max = Math.max(max, weight);
        }
        step = gcd > 0 ? gcd : 1;
        maxWeight = max - (step - 1);
        if (leader) {
            int currentWeight = (int) mark.get();
            if (currentWeight > maxWeight || currentWeight == 0) {
                currentWeight = maxWeight;
            } else if (step > 1) {
                currentWeight = (currentWeight / step) * step + 1;
            }
            mark.set(mark(HEAD, currentWeight));
        }
        initialized = true;
    }

    @Override
    public Object sharedState() {
        return mark;
    }

    @Override
    public void shareState(Object state) {
        mark = (AtomicLong) state;
        leader = false;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int r = a % b;
            a = b;
            b = r;
        }
        return a;
    }

    /**
     * Exact: the wrr step from the current mark (the last server chosen and the current weight), computed as
     * {@link #schedule} computes it but without setting the mark.
     */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        if (!initialized) {
            realServersChanged(service);
        }
        List<RealServer> servers = service.realServers();
        List<String> reasons = new ArrayList<>();
        RealServer chosen = null;
        if (maxWeight > 0) {
            long previous = mark.get();
            int current = (int) (previous >> 32);
            int currentWeight = (int) previous;
            if (current >= servers.size() || currentWeight > maxWeight || currentWeight <= 0) {
                current = HEAD;
                currentWeight = maxWeight;
            }
            long next = choose(servers, current, currentWeight);
            chosen = choseNothing ? null : servers.get((int) (next >> 32));
            reasons.add("wrr: passes of falling current weight (from " + maxWeight + " down by " + step
                    + "); last chosen " + (current == HEAD ? "none (start of a pass)" : "#" + (current + 1) + " "
                    + SchedulerChoice.endpoint(servers.get(current))) + ", current weight " + currentWeight
                    + (chosen == null ? "" : "; next: the first server after it with weight >= " + (int) next) + ":");
        } else {
            reasons.add("wrr: no server has a positive weight:");
        }
        for (int i = 0; i < servers.size(); i++) {
            RealServer server = servers.get(i);
            reasons.add("  #" + (i + 1) + " " + SchedulerChoice.endpoint(server) + " weight " + server.weight()
                    + SchedulerChoice.eligibility(server) + (server == chosen ? "  <- next" : ""));
        }
        reasons.add(SchedulerChoice.verdict(chosen));
        return new SchedulerChoice(chosen, true, reasons);
    }
}
