package org.jvs.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.RealServerSpec;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.conn.ConnectionTable;
import org.jvs.net.Doorbell;
import org.jvs.net.PacketPort;

/**
 * The director's control API for other threads: each call is queued to the data-plane thread, which owns every
 * table, and the caller waits for the result. The data plane drains a bounded number of calls per duty cycle, so
 * a burst of commands never stalls packet processing.
 * <p>
 * The contract: a call is applied and answered, or refused with nothing changed. A caller that gives up waiting
 * withdraws its call first; if the data plane already took it, the caller waits for it to finish instead of
 * reporting a timeout for a change that then happens anyway. A listing of connections goes page by page, one
 * queued call per page, so a full table never holds the data plane for longer than one page's scan. Calls travel
 * on a bounded lock-free many-to-one queue (Agrona's), each with a correlation id that a refusal names.
 */
public final class DataPlaneControl implements DirectorControl {
    private static final long DEFAULT_TIMEOUT_MS = 10_000;
    /** Connection ids a listing scans per call: a few hundred microseconds of the data plane at most. */
    static final int LISTING_PAGE_IDS = 16_384;

    /** What a call does on the data-plane thread. */
    interface Operation<T> {
        T apply(DirectorConfig config) throws ControlException;
    }

    /** One queued call: taken by the data plane, or withdrawn by its caller, whichever comes first. */
    private static final class Call<T> implements Runnable {
        private static final int QUEUED = 0;
        private static final int TAKEN = 1;
        private static final int WITHDRAWN = 2;

        private final long correlationId;
        private final Operation<T> operation;
        private final DirectorConfig config;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private final AtomicInteger state = new AtomicInteger(QUEUED);

        Call(long correlationId, Operation<T> operation, DirectorConfig config) {
            this.correlationId = correlationId;
            this.operation = operation;
            this.config = config;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(QUEUED, TAKEN)) {
                return;
            }
            try {
                result.complete(operation.apply(config));
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        }

        boolean withdraw() {
            return state.compareAndSet(QUEUED, WITHDRAWN);
        }
    }

    private final DirectorConfig config;
    private final long timeoutMs;
    private final ManyToOneConcurrentArrayQueue<Runnable> queue = new ManyToOneConcurrentArrayQueue<>(1024);
    private final AtomicLong nextCorrelationId = new AtomicLong(1);
    private volatile Doorbell doorbell = Doorbell.NONE;

    public DataPlaneControl(DirectorConfig config) {
        this(config, DEFAULT_TIMEOUT_MS);
    }

    DataPlaneControl(DirectorConfig config, long timeoutMs) {
        this.config = config;
        this.timeoutMs = timeoutMs;
    }

    /** How a queued call wakes the data plane if it is waiting for frames. */
    public void doorbell(Doorbell doorbell) {
        this.doorbell = doorbell;
    }

    /** Periodic housekeeping of the configuration, on the data-plane thread. */
    void sweep() {
        config.sweep();
    }

    /** Runs queued calls on the calling (data-plane) thread; returns how many ran (withdrawn ones included). */
    public int drain(int limit) {
        int ran = 0;
        Runnable task;
        while (ran < limit && (task = queue.poll()) != null) {
            task.run();
            ran++;
        }
        return ran;
    }

    <T> T call(Operation<T> operation) throws ControlException {
        return call(operation, true);
    }

    /**
     * A call that must happen because other workers already applied it: never withdrawn, however long this
     * worker takes (a worker stalls only as long as one duty cycle does).
     */
    <T> T callToTheEnd(Operation<T> operation) throws ControlException {
        return call(operation, false);
    }

    private <T> T call(Operation<T> operation, boolean mayWithdraw) throws ControlException {
        Call<T> call = new Call<>(nextCorrelationId.getAndIncrement(), operation, config);
        if (!queue.offer(call)) {
            throw new ControlException("Director busy: control queue full; call " + call.correlationId
                    + " refused, nothing was changed");
        }
        doorbell.ring();
        if (!mayWithdraw) {
            try {
                return call.result.join(); // not interruptible: the other workers have this change already
            } catch (java.util.concurrent.CompletionException failed) {
                if (failed.getCause() instanceof ControlException refusal) {
                    throw refusal;
                }
                throw new ControlException("Internal error: " + failed.getCause());
            }
        }
        try {
            try {
                return call.result.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stalled) {
                if (call.withdraw()) {
                    throw new ControlException("Director did not answer call " + call.correlationId + " within "
                            + (timeoutMs % 1000 == 0 ? timeoutMs / 1000 + " s" : timeoutMs + " ms")
                            + "; nothing was changed");
                }
                // the data plane took it: it is being applied, so its outcome is the answer
                return call.result.get();
            }
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof ControlException refusal) {
                throw refusal;
            }
            throw new ControlException("Internal error: " + failed.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            if (call.withdraw()) {
                throw new ControlException("Interrupted before the director answered; nothing was changed");
            }
            throw new ControlException("Interrupted while the director applied the change");
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
    public void deleteRealServer(ServiceKey service, IpAddress address, int port) throws ControlException {
        call(c -> { c.deleteRealServer(service, address, port); return null; });
    }

    @Override
    public void addLocalAddress(ServiceKey service, LocalAddressSpec spec) throws ControlException {
        call(c -> { c.addLocalAddress(service, spec); return null; });
    }

    @Override
    public void deleteLocalAddress(ServiceKey service, IpAddress address) throws ControlException {
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
    public void standby(IpAddress address, boolean standby) throws ControlException {
        call(c -> { c.standby(address, standby); return null; });
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
        List<ConnectionSnapshot> all = new ArrayList<>();
        int fromId = 0;
        while (fromId >= 0) {
            int from = fromId;
            DirectorConfig.ConnectionPage page = call(c -> c.connections(from, LISTING_PAGE_IDS));
            all.addAll(page.connections());
            fromId = page.nextId();
        }
        return all;
    }

    /**
     * A copy of the director's {@link Counters}, indexed by {@link Counter} ordinal, read on the calling thread: the
     * data plane stores each with release semantics, so no call is queued to it.
     */
    public long[] counters() {
        return config.counters();
    }

    /**
     * The counters with the connection table's fill and size, all read directly: a scrape neither waits for nor
     * disturbs the data plane, and still answers when it is stuck.
     */
    public WorkerReading reading() {
        ConnectionTable table = config.director().connections();
        return new WorkerReading(counters(), table.sizeFromAnyThread(), table.capacity());
    }

    /**
     * Each port's driver counters ({@link org.jvs.net.PortCounter}) by interface name, read directly: the drivers
     * keep them where any thread reads them, so a busy or stuck data plane still shows what it lost.
     */
    public static Map<String, long[]> portCounters(List<? extends PacketPort> ports) {
        Map<String, long[]> values = new LinkedHashMap<>();
        for (PacketPort port : ports) {
            values.put(port.name(), port.counters());
        }
        return values;
    }
}
