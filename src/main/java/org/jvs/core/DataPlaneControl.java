package org.jvs.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.RealServerSpec;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.net.PacketPort;

/**
 * The director's control API for other threads: each call is queued to the data-plane thread, which owns every
 * table, and the caller waits for the result. The data plane drains a bounded number of calls per duty cycle, so
 * a burst of commands never stalls packet processing.
 */
public final class DataPlaneControl implements DirectorControl {
    private static final long TIMEOUT_S = 10;

    private interface Operation<T> {
        T apply(DirectorConfig config) throws ControlException;
    }

    private final DirectorConfig config;
    private final ArrayBlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(1024);

    public DataPlaneControl(DirectorConfig config) {
        this.config = config;
    }

    /** Periodic housekeeping of the configuration, on the data-plane thread. */
    void sweep() {
        config.sweep();
    }

    /** Runs queued calls on the calling (data-plane) thread; returns how many ran. */
    public int drain(int limit) {
        int ran = 0;
        Runnable task;
        while (ran < limit && (task = queue.poll()) != null) {
            task.run();
            ran++;
        }
        return ran;
    }

    private <T> T call(Operation<T> operation) throws ControlException {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                result.complete(operation.apply(config));
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        };
        if (!queue.offer(task)) {
            throw new ControlException("Director busy: control queue full");
        }
        try {
            return result.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof ControlException refusal) {
                throw refusal;
            }
            throw new ControlException("Internal error: " + failed.getCause());
        } catch (TimeoutException | InterruptedException stalled) {
            throw new ControlException("Director did not answer within " + TIMEOUT_S + " s");
        }
    }

    @Override
    public void addService(ServiceSpec spec) throws ControlException {
        call(c -> { c.addService(spec); return null; });
    }

    @Override
    public void editService(ServiceSpec spec) throws ControlException {
        call(c -> { c.editService(spec); return null; });
    }

    @Override
    public void deleteService(ServiceKey key) throws ControlException {
        call(c -> { c.deleteService(key); return null; });
    }

    @Override
    public void clear() throws ControlException {
        call(c -> { c.clear(); return null; });
    }

    @Override
    public void addRealServer(ServiceKey service, RealServerSpec spec) throws ControlException {
        call(c -> { c.addRealServer(service, spec); return null; });
    }

    @Override
    public void editRealServer(ServiceKey service, RealServerSpec spec) throws ControlException {
        call(c -> { c.editRealServer(service, spec); return null; });
    }

    @Override
    public void deleteRealServer(ServiceKey service, int address, int port) throws ControlException {
        call(c -> { c.deleteRealServer(service, address, port); return null; });
    }

    @Override
    public void addLocalAddress(ServiceKey service, LocalAddressSpec spec) throws ControlException {
        call(c -> { c.addLocalAddress(service, spec); return null; });
    }

    @Override
    public void deleteLocalAddress(ServiceKey service, int address) throws ControlException {
        call(c -> { c.deleteLocalAddress(service, address); return null; });
    }

    @Override
    public void zero(ServiceKey service) throws ControlException {
        call(c -> { c.zero(service); return null; });
    }

    @Override
    public void setTimeouts(TimeoutsSpec timeouts) throws ControlException {
        call(c -> { c.setTimeouts(timeouts); return null; });
    }

    @Override
    public void setSetting(String name, int value) throws ControlException {
        call(c -> { c.setSetting(name, value); return null; });
    }

    @Override
    public TimeoutsSpec timeouts() throws ControlException {
        return call(DirectorConfig::timeouts);
    }

    @Override
    public List<ServiceSnapshot> services(ServiceKey service) throws ControlException {
        return call(c -> c.services(service));
    }

    @Override
    public List<ConnectionSnapshot> connections() throws ControlException {
        return call(DirectorConfig::connections);
    }

    /**
     * A copy of the director's {@link Counters}, indexed by their constants, taken on the data-plane thread: the
     * counters are plain longs it alone writes, so another thread reading them directly could see stale values.
     */
    public long[] counters() throws ControlException {
        return call(DirectorConfig::counters);
    }

    /**
     * Each port's driver counters ({@link org.jvs.net.PortCounters}) by interface name, read on the data-plane
     * thread that alone writes them.
     */
    public Map<String, long[]> portCounters(List<? extends PacketPort> ports) throws ControlException {
        return call(c -> {
            Map<String, long[]> values = new LinkedHashMap<>();
            for (PacketPort port : ports) {
                values.put(port.name(), port.counters());
            }
            return values;
        });
    }
}
