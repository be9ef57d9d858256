package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Frames held while their next hop is being resolved by ARP (as the kernel's arp_queue), so the first SYN of a
 * connection towards a new real server is delayed, not lost. Fixed slots allocated once; the oldest is dropped
 * when all are taken, and a frame not released within {@link #HOLD_NS} is dropped.
 */
final class PendingFrames {
    static final int SLOTS = 64;
    static final int SLOT_BYTES = 16 * 1024;
    static final long HOLD_NS = 1_000_000_000L;

    private final MemorySegment buffers = Arena.ofAuto().allocate((long) SLOTS * SLOT_BYTES, 64);
    private final long[] neighbourKey = new long[SLOTS];
    private final int[] length = new int[SLOTS];
    private final int[] flags = new int[SLOTS];
    private final long[] heldAtNs = new long[SLOTS];

    /**
     * Copies the frame and its offload flags into a free slot; false when it does not fit (then it is dropped by
     * the caller: a super-packet beyond a slot is rare this early in a connection, the sender retransmits it).
     */
    boolean hold(long key, MemorySegment frame, long offset, int frameLength, int frameFlags, long nowNs) {
        if (frameLength > SLOT_BYTES) {
            return false;
        }
        int slot = freeSlot(nowNs);
        MemorySegment.copy(frame, offset, buffers, (long) slot * SLOT_BYTES, frameLength);
        neighbourKey[slot] = key;
        length[slot] = frameLength;
        flags[slot] = frameFlags;
        heldAtNs[slot] = nowNs;
        return true;
    }

    private int freeSlot(long nowNs) {
        int oldest = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (length[i] == 0 || nowNs - heldAtNs[i] > HOLD_NS) {
                return i;
            }
            if (heldAtNs[i] < heldAtNs[oldest]) {
                oldest = i;
            }
        }
        return oldest;
    }

    interface Release {
        void release(MemorySegment frame, long offset, int length, int flags);
    }

    /** Hands every frame held for this neighbour to {@code release} and frees their slots. */
    int release(long key, long nowNs, Release release) {
        int count = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (length[i] != 0 && neighbourKey[i] == key) {
                if (nowNs - heldAtNs[i] <= HOLD_NS) {
                    release.release(buffers, (long) i * SLOT_BYTES, length[i], flags[i]);
                    count++;
                }
                length[i] = 0;
            }
        }
        return count;
    }
}
