package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/**
 * Issue 13's "done when" for metrics: with a director that carried NAT traffic (HTTP requests, an echo transfer, UDP
 * requests), {@code curl 127.0.0.1:9947/metrics} in its namespace shows node_exporter's ipvs metrics with exactly the
 * values {@code ./jvsadm -L -n --stats --exact} and {@code ./jvsadm -L -n} show. The five whole-director counters are
 * the sums of the per-service lines (as /proc/net/ip_vs_stats is the sum of what IPVS counts per service); the three
 * per-real-server gauges are the real server lines. Everything is read after the traffic stopped, so the numbers
 * must agree to the unit.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsE2eTest {
    private static final String VIP = LvsLab.VIP;
    private static final String METRICS = "http://127.0.0.1:9947/metrics";
    private static final int HTTP_REQUESTS = 12;
    private static final int UDP_REQUESTS = 6;
    private static final long ECHO_BYTES = 300_000;
    /** Reads of the listing before and after the scrape that must agree before the scrape is compared. */
    private static final int STABLE_ATTEMPTS = 5;
    /** {@code TCP  203.0.113.10:80  12  60  48  4000  5000} in {@code -L -n --stats --exact}. */
    private static final Pattern STATS_SERVICE = Pattern.compile(
            "(?m)^(TCP|UDP)\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");
    /** A service header of {@code -L -n}: {@code TCP  203.0.113.10:80 rr}. */
    private static final Pattern LIST_SERVICE = Pattern.compile("^(TCP|UDP)\\s+(\\S+)\\s+\\S+.*$");
    /** A real server line of {@code -L -n}: address, method, weight, active, inactive. */
    private static final Pattern LIST_SERVER = Pattern.compile(
            "^\\s+->\\s+(\\S+)\\s+\\S+\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");
    /** One sample of the text exposition: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-z_]+)(?:\\{([^}]*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @RegisterExtension
    static final LvsLabExtension LAB = LvsLabExtension.of(new LabCell("metrics", ForwardingMethod.MASQ,
            AddressFamily.IPV4, VipPlacement.DIRECTOR_LO, List.of())).keepingServiceTable();

    private LvsLab lvs;
    private Director director;
    private Client client;

    @BeforeAll
    void addServices() {
        for (String[] service : List.of(new String[] {"-t", VIP + ":" + LvsLab.HTTP_PORT},
                new String[] {"-t", VIP + ":" + LvsLab.ECHO_PORT}, new String[] {"-u", VIP + ":" + LvsLab.UDP_PORT})) {
            director.jvsadm("-A", service[0], service[1], "-s", "rr");
            String port = service[1].substring(service[1].indexOf(':') + 1);
            for (int i = 0; i < LvsLab.RIPS.size(); i++) {
                director.jvsadm("-a", service[0], service[1], "-r", LvsLab.RIPS.get(i) + ":" + port, "-m", "-w",
                        String.valueOf(i + 1));
            }
        }
    }

    @Test
    void shouldShowNodeExporterIpvsMetricsWithTheValuesJvsadmShows() {
        Map<String, Integer> pages = client.httpCounts(VIP, LvsLab.HTTP_PORT, HTTP_REQUESTS);
        assertEquals(Map.of("rs1", 4, "rs2", 4, "rs3", 4), pages, "HTTP through the director: " + director.log());
        CommandResult echo = client.transfer(VIP, LvsLab.ECHO_PORT, ECHO_BYTES);
        assertTrue(echo.ok(), echo.describe() + "; director log: " + director.log());
        List<String> answers = client.udpRequests(VIP, LvsLab.UDP_PORT, UDP_REQUESTS);
        assertTrue(answers.stream().noneMatch(String::isEmpty), "every UDP request answered: " + answers);
        Background.sleep(1000); // the last ACKs and FINs of the closed connections

        Readings readings = stableReadings();
        Map<String, Double> totals = readings.metrics.unlabelled;
        long[] sums = new long[5];
        Matcher service = STATS_SERVICE.matcher(readings.stats);
        int services = 0;
        while (service.find()) {
            services++;
            for (int i = 0; i < sums.length; i++) {
                sums[i] += Long.parseLong(service.group(3 + i));
            }
        }
        assertEquals(3, services, "three services in:\n" + readings.stats);
        assertTrue(sums[0] >= HTTP_REQUESTS + 1 + UDP_REQUESTS && sums[3] > ECHO_BYTES && sums[4] > ECHO_BYTES,
                "the traffic was counted:\n" + readings.stats);
        String[] names = {"node_ipvs_connections_total", "node_ipvs_incoming_packets_total",
            "node_ipvs_outgoing_packets_total", "node_ipvs_incoming_bytes_total", "node_ipvs_outgoing_bytes_total"};
        for (int i = 0; i < names.length; i++) {
            assertEquals(sums[i], exact(totals.get(names[i]), names[i]), names[i] + " against the sum of\n"
                    + readings.stats + "\nmetrics:\n" + readings.metrics.text);
        }

        Map<String, long[]> listed = realServers(readings.listing);
        assertEquals(9, listed.size(), "nine real servers in:\n" + readings.listing);
        assertEquals(listed.keySet(), readings.metrics.backends.keySet(), "the real servers /metrics labels");
        for (Map.Entry<String, long[]> server : listed.entrySet()) {
            long[] fromMetrics = readings.metrics.backends.get(server.getKey());
            assertEquals(java.util.Arrays.toString(server.getValue()), java.util.Arrays.toString(fromMetrics),
                    "weight, active, inactive of " + server.getKey() + " in\n" + readings.listing + "\nmetrics:\n"
                            + readings.metrics.text);
        }
        assertTrue(listed.values().stream().mapToLong(v -> v[2]).sum() > 0,
                "finished connections are listed as inactive:\n" + readings.listing);
    }

    /** The listing, the stats listing and the scrape, taken between two equal listings (no timer moved meanwhile). */
    private Readings stableReadings() {
        String before = director.jvsadm("-L", "-n").stdout() + director.jvsadm("-L", "-n", "--stats", "--exact")
                .stdout();
        for (int attempt = 0; attempt < STABLE_ATTEMPTS; attempt++) {
            CommandResult scrape = lvs.lab.run(lvs.director, Duration.ofSeconds(15), "curl", "-sS", "--max-time", "10",
                    METRICS);
            assertTrue(scrape.ok(), scrape.describe() + "; director log: " + director.log());
            String listing = director.jvsadm("-L", "-n").stdout();
            String stats = director.jvsadm("-L", "-n", "--stats", "--exact").stdout();
            if ((listing + stats).equals(before)) {
                return new Readings(listing, stats, Scrape.parse(scrape.stdout()));
            }
            before = listing + stats;
        }
        throw new AssertionError("the listing kept changing after the traffic stopped:\n" + before);
    }

    /** {@code -L -n}'s real servers keyed {@code PROTO VIP:PORT -> RIP:PORT}: weight, active, inactive. */
    private static Map<String, long[]> realServers(String listing) {
        Map<String, long[]> servers = new TreeMap<>();
        String service = null;
        for (String line : listing.split("\n")) {
            Matcher header = LIST_SERVICE.matcher(line);
            Matcher server = LIST_SERVER.matcher(line);
            if (header.matches()) {
                service = header.group(1) + " " + header.group(2);
            } else if (server.matches() && service != null) {
                servers.put(service + " -> " + server.group(1), new long[] {Long.parseLong(server.group(2)),
                    Long.parseLong(server.group(3)), Long.parseLong(server.group(4))});
            }
        }
        return servers;
    }

    private static long exact(Double value, String name) {
        assertTrue(value != null, name + " is exposed");
        assertEquals(Math.rint(value), value, name + " is a whole number");
        return value.longValue();
    }

    private record Readings(String listing, String stats, Scrape metrics) {
    }

    /** The node_ipvs_* samples of one scrape. */
    private record Scrape(String text, Map<String, Double> unlabelled, Map<String, long[]> backends) {
        static Scrape parse(String text) {
            Map<String, Double> unlabelled = new LinkedHashMap<>();
            Map<String, long[]> backends = new TreeMap<>();
            Matcher sample = SAMPLE.matcher(text);
            while (sample.find()) {
                String name = sample.group(1);
                double value = Double.parseDouble(sample.group(3));
                if (sample.group(2) == null) {
                    unlabelled.put(name, value);
                    continue;
                }
                int column = switch (name) {
                    case "node_ipvs_backend_weight" -> 0;
                    case "node_ipvs_backend_connections_active" -> 1;
                    case "node_ipvs_backend_connections_inactive" -> 2;
                    default -> -1;
                };
                if (column < 0) {
                    continue;
                }
                Map<String, String> labels = new TreeMap<>();
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
                String key = labels.get("proto") + " " + labels.get("local_address") + ":" + labels.get("local_port")
                        + " -> " + labels.get("remote_address") + ":" + labels.get("remote_port");
                backends.computeIfAbsent(key, k -> new long[3])[column] = exact(value, name + " of " + key);
            }
            return new Scrape(text, unlabelled, backends);
        }
    }
}
