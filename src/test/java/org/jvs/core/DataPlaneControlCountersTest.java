package org.jvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.jvs.api.ControlException;
import org.jvs.net.KernelBypass;

/** ./jvs counters reads the data-plane thread's plain longs through its control queue, never directly. */
class DataPlaneControlCountersTest {
    private static final long WAIT_MS = 5_000;

    @Test
    void shouldAnswerCountersOnlyWhenTheDataPlaneDrainsItsQueue() throws Exception {
        InMemoryHost host = new InMemoryHost();
        Director director = new Director(host, host, KernelBypass.NONE, 64, 40_000, 40_007);
        director.counters().increment(Counters.DROP_LOCAL_PORTS_EXHAUSTED);
        director.counters().increment(Counters.DROP_LOCAL_PORTS_EXHAUSTED);
        director.counters().increment(Counters.NEW_CONNECTIONS);
        DataPlaneControl control = new DataPlaneControl(new DirectorConfig(director));

        CompletableFuture<long[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return control.counters();
            } catch (ControlException e) {
                throw new IllegalStateException(e);
            }
        });
        int drained = 0;
        long deadlineMs = System.currentTimeMillis() + WAIT_MS;
        while (drained == 0 && System.currentTimeMillis() < deadlineMs) {
            assertThat(read).as("answered before the data plane ran the call").isNotDone();
            drained = control.drain(1);
            Thread.onSpinWait();
        }
        long[] values = read.get(WAIT_MS, TimeUnit.MILLISECONDS);

        assertThat(drained).isEqualTo(1);
        assertThat(values).hasSize(Counters.COUNT);
        assertThat(values[Counters.DROP_LOCAL_PORTS_EXHAUSTED]).isEqualTo(2);
        assertThat(values[Counters.NEW_CONNECTIONS]).isEqualTo(1);
        director.counters().increment(Counters.NEW_CONNECTIONS);
        assertThat(values[Counters.NEW_CONNECTIONS]).as("a copy, not the live array").isEqualTo(1);
    }
}
