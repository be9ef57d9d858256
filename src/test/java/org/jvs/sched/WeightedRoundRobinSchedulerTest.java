package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.sequence;
import static org.jvs.sched.Servers.service;

import org.jvs.service.VirtualService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WeightedRoundRobinSchedulerTest {

    @ParameterizedTest(name = "weights {0} -> {1}")
    @CsvSource({
        // current weight falls from the maximum by the gcd; each pass takes servers whose weight reaches it
        "'4,3,2',   AABABCABC AABABCABC",
        "'1,1,1',   ABC ABC",
        "'4,2',     AAB AAB",
        "'6,4,2',   AABABC AABABC",
        "'2,0,1',   AAC AAC",
        "'5,1',     AAAAAB AAAAAB",
        "'0,0',     ---",
    })
    void shouldFollowTheKernelSequence(String weights, String expected) {
        String cycle = expected.replace(" ", "");
        int[] w = java.util.Arrays.stream(weights.split(",")).mapToInt(Integer::parseInt).toArray();
        assertEquals(cycle, sequence(service(new WeightedRoundRobinScheduler(), w), cycle.length()));
    }

    @Test
    void shouldStartWithPassAtCurrentWeightWhenServersAreAddedOneByOne() {
        // adding A(4) alone gives gcd 4, max 4-3 = 1, current 1; adding B and C keeps current weight 1
        VirtualService service = Servers.serviceAddedOneByOne(new WeightedRoundRobinScheduler(), 4, 3, 2);
        assertEquals("ABC AABABCABC AAB".replace(" ", ""), sequence(service, 15));
    }

    @Test
    void shouldSkipOverloadedHeavyServer() {
        VirtualService service = service(new WeightedRoundRobinScheduler(), 3, 1);
        get(service, 'A').upperThreshold(1);
        Servers.inactive(get(service, 'A'), 1);
        get(service, 'A').updateOverload();
        assertEquals("BBBB", sequence(service, 4));
    }

    @Test
    void shouldChooseNothingWhenAllAreOverloaded() {
        VirtualService service = service(new WeightedRoundRobinScheduler(), 2, 1);
        assertEquals("A", sequence(service, 1));
        for (char name : new char[] {'A', 'B'}) {
            get(service, name).upperThreshold(1);
            Servers.inactive(get(service, name), 1);
            get(service, name).updateOverload();
        }
        assertEquals("--", sequence(service, 2));
    }

    @Test
    void shouldRestartFromTheHeadWhenWeightsChange() {
        VirtualService service = service(new WeightedRoundRobinScheduler(), 2, 1);
        assertEquals("AAB", sequence(service, 3));
        get(service, 'B').weight(3);
        service.realServerUpdated();
        // max 3, current weight 1 kept (<= max, gcd 1): finish pass 1 from the head, then passes 3, 2, 1
        assertEquals("AB B AB AB B".replace(" ", ""), sequence(service, 8));
    }

    @Test
    void shouldStopSchedulingQuiescedServer() {
        VirtualService service = service(new WeightedRoundRobinScheduler(), 1, 1);
        assertEquals("AB", sequence(service, 2));
        get(service, 'A').weight(0);
        service.realServerUpdated();
        assertEquals("BBB", sequence(service, 3));
    }
}
