package org.jvs.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.jvs.packet.CapturedFrames;
import org.junit.jupiter.api.Test;

/**
 * VRRPv3 over IPv6 (RFC 5798 5.1, 5.2.8) against Debian's keepalived 2.2.7: its adverts, captured in network
 * namespaces (src/test/resources/vrrp/keepalived-ipv6-capture.txt), are what {@link VrrpAdvert#write6} writes, byte
 * for byte; the checksum is also worked out here from scratch over the IPv6 pseudo-header, by the test's own
 * one's-complement sum of bytes ({@link VrrpAdvertTest#internetChecksum}), without the production code.
 */
class VrrpAdvertIpv6Test {
    private static final List<byte[]> CAPTURE = CapturedFrames.load("/vrrp/keepalived-ipv6-capture.txt");
    /** Ethernet 14 + IPv6 40: where the advert starts in a captured frame. */
    private static final int VRRP = 54;
    private static final int LENGTH = 24;
    /** fe80::ff:fe00:a, keepalived's link-local source. */
    private static final long SOURCE_HI = 0xFE80_0000_0000_0000L;
    private static final long SOURCE_LO = 0x0000_00FF_FE00_000AL;
    /** ff02::12, the VRRP group. */
    private static final long GROUP_HI = 0xFF02_0000_0000_0000L;
    private static final long GROUP_LO = 0x12L;
    /** 2001:db8::1, the VIP. */
    private static final long[] VIP = {0x2001_0DB8_0000_0000L, 1L};

    private final MemorySegment segment = Arena.ofAuto().allocate(64);

    private static byte[] advert(int frame) {
        return Arrays.copyOfRange(CAPTURE.get(frame), VRRP, VRRP + LENGTH);
    }

    @Test
    void shouldWriteKeepalivedsIpv6AdvertByteForByte() {
        int length = VrrpAdvert.write6(segment, 4, 51, 100, 100, VIP, SOURCE_HI, SOURCE_LO, GROUP_HI, GROUP_LO);

        assertEquals(LENGTH, length);
        assertEquals(HexFormat.of().formatHex(advert(0)), VrrpAdvertTest.hex(segment, 4, length));
    }

    @Test
    void shouldWriteKeepalivedsPriorityZeroAdvertByteForByte() {
        int length = VrrpAdvert.write6(segment, 0, 51, 0, 100, VIP, SOURCE_HI, SOURCE_LO, GROUP_HI, GROUP_LO);

        assertEquals(HexFormat.of().formatHex(advert(1)), VrrpAdvertTest.hex(segment, 0, length));
    }

    @Test
    void shouldAgreeWithAChecksumWorkedOutFromScratchOverTheIpv6PseudoHeader() {
        // RFC 8200 8.1: source, destination, 32-bit upper-layer length, three zero bytes, next header 112.
        String pseudoHeader = "fe80000000000000000000fffe00000a" + "ff020000000000000000000000000012"
                + "00000018" + "000000" + "70";
        String message = "3133" + "6401" + "0064" + "0000" + "20010db8000000000000000000000001";
        byte[] summed = HexFormat.of().parseHex(pseudoHeader + message);
        int expected = VrrpAdvertTest.internetChecksum(summed, 0);

        VrrpAdvert.write6(segment, 0, 51, 100, 100, VIP, SOURCE_HI, SOURCE_LO, GROUP_HI, GROUP_LO);

        assertEquals(0x3f85, expected, "the capture's checksum");
        assertEquals(expected, new VrrpAdvert().wrap(segment, 0).checksum());
    }

    @Test
    void shouldReadAndAcceptKeepalivedsAdvert() {
        MemorySegment captured = Arena.ofAuto().allocate(LENGTH);
        MemorySegment.copy(advert(0), 0, captured, ValueLayout.JAVA_BYTE, 0, LENGTH);
        VrrpAdvert advert = new VrrpAdvert().wrap(captured, 0);

        assertEquals(VrrpAdvert.OK, advert.validate6(LENGTH, SOURCE_HI, SOURCE_LO, GROUP_HI, GROUP_LO));
        assertEquals(3, advert.version());
        assertEquals(51, advert.virtualRouterId());
        assertEquals(100, advert.priority());
        assertEquals(1, advert.addressCount());
        assertEquals(100, advert.advertIntervalCentis());
        assertEquals(VIP[0], advert.addressHi(0));
        assertEquals(VIP[1], advert.addressLo(0));
    }

    @Test
    void shouldRefuseWhatKeepalivedRefuses() {
        VrrpAdvert advert = new VrrpAdvert().wrap(segment, 0);
        VrrpAdvert.write6(segment, 0, 51, 100, 100, VIP, SOURCE_HI, SOURCE_LO, GROUP_HI, GROUP_LO);

        // the pseudo-header counts: another destination (or source) fails the checksum
        assertEquals(VrrpAdvert.BAD_CHECKSUM, advert.validate6(LENGTH, SOURCE_HI, SOURCE_LO, GROUP_HI, 0x13));
        assertEquals(VrrpAdvert.BAD_CHECKSUM, advert.validate6(LENGTH, SOURCE_HI, SOURCE_LO + 1, GROUP_HI, GROUP_LO));
        // the length is 8 + 16 per address, not IPv4's 4
        assertEquals(VrrpAdvert.BAD_LENGTH, advert.validate6(12, SOURCE_HI, SOURCE_LO, GROUP_HI, GROUP_LO));
        assertEquals(VrrpAdvert.TOO_SHORT, advert.validate6(7, SOURCE_HI, SOURCE_LO, GROUP_HI, GROUP_LO));
        // VRRPv2 is IPv4 only
        segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x21);
        assertEquals(VrrpAdvert.BAD_VERSION, advert.validate6(LENGTH, SOURCE_HI, SOURCE_LO, GROUP_HI, GROUP_LO));
    }

    @Test
    void shouldRefuseFieldsThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> VrrpAdvert.write6(segment, 0, 51, 100, 100,
                new long[] {1L}, SOURCE_HI, SOURCE_LO, GROUP_HI, GROUP_LO));
        assertThrows(IllegalArgumentException.class, () -> VrrpAdvert.write6(segment, 0, 256, 100, 100,
                VIP, SOURCE_HI, SOURCE_LO, GROUP_HI, GROUP_LO));
        assertThrows(IllegalArgumentException.class, () -> VrrpAdvert.write6(segment, 0, 51, 100, 4096,
                VIP, SOURCE_HI, SOURCE_LO, GROUP_HI, GROUP_LO));
        assertEquals(8 + 16 * 3, VrrpAdvert.length6(3));
    }
}
