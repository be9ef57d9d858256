package org.jvs.metrics;

import java.io.IOException;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.jvs.api.ControlException;

/**
 * Collects on scrape: each {@link #collect} reads the director once through {@link MetricsSource} and turns the
 * readings into node_exporter's ipvs metrics ({@link IpvsMetrics}) and JVS's own ({@link JvsMetrics}). Nothing is
 * counted on the packet path for it.
 */
public final class DirectorCollector implements MultiCollector {
    private final MetricsSource source;

    public DirectorCollector(MetricsSource source) {
        this.source = source;
    }

    @Override
    public MetricSnapshots collect() {
        DirectorReadings readings;
        try {
            readings = source.read();
        } catch (ControlException | IOException failed) {
            throw new Unavailable(failed.getMessage(), failed);
        }
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        IpvsMetrics.add(readings.services(), out);
        JvsMetrics.add(readings, out);
        return out.build();
    }

    /** The director did not answer (e.g. its data plane is stopping): the scrape fails rather than show zeros. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
