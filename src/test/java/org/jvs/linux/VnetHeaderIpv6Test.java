package org.jvs.linux;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.net.FrameHandler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The virtio_net_hdr of IPv6 frames: partial checksums and TCPv6 super-packets, both ways. */
class VnetHeaderIpv6Test {

    @ParameterizedTest(name = "next header {0}")
    @CsvSource({
            // next header, flags (94896129: 1448-byte segments), the header as sent: flags, gso_type, hdr_len,
            // gso_size, csum_start, csum_offset (little-endian)
            "6,  1,         01 00 4800 0000 3600 1000",
            "17, 1,         01 00 3e00 0000 3600 0600",
            "6,  94896129,  01 04 4a00 a805 3600 1000",
    })
    void shouldDescribeAnIpv6FramesOffloadsToTheKernel(int nextHeader, int flags, String expected) {
        byte[] frame = ipv6Frame(nextHeader, 2000);
        MemorySegment slot = MemorySegment.ofArray(new byte[VnetHeader.LENGTH]);
        assertTrue(VnetHeader.write(slot, 0, MemorySegment.ofArray(frame), 0, frame.length, flags));
        assertEquals(expected.replace(" ", ""), HexFormat.of().formatHex(slot.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
    }

    @Test
    void shouldRefuseAPartialChecksumBehindAnExtensionHeader() {
        byte[] frame = ipv6Frame(44, 100);
        assertFalse(VnetHeader.write(MemorySegment.ofArray(new byte[VnetHeader.LENGTH]), 0, MemorySegment.ofArray(frame), 0,
                frame.length, FrameHandler.CHECKSUM_NOT_READY));
    }

    @Test
    void shouldHandTheSegmentSizeOfAReceivedTcpv6SuperPacketOn() {
        MemorySegment header = MemorySegment.ofArray(new byte[] {1, VnetHeader.GSO_TCPV6, 0x42, 0, 0x7a, 0x05, 0x36, 0, 0x10, 0});
        assertEquals(FrameHandler.tcpSegmentation(1402), VnetHeader.handlerFlags(header, 0, true));
    }

    /** Ethernet + IPv6 (next header as given) + 20 bytes of TCP header (data offset 5) or UDP, padded to length. */
    private static byte[] ipv6Frame(int nextHeader, int length) {
        ByteBuffer frame = ByteBuffer.allocate(length);
        frame.putLong(0x0200_5e10_0001L << 16).putInt(0x0200_5e10).putShort((short) 0x86DD);
        frame.putInt(0x6000_0000).putShort((short) (length - 54)).put((byte) nextHeader).put((byte) 64);
        frame.position(14 + 40 + 12);
        frame.put((byte) 0x50);
        return frame.array();
    }
}
