package org.jvs.net;

import java.util.Arrays;

/**
 * One port's {@link PortCounter}s in {@link LabelledCounters}, as the director keeps its own: each counter
 * has one writer at a time (the data-plane thread, or a reader folding in the kernel's ring drops under the port's
 * lock), which stores with release semantics, so any thread reads every value without a call queued to the data
 * plane. Allocates nothing after construction.
 */
public final class PortCounters {
    private final LabelledCounters counters =
            new LabelledCounters(Arrays.stream(PortCounter.values()).map(PortCounter::label).toArray(String[]::new));

    /** Adds one; only the counter's writer calls this. */
    public void increment(PortCounter counter) {
        counters.add(counter.ordinal(), 1);
    }

    /** Adds {@code delta}; only the counter's writer calls this. */
    public void add(PortCounter counter, long delta) {
        counters.add(counter.ordinal(), delta);
    }

    /** The value as last stored; any thread. */
    public long get(PortCounter counter) {
        return counters.get(counter.ordinal());
    }

    /** Every value, indexed by ordinal; any thread. */
    public long[] snapshot() {
        return counters.snapshot();
    }
}
