package org.jvs.conn;

import java.util.Arrays;

/**
 * One hash index of the connection table: intrusive singly linked chains over entry ids (a bucket holds the first
 * id, a per-id link the next), so indexing an entry allocates nothing. The table keeps two, in-key and out-key.
 */
final class HashChains {
    static final int END = -1;

    private final int mask;
    private final int[] heads;
    private final int[] links;

    HashChains(int capacity) {
        int buckets = Math.max(16, Integer.highestOneBit(Math.max(1, capacity - 1)) << 1);
        mask = buckets - 1;
        heads = new int[buckets];
        Arrays.fill(heads, END);
        links = new int[capacity];
    }

    /** The first id chained under {@code hash}, or END. */
    int first(int hash) {
        return heads[hash & mask];
    }

    /** The id after {@code id} in its chain, or END. */
    int next(int id) {
        return links[id];
    }

    void add(int hash, int id) {
        int bucket = hash & mask;
        links[id] = heads[bucket];
        heads[bucket] = id;
    }

    /** Unlinks {@code id}, which must be chained under {@code hash}. */
    void remove(int hash, int id) {
        int bucket = hash & mask;
        int at = heads[bucket];
        if (at == id) {
            heads[bucket] = links[id];
            return;
        }
        while (links[at] != id) {
            at = links[at];
        }
        links[at] = links[id];
    }

    static int hash(int protocol, int address1, int port1, int address2, int port2) {
        int h = address1 * 0x9E3779B1;
        h ^= Integer.rotateLeft(address2 * 0x85EBCA77, 13);
        h ^= ((port1 << 16) | (port2 & 0xFFFF)) * 0xC2B2AE3D;
        h ^= protocol;
        h ^= h >>> 16;
        h *= 0x7FEB352D;
        h ^= h >>> 15;
        return h;
    }
}
