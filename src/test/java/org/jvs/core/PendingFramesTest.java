package org.jvs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Frames waiting for ARP: released per neighbour in arrival order, bounded by bytes, every loss counted. */
class PendingFramesTest {
    private static final long A = 1;
    private static final long B = 2;
    private static final long NOW_NS = 10_000_000_000L;

    private final Counters counters = new Counters();
    private final PendingFrames pending = new PendingFrames(counters);
    private final MemorySegment frame = Arena.ofAuto().allocate(2048, 8);
    private final List<Integer> released = new ArrayList<>();
    private final PendingFrames.Release collect = (segment, offset, length, flags) -> {
        released.add(segment.get(ValueLayout.JAVA_INT, offset));
        assertEquals(7, flags);
    };

    private void hold(long key, int sequence, int length) {
        frame.set(ValueLayout.JAVA_INT, 0, sequence);
        pending.hold(key, frame, 0, length, 7, NOW_NS);
    }

    @Test
    void shouldReleaseEachNeighboursFramesInArrivalOrder() {
        hold(A, 1, 100);
        hold(B, 2, 60);
        hold(A, 3, 1500);
        hold(B, 4, 64);
        hold(A, 5, 99);

        assertEquals(3, pending.release(A, NOW_NS, collect));
        assertEquals(List.of(1, 3, 5), released);
        released.clear();
        assertEquals(2, pending.release(B, NOW_NS, collect));
        assertEquals(List.of(2, 4), released);
        assertEquals(0, counters.get(Counter.DROP_NEIGHBOUR_UNRESOLVED));
    }

    @Test
    void shouldDropAndCountTheOldestWhenABurstOutgrowsTheRing() {
        int entryBytes = 24 + 1000;
        int held = PendingFrames.RING_BYTES / entryBytes * 3 / 2;
        for (int sequence = 0; sequence < held; sequence++) {
            hold(A, sequence, 1000);
        }

        int count = pending.release(A, NOW_NS, collect);

        assertEquals(held, count + counters.get(Counter.DROP_NEIGHBOUR_UNRESOLVED), "released + dropped");
        assertEquals(held - 1, released.getLast(), "the newest frame is kept");
        for (int i = 1; i < released.size(); i++) {
            assertEquals(released.get(i - 1) + 1, released.get(i), "released in order, without gaps");
        }
        released.clear();
        hold(A, held, 1000);
        assertEquals(1, pending.release(A, NOW_NS, collect), "the ring is usable after wrapping");
    }

    @Test
    void shouldDropAFrameNotReleasedWithinASecond() {
        hold(A, 1, 100);

        assertEquals(0, pending.release(A, NOW_NS + PendingFrames.HOLD_NS + 1, collect));

        assertEquals(1, counters.get(Counter.DROP_NEIGHBOUR_UNRESOLVED));
    }
}
