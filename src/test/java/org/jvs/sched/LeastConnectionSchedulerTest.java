package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.sequence;
import static org.jvs.sched.Servers.service;

import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeastConnectionSchedulerTest {

    @ParameterizedTest(name = "active {0} inactive {1} weights {2} -> {3}")
    @CsvSource({
        // overhead = active * 256 + inactive; first in list order on a tie; weights only quiesce
        "'0,0,0', '0,0,0',     '1,1,1', A",
        "'1,0,0', '0,3,3',     '1,1,1', B",
        "'1,0,0', '0,257,300', '1,1,1', A",
        "'0,1,0', '255,0,254', '1,1,1', C",
        "'0,0,0', '5,1,1',     '9,1,1', B",
        "'0,0,0', '5,1,2',     '1,0,1', C",
        "'0,0,0', '0,0,0',     '0,0,0', -",
    })
    void shouldPickSmallestOverhead(String active, String inactive, String weights, String expected) {
        VirtualService service = service(new LeastConnectionScheduler(), ints(weights));
        int[] a = ints(active);
        int[] i = ints(inactive);
        for (int s = 0; s < a.length; s++) {
            Servers.active(service.realServers().get(s), a[s]);
            Servers.inactive(service.realServers().get(s), i[s]);
        }
        assertEquals(expected, sequence(service, 1));
    }

    @Test
    void shouldSkipOverloadedServer() {
        VirtualService service = service(new LeastConnectionScheduler(), 1, 1);
        get(service, 'A').upperThreshold(1);
        Servers.inactive(get(service, 'B'), 10);
        assertEquals("AB", sequence(service, 2));
    }

    @Test
    void shouldSpreadNewConnectionsEvenly() {
        assertEquals("ABCABCABC", sequence(service(new LeastConnectionScheduler(), 1, 7, 3), 9));
    }

    static int[] ints(String csv) {
        return java.util.Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
