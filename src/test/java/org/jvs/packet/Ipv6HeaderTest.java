package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv6HeaderTest {
    private static final List<byte[]> CAPTURE = CapturedFrames.load("/packet/linux-icmpv6-capture.txt");
    private static final int ECHO_REQUEST = 3;
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldReadEveryFieldOfACapturedEchoRequest() {
        MemorySegment frame = FrameBuilder.copyToNative(CAPTURE.get(ECHO_REQUEST));
        assertEquals(EthernetHeader.TYPE_IPV6, new EthernetHeader().wrap(frame, 0).etherType());
        Ipv6Header ip = new Ipv6Header().wrap(frame, 14);

        assertEquals(Ipv6Header.OK, ip.validate(CAPTURE.get(ECHO_REQUEST).length - 14));
        assertEquals(6, ip.version());
        assertEquals(0, ip.trafficClass());
        assertEquals(0x62268, ip.flowLabel());
        assertEquals(24, ip.payloadLength());
        assertEquals(64, ip.packetLength());
        assertEquals(58, ip.nextHeader());
        assertEquals(64, ip.hopLimit());
        assertEquals(0x2001_0DB8_0000_0000L, ip.sourceHi());
        assertEquals(0xAL, ip.sourceLo());
        assertEquals(0x2001_0DB8_0000_0000L, ip.destinationHi());
        assertEquals(0xBL, ip.destinationLo());
        assertEquals(54, ip.payloadOffset());
    }

    @Test
    void shouldWriteTheFixedHeaderAsRfc8200DrawsIt() {
        MemorySegment buffer = FrameBuilder.copyToNative(new byte[42]);
        new Ipv6Header().wrap(buffer, 2).versionClassAndFlow(0xB8, 0xABCDE).payloadLength(0x1234).nextHeader(17)
                .hopLimit(255).source(0x2001_0DB8_0000_0001L, 0x0000_0000_0000_0010L)
                .destination(0xFF02_0000_0000_0000L, 0x0000_0001_FF00_0010L);
        assertEquals("0000" + "6b8abcde" + "1234" + "11" + "ff"
                + "20010db800000001" + "0000000000000010"
                + "ff02000000000000" + "00000001ff000010", HEX.formatHex(FrameBuilder.toBytes(buffer, 0, 42)));
    }

    @Test
    void shouldChangeTrafficClassAndFlowLabelWithoutTouchingEachOtherOrTheVersion() {
        MemorySegment buffer = FrameBuilder.copyToNative(new byte[40]);
        Ipv6Header ip = new Ipv6Header().wrap(buffer, 0).versionClassAndFlow(0xFF, 0xFFFFF);
        ip.trafficClass(0x12);
        assertEquals("612fffff", HEX.formatHex(FrameBuilder.toBytes(buffer, 0, 4)));
        ip.flowLabel(0x00001);
        assertEquals("61200001", HEX.formatHex(FrameBuilder.toBytes(buffer, 0, 4)));
        assertEquals(6, ip.version());
        assertEquals(0x12, ip.trafficClass());
        assertEquals(1, ip.flowLabel());
    }

    @Test
    void shouldSwapAndCopyAddresses() {
        MemorySegment frame = FrameBuilder.copyToNative(CAPTURE.get(ECHO_REQUEST));
        Ipv6Header ip = new Ipv6Header().wrap(frame, 14);
        MemorySegment copy = FrameBuilder.copyToNative(new byte[80]);
        ip.copySourceTo(copy, 0);
        ip.copyDestinationTo(copy, 16);
        ip.copyTo(copy, 40);

        ip.swapAddresses();
        ip.decrementHopLimit();

        assertEquals(0xBL, ip.sourceLo());
        assertEquals(0xAL, ip.destinationLo());
        assertEquals(0x2001_0DB8_0000_0000L, ip.destinationHi());
        assertEquals(63, ip.hopLimit());
        Ipv6Header copied = new Ipv6Header().wrap(copy, 40);
        assertEquals(0xAL, copied.sourceLo());
        assertEquals(64, copied.hopLimit());
        assertEquals("20010db8" + "0000000000000000" + "0000000a",
                HEX.formatHex(FrameBuilder.toBytes(copy, 0, 16)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "fine,               64, 6, 24, 0",
        "padded frame,       70, 6, 24, 0",
        "short of a header,  39, 6, 0,  1",
        "version 4,          64, 4, 24, 2",
        "payload beyond,     63, 6, 24, 3",
        "empty payload,      40, 6, 0,  0"})
    void shouldValidateReceivedHeaders(String name, int captured, int version, int payloadLength, int expected) {
        byte[] bytes = new byte[80];
        bytes[0] = (byte) (version << 4);
        Reference.u16(bytes, 4, payloadLength);
        Ipv6Header ip = new Ipv6Header().wrap(FrameBuilder.copyToNative(bytes), 0);
        assertEquals(expected, ip.validate(captured));
        assertEquals(new String[] {"ok", "truncated", "bad_version", "bad_payload_length"}[expected],
                Ipv6Header.validationName(ip.validate(captured)));
    }

    @Test
    void shouldCallASegmentTooShortForTheHeaderTruncated() {
        Ipv6Header ip = new Ipv6Header().wrap(FrameBuilder.copyToNative(new byte[50]), 14);
        assertEquals(Ipv6Header.TRUNCATED, ip.validate(1500));
    }
}
