package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class Ipv6ExtensionHeadersPropertyTest {
    private static final int IP = Ipv6FrameBuilder.IP;

    private final Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();

    @Provide
    Arbitrary<List<Integer>> chains() {
        return Arbitraries.of(43, 60, 44).list().ofMaxSize(11);
    }

    @Provide
    Arbitrary<Integer> upperLayers() {
        return Arbitraries.of(6, 17, 58, 4, 41, 47, 132);
    }

    /** A chain of {@code types} (hop-by-hop first if asked), each options header {@code units} long. */
    private static Ipv6FrameBuilder chain(boolean hopByHop, List<Integer> types, int units, int protocol) {
        Ipv6FrameBuilder builder = new Ipv6FrameBuilder().protocol(protocol).payloadLength(24);
        if (hopByHop) {
            builder.extension(0, units);
        }
        for (int type : types) {
            if (type == 44) {
                builder.fragment(0, false, 1);
            } else {
                builder.extension(type, units);
            }
        }
        return builder;
    }

    @Property(tries = 500)
    void shouldFindTheUpperLayerAfterAnyChainOfAllowedLength(
            @ForAll boolean hopByHop, @ForAll("chains") List<Integer> types, @ForAll @IntRange(max = 4) int units,
            @ForAll("upperLayers") int protocol) {
        byte[] frame = chain(hopByHop, types, units, protocol).bytes();
        int count = types.size() + (hopByHop ? 1 : 0);
        int chainLength = (hopByHop ? 8 * (units + 1) : 0)
                + types.stream().mapToInt(type -> type == 44 ? 8 : 8 * (units + 1)).sum();

        int result = headers.walk(MemorySegment.ofArray(frame), IP, frame.length - IP);

        if (count > Ipv6ExtensionHeaders.MAX_HEADERS) {
            assertEquals(Ipv6ExtensionHeaders.MALFORMED, result);
            return;
        }
        assertEquals(Ipv6ExtensionHeaders.UPPER_LAYER, result, Ipv6ExtensionHeaders.resultName(result));
        assertEquals(protocol, headers.protocol());
        assertEquals(IP + 40 + chainLength, headers.upperLayerOffset());
        assertEquals(types.contains(44), headers.hasFragmentHeader());
    }

    @Property(tries = 500)
    void shouldCallEveryCutThroughTheChainTruncated(
            @ForAll boolean hopByHop, @ForAll("chains") List<Integer> types, @ForAll @IntRange(max = 4) int units,
            @ForAll @IntRange(max = 200) int cut) {
        if (types.size() + (hopByHop ? 1 : 0) > Ipv6ExtensionHeaders.MAX_HEADERS) {
            return;
        }
        byte[] frame = chain(hopByHop, types, units, 6).bytes();
        headers.walk(MemorySegment.ofArray(frame), IP, frame.length - IP);
        int upperLayer = (int) headers.upperLayerOffset() - IP;
        int length = Math.min(40 + cut, frame.length - IP);

        int result = headers.walk(MemorySegment.ofArray(frame), IP, length);

        assertEquals(length >= upperLayer ? Ipv6ExtensionHeaders.UPPER_LAYER : Ipv6ExtensionHeaders.TRUNCATED, result);
    }

    @Property(tries = 2000)
    void shouldGiveAVerdictOnAnyBytes(@ForAll @IntRange(max = 255) int nextHeader,
                                      @ForAll @Size(max = 600) byte[] rest) {
        byte[] frame = new byte[IP + 40 + rest.length];
        frame[IP] = 0x60;
        frame[IP + 6] = (byte) nextHeader;
        System.arraycopy(rest, 0, frame, IP + 40, rest.length);

        int result = headers.walk(MemorySegment.ofArray(frame), IP, frame.length - IP);

        assertTrue(result >= Ipv6ExtensionHeaders.UPPER_LAYER && result <= Ipv6ExtensionHeaders.MALFORMED);
        if (result == Ipv6ExtensionHeaders.UPPER_LAYER || result == Ipv6ExtensionHeaders.LATER_FRAGMENT) {
            assertTrue(headers.upperLayerOffset() >= IP + 40 && headers.upperLayerOffset() <= frame.length);
            assertTrue(headers.fragmentableOffset() <= headers.upperLayerOffset());
        }
    }
}
