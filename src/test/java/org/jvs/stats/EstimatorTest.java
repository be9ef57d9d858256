package org.jvs.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EstimatorTest {

    private static void traffic(Stats stats, long connections, long inPackets, long outPackets, long inBytes,
                                long outBytes) {
        stats.connections += connections;
        stats.inPackets += inPackets;
        stats.outPackets += outPackets;
        stats.inBytes += inBytes;
        stats.outBytes += outBytes;
    }

    @ParameterizedTest(name = "{0} in 2 s -> scaled {1}, shown {2}")
    @CsvSource({
        // count in 2 s, scaled average after one tick (a quarter of count/2 << 10), shown (+0x1FF) >> 10
        "100,    12800,  12",
        "1000,   128000, 125",
        "5,      640,    1",
        "4,      512,    0",
        "0,      0,      0",
    })
    void shouldAverageCountRatesAsTheKernelDoes(long count, long scaled, long shown) {
        Stats stats = new Stats();
        traffic(stats, count, count, count, 0, 0);
        Estimator.tick(stats);

        assertEquals(scaled, stats.cpsScaled);
        assertEquals(scaled, stats.inPpsScaled);
        assertEquals(scaled, stats.outPpsScaled);
        assertEquals(shown, Estimator.cps(stats));
        assertEquals(shown, Estimator.inPps(stats));
        assertEquals(shown, Estimator.outPps(stats));
    }

    @ParameterizedTest(name = "{0} bytes in 2 s -> scaled {1}, shown {2}")
    @CsvSource({
        // bytes in 2 s, a quarter of bytes/2 << 5, shown (+0xF) >> 5
        "64000, 256000, 8000",
        "3,     12,     0",
        "5,     20,     1",
    })
    void shouldAverageByteRatesAsTheKernelDoes(long bytes, long scaled, long shown) {
        Stats stats = new Stats();
        traffic(stats, 0, 0, 0, bytes, bytes);
        Estimator.tick(stats);

        assertEquals(scaled, stats.inBpsScaled);
        assertEquals(scaled, stats.outBpsScaled);
        assertEquals(shown, Estimator.inBps(stats));
        assertEquals(shown, Estimator.outBps(stats));
    }

    @Test
    void shouldSettleOnSteadyRate() {
        Stats stats = new Stats();
        for (int tick = 0; tick < 100; tick++) {
            traffic(stats, 100, 2000, 1000, 64000, 3_000_000);
            Estimator.tick(stats);
        }
        assertEquals(50, Estimator.cps(stats));
        assertEquals(1000, Estimator.inPps(stats));
        assertEquals(500, Estimator.outPps(stats));
        assertEquals(32000, Estimator.inBps(stats));
        assertEquals(1_500_000, Estimator.outBps(stats));
    }

    @Test
    void shouldDecayToZeroWhenTrafficStops() {
        Stats stats = new Stats();
        traffic(stats, 100, 2000, 1000, 64000, 64000);
        Estimator.tick(stats);
        long previous = stats.cpsScaled;
        for (int tick = 0; tick < 60; tick++) {
            Estimator.tick(stats);
            assertTrue(stats.cpsScaled <= previous, "the average only falls without traffic");
            previous = stats.cpsScaled;
        }
        assertEquals(0, stats.cpsScaled);
        assertEquals(0, Estimator.inPps(stats));
        assertEquals(0, Estimator.outBps(stats));
    }

    @Test
    void shouldMeasureOnlyGrowthSinceThePreviousTick() {
        Stats stats = new Stats();
        traffic(stats, 1_000_000, 0, 0, 0, 0);
        stats.lastConnections = 1_000_000;
        Estimator.tick(stats);
        assertEquals(0, Estimator.cps(stats));
        assertEquals(1_000_000, stats.lastConnections);
    }
}
