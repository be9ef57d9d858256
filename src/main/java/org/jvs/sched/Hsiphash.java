package org.jvs.sched;

/**
 * The kernel's hsiphash() of one 32-bit word as 64-bit kernels compute it: SipHash-1-3 (one compression round,
 * three finalization rounds) truncated to 32 bits. mh hashes with it, so the same keys give the kernel's table.
 */
final class Hsiphash {
    private Hsiphash() {
    }

    /** hsiphash(&amp;value, 4, {key0, key1}) on a little-endian 64-bit kernel. */
    static int hash(int value, long key0, long key1) {
        long v0 = 0x736f6d6570736575L ^ key0;
        long v1 = 0x646f72616e646f6dL ^ key1;
        long v2 = 0x6c7967656e657261L ^ key0;
        long v3 = 0x7465646279746573L ^ key1;
        // the length (4 bytes) in the top byte, the word in the low bytes, as one final message block
        long block = (4L << 56) | (value & 0xFFFFFFFFL);
        v3 ^= block;
        for (int round = 0; round < 4; round++) {
            if (round == 1) {
                v0 ^= block;
                v2 ^= 0xff;
            }
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13);
            v1 ^= v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17);
            v1 ^= v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        return (int) (v0 ^ v1 ^ v2 ^ v3);
    }
}
