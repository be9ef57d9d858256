package org.jvs.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.sched.Servers.CLIENT;
import static org.jvs.sched.Servers.VIP;
import static org.jvs.sched.Servers.service;

import java.util.List;

import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Scheduler#explain}: asked twice it answers the same, and an exact scheduler's next real choice is the
 * server it named, whatever its state (rr's cursor, wrr's mark, lblc's table) was.
 */
class SchedulerExplainTest {

    static List<String> exact() {
        return List.of("rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "sh", "dh", "mh");
    }

    @ParameterizedTest
    @MethodSource("exact")
    void shouldNameTheNextChoiceWithoutMakingIt(String name) {
        VirtualService service = service(SchedulerRegistry.create(name), 3, 1, 2);
        for (int connection = 0; connection < 5; connection++) {
            int clientPort = 40000 + connection;
            SchedulerChoice first = service.scheduler().explain(service, ExplainedFlow.ipv4(CLIENT, clientPort, VIP, 80));
            SchedulerChoice second = service.scheduler().explain(service, ExplainedFlow.ipv4(CLIENT, clientPort, VIP, 80));
            assertThat(first).isEqualTo(second);
            assertThat(first.exact()).isTrue();
            RealServer chosen = service.scheduler().schedule(service, CLIENT, clientPort, VIP, 80);
            assertThat(first.server()).as("%s, connection %d", name, connection).isSameAs(chosen);
            assertThat(first.reasons().getLast()).isEqualTo("-> " + SchedulerChoice.endpoint(chosen));
            chosen.countConnections(1, 0);
        }
    }

    @Test
    void shouldExplainARoundRobinChoiceTwiceAndStillGiveItToTheNextConnection() {
        VirtualService service = service(new RoundRobinScheduler(), 1, 1, 1);
        RealServer a = service.scheduler().schedule(service, CLIENT, 1, VIP, 80);

        RealServer explained = service.scheduler().explain(service, ExplainedFlow.ipv4(CLIENT, 2, VIP, 80)).server();
        assertThat(service.scheduler().explain(service, ExplainedFlow.ipv4(CLIENT, 2, VIP, 80)).server()).isSameAs(explained);

        assertThat(explained).isNotSameAs(a).isSameAs(service.realServers().get(1));
        assertThat(service.scheduler().schedule(service, CLIENT, 2, VIP, 80)).isSameAs(explained);
    }

    @Test
    void shouldSayTheRandomChoiceOfTwosCannotBeTold() {
        VirtualService service = service(new WeightedTwoRandomChoicesScheduler(), 1, 3);
        SchedulerChoice choice = service.scheduler().explain(service, ExplainedFlow.ipv4(CLIENT, 1, VIP, 80));
        assertThat(choice.exact()).isFalse();
        assertThat(choice.server()).isNull();
        assertThat(String.join("\n", choice.reasons())).contains("chance 25%", "chance 75%", "not predictable");
    }

    @Test
    void shouldLeaveTheLocalityTableAsItWas() {
        LocalityBasedLeastConnectionScheduler lblc = new LocalityBasedLeastConnectionScheduler();
        VirtualService service = service(lblc, 1, 1);
        SchedulerChoice choice = lblc.explain(service, ExplainedFlow.ipv4(CLIENT, 1, VIP, 80));
        assertThat(lblc.entries()).isZero();
        assertThat(choice.exact()).isFalse();
        assertThat(lblc.schedule(service, CLIENT, 1, VIP, 80)).isSameAs(choice.server());
    }
}
