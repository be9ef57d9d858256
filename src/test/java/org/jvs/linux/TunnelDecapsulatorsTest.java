package org.jvs.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TunnelGoldenPackets;

/**
 * The real server's GRE and GUE decapsulation of the director's golden packets ({@link TunnelGoldenPackets}), and
 * the malformed packets it drops by reason: as a raw IPPROTO_GRE socket hands GRE over (outer header first), as a
 * UDP socket hands GUE over (the UDP payload, received {@link #HEADROOM} bytes into its slot).
 */
class TunnelDecapsulatorsTest {
    private static final int HEADROOM = 10;
    private static final int OUTER_IP = 20;
    private static final int OUTER_UDP = OUTER_IP + 8;

    private final GreDecapsulator gre = new GreDecapsulator();
    private final GueDecapsulator gue = new GueDecapsulator(HEADROOM);

    private static byte[] golden(String hex) {
        return TunnelGoldenPackets.bytes(hex);
    }

    /** A GUE datagram as the UDP socket receives it: the golden packet less its outer IP and UDP headers. */
    private static byte[] datagram(String hex) {
        byte[] packet = golden(hex);
        return Arrays.copyOfRange(packet, OUTER_UDP, packet.length);
    }

    private static MemorySegment slot(byte[] received, int headroom) {
        byte[] slot = new byte[headroom + received.length + 64];
        System.arraycopy(received, 0, slot, headroom, received.length);
        return FrameBuilder.copyToNative(slot);
    }

    private static String inner(MemorySegment slot, int offset, int length) {
        return TunnelGoldenPackets.hex(FrameBuilder.toBytes(slot, offset, length));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"GRE without checksum, false, 24", "GRE with checksum, true, 28"})
    void shouldFindTheInnerPacketOfTheDirectorsGrePacket(String why, boolean checksummed, int innerOffset) {
        byte[] packet = golden(checksummed ? TunnelGoldenPackets.GRE_CSUM : TunnelGoldenPackets.GRE_NOCSUM);
        MemorySegment slot = slot(packet, 0);

        assertEquals(31, gre.decapsulate(slot, packet.length));
        assertEquals(innerOffset, gre.innerOffset());
        assertEquals(TunnelGoldenPackets.INNER_SENT, inner(slot, innerOffset, 31));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "a payload byte changed under the checksum, 30, 0x6b, -7",
        "GRE version 1, 21, 0x01, -8",
        "routing present, 20, 0xC0, -8",
        "protocol IPv6, 22, 0x86, -3",
        "outer protocol UDP, 9, 0x11, -3",
    })
    void shouldDropMalformedGrePackets(String why, int offset, String value, int reason) {
        byte[] packet = golden(TunnelGoldenPackets.GRE_CSUM);
        packet[offset] = (byte) (int) Integer.decode(value);

        assertEquals(reason, gre.decapsulate(slot(packet, 0), packet.length), why);
    }

    @Test
    void shouldDropAGrePacketCarryingNoIpv4() {
        byte[] packet = golden(TunnelGoldenPackets.GRE_NOCSUM);
        packet[24] = (byte) 0x65;

        assertEquals(TunnelDecapsulator.INNER_NOT_IPV4, gre.decapsulate(slot(packet, 0), packet.length));
    }

    @Test
    void shouldDropAGrePacketWhoseOptionalWordsAreMissing() {
        byte[] packet = Arrays.copyOf(golden(TunnelGoldenPackets.GRE_NOCSUM), OUTER_IP + 4);
        packet[20] = (byte) 0x30;
        packet[3] = (byte) packet.length;

        assertEquals(TunnelDecapsulator.TRUNCATED, gre.decapsulate(slot(packet, 0), packet.length));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"nocsum, 4", "csum, 4"})
    void shouldFindTheInnerPacketOfTheDirectorsGueDatagram(String checksum, int gueLength) {
        byte[] received = datagram(checksum.equals("csum") ? TunnelGoldenPackets.GUE_CSUM : TunnelGoldenPackets.GUE_NOCSUM);
        MemorySegment slot = slot(received, HEADROOM);

        assertEquals(31, gue.decapsulate(slot, received.length));
        assertEquals(HEADROOM + gueLength, gue.innerOffset());
        assertEquals(TunnelGoldenPackets.INNER_SENT, inner(slot, gue.innerOffset(), 31));
    }

    @Test
    void shouldCompleteTheInnerChecksumAsTheRemoteChecksumOptionSays() {
        byte[] received = datagram(TunnelGoldenPackets.GUE_REMCSUM);
        MemorySegment slot = slot(received, HEADROOM);

        assertEquals(31, gue.decapsulate(slot, received.length));

        assertEquals(HEADROOM + 12, gue.innerOffset());
        assertEquals(TunnelGoldenPackets.INNER_SENT, inner(slot, gue.innerOffset(), 31), "UDP checksum 87d9 completed");
    }

    @Test
    void shouldTakeGuesDirectIpv4Variant() {
        byte[] received = golden(TunnelGoldenPackets.INNER_SENT);
        MemorySegment slot = slot(received, HEADROOM);

        assertEquals(31, gue.decapsulate(slot, received.length));
        assertEquals(HEADROOM, gue.innerOffset());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "a control message, NOCSUM, 0, 0x20, -8",
        "variant 2, NOCSUM, 0, 0x80, -8",
        "protocol IPv6, NOCSUM, 1, 0x29, -3",
        "an unknown flag, NOCSUM, 3, 0x02, -8",
        "options the flags do not announce, NOCSUM, 0, 0x01, -8",
        "inner IPv6, NOCSUM, 4, 0x65, -4",
        "unknown private flag, REMCSUM, 4, 0x40, -8",
        "checksum start beyond the packet, REMCSUM, 9, 0x1f, -7",
        "checksum field beyond the packet, REMCSUM, 11, 0x1e, -7",
        "options longer than announced, REMCSUM, 0, 0x03, -8",
    })
    void shouldDropMalformedGueDatagrams(String why, String golden, int offset, String value, int reason) {
        byte[] received = datagram(golden.equals("REMCSUM") ? TunnelGoldenPackets.GUE_REMCSUM
                : TunnelGoldenPackets.GUE_NOCSUM);
        received[offset] = (byte) (int) Integer.decode(value);

        assertEquals(reason, gue.decapsulate(slot(received, HEADROOM), received.length), why);
    }

    @Test
    void shouldDropAGueDatagramShorterThanItsHeader() {
        byte[] received = Arrays.copyOf(datagram(TunnelGoldenPackets.GUE_REMCSUM), 8);

        assertEquals(TunnelDecapsulator.TRUNCATED, gue.decapsulate(slot(received, HEADROOM), received.length));
    }
}
