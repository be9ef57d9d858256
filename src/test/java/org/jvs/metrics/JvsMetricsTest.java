package org.jvs.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;

import org.jvs.api.ControlException;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.http.HttpEndpoint;
import org.jvs.http.HttpSettings;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.stats.Stats;
import org.jvs.vrrp.VrrpInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

class JvsMetricsTest {

    private static Stats stats(long connections, long inPackets, long outPackets, long inBytes, long outBytes) {
        Stats stats = new Stats();
        stats.connections = connections;
        stats.inPackets = inPackets;
        stats.outPackets = outPackets;
        stats.inBytes = inBytes;
        stats.outBytes = outBytes;
        return stats;
    }

    private static DirectorReadings readings() {
        RealServerSnapshot server = new RealServerSnapshot(Ipv4.parse("10.0.0.2"), 8080, ForwardingMethod.MASQ, 3, 0, 0,
                4, 5, 6, stats(7, 70, 60, 7000, 6000));
        ServiceSnapshot service = new ServiceSnapshot(new ServiceKey(Protocol.UDP, Ipv4.parse("192.0.2.10"), 53), "rr",
                "", 0, 0, stats(8, 80, 61, 8000, 6100), List.of(server));
        Map<String, Long> dataPlane = new LinkedHashMap<>();
        dataPlane.put("frames_in", 100L);
        dataPlane.put("drop_no_route", 2L);
        dataPlane.put("drop_table_full", 0L);
        Map<String, Map<String, Long>> ports = new LinkedHashMap<>();
        ports.put("eth0", Map.of("rx_ring_drops", 12L));
        ports.put("eth1", Map.of("rx_ring_drops", 0L));
        return new DirectorReadings(List.of(service), dataPlane,
                List.of(new DirectorReadings.Worker(60, 3, 1024), new DirectorReadings.Worker(40, 1, 1024)), ports, 9,
                Map.of("VI_1", VrrpInstance.State.BACKUP), Map.of("sync_master_messages_sent", 11L),
                Map.of("sync_master_pending_seconds", 0.25, "sync_master_backlog_bytes", 96.0));
    }

    private static List<String> lines(DirectorReadings readings) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, new DirectorCollector(() -> readings).collect());
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void shouldShowEachServiceAndRealServersCountersByAddressPortAndProtocol() throws IOException {
        assertThat(lines(readings())).contains(
                "jvs_service_connections_total{protocol=\"UDP\",virtual_address=\"192.0.2.10\",virtual_port=\"53\"} 8.0",
                "jvs_service_in_packets_total{protocol=\"UDP\",virtual_address=\"192.0.2.10\",virtual_port=\"53\"} 80.0",
                "jvs_service_out_bytes_total{protocol=\"UDP\",virtual_address=\"192.0.2.10\",virtual_port=\"53\"} 6100.0",
                "jvs_real_server_in_bytes_total{protocol=\"UDP\",real_address=\"10.0.0.2\",real_port=\"8080\","
                        + "virtual_address=\"192.0.2.10\",virtual_port=\"53\"} 7000.0",
                "jvs_real_server_persistent_connections{protocol=\"UDP\",real_address=\"10.0.0.2\",real_port=\"8080\","
                        + "virtual_address=\"192.0.2.10\",virtual_port=\"53\"} 6.0",
                "node_ipvs_backend_connections_inactive{local_address=\"192.0.2.10\",local_mark=\"\",local_port=\"53\","
                        + "proto=\"UDP\",remote_address=\"10.0.0.2\",remote_port=\"8080\"} 5.0",
                "node_ipvs_outgoing_bytes_total 6100.0");
    }

    @Test
    void shouldShowEveryDataPlaneCounterWithDropsAsOneFamilyByReason() throws IOException {
        assertThat(lines(readings())).contains(
                "# TYPE jvs_dataplane_frames_in_total counter",
                "jvs_dataplane_frames_in_total 100.0",
                "# TYPE jvs_dataplane_drops_total counter",
                "jvs_dataplane_drops_total{reason=\"no_route\"} 2.0",
                "jvs_dataplane_drops_total{reason=\"table_full\"} 0.0");
    }

    @Test
    void shouldShowWorkersPortsGuardVrrpAndSync() throws IOException {
        assertThat(lines(readings())).contains(
                "jvs_worker_frames_in_total{worker=\"0\"} 60.0",
                "jvs_worker_frames_in_total{worker=\"1\"} 40.0",
                "jvs_connection_table_entries{worker=\"0\"} 3.0",
                "jvs_connection_table_capacity{worker=\"1\"} 1024.0",
                "jvs_port_rx_ring_drops_total{interface=\"eth0\"} 12.0",
                "jvs_port_rx_ring_drops_total{interface=\"eth1\"} 0.0",
                "jvs_guard_drops_total 9.0",
                "jvs_vrrp_state{instance=\"VI_1\",state=\"BACKUP\"} 1.0",
                "jvs_vrrp_state{instance=\"VI_1\",state=\"MASTER\"} 0.0",
                "jvs_sync_master_messages_sent_total 11.0");
    }

    @Test
    void shouldShowHowFarBehindTheSyncBackupsMayBeAsGauges() throws IOException {
        assertThat(lines(readings())).contains(
                "# TYPE jvs_sync_master_pending_seconds gauge",
                "jvs_sync_master_pending_seconds 0.25",
                "# TYPE jvs_sync_master_backlog_bytes gauge",
                "jvs_sync_master_backlog_bytes 96.0");
    }

    @Test
    void shouldAnswer503WhenTheDirectorCannotBeRead() throws Exception {
        HttpResponse<String> response = get(MetricsRoute.of(() -> {
            throw new ControlException("the data plane did not answer within 10000 ms");
        }), "GET");

        assertEquals(503, response.statusCode());
        assertEquals("503 Service Unavailable: the data plane did not answer within 10000 ms\n", response.body());
    }

    @Test
    void shouldAnswer405ToAnythingButGet() throws Exception {
        HttpResponse<String> response = get(MetricsRoute.of(JvsMetricsTest::readings), "POST");

        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(""));
    }

    private static HttpResponse<String> get(MetricsRoute route, String method) throws IOException, InterruptedException {
        try (HttpEndpoint endpoint = HttpEndpoint.bind(new HttpSettings(new InetSocketAddress("127.0.0.1", 0), null));
             HttpClient client = HttpClient.newHttpClient()) {
            endpoint.route(MetricsRoute.PATH, route);
            endpoint.start();
            return client.send(HttpRequest.newBuilder(URI.create("http://" + HttpSettings.text(endpoint.address())
                            + MetricsRoute.PATH)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
