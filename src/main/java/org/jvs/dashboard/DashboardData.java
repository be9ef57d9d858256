package org.jvs.dashboard;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.jvs.api.RealServerHealth;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.ServiceSnapshot;
import org.jvs.metrics.DirectorReadings;
import org.jvs.service.Protocol;
import org.jvs.stats.Stats;
import org.jvs.vrrp.VrrpInstance;

/**
 * The text of {@code GET /dashboard/data.json}: the last sample as the page draws it. Times are milliseconds of the
 * Unix epoch, rates are per second over the last sample interval, totals are IPVS's counters. Shape:
 * <pre>
 * {"timeMs":..., "intervalMs":2000, "healthChecks":true,
 *  "services":[{"key":"TCP 203.0.113.10:80", "protocol":"TCP", "address":"203.0.113.10", "port":80,
 *               "scheduler":"rr", "activeConnections":..., "inactiveConnections":...,
 *               "totals":{"connections":..,"inPackets":..,"outPackets":..,"inBytes":..,"outBytes":..},
 *               "rates":{same names, per second},
 *               "history":{"timeMs":[...], "connections":[...], "inPackets":[...], ... },
 *               "realServers":[{"address":..., "port":..., "method":"Masq", "weight":1, "activeConnections":...,
 *                               "inactiveConnections":..., "totals":{...}, "rates":{...},
 *                               "health":{"up":true, "sinceMs":..., "reason":""} or null}]}],
 *  "drops":[{"reason":"no_real_server", "total":.., "rate":..}],
 *  "dropHistory":{"timeMs":[...], "drops":[...]},
 *  "workers":[{"framesIn":.., "connections":.., "connectionCapacity":..}],
 *  "vrrp":[{"instance":"VI_1", "state":"MASTER"}]}
 * </pre>
 * {@code healthChecks} is false for a director started without a keepalived configuration; a real server the
 * checks do not know (added by jvsadm) has {@code "health":null}.
 */
final class DashboardData {
    private DashboardData() {
    }

    static String render(RateHistory.Sample sample, RateHistory history, long intervalMs) {
        DirectorReadings readings = sample.readings();
        Map<RateHistory.ServerId, RealServerHealth> health = new HashMap<>();
        if (sample.health() != null) {
            for (RealServerHealth server : sample.health()) {
                health.put(new RateHistory.ServerId(server.service(), server.address(), server.port()), server);
            }
        }
        JsonWriter json = new JsonWriter().beginObject()
                .field("timeMs", sample.timeMs())
                .field("intervalMs", intervalMs)
                .field("healthChecks", sample.health() != null);
        json.name("services").beginArray();
        for (ServiceSnapshot service : readings.services()) {
            service(json, service, sample, history, health);
        }
        json.endArray();

        json.name("drops").beginArray();
        for (Map.Entry<String, Long> drop : sample.drops().entrySet()) {
            json.beginObject().field("reason", drop.getKey()).field("total", drop.getValue())
                    .field("rate", sample.dropRates().getOrDefault(drop.getKey(), 0.0)).endObject();
        }
        json.endArray();
        List<RateHistory.Point> drops = history.dropHistory();
        json.name("dropHistory").beginObject();
        json.name("timeMs").beginArray();
        drops.forEach(point -> json.value(point.timeMs()));
        json.endArray().name("drops").beginArray();
        drops.forEach(point -> json.value(point.drops()));
        json.endArray().endObject();

        json.name("workers").beginArray();
        for (DirectorReadings.Worker worker : readings.workers()) {
            json.beginObject().field("framesIn", worker.framesIn()).field("connections", worker.connections())
                    .field("connectionCapacity", worker.connectionCapacity()).endObject();
        }
        json.endArray();
        json.name("vrrp").beginArray();
        for (Map.Entry<String, VrrpInstance.State> instance : readings.vrrp().entrySet()) {
            json.beginObject().field("instance", instance.getKey()).field("state", instance.getValue().name())
                    .endObject();
        }
        json.endArray();
        return json.endObject().toString();
    }

    private static void service(JsonWriter json, ServiceSnapshot service, RateHistory.Sample sample,
                                RateHistory history, Map<RateHistory.ServerId, RealServerHealth> health) {
        long active = 0;
        long inactive = 0;
        for (RealServerSnapshot server : service.realServers()) {
            active += server.activeConnections();
            inactive += server.inactiveConnections();
        }
        json.beginObject()
                .field("key", service.key().toString())
                .field("protocol", Protocol.name(service.key().protocol()))
                .field("address", service.key().address().toString())
                .field("port", service.key().port())
                .field("scheduler", service.scheduler())
                .field("activeConnections", active)
                .field("inactiveConnections", inactive);
        totals(json, service.stats());
        rates(json, sample.services().getOrDefault(service.key(), RateHistory.Rates.ZERO));

        List<RateHistory.Point> points = history.history(service.key());
        json.name("history").beginObject();
        json.name("timeMs").beginArray();
        points.forEach(point -> json.value(point.timeMs()));
        json.endArray();
        series(json, "connections", points, RateHistory.Rates::connections);
        series(json, "inPackets", points, RateHistory.Rates::inPackets);
        series(json, "outPackets", points, RateHistory.Rates::outPackets);
        series(json, "inBytes", points, RateHistory.Rates::inBytes);
        series(json, "outBytes", points, RateHistory.Rates::outBytes);
        json.endObject();

        json.name("realServers").beginArray();
        for (RealServerSnapshot server : service.realServers()) {
            RateHistory.ServerId id = RateHistory.id(service, server);
            json.beginObject()
                    .field("address", server.address().toString())
                    .field("port", server.port())
                    .field("method", server.method().ipvsadmName())
                    .field("weight", server.weight())
                    .field("activeConnections", server.activeConnections())
                    .field("inactiveConnections", server.inactiveConnections());
            totals(json, server.stats());
            rates(json, sample.realServers().getOrDefault(id, RateHistory.Rates.ZERO));
            RealServerHealth checked = health.get(id);
            json.name("health");
            if (checked == null) {
                json.nullValue();
            } else {
                json.beginObject().field("up", checked.up())
                        .field("sinceMs", checked.since() == null ? 0 : checked.since().toEpochMilli())
                        .field("reason", checked.reason()).endObject();
            }
            json.endObject();
        }
        json.endArray();
        json.endObject();
    }

    private static void totals(JsonWriter json, Stats stats) {
        json.name("totals").beginObject()
                .field("connections", stats.connections)
                .field("inPackets", stats.inPackets)
                .field("outPackets", stats.outPackets)
                .field("inBytes", stats.inBytes)
                .field("outBytes", stats.outBytes)
                .endObject();
    }

    private static void rates(JsonWriter json, RateHistory.Rates rates) {
        json.name("rates").beginObject()
                .field("connections", rates.connections())
                .field("inPackets", rates.inPackets())
                .field("outPackets", rates.outPackets())
                .field("inBytes", rates.inBytes())
                .field("outBytes", rates.outBytes())
                .endObject();
    }

    private static void series(JsonWriter json, String name, List<RateHistory.Point> points,
                               ToDoubleFunction<RateHistory.Rates> value) {
        json.name(name).beginArray();
        points.forEach(point -> json.value(value.applyAsDouble(point.rates())));
        json.endArray();
    }
}
