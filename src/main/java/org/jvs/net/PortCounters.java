package org.jvs.net;

import java.nio.ByteBuffer;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * One port's {@link PortCounter}s in an Agrona {@link CountersManager}, as the director keeps its own: each counter
 * has one writer at a time (the data-plane thread, or a reader folding in the kernel's ring drops under the port's
 * lock), which stores with release semantics, so any thread reads every value without a call queued to the data
 * plane. Allocates nothing after construction.
 */
public final class PortCounters {
    private final AtomicBuffer values;
    private final CountersManager manager;

    public PortCounters() {
        values = new UnsafeBuffer(ByteBuffer.allocateDirect(PortCounter.COUNT * CountersReader.COUNTER_LENGTH));
        manager = new CountersManager(
                new UnsafeBuffer(ByteBuffer.allocateDirect(PortCounter.COUNT * CountersReader.METADATA_LENGTH)),
                values);
        for (PortCounter counter : PortCounter.values()) {
            if (manager.allocate(counter.label()) != counter.ordinal()) {
                throw new IllegalStateException("port counter " + counter.label() + " out of order");
            }
        }
    }

    /** Adds one; only the counter's writer calls this. */
    public void increment(PortCounter counter) {
        add(counter, 1);
    }

    /** Adds {@code delta}; only the counter's writer calls this. */
    public void add(PortCounter counter, long delta) {
        int offset = CountersReader.counterOffset(counter.ordinal());
        values.putLongRelease(offset, values.getLong(offset) + delta);
    }

    /** The value as last stored; any thread. */
    public long get(PortCounter counter) {
        return manager.getCounterValue(counter.ordinal());
    }

    /** Every value, indexed by ordinal; any thread. */
    public long[] snapshot() {
        long[] copy = new long[PortCounter.COUNT];
        for (PortCounter counter : PortCounter.values()) {
            copy[counter.ordinal()] = get(counter);
        }
        return copy;
    }
}
