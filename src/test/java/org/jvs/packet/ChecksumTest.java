package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChecksumTest {
    private static final HexFormat HEX = HexFormat.of();

    private static MemorySegment hex(String text) {
        return FrameBuilder.copyToNative(HEX.parseHex(text));
    }

    @Test
    void shouldSumTheRfc1071Example() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2.
        assertEquals(0xDDF2, Checksum.sum(hex("0001f203f4f5f6f7"), 0, 8));
    }

    @ParameterizedTest
    @CsvSource({
        "45000073000040004011b861c0a80001c0a800c7",
        "450000730000400040110000c0a80001c0a800c7",
        "45000073000040004011ffffc0a80001c0a800c7"})
    void shouldComputeTheWellKnownHeaderChecksumWhateverTheStoredField(String header) {
        assertEquals(0xB861, Checksum.ipv4Header(hex(header), 0, 20));
    }

    @Test
    void shouldPadAnOddTrailingByteWithZero() {
        assertEquals(0x0102 + 0x0304 + 0x0500, Checksum.sum(hex("0102030405"), 0, 5));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 0", "2, 1", "3, 2", "4, 3", "5, 1", "6, 2"})
    void shouldAgreeWithTheReferenceAtAnyAlignmentAndLength(int offset, int shorter) {
        byte[] bytes = new byte[97 + offset];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        int length = 97 - shorter;
        assertEquals(Reference.sum(bytes, offset, offset + length, 0),
                Checksum.sum(FrameBuilder.copyToNative(bytes), offset, length));
    }

    /** Long runs take the eight-bytes-a-load path: its carries and byte order must not show in the result. */
    @ParameterizedTest
    @CsvSource({"0, 1500, 255", "3, 1500, 255", "1, 65535, 255", "5, 1481, 0", "2, 4000, -1"})
    void shouldAgreeWithTheReferenceOverLongRuns(int offset, int length, int fill) {
        byte[] bytes = new byte[offset + length];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = fill >= 0 ? (byte) fill : (byte) (i * 131 + i / 256);
        }
        assertEquals(Reference.sum(bytes, offset, offset + length, 0),
                Checksum.sum(FrameBuilder.copyToNative(bytes), offset, length));
    }

    @ParameterizedTest
    @CsvSource({
        "0x0000, 0xFFFF",
        "0xABCD, 0x1234",
        "0x0001, 0x0002",
        "0xFFFF, 0x0000",
        "0x8000, 0x8000"})
    void shouldUpdateA16BitFieldLikeAFullRecomputation(String oldWord, String newWord) {
        int oldValue = Integer.decode(oldWord);
        int newValue = Integer.decode(newWord);
        byte[] data = HEX.parseHex("4500001c0000beef0102a0b0");
        Reference.u16(data, 6, oldValue);
        int before = ~Reference.sum(data, 0, data.length, 0) & 0xFFFF;
        Reference.u16(data, 6, newValue);
        int after = ~Reference.sum(data, 0, data.length, 0) & 0xFFFF;
        assertEquals(after, Checksum.update16(before, oldValue, newValue));
    }

    @Test
    void shouldGiveTheCanonicalZeroWhenTheUpdatedSumIsZero() {
        // ~HC, ~m and m' all zero: ones' complement "+0", whose canonical checksum is 0x0000.
        assertEquals(0x0000, Checksum.update16(0xFFFF, 0xFFFF, 0x0000));
    }

    @Test
    void shouldUpdateA32BitFieldAsTwo16BitUpdates() {
        int checksum = 0x3A5C;
        int oldValue = 0xC000020A;
        int newValue = 0xC6336414;
        int twice = Checksum.update16(Checksum.update16(checksum, oldValue >>> 16, newValue >>> 16),
                oldValue & 0xFFFF, newValue & 0xFFFF);
        assertEquals(twice, Checksum.update32(checksum, oldValue, newValue));
    }

    @ParameterizedTest
    @CsvSource({"0x0000", "0x1234", "0xFFFF"})
    void shouldKeepAnAbsentUdpChecksumAbsent(String newWord) {
        assertEquals(Checksum.UDP_NONE, Checksum.updateUdp16(0, 0x5000, Integer.decode(newWord)));
        assertEquals(Checksum.UDP_NONE, Checksum.updateUdp32(0, 0xC000020A, Integer.decode(newWord) << 16));
    }

    @Test
    void shouldSendAComputedZeroUdpChecksumAsAllOnes() {
        byte[] frame = new FrameBuilder().udp().payload(new byte[2]).bytes();
        int udp = Reference.ETHERNET + 20;
        // With the payload word equal to the checksum of the zero payload, the sum becomes 0xFFFF: checksum 0.
        int checksumOfZeroPayload = Reference.u16(frame, udp + 6);
        assertNotEquals(0xFFFF, checksumOfZeroPayload);
        Reference.u16(frame, udp + 8, checksumOfZeroPayload);
        int computed = Checksum.udp(FrameBuilder.copyToNative(frame), udp, 10,
                Reference.u32(frame, 26), Reference.u32(frame, 30));
        assertEquals(0xFFFF, computed);
    }

    @Test
    void shouldMapAnIncrementalUdpResultOfZeroToAllOnes() {
        assertEquals(0, Checksum.update16(0x1234, 0x0000, 0x1234));
        assertEquals(0xFFFF, Checksum.updateUdp16(0x1234, 0x0000, 0x1234));
    }
}
