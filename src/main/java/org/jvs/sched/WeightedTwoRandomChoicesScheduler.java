package org.jvs.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * "twos" (ip_vs_twos.c): the power of two random choices. Two servers are drawn at random in proportion to
 * their weight and the one with less connection overhead per weight takes the connection, choice one on a tie.
 * Two draws are enough to steer away from a loaded server without the herd effect of always picking the least
 * loaded one.
 */
public final class WeightedTwoRandomChoicesScheduler implements Scheduler {
    private final RandomGenerator random;

    public WeightedTwoRandomChoicesScheduler() {
        this(new SplittableRandom());
    }

    /** With a given random source, so that a seeded one makes the choices repeatable. */
    public WeightedTwoRandomChoicesScheduler(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public String name() {
        return "twos";
    }

    @Override
    public RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress,
                               int virtualPort) {
        List<RealServer> servers = service.realServers();
        int n = servers.size();
        long totalWeight = 0;
        for (int i = 0; i < n; i++) {
            RealServer server = servers.get(i);
            if (Eligibility.schedulable(server)) {
                totalWeight += server.weight();
            }
        }
        if (totalWeight == 0) {
            return null;
        }
        // as the kernel: draws in [0, total] inclusive, a server taken once the running sum reaches the draw,
        // which gives the first eligible server one extra share in total + 1
        long draw1 = random.nextLong(totalWeight + 1);
        long draw2 = random.nextLong(totalWeight + 1);
        RealServer choice1 = null;
        RealServer choice2 = null;
        for (int i = 0; i < n && (choice1 == null || choice2 == null); i++) {
            RealServer server = servers.get(i);
            if (!Eligibility.schedulable(server)) {
                continue;
            }
            draw1 -= server.weight();
            draw2 -= server.weight();
            if (draw1 <= 0 && choice1 == null) {
                choice1 = server;
            }
            if (draw2 <= 0 && choice2 == null) {
                choice2 = server;
            }
        }
        if ((long) choice2.weight() * choice1.overhead() > (long) choice1.weight() * choice2.overhead()) {
            return choice2;
        }
        return choice1;
    }

    /**
     * Not exact: the choice rests on two random draws, which a peek must not make (that would move the random
     * source). Shows each eligible server's chance to be drawn and names none.
     */
    @Override
    public SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        List<RealServer> servers = service.realServers();
        long totalWeight = 0;
        for (RealServer server : servers) {
            totalWeight += Eligibility.schedulable(server) ? server.weight() : 0;
        }
        List<String> reasons = new ArrayList<>();
        reasons.add("twos: two servers drawn at random in proportion to their weight, the one with less overhead"
                + " per weight wins; the draw is made only when the connection opens:");
        for (RealServer server : servers) {
            boolean eligible = Eligibility.schedulable(server) && totalWeight > 0;
            reasons.add("  " + SchedulerChoice.load(server) + (eligible
                    ? String.format(", drawn with chance %.0f%%", 100.0 * server.weight() / totalWeight) : ""));
        }
        reasons.add(totalWeight == 0 ? SchedulerChoice.verdict(null) : "-> not predictable (random)");
        return new SchedulerChoice(null, false, reasons);
    }
}
