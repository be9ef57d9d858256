package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.sequence;
import static org.jvs.sched.Servers.service;

import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeightedFailoverSchedulerTest {

    @ParameterizedTest(name = "weights {0} -> {1}")
    @CsvSource({
        // highest weight takes every connection, first in list order on a tie, whatever its load
        "'1,3,2', BBBB",
        "'1,3,3', BBBB",
        "'0,0,1', CCCC",
        "'0,0',   ----",
    })
    void shouldSendEverythingToHeaviestServer(String weights, String expected) {
        int[] w = LeastConnectionSchedulerTest.ints(weights);
        assertEquals(expected, sequence(service(new WeightedFailoverScheduler(), w), expected.length()));
    }

    @Test
    void shouldFailOverWhenPrimaryOverloadsOrIsQuiesced() {
        VirtualService service = service(new WeightedFailoverScheduler(), 1, 3, 2);
        get(service, 'B').upperThreshold(2);
        assertEquals("BBCC", sequence(service, 4));
        get(service, 'C').weight(0);
        service.realServerUpdated();
        assertEquals("AA", sequence(service, 2));
    }

    @Test
    void shouldFailOverWhenPrimaryIsRemoved() {
        VirtualService service = service(new WeightedFailoverScheduler(), 1, 3, 2);
        assertEquals("B", sequence(service, 1));
        service.removeRealServer(get(service, 'B'));
        assertEquals("BB", sequence(service, 2)); // the old C, now second in the list
    }
}
