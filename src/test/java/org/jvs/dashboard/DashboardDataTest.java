package org.jvs.dashboard;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.api.IpAddress;
import org.jvs.api.RealServerHealth;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.metrics.DirectorReadings;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.stats.Stats;
import org.jvs.vrrp.VrrpInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rates the dashboard computes from two readings, and the JSON the page reads. */
class DashboardDataTest {
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ipv4.parse("203.0.113.10"), 80);
    private static final int RIP = Ipv4.parse("192.0.2.11");

    private static Stats stats(long connections, long inPackets, long outPackets, long inBytes, long outBytes) {
        Stats stats = new Stats();
        stats.connections = connections;
        stats.inPackets = inPackets;
        stats.outPackets = outPackets;
        stats.inBytes = inBytes;
        stats.outBytes = outBytes;
        return stats;
    }

    /** One service with one real server whose counters are {@code n} times a base, and {@code drops} drops. */
    private static DirectorReadings readings(long n, long drops) {
        RealServerSnapshot server = new RealServerSnapshot(RIP, 8080, ForwardingMethod.MASQ, 3, 0, 0, 4, 5, 0,
                stats(2 * n, 20 * n, 10 * n, 2000 * n, 1000 * n));
        ServiceSnapshot service = new ServiceSnapshot(WEB, "wlc", "", 0, 0,
                stats(2 * n, 20 * n, 10 * n, 2000 * n, 1000 * n), List.of(server));
        Map<String, Long> dataPlane = new LinkedHashMap<>();
        dataPlane.put("frames_in", 100 * n);
        dataPlane.put("drop_no_real_server", drops);
        dataPlane.put("drop_table_full", 0L);
        Map<String, Map<String, Long>> ports = Map.of("eth0", Map.of("rx_ring_drops", drops, "rx_copied", 7L));
        return new DirectorReadings(List.of(service), dataPlane, List.of(new DirectorReadings.Worker(100 * n, 9, 1024)),
                ports, 0, Map.of("VI_1", VrrpInstance.State.MASTER), Map.of(), Map.of());
    }

    private static final List<RealServerHealth> HEALTH = List.of(
            new RealServerHealth(WEB, IpAddress.ofIpv4(RIP), 8080, false, Instant.ofEpochMilli(1_700_000_000_000L), "TCP_CHECK: refused"));

    @Test
    void shouldWriteRatesFromTheCountersOfTwoReadingsTwoSecondsApart() {
        RateHistory history = new RateHistory();
        history.record(1_000_000, readings(1, 0), HEALTH);
        RateHistory.Sample sample = history.record(1_002_000, readings(11, 8), HEALTH);

        String expected = """
                {"timeMs":1002000,"intervalMs":2000,"healthChecks":true,"services":[\
                {"key":"TCP 203.0.113.10:80","protocol":"TCP","address":"203.0.113.10","port":80,"scheduler":"wlc",\
                "activeConnections":4,"inactiveConnections":5,\
                "totals":{"connections":22,"inPackets":220,"outPackets":110,"inBytes":22000,"outBytes":11000},\
                "rates":{"connections":10,"inPackets":100,"outPackets":50,"inBytes":10000,"outBytes":5000},\
                "history":{"timeMs":[1002000],"connections":[10],"inPackets":[100],"outPackets":[50],\
                "inBytes":[10000],"outBytes":[5000]},\
                "realServers":[{"address":"192.0.2.11","port":8080,"method":"Masq","weight":3,\
                "activeConnections":4,"inactiveConnections":5,\
                "totals":{"connections":22,"inPackets":220,"outPackets":110,"inBytes":22000,"outBytes":11000},\
                "rates":{"connections":10,"inPackets":100,"outPackets":50,"inBytes":10000,"outBytes":5000},\
                "health":{"up":false,"sinceMs":1700000000000,"reason":"TCP_CHECK: refused"}}]}],\
                "drops":[{"reason":"no_real_server","total":8,"rate":4},{"reason":"table_full","total":0,"rate":0},\
                {"reason":"rx_ring_drops[eth0]","total":8,"rate":4}],\
                "dropHistory":{"timeMs":[1002000],"drops":[8]},\
                "workers":[{"framesIn":1100,"connections":9,"connectionCapacity":1024}],\
                "vrrp":[{"instance":"VI_1","state":"MASTER"}]}""";
        assertEquals(expected, DashboardData.render(sample, history, 2000));
    }

    @Test
    void shouldSayThatNoHealthIsKnownWithoutHealthChecks() {
        RateHistory history = new RateHistory();
        String json = DashboardData.render(history.record(0, readings(1, 0), null), history, 2000);

        assertThat(json).contains("\"healthChecks\":false").contains("\"health\":null");
    }

    @Test
    void shouldShowNoHealthForARealServerTheChecksDoNotKnow() {
        RateHistory history = new RateHistory();
        List<RealServerHealth> otherPort = List.of(new RealServerHealth(WEB, IpAddress.ofIpv4(RIP), 9090, true, Instant.EPOCH, ""));
        String json = DashboardData.render(history.record(0, readings(1, 0), otherPort), history, 2000);

        assertThat(json).contains("\"healthChecks\":true").contains("\"health\":null");
    }

    @Test
    void shouldCountACounterThatWentDownAsNoTraffic() {
        RateHistory history = new RateHistory();
        history.record(0, readings(10, 5), null);
        RateHistory.Sample zeroed = history.record(2000, readings(1, 0), null);

        assertEquals(RateHistory.Rates.ZERO, zeroed.services().get(WEB));
        assertThat(zeroed.dropRates().values()).containsOnly(0.0);
    }

    @Test
    void shouldKeepFiveMinutesOfRatesAndForgetARemovedService() {
        RateHistory history = new RateHistory();
        for (int i = 0; i < RateHistory.POINTS + 10; i++) {
            history.record(i * 2000L, readings(i, 0), null);
        }
        List<RateHistory.Point> points = history.history(WEB);
        assertEquals(RateHistory.POINTS, points.size());
        assertEquals(10 * 2000L, points.getFirst().timeMs());
        assertEquals(10.0, points.getLast().rates().inPackets(), "20 packets more every 2 s");

        history.record(1_000_000, DirectorReadings.ofServices(List.of()), null);
        assertThat(history.history(WEB)).isEmpty();
    }

    @Test
    void shouldListTheDataPlanesDropReasonsThenEachInterfacesLosses() {
        assertThat(RateHistory.drops(readings(1, 3)).keySet())
                .containsExactly("no_real_server", "table_full", "rx_ring_drops[eth0]");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            plain              | '"plain"'
            'say "hi"'         | '"say \\"hi\\""'
            back\\slash        | '"back\\\\slash"'
            </script>          | '"\\u003c/script\\u003e"'
            """)
    void shouldEscapeStrings(String text, String json) {
        assertEquals(json, new JsonWriter().value(text).toString());
    }

    @Test
    void shouldWriteNonFiniteNumbersAsNullAndFractionsWithThreeDecimals() {
        String json = new JsonWriter().beginArray().value(Double.NaN).value(Double.POSITIVE_INFINITY).value(2.5)
                .value(1.0 / 3).value(7.0).endArray().toString();

        assertEquals("[null,null,2.5,0.333,7]", json);
    }
}
