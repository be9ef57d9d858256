package org.jvs.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RX slots sized for the MTU, thousands of them: a burst longer than the data plane's wake-up fits. */
class AfPacketRingSizingTest {

    @ParameterizedTest(name = "MTU {0}: {1}-byte slots in {2} blocks of 1 MiB")
    @CsvSource({
            "1500, 2048, 64",
            "1400, 2048, 64",
            "1934, 2048, 64",
            "1935, 4096, 64",
            "9000, 16384, 64",
            "65535, 131072, 64",
    })
    void shouldSizeSlotsForTheMtuAndHoldThirtyTwoThousandOfThemWithin64MiB(int mtu, int frameSize, int blocks) {
        assertEquals(frameSize, AfPacketPort.rxFrameSize(mtu));
        assertEquals(blocks, AfPacketPort.rxBlockCount(frameSize));
    }

    @ParameterizedTest(name = "MTU 1500, {0} workers: {1} blocks each")
    @CsvSource({"1, 64", "2, 32", "4, 16", "16, 16", "64, 16"})
    void shouldShareOneInterfacesRingAmongTheWorkersDownToSixteenMiB(int workers, int blocks) {
        assertEquals(blocks, AfPacketPort.rxBlockCount(2048, workers));
    }
}
