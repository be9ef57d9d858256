package org.jvs.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.jvs.packet.FrameBuilder;

/** ip_defrag's rules in the director: whole datagrams from fragments in any order, bounded, and every drop counted. */
class ReassemblyTest {
    private static final long NOW_NS = 5_000_000_000L;

    private final Counters counters = new Counters();
    private final Reassembly reassembly = new Reassembly(counters);

    private static byte[] datagram(int identification, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        new Random(identification).nextBytes(payload);
        return new FrameBuilder().source(0xC6336402).destination(0xCB00710A).ports(40000, 53).udp()
                .dontFragment(false).identification(identification).payload(payload).bytes();
    }

    private boolean add(byte[] fragment, long nowNs) {
        return reassembly.add(FrameBuilder.copyToNative(fragment), 0, fragment.length, nowNs);
    }

    private byte[] completed() {
        return reassembly.datagram().asSlice(reassembly.datagramOffset(), reassembly.datagramLength())
                .toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void shouldMakeTheDatagramWholeFromItsFragmentsInOrder() {
        byte[] whole = datagram(7, 3992);
        List<byte[]> fragments = Frames.fragments(whole, 1500);

        assertFalse(add(fragments.get(0), NOW_NS));
        assertFalse(add(fragments.get(1), NOW_NS));
        assertTrue(add(fragments.get(2), NOW_NS));

        assertArrayEquals(whole, completed());
        assertEquals(3, counters.get(Counter.FRAGMENTS_IN));
        assertEquals(1, counters.get(Counter.DATAGRAMS_REASSEMBLED));
    }

    @Test
    void shouldMakeTheDatagramWholeWhenTheFirstFragmentComesLast() {
        byte[] whole = datagram(8, 3992);
        List<byte[]> fragments = Frames.fragments(whole, 1500);

        assertFalse(add(fragments.get(2), NOW_NS));
        assertFalse(add(fragments.get(1), NOW_NS));
        assertTrue(add(fragments.get(0), NOW_NS));

        assertArrayEquals(whole, completed());
    }

    @Test
    void shouldKeepTwoInterleavedDatagramsApartByIdentification() {
        byte[] first = datagram(1, 2000);
        byte[] second = datagram(2, 2000);
        List<byte[]> a = Frames.fragments(first, 1500);
        List<byte[]> b = Frames.fragments(second, 1500);

        assertFalse(add(a.get(0), NOW_NS));
        assertFalse(add(b.get(1), NOW_NS));
        assertTrue(add(a.get(1), NOW_NS));
        assertArrayEquals(first, completed());
        assertTrue(add(b.get(0), NOW_NS));
        assertArrayEquals(second, completed());
    }

    @Test
    void shouldIgnoreADuplicatedFragment() {
        byte[] whole = datagram(9, 2000);
        List<byte[]> fragments = Frames.fragments(whole, 1500);

        assertFalse(add(fragments.get(0), NOW_NS));
        assertFalse(add(fragments.get(0), NOW_NS));
        assertTrue(add(fragments.get(1), NOW_NS));

        assertArrayEquals(whole, completed());
    }

    @Test
    void shouldDropTheWholeDatagramOnAnOverlappingFragment() {
        byte[] whole = datagram(10, 3992);
        List<byte[]> fragments = Frames.fragments(whole, 1500);
        List<byte[]> overlapping = Frames.fragments(whole, 1000);

        assertFalse(add(fragments.get(0), NOW_NS));
        assertFalse(add(overlapping.get(1), NOW_NS));

        assertEquals(1, counters.get(Counter.DROP_FRAGMENT_MALFORMED));
        assertFalse(add(fragments.get(1), NOW_NS));
        assertFalse(add(fragments.get(2), NOW_NS), "the rest starts a datagram that lacks its first fragment");
    }

    @Test
    void shouldDropAnIncompleteDatagramAfterThirtySeconds() {
        List<byte[]> fragments = Frames.fragments(datagram(11, 2000), 1500);
        assertFalse(add(fragments.get(0), NOW_NS));

        assertEquals(0, reassembly.expire(NOW_NS + Reassembly.TIMEOUT_NS));
        assertEquals(1, reassembly.expire(NOW_NS + Reassembly.TIMEOUT_NS + 1));

        assertEquals(1, counters.get(Counter.DROP_FRAGMENT_TIMEOUT));
        assertFalse(add(fragments.get(1), NOW_NS + Reassembly.TIMEOUT_NS + 2));
    }

    @Test
    void shouldPushOutTheOldestDatagramWhenEveryBufferIsTaken() {
        for (int identification = 0; identification <= Reassembly.CONTEXTS; identification++) {
            assertFalse(add(Frames.fragments(datagram(100 + identification, 2000), 1500).get(0), NOW_NS + identification));
        }

        assertEquals(1, counters.get(Counter.DROP_FRAGMENT_OVERFLOW));
        byte[] newest = datagram(100 + Reassembly.CONTEXTS, 2000);
        assertTrue(add(Frames.fragments(newest, 1500).get(1), NOW_NS + 100));
        assertArrayEquals(newest, completed());
    }

    @Test
    void shouldDropAFragmentThatWouldTakeTheDatagramBeyond65535Bytes() {
        byte[] last = new FrameBuilder().udp().dontFragment(false).flagsAndFragment(8189).payloadLength(100).bytes();

        assertFalse(add(last, NOW_NS));

        assertEquals(1, counters.get(Counter.DROP_FRAGMENT_MALFORMED));
    }
}
