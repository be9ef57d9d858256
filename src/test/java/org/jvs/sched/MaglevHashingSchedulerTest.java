package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.service;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.jvs.service.Ipv4;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaglevHashingSchedulerTest {
    private static final int FLOWS = 20_000;

    @Test
    void shouldHashAsTheKernelsHsiphash() {
        // lib/siphash_kunit.c, 64-bit: key 00..0f, input bytes 00 01 02 03
        assertEquals(0x88d38328, Hsiphash.hash(0x03020100, 0x0706050403020100L, 0x0f0e0d0c0b0a0908L));
    }

    @ParameterizedTest(name = "index {0} -> {1} slots")
    @CsvSource({"8, 251", "12, 4093", "16, 65521", "17, 131071"})
    void shouldSizeTableByKernelIndex(int index, int size) {
        assertEquals(size, new MaglevHashingScheduler(index).tableSize());
    }

    @Test
    void shouldUseKernelDefaultTableAndRejectUnknownIndex() {
        assertEquals(4093, new MaglevHashingScheduler().tableSize());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new MaglevHashingScheduler(18));
        assertEquals("mh table index 18 is out of range (expected 8 to 17)", error.getMessage());
    }

    @Test
    void shouldKeepClientOnItsServerWhileServersDoNotChange() {
        VirtualService service = service(new MaglevHashingScheduler(), 1, 1, 1);
        for (int i = 0; i < 1000; i++) {
            RealServer first = schedule(service, client(i), 1);
            assertNotNull(first);
            assertEquals(first, schedule(service, client(i), 2));
        }
    }

    @Test
    void shouldMoveAboutOneFifthOfFlowsWhenOneOfFiveServersIsRemoved() {
        VirtualService service = service(new MaglevHashingScheduler(), 1, 1, 1, 1, 1);
        RealServer[] before = assignments(service);
        RealServer removed = get(service, 'C');
        service.removeRealServer(removed);
        RealServer[] after = assignments(service);
        int moved = 0;
        for (int i = 0; i < FLOWS; i++) {
            if (before[i] != after[i]) {
                moved++;
            }
            if (before[i] == removed) {
                assertNotSame(removed, after[i]);
            }
        }
        double share = (double) moved / FLOWS;
        assertEquals(0.2, share, 0.05, "share of flows moved");
    }

    @Test
    void shouldKeepTableWhenServerIsQuiescedAndChooseNothingForItsClients() {
        VirtualService service = service(new MaglevHashingScheduler(), 1, 1, 1);
        RealServer[] before = assignments(service);
        get(service, 'B').weight(0);
        service.realServerUpdated();
        RealServer[] quiesced = assignments(service);
        for (int i = 0; i < FLOWS; i++) {
            assertEquals(before[i] == get(service, 'B') ? null : before[i], quiesced[i], "flow " + i);
        }
        get(service, 'B').weight(1);
        service.realServerUpdated();
        for (int i = 0; i < FLOWS; i += 97) {
            assertEquals(before[i], schedule(service, client(i), 1), "flow " + i + " back on its server");
        }
    }

    @Test
    void shouldMoveOnlyClientsOfOverloadedServerWithFallback() {
        VirtualService service = service(new MaglevHashingScheduler(), 2, 1, 1);
        service.schedulerFlags("mh-fallback");
        RealServer[] before = assignments(service);
        RealServer a = get(service, 'A');
        a.upperThreshold(1);
        Servers.inactive(a, 1);
        a.updateOverload();
        RealServer[] after = assignments(service);
        for (int i = 0; i < FLOWS; i++) {
            if (before[i] == a) {
                assertTrue(after[i] == get(service, 'B') || after[i] == get(service, 'C'), "flow " + i);
            } else {
                assertEquals(before[i], after[i], "flow " + i);
            }
        }
        service.schedulerFlags("");
        assertNull(schedule(service, firstClientOf(before, a), 1));
    }

    @Test
    void shouldHashClientPortOnlyWithMhPort() {
        VirtualService service = service(new MaglevHashingScheduler(), 1, 1, 1, 1);
        int client = client(1);
        boolean differs = false;
        for (int port = 1024; port < 1100; port++) {
            assertEquals(schedule(service, client, 1024), schedule(service, client, port));
        }
        service.schedulerFlags("mh-port");
        for (int port = 1024; port < 1100 && !differs; port++) {
            differs = schedule(service, client, 1024) != schedule(service, client, port);
        }
        assertTrue(differs, "with mh-port the ports of one client spread over the servers");
    }

    @Test
    void shouldChooseNothingWithoutServersOrWeights() {
        assertNull(schedule(service(new MaglevHashingScheduler()), client(1), 1));
        assertNull(schedule(service(new MaglevHashingScheduler(), 0, 0), client(1), 1));
    }

    @Property(tries = 20)
    void shouldShareFlowsInWeightProportion(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 10) Integer> weights) {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        int sum = weights.stream().mapToInt(Integer::intValue).sum();
        VirtualService service = service(new MaglevHashingScheduler(), w);
        int[] counts = new int[w.length];
        for (RealServer server : assignments(service)) {
            counts[service.realServers().indexOf(server)]++;
        }
        for (int i = 0; i < w.length; i++) {
            double share = (double) w[i] / sum;
            // Maglev's slot shares are near but not exactly the weights; 20 000 flows add sampling noise
            assertEquals(share, (double) counts[i] / FLOWS, 0.05, "server " + i + ", weights " + weights);
        }
    }

    private static RealServer[] assignments(VirtualService service) {
        RealServer[] chosen = new RealServer[FLOWS];
        for (int i = 0; i < FLOWS; i++) {
            chosen[i] = schedule(service, client(i), 1);
        }
        return chosen;
    }

    private static int firstClientOf(RealServer[] assignments, RealServer server) {
        for (int i = 0; i < assignments.length; i++) {
            if (assignments[i] == server) {
                return client(i);
            }
        }
        throw new AssertionError(server + " has no flows");
    }

    private static int client(int i) {
        return Ipv4.parse("198.18.0.0") + i;
    }

    private static RealServer schedule(VirtualService service, int client, int port) {
        return service.scheduler().schedule(service, client, port, Servers.VIP, 80);
    }
}
