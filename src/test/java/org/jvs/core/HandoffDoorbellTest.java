package org.jvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

/** A frame handed to a worker wakes that worker (and no other), so it never waits for its poll to time out. */
class HandoffDoorbellTest {
    @Test
    void shouldRingOnlyTheReceivingWorkersDoorbellAndOnlyForAFrameItWillFind() {
        Handoff handoff = new Handoff(2, 1 << 12);
        int[] rings = new int[2];
        handoff.doorbell(0, () -> rings[0]++);
        handoff.doorbell(1, () -> rings[1]++);
        MemorySegment frame = MemorySegment.ofArray(new byte[200]);

        assertThat(handoff.send(1, 3, frame, 0, 200, 0)).isTrue();
        assertThat(rings).containsExactly(0, 1);

        int sent = 1;
        while (handoff.send(1, 3, frame, 0, 200, 0)) {
            sent++;
        }
        assertThat(rings[1]).as("one ring per frame queued, none for the one refused (inbox full)").isEqualTo(sent);
        int[] drained = new int[1];
        assertThat(handoff.drain(1, (ifindex, f, offset, length, flags) -> drained[0]++, 1000)).isEqualTo(sent);
        assertThat(rings[0]).isZero();
    }
}
