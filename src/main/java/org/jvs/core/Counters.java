package org.jvs.core;

import java.nio.ByteBuffer;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.jvs.xmit.Verdict;

/**
 * One worker's {@link Counter}s, kept in an Agrona {@link CountersManager} allocated once, each counter under its
 * {@link Counter#label()} with its ordinal as id. The data-plane thread alone writes them, with a plain read and an
 * ordered (release) store - no atomic read-modify-write, nothing allocated - so any other thread reads them (a
 * volatile load each) without a call queued to the data plane.
 */
public final class Counters {
    private final AtomicBuffer values;
    private final CountersManager manager;

    public Counters() {
        values = new UnsafeBuffer(ByteBuffer.allocateDirect(Counter.COUNT * CountersReader.COUNTER_LENGTH));
        manager = new CountersManager(
                new UnsafeBuffer(ByteBuffer.allocateDirect(Counter.COUNT * CountersReader.METADATA_LENGTH)), values);
        for (Counter counter : Counter.values()) {
            int id = manager.allocate(counter.label());
            if (id != counter.ordinal()) {
                throw new IllegalStateException("counter " + counter.label() + " got id " + id);
            }
        }
    }

    /** Adds one to counter {@code id} (a {@link Counter}'s ordinal); data-plane thread only. */
    public void increment(int id) {
        int offset = CountersReader.counterOffset(id);
        values.putLongRelease(offset, values.getLong(offset) + 1);
    }

    public void increment(Counter counter) {
        increment(counter.ordinal());
    }

    /** Adds {@code amount} to {@code counter}; data-plane thread only. */
    public void add(Counter counter, long amount) {
        int offset = CountersReader.counterOffset(counter.ordinal());
        values.putLongRelease(offset, values.getLong(offset) + amount);
    }

    /** Counts a transmitter's verdict other than SENT under its drop (or ICMP) reason. */
    void countVerdict(int verdict) {
        switch (verdict) {
            case Verdict.SENT -> { }
            case Verdict.NO_ROUTE -> increment(Counter.DROP_NO_ROUTE);
            case Verdict.OUTPUT_DROP -> increment(Counter.DROP_OUTPUT);
            case Verdict.FRAGMENTATION_NEEDED -> increment(Counter.ICMP_FRAG_NEEDED_SENT);
            case Verdict.TOO_BIG -> increment(Counter.DROP_TOO_BIG);
            case Verdict.TTL_EXCEEDED -> increment(Counter.DROP_TTL_EXCEEDED);
            default -> increment(Counter.DROP_MALFORMED);
        }
    }

    /** The counter's value as last stored by the data plane; any thread. */
    public long get(int id) {
        return manager.getCounterValue(id);
    }

    public long get(Counter counter) {
        return get(counter.ordinal());
    }

    /** Every counter's value, indexed by ordinal; any thread. */
    public long[] snapshot() {
        long[] copy = new long[Counter.COUNT];
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
