package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv4HeaderTest {
    /** 192.168.0.1 -> 192.168.0.199, UDP, DF, TTL 64, id 0, total length 0x73, checksum b861. */
    private static final String HEADER = "45000073000040004011b861c0a80001c0a800c7";

    private static Ipv4Header header(String hex) {
        return new Ipv4Header().wrap(FrameBuilder.copyToNative(HexFormat.of().parseHex(hex)), 0);
    }

    @Test
    void shouldReadEveryFieldOfAKnownHeader() {
        Ipv4Header ip = header(HEADER);
        assertEquals(4, ip.version());
        assertEquals(5, ip.ihl());
        assertEquals(20, ip.headerLength());
        assertEquals(0, ip.tos());
        assertEquals(0x73, ip.totalLength());
        assertEquals(0, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertEquals(0, ip.fragmentOffset());
        assertFalse(ip.isFragment());
        assertEquals(64, ip.ttl());
        assertEquals(17, ip.protocol());
        assertEquals(0xB861, ip.headerChecksum());
        assertEquals(Reference.ip(192, 168, 0, 1), ip.source());
        assertEquals(Reference.ip(192, 168, 0, 199), ip.destination());
        assertEquals(0xB861, ip.computeHeaderChecksum());
    }

    @Test
    void shouldWriteFieldsBigEndianAndRecomputeTheChecksum() {
        Ipv4Header ip = header(HEADER);
        ip.tos(0xB8).totalLength(1500).identification(0xBEEF).ttl(3).protocol(6)
                .source(Reference.ip(198, 51, 100, 1)).destination(Reference.ip(203, 0, 113, 9)).dontFragment(false)
                .updateHeaderChecksum();
        byte[] bytes = FrameBuilder.toBytes(ip.segment(), 0, 20);
        assertEquals("45b805dcbeef0000", HexFormat.of().formatHex(bytes, 0, 8));
        assertEquals("0306", HexFormat.of().formatHex(bytes, 8, 10));
        assertEquals("c6336401cb007109", HexFormat.of().formatHex(bytes, 12, 20));
        assertEquals(Reference.ipChecksum(bytes, 0), ip.headerChecksum());
    }

    @ParameterizedTest
    @CsvSource({
        "0x2000, true, false, 0",
        "0x0001, true, false, 1",
        "0x4000, false, true, 0",
        "0x6000, true, true, 0"})
    void shouldDecodeFragmentFields(String field, boolean fragment, boolean dontFragment, int fragmentOffset) {
        Ipv4Header ip = header(HEADER).flagsAndFragmentOffset(Integer.decode(field));
        assertEquals(fragment, ip.isFragment());
        assertEquals(dontFragment, ip.dontFragment());
        assertEquals(fragmentOffset, ip.fragmentOffset());
    }

    @Test
    void shouldDecrementTtlKeepingTheChecksumValid() {
        Ipv4Header ip = header(HEADER);
        ip.decrementTtl();
        assertEquals(63, ip.ttl());
        assertEquals(ip.computeHeaderChecksum(), ip.headerChecksum());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "valid,                  45000073000040004011b861c0a80001c0a800c7, 115, OK",
        "captured too short,     45000073000040004011b861c0a80001c0a800c7, 19, TRUNCATED",
        "version 6,              65000073000040004011b861c0a80001c0a800c7, 115, BAD_VERSION",
        "IHL 4,                  44000073000040004011b861c0a80001c0a800c7, 115, BAD_HEADER_LENGTH",
        "IHL beyond capture,     4f000073000040004011b861c0a80001c0a800c7, 40, BAD_HEADER_LENGTH",
        "total length > capture, 45000073000040004011b861c0a80001c0a800c7, 114, BAD_TOTAL_LENGTH",
        "total length < header,  45000013000040004011b861c0a80001c0a800c7, 115, BAD_TOTAL_LENGTH",
        "bad checksum,           45000073000040004011b862c0a80001c0a800c7, 115, BAD_CHECKSUM"})
    void shouldValidateReceivedHeaders(String name, String hex, int captured, String expected) {
        byte[] bytes = new byte[Math.max(captured, 20)];
        byte[] header = HexFormat.of().parseHex(hex);
        System.arraycopy(header, 0, bytes, 0, header.length);
        Ipv4Header ip = new Ipv4Header().wrap(FrameBuilder.copyToNative(bytes), 0);
        int result = ip.validate(captured);
        assertEquals(expected.toLowerCase(), Ipv4Header.validationName(result), name);
    }

    @Test
    void shouldNotTrustACapturedLengthBeyondTheSegment() {
        Ipv4Header ip = new Ipv4Header().wrap(FrameBuilder.copyToNative(HexFormat.of().parseHex(HEADER)), 0);
        assertEquals(Ipv4Header.BAD_TOTAL_LENGTH, ip.validate(1500));
    }

    @Property(tries = 1000)
    void shouldNeverThrowOnArbitraryBytes(@ForAll @Size(max = 80) byte[] bytes,
                                          @ForAll @IntRange(min = -1, max = 100) int captured,
                                          @ForAll @IntRange(max = 100) int offset) {
        MemorySegment segment = FrameBuilder.copyToNative(bytes);
        int result = new Ipv4Header().wrap(segment, offset).validate(captured);
        assertTrue(result >= Ipv4Header.OK && result <= Ipv4Header.BAD_CHECKSUM);
    }
}
