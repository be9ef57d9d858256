package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvs.sched.Servers.activeSequence;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.sequence;
import static org.jvs.sched.Servers.service;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;

class LocalityBasedLeastConnectionReplicationSchedulerTest {
    private static final long DAY_NS = 24 * 3600 * 1_000_000_000L;

    private long nowNs;
    private final LocalityBasedLeastConnectionReplicationScheduler scheduler =
            new LocalityBasedLeastConnectionReplicationScheduler(() -> nowNs, DAY_NS);

    @Test
    void shouldKeepDestinationOnItsSetWhateverTheInactiveLoad() {
        VirtualService service = service(scheduler, 1, 1);
        assertEquals("AAAAA", sequence(service, 5));
        assertEquals(1, scheduler.replicas(Servers.VIP));
    }

    @Test
    void shouldReplicateDestinationWhenItsServerIsOverloaded() {
        VirtualService service = service(scheduler, 1, 2);
        // A busier than its weight while B is half idle: B joins the set and, less loaded per weight, serves it
        assertEquals("AABBBB", activeSequence(service, 6));
        assertEquals(2, scheduler.replicas(Servers.VIP));
        // within the set, the least overhead per weight
        Servers.active(get(service, 'B'), 9);
        assertEquals("A", activeSequence(service, 1));
    }

    @Test
    void shouldDropMostLoadedReplicaOnceTheSetIsUnchangedForTheExpiration() {
        VirtualService service = service(scheduler, 1, 2);
        assertEquals("AABBBB", activeSequence(service, 6));
        Servers.active(get(service, 'A'), 0);
        nowNs = DAY_NS;
        assertEquals("A", activeSequence(service, 1));
        assertEquals(2, scheduler.replicas(Servers.VIP), "not yet longer than the expiration");
        nowNs = DAY_NS + 1;
        // the least loaded is chosen first, then the most loaded (B, 5 active on weight 2) leaves
        assertEquals("A", activeSequence(service, 1));
        assertEquals(1, scheduler.replicas(Servers.VIP));
        nowNs = 3 * DAY_NS;
        assertEquals("A", activeSequence(service, 1));
        assertEquals(1, scheduler.replicas(Servers.VIP), "the last replica stays");
    }

    @Test
    void shouldSkipRemovedAndQuiescedReplicas() {
        VirtualService service = service(scheduler, 1, 2, 1);
        assertEquals("AABB", activeSequence(service, 4));
        RealServer b = get(service, 'B');
        service.removeRealServer(b);
        // A (2 active > weight 1) is still overloaded while C idles: C joins
        assertEquals("B", activeSequence(service, 1));
        assertEquals(3, scheduler.replicas(Servers.VIP));
        get(service, 'B').weight(0);
        Servers.active(get(service, 'A'), 0);
        service.realServerUpdated();
        assertEquals("A", activeSequence(service, 1));
    }

    @Test
    void shouldChooseNothingWhenNoServerMayTakeConnections() {
        assertEquals("--", sequence(service(scheduler, 0, 0), 2));
        assertEquals(0, scheduler.entries());
    }
}
