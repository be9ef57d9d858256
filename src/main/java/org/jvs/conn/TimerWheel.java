package org.jvs.conn;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * A hashed timer wheel over integer ids, so that a million connection entries need no timer object each.
 * Every id sits in the slot of one tick (its "slot tick"); ticks are 2^25 ns (~34 ms) and the wheel turns
 * once in ~18 minutes. Re-arming to a later time only stores the new expiry: the entry is moved lazily, when
 * its old slot comes due and it turns out to be still alive. Re-arming to an earlier time (ESTABLISHED to
 * CLOSE) moves it at once, so nothing ever expires late. Expiry times are compared exactly, so nothing expires
 * early either; the tick only decides where an id waits.
 */
final class TimerWheel {
    static final int NONE = -1;

    private static final int TICK_SHIFT = 25;
    private static final int SLOT_BITS = 15;
    private static final int SLOTS = 1 << SLOT_BITS;
    private static final int SLOT_MASK = SLOTS - 1;

    private final int[] heads = new int[SLOTS];
    private final int[] next;
    private final int[] prev;
    private final long[] slotTick;
    private final long[] expiresAtNs;
    /** Lowest tick whose slot may still hold due ids; slots below it were swept. */
    private long sweptTick = Long.MIN_VALUE;

    TimerWheel(int capacity) {
        next = new int[capacity];
        prev = new int[capacity];
        slotTick = new long[capacity];
        expiresAtNs = new long[capacity];
        Arrays.fill(heads, NONE);
    }

    long expiresAtNs(int id) {
        return expiresAtNs[id];
    }

    /** Starts timing an id that is not in the wheel. */
    void add(int id, long expiresAtNs) {
        this.expiresAtNs[id] = expiresAtNs;
        link(id, Math.max(tick(expiresAtNs), sweptTick));
    }

    /** Changes the expiry of an id in the wheel; O(1). */
    void rearm(int id, long expiresAtNs) {
        this.expiresAtNs[id] = expiresAtNs;
        long tick = Math.max(tick(expiresAtNs), sweptTick);
        if (tick < slotTick[id]) {
            unlink(id);
            link(id, tick);
        }
    }

    void remove(int id) {
        unlink(id);
    }

    /**
     * Takes out up to {@code limit} ids whose expiry is at or before {@code nowNs}, handing each to
     * {@code expired} after it left the wheel. The callback may only {@link #add} the id it was given, to a
     * later time (a persistence template that must wait on); it must not touch the wheel otherwise.
     */
    int expire(long nowNs, int limit, IntConsumer expired) {
        long nowTick = tick(nowNs);
        // after a long pause one turn visits every slot; older ticks map onto the same slots
        long tick = Math.max(sweptTick, nowTick - SLOT_MASK);
        int count = 0;
        for (; tick <= nowTick; tick++) {
            int slot = (int) tick & SLOT_MASK;
            int id = heads[slot];
            while (id != NONE) {
                int following = next[id];
                if (expiresAtNs[id] <= nowNs) {
                    if (count == limit) {
                        sweptTick = tick;
                        return count;
                    }
                    unlink(id);
                    expired.accept(id);
                    count++;
                } else {
                    // still alive: wait in the slot of its real expiry (maybe this very slot, a turn later)
                    long due = tick(expiresAtNs[id]);
                    if (((int) due & SLOT_MASK) != slot) {
                        unlink(id);
                        link(id, due);
                    } else {
                        slotTick[id] = due;
                    }
                }
                id = following;
            }
        }
        // the current tick is not over: its slot is swept again next time
        sweptTick = Math.max(sweptTick, nowTick);
        return count;
    }

    private static long tick(long ns) {
        return ns >> TICK_SHIFT;
    }

    private void link(int id, long tick) {
        int slot = (int) tick & SLOT_MASK;
        int head = heads[slot];
        slotTick[id] = tick;
        prev[id] = NONE;
        next[id] = head;
        if (head != NONE) {
            prev[head] = id;
        }
        heads[slot] = id;
    }

    private void unlink(int id) {
        int before = prev[id];
        int after = next[id];
        if (before == NONE) {
            heads[(int) slotTick[id] & SLOT_MASK] = after;
        } else {
            next[before] = after;
        }
        if (after != NONE) {
            prev[after] = before;
        }
    }
}
