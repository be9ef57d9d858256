package org.jvs.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.Test;

/** The virtio_net_hdr the real-server helper puts before each packet it writes to its TUN device. */
class VnetHeaderTunTest {
    private final MemorySegment buffer = Arena.ofAuto().allocate(16);

    @Test
    void shouldDescribeATcpSuperPacketWithItsChecksumLeftPartial() {
        buffer.fill((byte) 0x5A);

        VnetHeader.writeForTun(buffer, 2, 20, 32, 1448);

        // flags NEEDS_CSUM, gso_type TCPV4, hdr_len 52, gso_size 1448, csum_start 20, csum_offset 16 (little-endian)
        assertArrayEquals(new byte[] {0x5A, 0x5A, 1, 1, 52, 0, (byte) 0xA8, 0x05, 20, 0, 16, 0, 0x5A},
                buffer.asSlice(0, 13).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void shouldAskForAPartialUdpChecksumToBeCompletedWithoutSegmentation() {
        buffer.fill((byte) 0x5A);

        VnetHeader.writeChecksumForTun(buffer, 1, 20, 26);

        // flags NEEDS_CSUM, gso_type NONE, hdr_len 28, gso_size 0, csum_start 20, csum_offset 6 (little-endian)
        assertArrayEquals(new byte[] {0x5A, 1, 0, 28, 0, 0, 0, 20, 0, 6, 0, 0x5A},
                buffer.asSlice(0, 12).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void shouldBeAllZerosForAPacketTakenAsItIs() {
        buffer.fill((byte) 0x5A);

        VnetHeader.writeForTun(buffer, 0, 20, 0, 0);

        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x5A}, buffer.asSlice(0, 11).toArray(ValueLayout.JAVA_BYTE));
    }
}
