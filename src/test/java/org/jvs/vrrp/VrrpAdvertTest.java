package org.jvs.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * Golden adverts in keepalived's format (vrrp_build_vrrp_v2 / _v3): the expected bytes are spelled out field by
 * field here, and their checksums computed by {@link #internetChecksum}, a byte-array reference independent of
 * the production code, or by hand.
 */
class VrrpAdvertTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int MULTICAST_GROUP = ip(224, 0, 0, 18);
    private static final int SOURCE = ip(192, 0, 2, 10);
    private static final int VIP_1 = ip(192, 0, 2, 1);
    private static final int VIP_2 = ip(192, 0, 2, 2);
    private static final int VIP_3 = ip(192, 0, 2, 3);

    @Test
    void shouldMatchAHandWrittenVrrpV2AdvertWithoutAuthentication() {
        // VRID 51, priority 100, one VIP 192.0.2.1, advert_int 1 s, no authentication. Checksum by hand:
        // 2133 + 6401 + 0001 + c000 + 0201 = 0x14736 -> 0x4737 folded -> ~ = b8c8.
        String expected = "21" + "33" + "64" + "01" + "00" + "01" + "b8c8" + "c0000201" + "0000000000000000";
        MemorySegment segment = Arena.ofAuto().allocate(64);

        int length = VrrpAdvert.write(segment, 4, 2, 51, 100, 100, new int[] {VIP_1}, VrrpAdvert.AUTH_NONE, null,
                SOURCE, MULTICAST_GROUP);

        assertEquals(20, length);
        assertEquals(expected, hex(segment, 4, length));
        VrrpAdvert advert = new VrrpAdvert().wrap(segment, 4);
        assertEquals(VrrpAdvert.OK, advert.validate(length, SOURCE, MULTICAST_GROUP));
        assertEquals(0xb8c8, advert.checksum());
        assertEquals(2, advert.version());
        assertEquals(VrrpAdvert.TYPE_ADVERTISEMENT, advert.type());
        assertEquals(51, advert.virtualRouterId());
        assertEquals(100, advert.priority());
        assertEquals(1, advert.addressCount());
        assertEquals(VrrpAdvert.AUTH_NONE, advert.authType());
        assertEquals(100, advert.advertIntervalCentis());
        assertEquals(VIP_1, advert.address(0));
        assertEquals(0L, advert.authPassword());
    }

    @Test
    void shouldMatchAHandWrittenVrrpV3AdvertWithThreeAddresses() {
        // VRID 51, priority 150, 192.0.2.1-3, advert_int 1 s = 100 cs = 0x064, from 192.0.2.10 to 224.0.0.18.
        // Checksum by hand: message 3133 + 9603 + 0064 + (c000 + 0201) + (c000 + 0202) + (c000 + 0203)
        // + pseudo-header c000 + 020a + e000 + 0012 + 0070 (protocol 112) + 0014 (length 20) = 0x4b040
        // -> b044 folded -> ~ = 4fbb.
        String expected = "31" + "33" + "96" + "03" + "0064" + "4fbb" + "c0000201" + "c0000202" + "c0000203";
        MemorySegment segment = Arena.ofAuto().allocate(64);

        int length = VrrpAdvert.write(segment, 0, 3, 51, 150, 100, new int[] {VIP_1, VIP_2, VIP_3},
                VrrpAdvert.AUTH_NONE, null, SOURCE, MULTICAST_GROUP);

        assertEquals(20, length);
        assertEquals(expected, hex(segment, 0, length));
        VrrpAdvert advert = new VrrpAdvert().wrap(segment, 0);
        assertEquals(VrrpAdvert.OK, advert.validate(length, SOURCE, MULTICAST_GROUP));
        assertEquals(3, advert.version());
        assertEquals(150, advert.priority());
        assertEquals(3, advert.addressCount());
        assertEquals(100, advert.advertIntervalCentis());
        assertEquals(VIP_3, advert.address(2));
    }

    @Test
    void shouldWriteAVrrpV2AdvertWithAPasswordPaddedWithZeros() {
        byte[] password = "secret".getBytes(StandardCharsets.US_ASCII);
        String withoutChecksum = "2133" + "9601" + "0101" + "0000" + "c0000201" + "7365637265740000";
        String expected = withChecksum(withoutChecksum, 6, 0);
        MemorySegment segment = Arena.ofAuto().allocate(20);

        int length = VrrpAdvert.write(segment, 0, 2, 51, 150, 100, new int[] {VIP_1}, VrrpAdvert.AUTH_PASS, password,
                SOURCE, MULTICAST_GROUP);

        assertEquals(expected, hex(segment, 0, length));
        VrrpAdvert advert = new VrrpAdvert().wrap(segment, 0);
        assertEquals(VrrpAdvert.OK, advert.validate(length, SOURCE, MULTICAST_GROUP));
        assertEquals(VrrpAdvert.AUTH_PASS, advert.authType());
        assertEquals(0x7365637265740000L, advert.authPassword());
        assertEquals(VrrpAdvert.passwordBits(password), advert.authPassword());
    }

    @Test
    void shouldTruncateAPasswordToEightBytesAsKeepalived() {
        assertEquals(0x3132333435363738L, VrrpAdvert.passwordBits("123456789".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0L, VrrpAdvert.passwordBits(null));
    }

    @Test
    void shouldCoverThreeAddressesAndTheAuthenticationDataInTheVrrpV2Checksum() {
        String withoutChecksum = "2133" + "6403" + "0001" + "0000" + "c0000201" + "c0000202" + "c0000203"
                + "0000000000000000";
        MemorySegment segment = Arena.ofAuto().allocate(28);

        int length = VrrpAdvert.write(segment, 0, 2, 51, 100, 100, new int[] {VIP_1, VIP_2, VIP_3},
                VrrpAdvert.AUTH_NONE, null, SOURCE, MULTICAST_GROUP);

        assertEquals(28, length);
        assertEquals(withChecksum(withoutChecksum, 6, 0), hex(segment, 0, length));
    }

    @Test
    void shouldCoverThePseudoHeaderInTheVrrpV3Checksum() {
        // VRID 51, priority 100, one VIP, 1 s; the same advert to a unicast peer has another checksum.
        String withoutChecksum = "3133" + "6401" + "0064" + "0000" + "c0000201";
        int peer = ip(192, 0, 2, 11);
        MemorySegment segment = Arena.ofAuto().allocate(12);

        for (int destination : new int[] {MULTICAST_GROUP, peer}) {
            VrrpAdvert.write(segment, 0, 3, 51, 100, 100, new int[] {VIP_1}, VrrpAdvert.AUTH_NONE, null, SOURCE,
                    destination);
            assertEquals(withChecksum(withoutChecksum, 6, pseudoHeaderSum(SOURCE, destination, 12)),
                    hex(segment, 0, 12));
        }
        VrrpAdvert advert = new VrrpAdvert().wrap(segment, 0);
        assertEquals(VrrpAdvert.OK, advert.validate(12, SOURCE, peer));
        assertEquals(VrrpAdvert.BAD_CHECKSUM, advert.validate(12, SOURCE, MULTICAST_GROUP));
    }

    @Test
    void shouldReadTheV3IntervalFromTwelveBitsIgnoringTheReservedOnes() {
        MemorySegment segment = segment("3133" + "6401" + "f0fa" + "0000" + "c0000201");
        assertEquals(0x0fa, new VrrpAdvert().wrap(segment, 0).advertIntervalCentis());
    }

    @Test
    void shouldGiveEachRejectionItsOwnReasonInKeepalivedsOrder() {
        String v2 = "2133" + "6401" + "0001" + "0000" + "c0000201" + "0000000000000000";
        assertEquals(VrrpAdvert.OK, validate(withChecksum(v2, 6, 0), 20));
        assertEquals(VrrpAdvert.TOO_SHORT, validate("213364", 3));
        assertEquals(VrrpAdvert.TOO_SHORT, validate(withChecksum(v2, 6, 0), 21));
        assertEquals(VrrpAdvert.TOO_SHORT, validate(withChecksum(v2, 6, 0), -1));
        // The address count says 2: 28 bytes expected.
        assertEquals(VrrpAdvert.BAD_LENGTH, validate(withChecksum(v2.replace("6401", "6402"), 6, 0), 20));
        // A v3 advert of v2's length (no authentication data expected).
        assertEquals(VrrpAdvert.BAD_LENGTH, validate(withChecksum(v2.replace("2133", "3133"), 6, 0), 20));
        // Version 4, sized like v3 (no authentication data).
        assertEquals(VrrpAdvert.BAD_VERSION, validate(withChecksum(v2.replace("2133", "4133"), 6, 0), 12));
        assertEquals(VrrpAdvert.BAD_AUTH_TYPE, validate(withChecksum(v2.replace("0001", "0201"), 6, 0), 20));
        assertEquals(VrrpAdvert.BAD_TYPE, validate(withChecksum(v2.replace("2133", "2233"), 6, 0), 20));
        assertEquals(VrrpAdvert.BAD_CHECKSUM, validate(withChecksum(v2, 6, 1), 20));
        assertEquals("bad_checksum", VrrpAdvert.validationName(VrrpAdvert.BAD_CHECKSUM));
        assertEquals("ok", VrrpAdvert.validationName(VrrpAdvert.OK));
    }

    @Test
    void shouldGiveTheLengthOfEachVersion() {
        assertEquals(20, VrrpAdvert.length(2, 1));
        assertEquals(16, VrrpAdvert.length(2, 0));
        assertEquals(12, VrrpAdvert.length(3, 1));
        assertEquals(20, VrrpAdvert.length(3, 3));
    }

    private static int validate(String hex, int length) {
        return new VrrpAdvert().wrap(segment(hex), 0).validate(length, SOURCE, MULTICAST_GROUP);
    }

    static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    static MemorySegment segment(String hex) {
        byte[] bytes = HEX.parseHex(hex);
        MemorySegment segment = Arena.ofAuto().allocate(Math.max(1, bytes.length));
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment, 0, bytes.length);
        return segment;
    }

    static String hex(MemorySegment segment, long offset, int length) {
        return HEX.formatHex(segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
    }

    /** The message with its checksum field (zero in {@code hex}) filled in, {@code extraSum} added (pseudo-header). */
    static String withChecksum(String hex, int checksumOffset, int extraSum) {
        byte[] bytes = HEX.parseHex(hex);
        int checksum = internetChecksum(bytes, extraSum);
        bytes[checksumOffset] = (byte) (checksum >>> 8);
        bytes[checksumOffset + 1] = (byte) checksum;
        return HEX.formatHex(bytes);
    }

    /** RFC 1071 the slow way: 16-bit words added one by one, carries folded back in as they occur. */
    static int internetChecksum(byte[] bytes, int initialSum) {
        int sum = initialSum;
        for (int i = 0; i < bytes.length; i += 2) {
            int word = (bytes[i] & 0xFF) << 8 | (i + 1 < bytes.length ? bytes[i + 1] & 0xFF : 0);
            sum += word;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    /** RFC 5798 5.2.8 for IPv4: source, destination, zero, protocol 112, VRRP length, folded. */
    static int pseudoHeaderSum(int source, int destination, int length) {
        int sum = 0;
        for (int word : new int[] {source >>> 16, source & 0xFFFF, destination >>> 16, destination & 0xFFFF, 112, length}) {
            sum += word;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum;
    }
}
