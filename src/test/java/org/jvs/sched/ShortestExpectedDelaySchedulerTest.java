package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvs.sched.LeastConnectionSchedulerTest.ints;
import static org.jvs.sched.Servers.activeSequence;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.service;

import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShortestExpectedDelaySchedulerTest {

    @ParameterizedTest(name = "active {0} inactive {1} weights {2} -> {3}")
    @CsvSource({
        // smallest (active + 1) / weight; inactive ignored; first in list order on a tie
        "'0,0,0', '0,0,0',   '1,1,1', A",
        "'0,0',   '0,0',     '1,3',   B",
        "'0,2',   '0,0',     '1,3',   A",
        "'1,0',   '0,0',     '2,1',   A",
        "'1,0',   '0,500',   '1,1',   B",
        "'0,5,0', '0,0,0',   '0,9,1', B",
        "'0,9,0', '0,0,0',   '0,9,1', C",
        "'0,0',   '0,0',     '0,0',   -",
    })
    void shouldPickShortestExpectedDelay(String active, String inactive, String weights, String expected) {
        VirtualService service = service(new ShortestExpectedDelayScheduler(), ints(weights));
        int[] a = ints(active);
        int[] i = ints(inactive);
        for (int s = 0; s < a.length; s++) {
            Servers.active(service.realServers().get(s), a[s]);
            Servers.inactive(service.realServers().get(s), i[s]);
        }
        assertEquals(expected, activeSequence(service, 1));
    }

    @Test
    void shouldFillServersByExpectedDelay() {
        // (a+1)/1 against (b+1)/2: B first although both idle, then A on each tie
        assertEquals("BABBABBA", activeSequence(service(new ShortestExpectedDelayScheduler(), 1, 2), 8));
    }

    @Test
    void shouldSkipOverloadedServer() {
        VirtualService service = service(new ShortestExpectedDelayScheduler(), 5, 1);
        get(service, 'A').upperThreshold(2);
        assertEquals("AABB", activeSequence(service, 4));
    }
}
