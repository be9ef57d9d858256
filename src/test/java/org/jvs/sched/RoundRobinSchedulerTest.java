package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.sequence;
import static org.jvs.sched.Servers.service;

import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;

class RoundRobinSchedulerTest {

    @Test
    void shouldRotateThroughServersInListOrder() {
        assertEquals("ABCABCA", sequence(service(new RoundRobinScheduler(), 1, 5, 2), 7));
    }

    @Test
    void shouldSkipQuiescedServer() {
        assertEquals("ACACA", sequence(service(new RoundRobinScheduler(), 1, 0, 1), 5));
    }

    @Test
    void shouldSkipOverloadedServerUntilItRecovers() {
        VirtualService service = service(new RoundRobinScheduler(), 1, 1, 1);
        get(service, 'C').upperThreshold(2);
        Servers.inactive(get(service, 'C'), 1);
        assertEquals("ABC", sequence(service, 3)); // C reaches its threshold with this connection
        assertEquals("ABAB", sequence(service, 4));
        Servers.inactive(get(service, 'C'), 0);
        get(service, 'C').updateOverload();
        assertEquals("CA", sequence(service, 2));
    }

    @Test
    void shouldChooseNothingWhenNoServerMayTakeConnections() {
        assertEquals("--", sequence(service(new RoundRobinScheduler(), 0, 0), 2));
        assertEquals("-", sequence(service(new RoundRobinScheduler()), 1));
    }

    @Test
    void shouldContinueAfterPreviousServerWhenLastChoiceIsRemoved() {
        VirtualService service = service(new RoundRobinScheduler(), 1, 1, 1, 1);
        assertEquals("AB", sequence(service, 2));
        service.removeRealServer(get(service, 'B'));
        // the cursor falls back to A, so the rotation goes on with the old C (now at B's place)
        assertEquals("BCA", sequence(service, 3));
    }

    @Test
    void shouldKeepRotationWhenServersAreAdded() {
        VirtualService service = service(new RoundRobinScheduler(), 1, 1);
        assertEquals("A", sequence(service, 1));
        service.addRealServer(Servers.server(2, 1));
        assertEquals("BCAB", sequence(service, 4));
    }
}
