package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvs.sched.Servers.activeSequence;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.sequence;
import static org.jvs.sched.Servers.service;

import org.jvs.service.Ipv4;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;

class LocalityBasedLeastConnectionSchedulerTest {
    private static final long MINUTE_NS = 60_000_000_000L;
    private static final long HOUR_NS = 60 * MINUTE_NS;

    private long nowNs;
    private final LocalityBasedLeastConnectionScheduler scheduler =
            new LocalityBasedLeastConnectionScheduler(() -> nowNs, LocalityTable.DEFAULT_EXPIRATION_NS);

    @Test
    void shouldKeepDestinationOnItsServerWhateverTheInactiveLoad() {
        assertEquals("AAAAAA", sequence(service(scheduler, 1, 1), 6));
    }

    @Test
    void shouldGiveNewDestinationsTheWeightedLeastConnectionChoice() {
        VirtualService service = service(scheduler, 1, 2);
        Servers.inactive(get(service, 'A'), 10);
        Servers.inactive(get(service, 'B'), 16); // 16 / 2 < 10 / 1
        assertEquals(get(service, 'B'), schedule(service, "203.0.113.1"));
        Servers.inactive(get(service, 'B'), 10);
        Servers.inactive(get(service, 'A'), 20);
        assertEquals(get(service, 'B'), schedule(service, "203.0.113.2"));
        assertEquals(get(service, 'B'), schedule(service, "203.0.113.1"));
        assertEquals(2, scheduler.entries());
    }

    @Test
    void shouldMoveDestinationWhenItsServerIsBusierThanItsWeightAndAnotherIsHalfIdle() {
        // A takes 2 active (> weight 1) while B has 0 * 2 < 2: B; B stays even at 3 > 2, nobody being half idle
        assertEquals("AABBBB", activeSequence(service(scheduler, 1, 2), 6));
    }

    @Test
    void shouldMoveDestinationWhenItsServerIsQuiescedOrRemoved() {
        VirtualService service = service(scheduler, 1, 1, 1);
        assertEquals("A", sequence(service, 1));
        get(service, 'A').weight(0);
        service.realServerUpdated();
        assertEquals("BB", sequence(service, 2));
        service.removeRealServer(get(service, 'B'));
        assertEquals("B", sequence(service, 1)); // the old C
    }

    @Test
    void shouldChooseNothingWhenNoServerMayTakeConnections() {
        assertEquals("--", sequence(service(scheduler, 0, 0), 2));
        assertEquals(0, scheduler.entries());
    }

    @Test
    void shouldDropDestinationIdleForADayAtTheHalfHourlyFullCheck() {
        VirtualService service = service(scheduler, 1, 1);
        schedule(service, "203.0.113.1");
        // 29 collections only count; the 30th, half an hour later, is the full check
        nowNs = 23 * HOUR_NS;
        tickEveryMinute(service, 30);
        assertEquals(2, scheduler.entries(), "23 h idle is kept");
        nowNs = 25 * HOUR_NS;
        tickEveryMinute(service, 29);
        assertEquals(2, scheduler.entries(), "no full check before the 30th collection");
        tickEveryMinute(service, 1);
        assertEquals(1, scheduler.entries(), "25 h idle is dropped");
    }

    @Test
    void shouldDropEntriesIdleSixMinutesOnlyWhenTheTableIsOverFull() {
        VirtualService service = service(scheduler, 1, 1);
        int count = LocalityTable.MAX_SIZE + 300;
        for (int i = 0; i < count; i++) {
            schedule(service, Ipv4.parse("198.18.0.0") + i);
        }
        nowNs = 7 * MINUTE_NS;
        schedule(service, Ipv4.parse("198.18.0.0"));
        // goal (300 * 4 / 3 = 400) reached chain by chain, so a little more goes
        int left = scheduler.entries();
        assertTrue(left <= count - 400 && left > count - 600, left + " entries left of " + count);
        assertEquals(get(service, 'A'), schedule(service, Ipv4.parse("198.18.0.0")));
    }

    private void tickEveryMinute(VirtualService service, int minutes) {
        for (int i = 0; i < minutes; i++) {
            nowNs += MINUTE_NS;
            schedule(service, "203.0.113.2");
        }
    }

    private static RealServer schedule(VirtualService service, String destination) {
        return schedule(service, Ipv4.parse(destination));
    }

    private static RealServer schedule(VirtualService service, int destination) {
        RealServer chosen = service.scheduler().schedule(service, Servers.CLIENT, 40000, destination, 80);
        assertTrue(chosen != null || service.realServers().stream().noneMatch(Eligibility::schedulable));
        return chosen;
    }
}
