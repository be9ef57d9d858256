package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/** rr and lc ignore the size of a weight: every server of weight above 0 gets an equal share, weight 0 none. */
class BalancePropertiesTest {

    @Property(tries = 100)
    void rrShouldDealConnectionsEquallyAmongServersOfWeightAboveZero(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 10) Integer> weights,
            @ForAll @IntRange(min = 1, max = 3000) int connections) {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        long eligible = weights.stream().filter(weight -> weight > 0).count();
        Assume.that(eligible > 0);
        int[] counts = LoadSharePropertiesTest.schedule(Servers.service(new RoundRobinScheduler(), w), connections,
                false);
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0) {
                assertEquals(0, counts[i], "quiesced server " + i + " of weights " + weights);
            } else {
                // one rotation visits each eligible server once, so shares differ by the partial last rotation
                assertTrue(counts[i] == connections / eligible || counts[i] == (connections + eligible - 1) / eligible,
                        "server " + i + " got " + counts[i] + " of " + connections + ", weights " + weights);
            }
        }
    }

    @Property(tries = 100)
    void lcShouldKeepLongLivedConnectionsBalancedWithinOne(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 10) Integer> weights,
            @ForAll @IntRange(min = 1, max = 3000) int connections) {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        Assume.that(weights.stream().anyMatch(weight -> weight > 0));
        VirtualService service = Servers.service(new LeastConnectionScheduler(), w);
        List<RealServer> servers = service.realServers();
        for (int c = 0; c < connections; c++) {
            RealServer chosen = service.scheduler().schedule(service, Servers.CLIENT, 1024 + c, Servers.VIP, 80);
            chosen.countConnections(1, 0);
            int least = Integer.MAX_VALUE;
            int most = 0;
            for (int i = 0; i < w.length; i++) {
                int active = servers.get(i).activeConnections;
                if (w[i] == 0) {
                    assertEquals(0, active, "quiesced server " + i + " of weights " + weights);
                } else {
                    least = Math.min(least, active);
                    most = Math.max(most, active);
                }
            }
            assertTrue(most - least <= 1,
                    "after " + (c + 1) + " connections active spread " + least + ".." + most + ", weights " + weights);
        }
    }
}
