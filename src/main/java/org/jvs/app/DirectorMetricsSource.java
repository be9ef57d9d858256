package org.jvs.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jvs.api.ControlException;
import org.jvs.api.ServiceSnapshot;
import org.jvs.core.Counter;
import org.jvs.core.Counters;
import org.jvs.core.WorkerReading;
import org.jvs.metrics.DirectorReadings;
import org.jvs.metrics.MetricsSource;
import org.jvs.net.PortCounter;
import org.jvs.vrrp.VrrpInstance;

/**
 * What {@code /metrics} shows, read where {@code ./jvs counters} and {@code jvsadm -L --stats} read it: the services
 * through the director's control API; the workers' counters, connection-table fill and the ports' driver counters
 * directly, where the data plane stores them, with no call queued to it; the guard's BPF map, the sync daemons' and VRRP instances' own state. Counters are
 * named here, from {@link Counters} and {@link PortCounter}, so the metrics know nothing of the core.
 */
final class DirectorMetricsSource implements MetricsSource {
    /** The services and their real servers, as {@code -L --stats} lists them ({@code services(null)}). */
    @FunctionalInterface
    interface ServiceSource {
        List<ServiceSnapshot> services() throws ControlException;
    }

    /** Each worker's reading, worker 0 first ({@link org.jvs.core.DataPlaneWorkers#readings()}). */
    @FunctionalInterface
    interface WorkerSource {
        List<WorkerReading> readings() throws ControlException;
    }

    /** The connection sync daemons' counters and gauges ({@link SyncDaemons}). */
    interface SyncSource {
        Map<String, Long> counters();

        Map<String, Double> gauges();
    }

    private final ServiceSource services;
    private final WorkerSource workers;
    private final CountersCommand.PortSource ports;
    private final CountersCommand.KernelDropSource guard;
    private final SyncSource sync;
    /** Set once VRRP runs (after the data plane started). */
    private volatile Supplier<Map<String, VrrpInstance.State>> vrrp = Map::of;

    DirectorMetricsSource(ServiceSource services, WorkerSource workers, CountersCommand.PortSource ports,
                          CountersCommand.KernelDropSource guard, SyncSource sync) {
        this.services = services;
        this.workers = workers;
        this.ports = ports;
        this.guard = guard;
        this.sync = sync;
    }

    void vrrp(Supplier<Map<String, VrrpInstance.State>> states) {
        this.vrrp = states;
    }

    @Override
    public DirectorReadings read() throws ControlException, IOException {
        List<WorkerReading> readings = workers.readings();
        long[] sum = new long[Counter.COUNT];
        List<DirectorReadings.Worker> perWorker = new ArrayList<>(readings.size());
        for (WorkerReading reading : readings) {
            long[] counters = reading.counters();
            for (int counter = 0; counter < sum.length && counter < counters.length; counter++) {
                sum[counter] += counters[counter];
            }
            perWorker.add(new DirectorReadings.Worker(counters[Counter.FRAMES_IN.ordinal()], reading.connections(),
                    reading.connectionCapacity()));
        }
        Map<String, Long> dataPlane = new LinkedHashMap<>();
        for (int counter = 0; counter < Counter.COUNT; counter++) {
            dataPlane.put(Counter.of(counter).label(), sum[counter]);
        }
        Map<String, Map<String, Long>> portValues = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> port : ports.portCounters().entrySet()) {
            Map<String, Long> named = new LinkedHashMap<>();
            long[] values = port.getValue();
            for (int counter = 0; counter < PortCounter.COUNT && counter < values.length; counter++) {
                named.put(PortCounter.of(counter).label(), values[counter]);
            }
            portValues.put(port.getKey(), named);
        }
        return new DirectorReadings(services.services(), dataPlane, perWorker, portValues, guard.drops(),
                vrrp.get(), sync.counters(), sync.gauges());
    }
}
