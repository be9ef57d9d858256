package org.jvs.metrics;

import java.util.List;
import java.util.Map;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.jvs.api.RealServerSnapshot;
import org.jvs.api.ServiceSnapshot;
import org.jvs.service.Protocol;
import org.jvs.stats.Stats;
import org.jvs.vrrp.VrrpInstance;

/**
 * JVS's own metrics, beside node_exporter's (see the README's list):
 * <ul>
 * <li>per virtual service ({@code protocol}, {@code virtual_address}, {@code virtual_port}) and per real server (the
 * same and {@code real_address}, {@code real_port}): {@code ipvsadm -L --stats}' counters as
 * {@code jvs_service_*_total} and {@code jvs_real_server_*_total}, and a real server's weight and connection counts
 * as gauges;</li>
 * <li>every data-plane counter ({@code ./jvs counters}' names, so a new counter shows up by itself): a drop reason
 * {@code drop_X} as {@code jvs_dataplane_drops_total{reason="X"}} (one family, so their sum is every drop), any
 * other counter {@code C} as {@code jvs_dataplane_C_total};</li>
 * <li>each worker's frames and connection table ({@code worker}), each interface's driver counters
 * ({@code jvs_port_C_total{interface}}), the kernel guard's drops, each VRRP instance's state (1 for the state it
 * is in, 0 for the others, as node_exporter's systemd unit states), the sync daemons' counters.</li>
 * </ul>
 */
final class JvsMetrics {
    private static final String DROP = "drop_";
    private static final Map<String, String> SYNC_GAUGE_HELP = Map.of(
            "sync_master_pending_seconds", "How long the oldest connection update not yet sent to the backups has"
                    + " waited (a part-full sync message waits up to a second): how far behind a backup may be.",
            "sync_master_backlog_bytes", "Connection updates the data-plane workers queued for the sync master and"
                    + " it has not yet taken, in bytes.",
            "sync_backup_last_message_timestamp_seconds", "When the sync backup last heard a sync message (Unix"
                    + " time; 0 before the first): alert on time() minus this.");

    private JvsMetrics() {
    }

    static void add(DirectorReadings readings, MetricSnapshots.Builder out) {
        addServices(readings.services(), out);
        addDataPlane(readings.dataPlane(), out);
        addWorkers(readings.workers(), out);
        addPorts(readings.ports(), out);
        out.metricSnapshot(Families.counter("jvs_guard_drops",
                "Frames the kernel guard dropped at tc ingress so the host's stack neither answers nor forwards them.")
                .add(readings.guardDrops()).build());
        addVrrp(readings.vrrp(), out);
        for (Map.Entry<String, Long> counter : readings.sync().entrySet()) {
            out.metricSnapshot(Families.counter("jvs_" + counter.getKey(), "The connection sync daemon's "
                    + counter.getKey() + " (./jvs counters).").add(counter.getValue()).build());
        }
        for (Map.Entry<String, Double> gauge : readings.syncGauges().entrySet()) {
            out.metricSnapshot(Families.gauge("jvs_" + gauge.getKey(), SYNC_GAUGE_HELP.getOrDefault(gauge.getKey(),
                    "The connection sync daemon's " + gauge.getKey() + ".")).add(gauge.getValue()).build());
        }
    }

    private static void addServices(List<ServiceSnapshot> services, MetricSnapshots.Builder out) {
        StatsFamilies serviceStats = new StatsFamilies("jvs_service", "virtual service");
        StatsFamilies serverStats = new StatsFamilies("jvs_real_server", "real server");
        Families.Family weight = Families.gauge("jvs_real_server_weight", "A real server's weight (0: quiesced).");
        Families.Family active = Families.gauge("jvs_real_server_active_connections",
                "A real server's active connections (ipvsadm's ActiveConn).");
        Families.Family inactive = Families.gauge("jvs_real_server_inactive_connections",
                "A real server's inactive connections (ipvsadm's InActConn).");
        Families.Family persistent = Families.gauge("jvs_real_server_persistent_connections",
                "A real server's persistence templates (ipvsadm's --persistent-conn PersistConn).");
        for (ServiceSnapshot service : services) {
            String[] serviceLabels = {
                "protocol", Protocol.name(service.key().protocol()),
                "virtual_address", service.key().address().toString(),
                "virtual_port", Integer.toString(service.key().port()),
            };
            serviceStats.add(service.stats(), serviceLabels);
            for (RealServerSnapshot server : service.realServers()) {
                String[] labels = {
                    serviceLabels[0], serviceLabels[1], serviceLabels[2], serviceLabels[3], serviceLabels[4],
                    serviceLabels[5],
                    "real_address", server.address().toString(),
                    "real_port", Integer.toString(server.port()),
                };
                serverStats.add(server.stats(), labels);
                weight.add(server.weight(), labels);
                active.add(server.activeConnections(), labels);
                inactive.add(server.inactiveConnections(), labels);
                persistent.add(server.persistentConnections(), labels);
            }
        }
        serviceStats.build(out);
        serverStats.build(out);
        out.metricSnapshot(weight.build());
        out.metricSnapshot(active.build());
        out.metricSnapshot(inactive.build());
        out.metricSnapshot(persistent.build());
    }

