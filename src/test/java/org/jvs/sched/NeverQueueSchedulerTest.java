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

class NeverQueueSchedulerTest {

    @ParameterizedTest(name = "active {0} inactive {1} weights {2} -> {3}")
    @CsvSource({
        // the first server without active connections, whatever its weight or inactive count; else sed
        "'0,0,0', '0,0,0',  '1,5,1', A",
        "'3,0,0', '0,90,0', '9,1,1', B",
        "'3,0,0', '0,0,0',  '9,0,1', C",
        "'3,1,1', '0,0,0',  '9,1,1', A",
        "'3,1,1', '0,0,0',  '3,1,1', A",
        "'3,1,1', '0,0,0',  '1,1,1', B",
        "'0,0',   '0,0',    '0,0',   -",
    })
    void shouldPreferIdleServerElseShortestExpectedDelay(String active, String inactive, String weights,
                                                         String expected) {
        VirtualService service = service(new NeverQueueScheduler(), ints(weights));
        int[] a = ints(active);
        int[] i = ints(inactive);
        for (int s = 0; s < a.length; s++) {
            Servers.active(service.realServers().get(s), a[s]);
            Servers.inactive(service.realServers().get(s), i[s]);
        }
        assertEquals(expected, activeSequence(service, 1));
    }

    @Test
    void shouldGiveEachIdleServerOneConnectionBeforeQueueing() {
        // A, B idle first; then (a+1)/1 against (b+1)/2
        assertEquals("ABBBABBA", activeSequence(service(new NeverQueueScheduler(), 1, 2), 8));
    }

    @Test
    void shouldSkipIdleButOverloadedServer() {
        VirtualService service = service(new NeverQueueScheduler(), 1, 1);
        get(service, 'A').upperThreshold(1);
        Servers.inactive(get(service, 'A'), 1);
        get(service, 'A').updateOverload();
        assertEquals("BBB", activeSequence(service, 3));
    }
}
