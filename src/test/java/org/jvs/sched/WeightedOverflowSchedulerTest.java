package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvs.sched.Servers.activeSequence;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.sequence;
import static org.jvs.sched.Servers.service;

import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeightedOverflowSchedulerTest {

    @ParameterizedTest(name = "weights {0} -> {1}")
    @CsvSource({
        // the heaviest takes connections while active <= weight (so weight + 1), then the next heaviest
        "'2,3,1', BBBBAAACC--",
        "'2,2',   AAABBB-",
        "'0,1',   BB-",
    })
    void shouldOverflowToNextHeaviestServer(String weights, String expected) {
        int[] w = LeastConnectionSchedulerTest.ints(weights);
        assertEquals(expected, activeSequence(service(new WeightedOverflowScheduler(), w), expected.length()));
    }

    @Test
    void shouldReturnToHeavierServerWhenItsConnectionsEnd() {
        VirtualService service = service(new WeightedOverflowScheduler(), 1, 2);
        assertEquals("BBBA", activeSequence(service, 4));
        Servers.active(get(service, 'B'), 2);
        assertEquals("B", activeSequence(service, 1));
    }

    @Test
    void shouldNotCountInactiveConnections() {
        assertEquals("AAAAA", sequence(service(new WeightedOverflowScheduler(), 1), 5));
    }

    @Test
    void shouldSkipOverloadedServer() {
        VirtualService service = service(new WeightedOverflowScheduler(), 5, 1);
        get(service, 'A').upperThreshold(1);
        assertEquals("ABB-", activeSequence(service, 4));
    }
}
