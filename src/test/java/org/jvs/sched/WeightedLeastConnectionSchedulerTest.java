package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvs.sched.LeastConnectionSchedulerTest.ints;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.sequence;
import static org.jvs.sched.Servers.service;

import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeightedLeastConnectionSchedulerTest {

    @ParameterizedTest(name = "active {0} inactive {1} weights {2} -> {3}")
    @CsvSource({
        // least overhead/weight, compared as loh * w > doh * wleast; first in list order on a tie
        "'0,0,0', '0,0,0',    '1,1,1', A",
        "'0,0,0', '10,20,14', '1,3,2', B",
        "'0,0,0', '10,20,13', '1,3,2', C",
        "'0,0,0', '2,4,0',    '1,2,0', A",
        "'1,1,0', '0,0,0',    '1,2,0', B",
        "'1,0,0', '0,300,0',  '1,1,0', A",
        "'0,0,0', '0,0,0',    '0,0,0', -",
    })
    void shouldPickSmallestOverheadPerWeight(String active, String inactive, String weights, String expected) {
        VirtualService service = service(new WeightedLeastConnectionScheduler(), ints(weights));
        int[] a = ints(active);
        int[] i = ints(inactive);
        for (int s = 0; s < a.length; s++) {
            Servers.active(service.realServers().get(s), a[s]);
            Servers.inactive(service.realServers().get(s), i[s]);
        }
        assertEquals(expected, sequence(service, 1));
    }

    @Test
    void shouldFillServersInProportionToWeight() {
        // A weight 1, B weight 2: B takes a connection whenever 2 * A's count > B's count
        assertEquals("ABBABBABB", sequence(service(new WeightedLeastConnectionScheduler(), 1, 2), 9));
    }

    @Test
    void shouldSkipOverloadedAndQuiescedServers() {
        VirtualService service = service(new WeightedLeastConnectionScheduler(), 5, 0, 1);
        get(service, 'A').upperThreshold(2);
        assertEquals("ACACC", sequence(service, 5));
    }
}
