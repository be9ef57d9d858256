package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameSink;

/**
 * The director's sink with {@code ./jvs trace}'s tap in front: while a traced packet is being delivered (armed by
 * the director for that packet only) every frame it sends, fragments and IPIP included, is copied to the
 * {@link TraceTap} as sent. Unarmed, one boolean test per frame.
 */
final class TracedSink implements FrameSink {
    private final FrameSink sink;
    private TraceTap tap;
    private long nowNs;

    TracedSink(FrameSink sink) {
        this.sink = sink;
    }

    /** Records what is sent until {@link #disarm}. */
    void arm(TraceTap tap, long nowNs) {
        this.tap = tap;
        this.nowNs = nowNs;
    }

    void disarm() {
        tap = null;
    }

    @Override
    public boolean send(int ifindex, MemorySegment frame, long offset, int length, int flags) {
        if (tap != null) {
            tap.record(nowNs, ifindex, TraceTap.SENT, frame, offset, length);
        }
        return sink.send(ifindex, frame, offset, length, flags);
    }
}
