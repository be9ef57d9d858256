package org.jvs.core;

import java.util.Arrays;

import org.agrona.concurrent.status.CountersReader;
import org.jvs.net.LabelledCounters;
import org.jvs.xmit.Verdict;

/**
 * One worker's {@link Counter}s, in {@link LabelledCounters}, each under its {@link Counter#label()} with its
 * ordinal as id. The data-plane thread alone writes them, so any other thread reads them without a call queued to
 * it.
 */
public final class Counters {
    private final LabelledCounters counters =
            new LabelledCounters(Arrays.stream(Counter.values()).map(Counter::label).toArray(String[]::new));

    /** Adds one to counter {@code id} (a {@link Counter}'s ordinal); data-plane thread only. */
    public void increment(int id) {
        counters.add(id, 1);
    }

    public void increment(Counter counter) {
        counters.add(counter.ordinal(), 1);
    }

    /** Counts a transmitter's verdict other than SENT under its drop (or ICMP) reason. */
    void countVerdict(int verdict) {
        switch (verdict) {
            case Verdict.SENT -> { }
            case Verdict.NO_ROUTE -> increment(Counter.DROP_NO_ROUTE);
            case Verdict.OUTPUT_DROP -> increment(Counter.DROP_OUTPUT);
            case Verdict.FRAGMENTATION_NEEDED -> increment(Counter.ICMP_FRAG_NEEDED_SENT);
            case Verdict.PACKET_TOO_BIG -> increment(Counter.ICMPV6_PACKET_TOO_BIG_SENT);
            case Verdict.TOO_BIG -> increment(Counter.DROP_TOO_BIG);
            case Verdict.TTL_EXCEEDED -> increment(Counter.DROP_TTL_EXCEEDED);
            default -> increment(Counter.DROP_MALFORMED);
        }
    }

    /** The counter's value as last stored by the data plane; any thread. */
    public long get(int id) {
        return counters.get(id);
    }

    public long get(Counter counter) {
        return get(counter.ordinal());
    }

    /** Every counter's value, indexed by ordinal; any thread. */
    public long[] snapshot() {
        return counters.snapshot();
    }

    /** The counters with their labels, as Agrona's tools read them; any thread. */
    public CountersReader reader() {
        return counters.reader();
    }
}
