package org.jvs.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * A metric family being filled for one scrape: its points are kept with their labels and become the Prometheus
 * client's snapshot, points sorted by label values as node_exporter's registry sorts them. A counter's name is given
 * without {@code _total}: the client's text format adds it.
 */
final class Families {
    private Families() {
    }

    static Family counter(String name, String help) {
        return new Family(name, help, true);
    }

    static Family gauge(String name, String help) {
        return new Family(name, help, false);
    }

    static final class Family {
        private final String name;
        private final String help;
        private final boolean counter;
        private final List<Point> points = new ArrayList<>();

        private Family(String name, String help, boolean counter) {
            this.name = name;
            this.help = help;
            this.counter = counter;
        }

        /** A point with {@code labels} as name, value, name, value ...; none for an unlabelled metric. */
        Family add(double value, String... labels) {
            points.add(new Point(Labels.of(labels), value));
            return this;
        }

        MetricSnapshot build() {
            points.sort(Comparator.comparing(Point::labels));
            if (counter) {
                CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
                for (Point point : points) {
                    builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(point.labels)
                            .value(point.value).build());
                }
                return builder.build();
            }
            GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
            for (Point point : points) {
                builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(point.labels)
                        .value(point.value).build());
            }
            return builder.build();
        }
    }

    private record Point(Labels labels, double value) {
    }
}
