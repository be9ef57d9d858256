package org.jvs.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.jvs.core.Counter;
import org.jvs.core.WorkerReading;
import org.jvs.metrics.DirectorReadings;
import org.jvs.net.PortCounter;
import org.jvs.vrrp.VrrpInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DirectorMetricsSourceTest {

    @Test
    void shouldNameAndSumTheWorkersCountersAndNameThePorts() throws Exception {
        long[] first = new long[Counter.COUNT];
        first[Counter.FRAMES_IN.ordinal()] = 60;
        first[Counter.DROP_NO_ROUTE.ordinal()] = 2;
        long[] second = new long[Counter.COUNT];
        second[Counter.FRAMES_IN.ordinal()] = 40;
        long[] eth0 = new long[PortCounter.COUNT];
        eth0[PortCounter.RX_RING_DROPS.ordinal()] = 12;
        Map<String, long[]> ports = new LinkedHashMap<>();
        ports.put("eth0", eth0);
        DirectorMetricsSource source = new DirectorMetricsSource(List::of,
                () -> List.of(new WorkerReading(first, 3, 1024), new WorkerReading(second, 1, 1024)), () -> ports,
                () -> 9, new DirectorMetricsSource.SyncSource() {
                    @Override
                    public Map<String, Long> counters() {
                        return Map.of("sync_backup_messages_received", 5L);
                    }

                    @Override
                    public Map<String, Double> gauges() {
                        return Map.of("sync_backup_last_message_timestamp_seconds", 1.7e9);
                    }
                });
        source.vrrp(() -> Map.of("VI_1", VrrpInstance.State.MASTER));

        DirectorReadings readings = source.read();

        assertEquals(Counter.COUNT, readings.dataPlane().size());
        assertEquals(100L, readings.dataPlane().get("frames_in"));
        assertEquals(2L, readings.dataPlane().get("drop_no_route"));
        assertEquals(0L, readings.dataPlane().get("drop_table_full"));
        assertEquals(List.of(new DirectorReadings.Worker(60, 3, 1024), new DirectorReadings.Worker(40, 1, 1024)),
                readings.workers());
        assertEquals(12L, readings.ports().get("eth0").get("rx_ring_drops"));
        assertEquals(PortCounter.COUNT, readings.ports().get("eth0").size());
        assertEquals(9, readings.guardDrops());
        assertEquals(Map.of("VI_1", VrrpInstance.State.MASTER), readings.vrrp());
        assertEquals(Map.of("sync_backup_messages_received", 5L), readings.sync());
        assertEquals(Map.of("sync_backup_last_message_timestamp_seconds", 1.7e9), readings.syncGauges());
    }
}
