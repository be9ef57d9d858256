package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Frames held while their next hop is being resolved by ARP (as the kernel's arp_queue), so the first packets of
 * a connection towards a new real server are delayed, not lost. A byte budget as the kernel's unres_qlen_bytes,
 * but larger: a burst at line rate towards a new real server keeps arriving for the whole ARP round trip, and the
 * reply queues behind it. The frames sit in one ring allocated once, oldest first; when the ring is full the
 * oldest entry makes room (its frame dropped if still waiting), and a frame not released within {@link #HOLD_NS}
 * is dropped; both counted as {@link Counters#DROP_NEIGHBOUR_UNRESOLVED}. Allocates nothing per frame; not
 * thread-safe.
 * <p>
 * Each entry: neighbour key (8), held-at time (8), frame length (4, negative once released), flags (4), then the
 * frame padded to 8 bytes. An entry never straddles the ring's end: the writer starts again at 0 and remembers
 * where the older lap ends ({@code wrapAt}).
 */
final class PendingFrames {
    static final int RING_BYTES = 4 << 20;
    static final long HOLD_NS = 1_000_000_000L;
    private static final int ENTRY_HEADER = 24;
    private static final long KEY = 0;
    private static final long HELD_AT = 8;
    private static final long LENGTH = 16;
    private static final long FLAGS = 20;

    private final MemorySegment ring = Arena.ofAuto().allocate(RING_BYTES, Long.BYTES);
    private final Counters counters;
    /** The oldest entry, where the next one goes, the end of the older lap, and how many entries there are. */
    private long tail;
    private long head;
    private long wrapAt = RING_BYTES;
    private int entries;

    PendingFrames(Counters counters) {
        this.counters = counters;
    }

    /** Copies the frame and its offload flags into the ring; false when it is too large to hold (dropped by the caller). */
    boolean hold(long key, MemorySegment frame, long offset, int frameLength, int frameFlags, long nowNs) {
        long entry = entryBytes(frameLength);
        if (entry > RING_BYTES / 4) {
            return false;
        }
        if (head + entry > RING_BYTES) {
            while (entries > 0 && tail >= head) {
                dropOldest();
            }
            wrapAt = head;
            head = 0;
        }
        while (entries > 0 && tail >= head && tail < head + entry) {
            dropOldest();
        }
        ring.set(JAVA_LONG, head + KEY, key);
        ring.set(JAVA_LONG, head + HELD_AT, nowNs);
        ring.set(JAVA_INT, head + LENGTH, frameLength);
        ring.set(JAVA_INT, head + FLAGS, frameFlags);
        MemorySegment.copy(frame, offset, ring, head + ENTRY_HEADER, frameLength);
        if (entries == 0) {
            tail = head;
        }
        head += entry;
        entries++;
        return true;
    }

    private static long entryBytes(int frameLength) {
        return ENTRY_HEADER + ((frameLength + 7) & ~7L);
    }

    /** Whether the entries run from the older lap (tail .. wrapAt) on into the newer one (0 .. head). */
    private boolean wrapped() {
        return entries > 0 && tail >= head;
    }

    /** Frees the oldest entry, counting its frame as dropped if it was still waiting. */
    private void dropOldest() {
        boolean onOlderLap = wrapped();
        int length = ring.get(JAVA_INT, tail + LENGTH);
        if (length > 0) {
            counters.increment(Counter.DROP_NEIGHBOUR_UNRESOLVED);
        }
        tail += entryBytes(Math.abs(length));
        entries--;
        if (entries == 0) {
            tail = head;
        } else if (onOlderLap && tail == wrapAt) {
            tail = 0;
        }
    }

    interface Release {
        void release(MemorySegment frame, long offset, int length, int flags);
    }

    /** Hands every frame held for this neighbour to {@code release}, oldest first, and marks them released. */
    int release(long key, long nowNs, Release release) {
        int count = 0;
        long position = tail;
        boolean onOlderLap = wrapped();
        for (int i = 0; i < entries; i++) {
            if (onOlderLap && position == wrapAt) {
                position = 0;
                onOlderLap = false;
            }
            int length = ring.get(JAVA_INT, position + LENGTH);
            if (length > 0 && ring.get(JAVA_LONG, position + KEY) == key) {
                if (nowNs - ring.get(JAVA_LONG, position + HELD_AT) <= HOLD_NS) {
                    release.release(ring, position + ENTRY_HEADER, length, ring.get(JAVA_INT, position + FLAGS));
                    count++;
                } else {
                    counters.increment(Counter.DROP_NEIGHBOUR_UNRESOLVED);
                }
                ring.set(JAVA_INT, position + LENGTH, -length);
            }
            position += entryBytes(Math.abs(length));
        }
        while (entries > 0 && ring.get(JAVA_INT, tail + LENGTH) < 0) {
            dropOldest();
        }
        return count;
    }
}
