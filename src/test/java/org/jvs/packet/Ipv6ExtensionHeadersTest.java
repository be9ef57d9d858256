package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv6ExtensionHeadersTest {
    private static final int IP = Ipv6FrameBuilder.IP;

    private final Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();

    private int walk(byte[] frame) {
        return walk(frame, frame.length - IP);
    }

    private int walk(byte[] frame, int packetLength) {
        return headers.walk(FrameBuilder.copyToNative(frame), IP, packetLength);
    }

    @Test
    void shouldFindTcpRightAfterTheFixedHeader() {
        assertEquals(Ipv6ExtensionHeaders.UPPER_LAYER, walk(new Ipv6FrameBuilder().tcp().bytes()));
        assertEquals(6, headers.protocol());
        assertEquals(IP + 40, headers.upperLayerOffset());
        assertFalse(headers.hasFragmentHeader());
        assertFalse(headers.isFragment());
        assertEquals(-1, headers.fragmentHeaderOffset());
        assertEquals(IP + 40, headers.fragmentableOffset());
        assertEquals(IP + 6, headers.fragmentableNextHeaderOffset());
    }

    @Test
    void shouldWalkEveryKindOfHeaderInRfc8200Order() {
        byte[] frame = new Ipv6FrameBuilder().udp().extension(0, 0).extension(60, 1).extension(43, 2)
                .fragment(0, true, 0xCAFEF00D).extension(60, 0).payloadLength(16).bytes();
        assertEquals(Ipv6ExtensionHeaders.UPPER_LAYER, walk(frame));
        assertEquals(17, headers.protocol());
        assertEquals(IP + 40 + 8 + 16 + 24 + 8 + 8, headers.upperLayerOffset());
        assertTrue(headers.hasFragmentHeader());
        assertTrue(headers.isFragment());
        assertTrue(headers.moreFragments());
        assertEquals(0, headers.fragmentOffset());
        assertEquals(0xCAFEF00D, headers.fragmentIdentification());
        assertEquals(IP + 40 + 8 + 16 + 24, headers.fragmentHeaderOffset());
        // per-fragment part: through the routing header, whose first byte names the fragment header
        assertEquals(IP + 40 + 8 + 16 + 24, headers.fragmentableOffset());
        assertEquals(IP + 40 + 8 + 16, headers.fragmentableNextHeaderOffset());
    }

    @Test
    void shouldEndThePerFragmentPartAfterHopByHopWhenThereIsNoRoutingHeader() {
        byte[] frame = new Ipv6FrameBuilder().tcp().extension(0, 1).extension(60, 0).bytes();
        assertEquals(Ipv6ExtensionHeaders.UPPER_LAYER, walk(frame));
        assertEquals(IP + 40 + 16, headers.fragmentableOffset());
        assertEquals(IP + 40, headers.fragmentableNextHeaderOffset());
        assertEquals(IP + 40 + 16 + 8, headers.upperLayerOffset());
    }

    @Test
    void shouldReportALaterFragmentWithWhereItsDataStarts() {
        byte[] frame = new Ipv6FrameBuilder().udp().fragment(1232, false, 7).payloadLength(100).bytes();
        assertEquals(Ipv6ExtensionHeaders.LATER_FRAGMENT, walk(frame));
        assertEquals(17, headers.protocol());
        assertEquals(IP + 48, headers.upperLayerOffset());
        assertEquals(1232, headers.fragmentOffset());
        assertFalse(headers.moreFragments());
        assertTrue(headers.isFragment());
        assertEquals(7, headers.fragmentIdentification());
    }

    @Test
    void shouldTellAnAtomicFragmentFromARealOne() {
        byte[] frame = new Ipv6FrameBuilder().tcp().fragment(0, false, 99).bytes();
        assertEquals(Ipv6ExtensionHeaders.UPPER_LAYER, walk(frame));
        assertTrue(headers.hasFragmentHeader());
        assertFalse(headers.isFragment());
        assertEquals(6, headers.protocol());
    }

    @Test
    void shouldForgetTheLastPacketsFragmentHeader() {
        walk(new Ipv6FrameBuilder().tcp().fragment(8, true, 99).payloadLength(8).bytes());
        assertEquals(Ipv6ExtensionHeaders.UPPER_LAYER, walk(new Ipv6FrameBuilder().tcp().bytes()));
        assertFalse(headers.hasFragmentHeader());
        assertEquals(0, headers.fragmentIdentification());
        assertEquals(0, headers.fragmentOffset());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "no next header after hop-by-hop,  0:59,          2",
        "no next header right away,        59,            2",
        "ESP,                              60:50,         3",
        "AH after routing,                 43:51,         3",
        "hop-by-hop second,                60:0,          5",
        "nine headers,                     60:60:60:60:60:60:60:60:60, 5",
        "eight headers,                    0:60:60:60:60:60:60:60, 0"})
    void shouldRefuseChainsWithoutAnUpperLayerToLookAt(String name, String chain, int expected) {
        Ipv6FrameBuilder builder = new Ipv6FrameBuilder().tcp();
        String[] types = chain.split(":");
        for (int i = 0; i < types.length; i++) {
            int type = Integer.parseInt(types[i]);
            if (type == 59 || type == 50 || type == 51) {
                builder.protocol(type);
            } else {
                builder.extension(type, 0);
            }
        }
        int result = walk(builder.bytes());
        assertEquals(expected, result, Ipv6ExtensionHeaders.resultName(result));
    }

    @Test
    void shouldCallAChainRunningPastThePacketTruncated() {
        byte[] frame = new Ipv6FrameBuilder().tcp().extension(0, 0).extension(60, 2).bytes();
        int chainEnd = 40 + 8 + 24;
        assertEquals(Ipv6ExtensionHeaders.UPPER_LAYER, walk(frame, chainEnd));
        for (int packetLength : new int[] {40, 41, 47, 48, 49, 71}) {
            assertEquals(Ipv6ExtensionHeaders.TRUNCATED, walk(frame, packetLength), "length " + packetLength);
        }
    }

    @Test
    void shouldCallAShortFragmentThatIsNotTheLastMalformed() {
        // RFC 8200 section 4.5: M set and 13 bytes of data
        byte[] frame = new Ipv6FrameBuilder().protocol(17).fragment(0, true, 1).payloadLength(13).bytes();
        assertEquals(Ipv6ExtensionHeaders.MALFORMED, walk(frame));
        byte[] last = new Ipv6FrameBuilder().protocol(17).fragment(16, false, 1).payloadLength(13).bytes();
        assertEquals(Ipv6ExtensionHeaders.LATER_FRAGMENT, walk(last));
    }

    @Test
    void shouldWalkTheGoldenRfcChain() {
        // by hand from RFC 8200: hop-by-hop (PadN), destination options (Pad1 x6), fragment 2 of n, then TCP data
        String packet = "6000000000280040" + "20010db8000000000000000000000001" + "20010db8000000000000000000000002"
                + "3c00010400000000" + "2c00000000000000" + "06000009deadbeef" + "0102030405060708"
                + "0000000000000000";
        byte[] frame = HexFormat.of().parseHex("0000000000000000000000000000" + packet);
        MemorySegment segment = FrameBuilder.copyToNative(frame);
        assertEquals(Ipv6ExtensionHeaders.LATER_FRAGMENT, headers.walk(segment, IP, 80));
        assertEquals(6, headers.protocol());
        assertEquals(8, headers.fragmentOffset());
        assertTrue(headers.moreFragments());
        assertEquals(0xDEADBEEF, headers.fragmentIdentification());
        assertEquals(IP + 64, headers.upperLayerOffset());
        assertEquals(IP + 48, headers.fragmentableOffset());
    }

    @Test
    void shouldNameEveryResult() {
        String[] names = {"upper_layer", "later_fragment", "no_upper_layer", "ipsec", "truncated", "malformed"};
        for (int i = 0; i < names.length; i++) {
            assertEquals(names[i], Ipv6ExtensionHeaders.resultName(i));
        }
    }
}
