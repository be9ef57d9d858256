package org.jvs.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pcap file's global and record headers, byte for byte (little-endian, microseconds, LINKTYPE_ETHERNET). */
class PcapWriterTest {

    @Test
    void shouldWriteTheGlobalHeaderAndOneRecordByteForByte() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (PcapWriter pcap = new PcapWriter(file, 2048)) {
            // 2024-01-02T03:04:05.678901234Z: 1704164645 s, 678901 us (nanoseconds cut, not rounded)
            pcap.write(1_704_164_645_678_901_234L, new byte[] {1, 2, 3}, 60);
        }

        assertThat(HexFormat.of().formatHex(file.toByteArray())).isEqualTo(
                "d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "00080000" + "01000000"
                        + "257d9365" + "f55b0a00" + "03000000" + "3c000000" + "010203");
    }

    @Test
    void shouldCutAFrameAtTheSnapLengthKeepingItsOriginalLength() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (PcapWriter pcap = new PcapWriter(file, 4)) {
            pcap.write(0, new byte[] {1, 2, 3, 4, 5, 6}, 6);
            assertThat(pcap.frames()).isEqualTo(1);
        }
        byte[] bytes = file.toByteArray();
        assertThat(bytes).hasSize(PcapWriter.GLOBAL_HEADER_LENGTH + PcapWriter.RECORD_HEADER_LENGTH + 4);
        assertThat(HexFormat.of().formatHex(bytes, 24 + 8, 24 + 16)).isEqualTo("04000000" + "06000000");
    }
}
