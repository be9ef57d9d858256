package org.jvs.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvs.api.IpAddress;
import org.jvs.api.RealServerHealth;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.metrics.DirectorReadings;
import org.jvs.stats.Stats;

/**
 * The dashboard's memory: the director's readings taken every {@link Dashboard#SAMPLE_INTERVAL_MS}, and rates per
 * second computed from the counters' deltas between two readings (exact over the interval, where IPVS's estimator
 * smooths over several), for each service, each real server and each drop reason. Keeps the last {@link #POINTS}
 * rates of each service and of all drops together, so a page opened now draws the last five minutes at once.
 * A counter that went down (ipvsadm -Z, a service deleted and added again) counts as a rate of 0.
 */
final class RateHistory {
    /** Five minutes of two-second samples. */
    static final int POINTS = 150;
    private static final String DROP = "drop_";
    /** The drivers' counters that count lost frames ({@code ./jvs counters}' names), shown per interface. */
    private static final List<String> PORT_DROPS = List.of("rx_ring_drops", "rx_truncated", "tx_ring_full",
            "tx_too_long");

    /** Per-second rates of a service's or real server's five IPVS counters. */
    record Rates(double connections, double inPackets, double outPackets, double inBytes, double outBytes) {
        static final Rates ZERO = new Rates(0, 0, 0, 0, 0);
    }

    /** One real server of one service. */
    record ServerId(ServiceKey service, IpAddress address, int port) {
    }

    /** The rates of one service (or the drops per second, in {@code drops}) at one sample. */
    record Point(long timeMs, Rates rates, double drops) {
    }

    /**
     * One reading with the rates since the one before.
     *
     * @param health      the health checks' view, or null when the director runs no health checks
     * @param drops       every drop reason's total: the data plane's {@code drop_REASON} as {@code REASON}, then the
     *                    drivers' loss counters as {@code NAME[interface]}
     * @param dropRates   the same reasons' drops per second
     */
    record Sample(long timeMs, DirectorReadings readings, List<RealServerHealth> health,
                  Map<ServiceKey, Rates> services, Map<ServerId, Rates> realServers, Map<String, Long> drops,
                  Map<String, Double> dropRates) {
    }

    private final Map<ServiceKey, Deque<Point>> services = new LinkedHashMap<>();
    private final Deque<Point> drops = new ArrayDeque<>();
    private Sample latest;

    /** Takes a reading made at {@code timeMs} (wall clock, as the page's charts show it). */
    synchronized Sample record(long timeMs, DirectorReadings readings, List<RealServerHealth> health) {
        Sample previous = latest;
        double seconds = previous == null ? 0 : (timeMs - previous.timeMs()) / 1000.0;
        Map<ServiceKey, Stats> oldServices = new HashMap<>();
        Map<ServerId, Stats> oldServers = new HashMap<>();
        if (previous != null) {
            for (ServiceSnapshot service : previous.readings().services()) {
                oldServices.put(service.key(), service.stats());
                for (RealServerSnapshot server : service.realServers()) {
                    oldServers.put(id(service, server), server.stats());
                }
            }
        }
        Map<ServiceKey, Rates> serviceRates = new LinkedHashMap<>();
        Map<ServerId, Rates> serverRates = new LinkedHashMap<>();
        for (ServiceSnapshot service : readings.services()) {
            serviceRates.put(service.key(), rates(oldServices.get(service.key()), service.stats(), seconds));
            for (RealServerSnapshot server : service.realServers()) {
                ServerId id = id(service, server);
                serverRates.put(id, rates(oldServers.get(id), server.stats(), seconds));
            }
        }
        Map<String, Long> dropTotals = drops(readings);
        Map<String, Double> dropRates = new LinkedHashMap<>();
        double allDrops = 0;
        for (Map.Entry<String, Long> drop : dropTotals.entrySet()) {
            Long before = previous == null ? null : previous.drops().get(drop.getKey());
            double rate = before == null ? 0 : perSecond(before.longValue(), drop.getValue(), seconds);
            dropRates.put(drop.getKey(), rate);
            allDrops += rate;
        }
        latest = new Sample(timeMs, readings, health, serviceRates, serverRates, dropTotals, dropRates);

        services.keySet().retainAll(serviceRates.keySet());
        for (Map.Entry<ServiceKey, Rates> service : serviceRates.entrySet()) {
            // a service's first reading has no rate yet: its chart starts at its second
            Deque<Point> points = services.computeIfAbsent(service.getKey(), key -> new ArrayDeque<>());
            if (oldServices.containsKey(service.getKey())) {
                append(points, new Point(timeMs, service.getValue(), 0));
            }
        }
        if (previous != null) {
            append(drops, new Point(timeMs, Rates.ZERO, allDrops));
        }
        return latest;
    }

    /** The last sample, or null before the first. */
    synchronized Sample latest() {
        return latest;
    }

    /** The last rates of {@code service}, oldest first (empty for a service not seen). */
    synchronized List<Point> history(ServiceKey service) {
        Deque<Point> points = services.get(service);
        return points == null ? List.of() : new ArrayList<>(points);
    }

    /** All drops per second at the last samples, oldest first. */
    synchronized List<Point> dropHistory() {
        return new ArrayList<>(drops);
    }

    static ServerId id(ServiceSnapshot service, RealServerSnapshot server) {
        return new ServerId(service.key(), server.address(), server.port());
    }

    /** The drop reasons in a fixed order: the data plane's, then each interface's driver losses. */
    static Map<String, Long> drops(DirectorReadings readings) {
        Map<String, Long> drops = new LinkedHashMap<>();
        for (Map.Entry<String, Long> counter : readings.dataPlane().entrySet()) {
            if (counter.getKey().startsWith(DROP)) {
                drops.put(counter.getKey().substring(DROP.length()), counter.getValue());
            }
        }
        for (Map.Entry<String, Map<String, Long>> port : readings.ports().entrySet()) {
            for (String name : PORT_DROPS) {
                Long value = port.getValue().get(name);
                if (value != null) {
                    drops.put(name + "[" + port.getKey() + "]", value);
                }
            }
        }
        return drops;
    }

    private static void append(Deque<Point> points, Point point) {
        points.addLast(point);
        while (points.size() > POINTS) {
            points.removeFirst();
        }
    }

    private static Rates rates(Stats before, Stats now, double seconds) {
        if (before == null) {
            return Rates.ZERO;
        }
        return new Rates(perSecond(before.connections, now.connections, seconds),
                perSecond(before.inPackets, now.inPackets, seconds),
                perSecond(before.outPackets, now.outPackets, seconds),
                perSecond(before.inBytes, now.inBytes, seconds),
                perSecond(before.outBytes, now.outBytes, seconds));
    }

    private static double perSecond(long before, long now, double seconds) {
        return seconds <= 0 || now < before ? 0 : (now - before) / seconds;
    }
}