    /** The five counters of {@link Stats} for one kind of object. */
    private static final class StatsFamilies {
        final Families.Family connections;
        final Families.Family inPackets;
        final Families.Family outPackets;
        final Families.Family inBytes;
        final Families.Family outBytes;

        StatsFamilies(String prefix, String what) {
            connections = Families.counter(prefix + "_connections", "Connections scheduled to the " + what + ".");
            inPackets = Families.counter(prefix + "_in_packets", "Packets from clients to the " + what + ".");
            outPackets = Families.counter(prefix + "_out_packets", "Packets from the " + what + " to clients.");
            inBytes = Families.counter(prefix + "_in_bytes", "Bytes from clients to the " + what + ".");
            outBytes = Families.counter(prefix + "_out_bytes", "Bytes from the " + what + " to clients.");
        }

        void add(Stats stats, String[] labels) {
            connections.add(stats.connections, labels);
            inPackets.add(stats.inPackets, labels);
            outPackets.add(stats.outPackets, labels);
            inBytes.add(stats.inBytes, labels);
            outBytes.add(stats.outBytes, labels);
        }

        void build(MetricSnapshots.Builder out) {
            out.metricSnapshot(connections.build());
            out.metricSnapshot(inPackets.build());
            out.metricSnapshot(outPackets.build());
            out.metricSnapshot(inBytes.build());
            out.metricSnapshot(outBytes.build());
        }
    }

    private static void addDataPlane(Map<String, Long> counters, MetricSnapshots.Builder out) {
        Families.Family drops = Families.counter("jvs_dataplane_drops",
                "Frames the data plane dropped, by reason (./jvs counters' drop_REASON).");
        for (Map.Entry<String, Long> counter : counters.entrySet()) {
            String name = counter.getKey();
            if (name.startsWith(DROP)) {
                drops.add(counter.getValue(), "reason", name.substring(DROP.length()));
            } else {
                out.metricSnapshot(Families.counter("jvs_dataplane_" + name, "The data plane's " + name
                        + " (./jvs counters).").add(counter.getValue()).build());
            }
        }
        if (!counters.isEmpty()) {
            out.metricSnapshot(drops.build());
        }
    }

    private static void addWorkers(List<DirectorReadings.Worker> workers, MetricSnapshots.Builder out) {
        if (workers.isEmpty()) {
            return;
        }
        Families.Family frames = Families.counter("jvs_worker_frames_in", "Frames a data-plane worker received.");
        Families.Family entries = Families.gauge("jvs_connection_table_entries",
                "Entries in a worker's connection table, persistence templates included.");
        Families.Family capacity = Families.gauge("jvs_connection_table_capacity",
                "The entries a worker's connection table holds at most (./jvs director --connections).");
        for (int worker = 0; worker < workers.size(); worker++) {
            DirectorReadings.Worker reading = workers.get(worker);
            String label = Integer.toString(worker);
            frames.add(reading.framesIn(), "worker", label);
            entries.add(reading.connections(), "worker", label);
            capacity.add(reading.connectionCapacity(), "worker", label);
        }
        out.metricSnapshot(frames.build());
        out.metricSnapshot(entries.build());
        out.metricSnapshot(capacity.build());
    }

    private static void addPorts(Map<String, Map<String, Long>> ports, MetricSnapshots.Builder out) {
        Map<String, Families.Family> families = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Long>> port : ports.entrySet()) {
            for (Map.Entry<String, Long> counter : port.getValue().entrySet()) {
                families.computeIfAbsent(counter.getKey(), name -> Families.counter("jvs_port_" + name,
                        "An attached interface's driver counter " + name + " (./jvs counters)."))
                        .add(counter.getValue(), "interface", port.getKey());
            }
        }
        for (Families.Family family : families.values()) {
            out.metricSnapshot(family.build());
        }
    }

    private static void addVrrp(Map<String, VrrpInstance.State> instances, MetricSnapshots.Builder out) {
        if (instances.isEmpty()) {
            return;
        }
        Families.Family state = Families.gauge("jvs_vrrp_state",
                "1 for the state a vrrp_instance is in, 0 for the others.");
        for (Map.Entry<String, VrrpInstance.State> instance : instances.entrySet()) {
            for (VrrpInstance.State each : VrrpInstance.State.values()) {
                state.add(each == instance.getValue() ? 1 : 0, "instance", instance.getKey(), "state", each.name());
            }
        }
        out.metricSnapshot(state.build());
    }
}
