package org.jvs.service;

import java.util.Arrays;

/**
 * A map keyed by an IPv6 address as the hot path holds it (two longs), so a lookup boxes nothing and allocates
 * nothing, as Agrona's primitive maps do for int and long keys (none of theirs takes 128 bits): open addressing with
 * linear probing over parallel arrays, at most half full. Adding and removing (control changes) may allocate; a
 * get never does. For the few keys of the control plane's making - VIPs, local addresses - not for connections.
 */
public final class Ipv6Map<V> {
    private static final int INITIAL_SLOTS = 8;

    private long[] his = new long[INITIAL_SLOTS];
    private long[] los = new long[INITIAL_SLOTS];
    /** null marks a free slot. */
    private Object[] values = new Object[INITIAL_SLOTS];
    private int size;

    /** The value under {@code hi}/{@code lo}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long hi, long lo) {
        int mask = values.length - 1;
        for (int slot = slot(hi, lo, mask); values[slot] != null; slot = (slot + 1) & mask) {
            if (his[slot] == hi && los[slot] == lo) {
                return (V) values[slot];
            }
        }
        return null;
    }

    /** Puts {@code value} (not null) under {@code hi}/{@code lo}, replacing any value there. */
    public void put(long hi, long lo, V value) {
        if (value == null) {
            throw new IllegalArgumentException("an Ipv6Map holds no null value");
        }
        if (2 * (size + 1) > values.length) {
            resize(2 * values.length);
        }
        int mask = values.length - 1;
        int slot = slot(hi, lo, mask);
        while (values[slot] != null) {
            if (his[slot] == hi && los[slot] == lo) {
                values[slot] = value;
                return;
            }
            slot = (slot + 1) & mask;
        }
        his[slot] = hi;
        los[slot] = lo;
        values[slot] = value;
        size++;
    }

    /** Removes the value under {@code hi}/{@code lo}; returns it, or null when there was none. */
    @SuppressWarnings("unchecked")
    public V remove(long hi, long lo) {
        int mask = values.length - 1;
        int slot = slot(hi, lo, mask);
        while (values[slot] != null && (his[slot] != hi || los[slot] != lo)) {
            slot = (slot + 1) & mask;
        }
        Object removed = values[slot];
        if (removed == null) {
            return null;
        }
        values[slot] = null;
        size--;
        // the keys after it in its run may have probed past it: put them again so no get stops short of them
        for (int next = (slot + 1) & mask; values[next] != null; next = (next + 1) & mask) {
            Object moved = values[next];
            values[next] = null;
            size--;
            put(his[next], los[next], (V) moved);
        }
        return (V) removed;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    @SuppressWarnings("unchecked")
    private void resize(int slots) {
        long[] oldHis = his;
        long[] oldLos = los;
        Object[] oldValues = values;
        his = new long[slots];
        los = new long[slots];
        values = new Object[slots];
        size = 0;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                put(oldHis[i], oldLos[i], (V) oldValues[i]);
            }
        }
    }

    private static int slot(long hi, long lo, int mask) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ Long.rotateLeft(lo * 0xC2B2AE3D27D4EB4FL, 31);
        return (int) (h ^ h >>> 32) & mask;
    }
}
