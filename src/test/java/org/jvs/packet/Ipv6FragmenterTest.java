package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class Ipv6FragmenterTest {
    private static final int IP = Ipv6FrameBuilder.IP;
    private static final int IDENTIFICATION = 0x5EED_0001;

    private final Ipv6Fragmenter fragmenter = new Ipv6Fragmenter();
    private final List<byte[]> fragments = new ArrayList<>();
    private final Ipv4Fragmenter.Output collect = (frame, offset, length) -> {
        fragments.add(frame.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        return true;
    };

    private int fragment(byte[] whole, int mtu) {
        fragments.clear();
        return fragmenter.fragment(FrameBuilder.copyToNative(whole), 0, whole.length, mtu, IDENTIFICATION, collect);
    }

    /**
     * RFC 8200 section 4.5's reassembly, independent of the fragmenter: the first fragment's per-fragment headers
     * with the fragment header's next header put back, then every fragment's data at its offset.
     */
    private byte[] reassemble(int perFragment, int nextHeaderIndex) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] first = fragments.getFirst();
        int headers = IP + perFragment;
        int nextHeader = first[headers] & 0xFF;
        for (byte[] fragment : fragments) {
            assertEquals(data.size(), Reference.u16(fragment, headers + 2) & 0xFFF8, "offset");
            assertEquals(IDENTIFICATION, Reference.u32(fragment, headers + 4));
            assertEquals(44, fragment[nextHeaderIndex] & 0xFF, "a fragment header follows the per-fragment part");
            data.writeBytes(Arrays.copyOfRange(fragment, headers + 8, fragment.length));
        }
        byte[] whole = new byte[headers + data.size()];
        System.arraycopy(first, 0, whole, 0, headers);
        System.arraycopy(data.toByteArray(), 0, whole, headers, data.size());
        whole[nextHeaderIndex] = (byte) nextHeader;
        Reference.u16(whole, IP + 4, whole.length - IP - 40);
        return whole;
    }

    @Test
    void shouldSplitA3000ByteDatagramAtTheMinimumMtu() {
        byte[] whole = new Ipv6FrameBuilder().udp().payloadLength(3000).bytes();

        assertEquals(3, fragment(whole, Ipv6Header.MIN_MTU));

        // 1280 - 40 - 8 = 1232 bytes of data per fragment, a multiple of 8; 8 + 3000 = 3008 in all
        int[] data = {1232, 1232, 544};
        for (int i = 0; i < 3; i++) {
            byte[] fragment = fragments.get(i);
            assertEquals(IP + 40 + 8 + data[i], fragment.length, "fragment " + i);
            assertEquals(8 + data[i], Reference.u16(fragment, IP + 4), "payload length of fragment " + i);
            assertEquals(44, fragment[IP + 6], "next header of fragment " + i);
            String fragmentHeader = HexFormat.of().formatHex(fragment, IP + 40, IP + 48);
            assertEquals(String.format("1100%04x5eed0001", i * 1232 | (i < 2 ? 1 : 0)), fragmentHeader);
        }
        assertArrayEquals(whole, reassemble(40, IP + 6));
        Ipv6FragmentHeader second = new Ipv6FragmentHeader().wrap(MemorySegment.ofArray(fragments.get(1)), IP + 40);
        assertEquals(17, second.nextHeader());
        assertEquals(1232, second.fragmentOffset());
        assertTrue(second.moreFragments());
        assertEquals(IDENTIFICATION, second.identification());
    }

    @Test
    void shouldRepeatHopByHopAndRoutingButNotTheDestinationOptionsAfterThem() {
        byte[] whole = new Ipv6FrameBuilder().tcp().extension(0, 0).extension(60, 0).extension(43, 1)
                .extension(60, 2).payloadLength(2000).bytes();

        assertEquals(2, fragment(whole, 1500));

        int perFragment = 40 + 8 + 8 + 16;
        byte[] first = fragments.getFirst();
        // 1500 - 72 - 8 = 1420 rounds down to 1416 bytes of data
        assertEquals(IP + 72 + 8 + 1416, first.length);
        assertEquals(60, first[IP + perFragment] & 0xFF, "the fragment header names the later destination options");
        assertArrayEquals(whole, reassemble(perFragment, IP + 40 + 8 + 8));
    }

    @Test
    void shouldRefuseWhatItMustNotFragment() {
        byte[] fragmentAlready = new Ipv6FrameBuilder().udp().fragment(0, true, 1).payloadLength(2000 - 8).bytes();
        assertEquals(-1, fragment(fragmentAlready, 1280));
        byte[] ipsec = new Ipv6FrameBuilder().protocol(50).payloadLength(2000).bytes();
        assertEquals(-1, fragment(ipsec, 1280));
        byte[] whole = new Ipv6FrameBuilder().udp().payloadLength(2000).bytes();
        assertEquals(-1, fragment(whole, 40 + 8 + 7), "no room for 8 bytes of data");
        byte[] longChain = new Ipv6FrameBuilder().udp().extension(60, 200).payloadLength(100).bytes();
        assertEquals(-1, fragment(longChain, 1280), "RFC 7112: the whole chain must be in the first fragment");
        assertTrue(fragments.isEmpty());
    }

    @Test
    void shouldStopWhenTheOutputRefusesAFragment() {
        byte[] whole = new Ipv6FrameBuilder().udp().payloadLength(3000).bytes();
        int[] calls = {0};
        int result = fragmenter.fragment(FrameBuilder.copyToNative(whole), 0, whole.length, 1280, 1,
                (frame, offset, length) -> ++calls[0] < 2);
        assertEquals(-1, result);
        assertEquals(2, calls[0]);
    }

    @Property(tries = 200)
    void shouldReassembleToTheOriginalWhateverTheSizes(
            @ForAll @IntRange(min = 1, max = 9000) int payload, @ForAll @IntRange(min = 1280, max = 9000) int mtu,
            @ForAll boolean hopByHop, @ForAll boolean routing, @ForAll @IntRange(max = 3) int destinationUnits) {
        Ipv6FrameBuilder builder = new Ipv6FrameBuilder().udp().payloadLength(payload);
        int perFragment = 40;
        int nextHeaderIndex = IP + 6;
        if (hopByHop) {
            builder.extension(0, 1);
            nextHeaderIndex = IP + perFragment;
            perFragment += 16;
        }
        if (routing) {
            builder.extension(43, 0);
            nextHeaderIndex = IP + perFragment;
            perFragment += 8;
        }
        builder.extension(60, destinationUnits);
        byte[] whole = builder.bytes();
        int packet = whole.length - IP;
        // a payload length field holds 16 bits
        if (packet - 40 > 0xFFFF) {
            return;
        }

        int sent = fragment(whole, mtu);

        int data = ((mtu - perFragment - 8) & ~7);
        assertEquals((packet - perFragment + data - 1) / data, sent);
        for (int i = 0; i < fragments.size(); i++) {
            byte[] fragment = fragments.get(i);
            assertTrue(fragment.length - IP <= mtu, "fragment " + i + " within the MTU");
            Ipv6ExtensionHeaders walk = new Ipv6ExtensionHeaders();
            int result = walk.walk(MemorySegment.ofArray(fragment), IP, fragment.length - IP);
            assertEquals(i == 0 ? Ipv6ExtensionHeaders.UPPER_LAYER : Ipv6ExtensionHeaders.LATER_FRAGMENT, result);
            assertEquals(i < fragments.size() - 1, walk.moreFragments());
        }
        assertArrayEquals(whole, reassemble(perFragment, nextHeaderIndex));
    }
}
