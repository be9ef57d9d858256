package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/** The load-aware weighted schedulers keep long-lived connections in proportion to the weights. */
class LoadSharePropertiesTest {

    @Property(tries = 200)
    void sedShouldKeepActiveConnectionsInWeightProportion(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 20) Integer> weights,
            @ForAll @IntRange(min = 1, max = 300) int connections) {
        // greedy on (active + 1) / weight levels (active + 1) / weight, not active / weight: each server holds
        // its share of connections + servers less one, within one
        assertShare(ShortestExpectedDelayScheduler::new, weights, connections, 1, 0);
    }

    @Property(tries = 200)
    void nqShouldKeepActiveConnectionsInWeightProportion(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 20) Integer> weights,
            @ForAll @IntRange(min = 1, max = 300) int connections) {
        // as sed, except that each idle server first gets one connection whatever its weight
        assertShare(NeverQueueScheduler::new, weights, connections, weights.size(), 1);
    }

    @Property(tries = 100)
    void twosShouldKeepConnectionsNearWeightProportion(
            @ForAll @Size(min = 2, max = 6) List<@IntRange(min = 1, max = 20) Integer> weights,
            @ForAll long seed) {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        int sum = weights.stream().mapToInt(Integer::intValue).sum();
        int connections = 5000;
        int[] counts = schedule(Servers.service(new WeightedTwoRandomChoicesScheduler(new SplittableRandom(seed)), w),
                connections, false);
        for (int i = 0; i < w.length; i++) {
            double share = (double) connections * w[i] / sum;
            // the less loaded of two draws corrects any drift: far tighter than weighted random alone
            assertTrue(Math.abs(counts[i] - share) <= 0.05 * connections,
                    "server " + i + " got " + counts[i] + " of " + connections + ", share " + share + ", weights " + weights);
        }
    }

    /**
     * Each server of weight w gets no more than max(floor, (connections + servers) * w / sum), no fewer than
     * its share less {@code below}, and none when its weight is 0.
     */
    private static void assertShare(Supplier<Scheduler> scheduler, List<Integer> weights, int connections,
                                    int below, int floor) {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        int sum = weights.stream().mapToInt(Integer::intValue).sum();
        long servers = weights.stream().filter(weight -> weight > 0).count();
        if (sum == 0) {
            return;
        }
        int[] counts = schedule(Servers.service(scheduler.get(), w), connections, true);
        for (int i = 0; i < w.length; i++) {
            double share = (double) connections * w[i] / sum;
            double most = w[i] == 0 ? 0 : Math.max(floor, (double) (connections + servers) * w[i] / sum + 1e-9);
            assertTrue(counts[i] <= most && counts[i] >= share - below - 1e-9,
                    "server " + i + " got " + counts[i] + " of " + connections + ", share " + share + ", weights " + weights);
        }
    }

    static int[] schedule(VirtualService service, int connections, boolean active) {
        List<RealServer> servers = service.realServers();
        int[] counts = new int[servers.size()];
        for (int i = 0; i < connections; i++) {
            RealServer chosen = service.scheduler().schedule(service, Servers.CLIENT, 1024 + i, Servers.VIP, 80);
            if (active) {
                chosen.countConnections(1, 0);
            } else {
                chosen.countConnections(0, 1);
            }
            counts[servers.indexOf(chosen)]++;
        }
        return counts;
    }
}
