package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchedulerRegistryTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rr,  org.jvs.sched.RoundRobinScheduler",
        "wrr, org.jvs.sched.WeightedRoundRobinScheduler",
        "lc,  org.jvs.sched.LeastConnectionScheduler",
        "wlc, org.jvs.sched.WeightedLeastConnectionScheduler",
        "lblc, org.jvs.sched.LocalityBasedLeastConnectionScheduler",
        "lblcr, org.jvs.sched.LocalityBasedLeastConnectionReplicationScheduler",
        "dh, org.jvs.sched.DestinationHashingScheduler",
        "sh, org.jvs.sched.SourceHashingScheduler",
        "sed, org.jvs.sched.ShortestExpectedDelayScheduler",
        "nq, org.jvs.sched.NeverQueueScheduler",
        "fo, org.jvs.sched.WeightedFailoverScheduler",
        "ovf, org.jvs.sched.WeightedOverflowScheduler",
        "mh, org.jvs.sched.MaglevHashingScheduler",
        "twos, org.jvs.sched.WeightedTwoRandomChoicesScheduler",
    })
    void shouldCreateSchedulerByItsIpvsName(String name, Class<?> type) {
        Scheduler scheduler = SchedulerRegistry.create(name);
        assertInstanceOf(type, scheduler);
        assertEquals(name, scheduler.name());
    }

    @Test
    void shouldGiveEachServiceItsOwnScheduler() {
        assertNotSame(SchedulerRegistry.create("rr"), SchedulerRegistry.create("rr"));
    }

    @Test
    void shouldListKnownNames() {
        assertEquals(List.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos"), SchedulerRegistry.names());
    }

    @Test
    void shouldNameUnknownSchedulerAndTheKnownOnes() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> SchedulerRegistry.create("fastest"));
        assertEquals("unknown scheduler 'fastest' (expected one of rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos)", error.getMessage());
    }
}
