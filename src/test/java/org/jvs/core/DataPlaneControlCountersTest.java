package org.jvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.jvs.net.KernelBypass;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;

/** ./jvs counters and the metrics read the data plane's counters directly: no call is queued to it. */
class DataPlaneControlCountersTest {
    private static final int INCREMENTS = 200_000;

    @Test
    void shouldReadCountersWithoutQueuingACall() {
        InMemoryHost host = new InMemoryHost();
        Director director = new Director(host, host, KernelBypass.NONE, 64, 40_000, 40_007);
        director.counters().increment(Counter.DROP_LOCAL_PORTS_EXHAUSTED);
        director.counters().increment(Counter.DROP_LOCAL_PORTS_EXHAUSTED);
        director.counters().increment(Counter.NEW_CONNECTIONS);
        DataPlaneControl control = new DataPlaneControl(new DirectorConfig(director));

        long[] values = control.counters();

        assertThat(control.drain(10)).as("nothing was queued").isZero();
        assertThat(values).hasSize(Counter.COUNT);
        assertThat(values[Counter.DROP_LOCAL_PORTS_EXHAUSTED.ordinal()]).isEqualTo(2);
        assertThat(values[Counter.NEW_CONNECTIONS.ordinal()]).isEqualTo(1);
        director.counters().increment(Counter.NEW_CONNECTIONS);
        assertThat(values[Counter.NEW_CONNECTIONS.ordinal()]).as("a copy, not the live values").isEqualTo(1);
    }

    @Test
    void shouldReadTheConnectionTablesFillWithoutQueuingACall() {
        InMemoryHost host = new InMemoryHost();
        Director director = new Director(host, host, KernelBypass.NONE, 64, 40_000, 40_007);
        RealServer server = new RealServer(Ipv4.parse("198.18.1.2"), 80, ForwardingMethod.MASQ, 1);
        for (int port = 1024; port < 1027; port++) {
            director.connections().create(Protocol.TCP, Ipv4.parse("198.18.0.9"), port, Ipv4.parse("198.18.0.1"), 80,
                    server, true, 0);
        }
        DataPlaneControl control = new DataPlaneControl(new DirectorConfig(director));

        WorkerReading reading = control.reading();

        assertThat(control.drain(10)).as("nothing was queued").isZero();
        assertThat(reading.connections()).isEqualTo(3);
        assertThat(reading.connectionCapacity()).isEqualTo(64);
    }

    @Test
    void shouldSeeAnotherThreadsIncrementsInOrderAndInFull() throws InterruptedException {
        Counters counters = new Counters();
        Thread dataPlane = new Thread(() -> {
            for (int i = 0; i < INCREMENTS; i++) {
                counters.increment(Counter.FRAMES_IN);
            }
        });
        dataPlane.start();
        long last = 0;
        while (dataPlane.isAlive()) {
            long now = counters.get(Counter.FRAMES_IN);
            assertThat(now).as("never goes back").isGreaterThanOrEqualTo(last);
            last = now;
        }
        dataPlane.join();
        assertThat(counters.get(Counter.FRAMES_IN)).isEqualTo(INCREMENTS);
    }

    @Test
    void shouldLabelEachCounterInAgronasCountersWithItsName() {
        Counters counters = new Counters();
        for (Counter counter : Counter.values()) {
            assertThat(counters.reader().getCounterLabel(counter.ordinal())).isEqualTo(counter.label());
        }
        assertThat(Counter.DROP_NEIGHBOUR_UNRESOLVED.label()).isEqualTo("drop_neighbour_unresolved");
    }
}
