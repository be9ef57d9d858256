package org.jvs.metrics;

import java.util.List;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.jvs.api.RealServerSnapshot;
import org.jvs.api.ServiceSnapshot;
import org.jvs.service.Protocol;
import org.jvs.stats.Stats;

/**
 * node_exporter's ipvs collector (collector/ipvs_linux.go), metric for metric, so that dashboards and alerts made for
 * LVS work unchanged: the same names, help texts, types, label names and label values it derives from
 * /proc/net/ip_vs_stats and /proc/net/ip_vs.
 * <ul>
 * <li>{@code node_ipvs_connections_total}, {@code node_ipvs_incoming_packets_total},
 * {@code node_ipvs_outgoing_packets_total}, {@code node_ipvs_incoming_bytes_total},
 * {@code node_ipvs_outgoing_bytes_total}: counters without labels, the whole director's totals of ip_vs_stats. JVS
 * adds up its services' counters, so unlike the kernel's they lose what a deleted service had counted (and
 * {@code ipvsadm -Z} zeroes both alike).</li>
 * <li>{@code node_ipvs_backend_connections_active}, {@code node_ipvs_backend_connections_inactive},
 * {@code node_ipvs_backend_weight}: gauges per real server of each service, labelled as the collector labels a line
 * of /proc/net/ip_vs: {@code local_address} the VIP, {@code local_port} the virtual port, {@code remote_address}
 * and {@code remote_port} the real server, {@code proto} "TCP" or "UDP", {@code local_mark} the firewall mark of an
 * fwmark service and "" otherwise (JVS has no fwmark services: always "").</li>
 * </ul>
 */
final class IpvsMetrics {
    private IpvsMetrics() {
    }

    static void add(List<ServiceSnapshot> services, MetricSnapshots.Builder out) {
        Stats total = new Stats();
        Families.Family active = Families.gauge("node_ipvs_backend_connections_active",
                "The current active connections by local and remote address.");
        Families.Family inactive = Families.gauge("node_ipvs_backend_connections_inactive",
                "The current inactive connections by local and remote address.");
        Families.Family weight = Families.gauge("node_ipvs_backend_weight",
                "The current backend weight by local and remote address.");
        for (ServiceSnapshot service : services) {
            total.add(service.stats());
            for (RealServerSnapshot server : service.realServers()) {
                String[] labels = {
                    "local_address", service.key().address().toString(),
                    "local_port", Integer.toString(service.key().port()),
                    "remote_address", server.address().toString(),
                    "remote_port", Integer.toString(server.port()),
                    "proto", Protocol.name(service.key().protocol()),
                    "local_mark", "",
                };
                active.add(server.activeConnections(), labels);
                inactive.add(server.inactiveConnections(), labels);
                weight.add(server.weight(), labels);
            }
        }
        out.metricSnapshot(Families.counter("node_ipvs_connections", "The total number of connections made.")
                .add(total.connections).build());
        out.metricSnapshot(Families.counter("node_ipvs_incoming_packets", "The total number of incoming packets.")
                .add(total.inPackets).build());
        out.metricSnapshot(Families.counter("node_ipvs_outgoing_packets", "The total number of outgoing packets.")
                .add(total.outPackets).build());
        out.metricSnapshot(Families.counter("node_ipvs_incoming_bytes", "The total amount of incoming data.")
                .add(total.inBytes).build());
        out.metricSnapshot(Families.counter("node_ipvs_outgoing_bytes", "The total amount of outgoing data.")
                .add(total.outBytes).build());
        out.metricSnapshot(active.build());
        out.metricSnapshot(inactive.build());
        out.metricSnapshot(weight.build());
    }
}
