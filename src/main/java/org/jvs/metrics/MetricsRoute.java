package org.jvs.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.jvs.http.HttpEndpoint;

/**
 * {@code GET /metrics}: the registry's metrics in Prometheus' text exposition format 0.0.4 (as node_exporter answers
 * a scraper that accepts text), written by the Prometheus Java client. A scrape the director cannot answer gets 503
 * with the reason, so Prometheus marks the target down instead of recording zeros.
 */
public final class MetricsRoute implements HttpHandler {
    public static final String PATH = "/metrics";

    private final PrometheusRegistry registry;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public MetricsRoute(PrometheusRegistry registry) {
        this.registry = registry;
    }

    /** A registry holding the director's metrics alone, read from {@code source} on each scrape. */
    public static MetricsRoute of(MetricsSource source) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new DirectorCollector(source));
        return new MetricsRoute(registry);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            HttpEndpoint.sendText(exchange, 405, "405 Method Not Allowed: " + method + " (expected GET)\n");
            return;
        }
        MetricSnapshots snapshots;
        try {
            snapshots = registry.scrape();
        } catch (DirectorCollector.Unavailable unavailable) {
            HttpEndpoint.sendText(exchange, 503, "503 Service Unavailable: " + unavailable.getMessage() + "\n");
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writer.write(body, snapshots);
        exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
        if ("HEAD".equals(method)) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.size());
        try (OutputStream out = exchange.getResponseBody()) {
            body.writeTo(out);
        }
    }
}
