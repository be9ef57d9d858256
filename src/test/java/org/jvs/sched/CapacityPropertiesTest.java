package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/** fo and ovf read the weight as a rank and a capacity rather than as a share. */
class CapacityPropertiesTest {

    @Property(tries = 100)
    void foShouldSendEveryConnectionToTheHeaviestAvailableServer(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 10) Integer> weights,
            @ForAll @Size(min = 8, max = 8) List<@IntRange(min = 0, max = 300) Integer> upperThresholds,
            @ForAll @IntRange(min = 1, max = 3000) int connections) {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        VirtualService service = Servers.service(new WeightedFailoverScheduler(), w);
        List<RealServer> servers = service.realServers();
        for (int i = 0; i < w.length; i++) {
            servers.get(i).upperThreshold(upperThresholds.get(i));
        }
        for (int c = 0; c < connections; c++) {
            // ip_vs_fo_schedule: the first of the highest weight among those neither overloaded nor of weight 0
            RealServer expected = null;
            for (RealServer server : servers) {
                if (server.weight() > 0 && !server.overloaded()
                        && (expected == null || server.weight() > expected.weight())) {
                    expected = server;
                }
            }
            RealServer chosen = service.scheduler().schedule(service, Servers.CLIENT, 1024 + c, Servers.VIP, 80);
            assertSame(expected, chosen, "connection " + c + ", weights " + weights + ", thresholds " + upperThresholds);
            if (chosen == null) {
                return;
            }
            chosen.countConnections(1, 0);
            chosen.updateOverload();
        }
    }

    @Property(tries = 100)
    void ovfShouldFillServersToTheirWeightHeaviestFirst(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 10) Integer> weights,
            @ForAll @IntRange(min = 1, max = 3000) int connections) {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        VirtualService service = Servers.service(new WeightedOverflowScheduler(), w);
        List<RealServer> servers = service.realServers();
        // ip_vs_ovf_schedule skips a server once activeconns > weight, checked before the new connection counts:
        // each server of weight w takes w + 1 long-lived connections, then nothing is chosen
        int capacity = 0;
        for (int weight : w) {
            capacity += weight > 0 ? weight + 1 : 0;
        }
        int placed = 0;
        for (int c = 0; c < connections; c++) {
            RealServer chosen = service.scheduler().schedule(service, Servers.CLIENT, 1024 + c, Servers.VIP, 80);
            if (chosen == null) {
                break;
            }
            for (RealServer server : servers) {
                boolean open = server.weight() > 0 && server.activeConnections <= server.weight();
                assertTrue(!open || server.weight() <= chosen.weight(),
                        "connection " + c + " to weight " + chosen.weight() + " while " + server + " of weight "
                                + server.weight() + " had room, weights " + weights);
            }
            assertTrue(chosen.activeConnections <= chosen.weight(),
                    "connection " + c + " to a full server, weights " + weights);
            chosen.countConnections(1, 0);
            placed++;
        }
        assertEquals(Math.min(connections, capacity), placed, "connections placed, weights " + weights);
        if (connections >= capacity) {
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i] > 0 ? w[i] + 1 : 0, servers.get(i).activeConnections,
                        "server " + i + " when full, weights " + weights);
            }
            assertNull(service.scheduler().schedule(service, Servers.CLIENT, 1, Servers.VIP, 80));
        }
    }
}
