package org.jvs.net;

import java.nio.ByteBuffer;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * A fixed set of counters, one per label, id = the label's index, in an Agrona {@link CountersManager} allocated
 * once. Each counter has one writer at a time, which adds with a plain read and a release store (no atomic
 * read-modify-write, nothing allocated), so any other thread reads every value (a volatile load each) without a
 * call queued to the writer.
 */
public final class LabelledCounters {
    private final AtomicBuffer values;
    private final CountersManager manager;

    public LabelledCounters(String... labels) {
        values = new UnsafeBuffer(ByteBuffer.allocateDirect(labels.length * CountersReader.COUNTER_LENGTH));
        manager = new CountersManager(
                new UnsafeBuffer(ByteBuffer.allocateDirect(labels.length * CountersReader.METADATA_LENGTH)), values);
        for (int expected = 0; expected < labels.length; expected++) {
            int id = manager.allocate(labels[expected]);
            if (id != expected) {
                throw new IllegalStateException("counter " + labels[expected] + " got id " + id);
            }
        }
    }

    /** Adds {@code delta} to counter {@code id}; only its writer calls this. */
    public void add(int id, long delta) {
        int offset = CountersReader.counterOffset(id);
        values.putLongRelease(offset, values.getLong(offset) + delta);
    }

    /** The value as last stored; any thread. */
    public long get(int id) {
        return manager.getCounterValue(id);
    }

    /** Every value, indexed by id; any thread. */
    public long[] snapshot() {
        long[] copy = new long[values.capacity() / CountersReader.COUNTER_LENGTH];
        for (int id = 0; id < copy.length; id++) {
            copy[id] = get(id);
        }
        return copy;
    }

    /** The counters with their labels, as Agrona's tools read them; any thread. */
    public CountersReader reader() {
        return manager;
    }
}
