package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

class SchedulerSharePropertiesTest {

    @Property(tries = 200)
    void wrrShouldGiveEachServerItsWeightPerCycle(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 20) Integer> weights,
            @ForAll @IntRange(min = 1, max = 3) int cycles) {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        int gcd = 0;
        int sum = 0;
        for (int weight : w) {
            gcd = weight == 0 ? gcd : gcd(gcd, weight);
            sum += weight;
        }
        if (sum == 0) {
            return;
        }
        int cycle = sum / gcd;
        int[] counts = schedule(Servers.service(new WeightedRoundRobinScheduler(), w), cycle * cycles);
        for (int i = 0; i < w.length; i++) {
            assertEquals(cycles * w[i] / gcd, counts[i], "server " + i + " of weights " + weights);
        }
    }

    @Property(tries = 200)
    void wrrShouldStayWithinOneCycleOfTheWeightShareAtAnyPoint(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 20) Integer> weights,
            @ForAll @IntRange(min = 1, max = 300) int connections) {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        int gcd = 0;
        int sum = 0;
        for (int weight : w) {
            gcd = gcd(gcd, weight);
            sum += weight;
        }
        int[] counts = schedule(Servers.service(new WeightedRoundRobinScheduler(), w), connections);
        for (int i = 0; i < w.length; i++) {
            double share = (double) connections * w[i] / sum;
            assertTrue(Math.abs(counts[i] - share) <= (double) w[i] / gcd,
                    "server " + i + " got " + counts[i] + " of " + connections + ", share " + share + ", weights " + weights);
        }
    }

    @Property(tries = 200)
    void wlcShouldKeepLongLivedConnectionsInWeightProportion(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 20) Integer> weights,
            @ForAll @IntRange(min = 1, max = 300) int connections) {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        int sum = 0;
        for (int weight : w) {
            sum += weight;
        }
        if (sum == 0) {
            return;
        }
        int[] counts = schedule(Servers.service(new WeightedLeastConnectionScheduler(), w), connections);
        for (int i = 0; i < w.length; i++) {
            double share = (double) connections * w[i] / sum;
            // greedy on count/weight: never more than one above the share, never further below than servers - 1
            assertTrue(counts[i] <= share + 1 && counts[i] >= share - (w.length - 1),
                    "server " + i + " got " + counts[i] + " of " + connections + ", share " + share + ", weights " + weights);
        }
    }

    /** Schedules {@code connections} new connections that stay open; returns each server's count. */
    private static int[] schedule(VirtualService service, int connections) {
        List<RealServer> servers = service.realServers();
        int[] counts = new int[servers.size()];
        for (int i = 0; i < connections; i++) {
            RealServer chosen = service.scheduler().schedule(service, Servers.CLIENT, 1024 + i, Servers.VIP, 80);
            chosen.countConnections(0, 1);
            counts[servers.indexOf(chosen)]++;
        }
        return counts;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
