package org.jvs.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntBiFunction;
import java.util.function.ToIntFunction;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.net.PacketPort;
import org.jvs.stats.Stats;
import org.jvs.sync.SyncConnection;
import org.jvs.sync.SyncConnection6;
import org.jvs.sync.SyncOutbox;

/**
 * The control API of a director whose data plane runs on several workers, each with its own replica of the
 * configuration and its own shard of the connections. A change goes to worker 0 first: refused there, it is
 * refused with nothing changed anywhere; applied there, it is then applied on every other worker, which cannot
 * refuse what an identical replica accepted, and is never withdrawn. Changes are serialised here, so every worker
 * applies them in the same order; the replicas share what must be one for the whole director ({@link SharedParts}):
 * rr's and wrr's position in their sequence and each real server's connection counts, so that rr and wrr keep
 * one sequence and the least-connection schedulers and thresholds weigh every worker's connections. Persistence
 * templates live with their connections on the worker their client address steers to (see {@link SteeringRules}). After a change the steering rules of worker 0 go to {@code steering} (the kernel's
 * fanout program). Listings add up the workers: a service's and real server's counters, rates and connection
 * counts are sums, the connections are every worker's, and so are the counters.
 */
public final class DataPlaneWorkers implements DirectorControl {
    private final List<DataPlaneControl> workers;
    private final Consumer<SteeringRules> steering;
    private final Object changes = new Object();

    public DataPlaneWorkers(List<DataPlaneControl> workers, Consumer<SteeringRules> steering) {
        if (workers.isEmpty()) {
            throw new IllegalArgumentException("no workers");
        }
        this.workers = List.copyOf(workers);
        this.steering = steering;
    }

    public int size() {
        return workers.size();
    }

    private interface Change {
        void apply(DirectorConfig config) throws ControlException;
    }

    private void change(Change change, boolean steers) throws ControlException {
        synchronized (changes) {
            SharedParts parts = SharedParts.recording();
            SteeringRules rules = workers.get(0).call(c -> c.sharing(parts, applying(change)));
            for (int i = 1; i < workers.size(); i++) {
                SharedParts replay = parts.replay();
                try {
                    workers.get(i).callToTheEnd(c -> c.sharing(replay, applying(change)));
                } catch (ControlException refused) {
                    throw new ControlException("Internal error: worker " + i + " refused what worker 0 applied: "
                            + refused.getMessage());
                }
            }
            if (steers) {
                steering.accept(rules);
            }
        }
    }

    private static DataPlaneControl.Operation<SteeringRules> applying(Change change) {
        return c -> {
            change.apply(c);
            return c.steeringRules();
        };
    }

    @Override
    public void addService(ServiceSpec spec) throws ControlException {
        change(c -> c.addService(spec), true);
    }

    @Override
    public void editService(ServiceSpec spec) throws ControlException {
        change(c -> c.editService(spec), true);
    }

    @Override
    public void deleteService(ServiceKey key) throws ControlException {
        change(c -> c.deleteService(key), true);
    }

    @Override
    public void clear() throws ControlException {
        change(DirectorConfig::clear, true);
    }

    @Override
    public void addRealServer(ServiceKey service, RealServerSpec spec) throws ControlException {
        change(c -> c.addRealServer(service, spec), true);
    }

    @Override
    public void editRealServer(ServiceKey service, RealServerSpec spec) throws ControlException {
        change(c -> c.editRealServer(service, spec), true);
    }

    @Override
    public void deleteRealServer(ServiceKey service, IpAddress address, int port) throws ControlException {
        change(c -> c.deleteRealServer(service, address, port), true);
    }

    @Override
    public void addLocalAddress(ServiceKey service, LocalAddressSpec spec) throws ControlException {
        change(c -> c.addLocalAddress(service, spec), true);
    }

    @Override
    public void deleteLocalAddress(ServiceKey service, IpAddress address) throws ControlException {
        change(c -> c.deleteLocalAddress(service, address), true);
    }

    @Override
    public void zero(ServiceKey service) throws ControlException {
        change(c -> c.zero(service), false);
    }

    @Override
    public void setTimeouts(TimeoutsSpec timeouts) throws ControlException {
        change(c -> c.setTimeouts(timeouts), false);
    }

    @Override
    public void setSetting(String name, int value) throws ControlException {
        change(c -> c.setSetting(name, value), false);
    }

    @Override
    public void standby(IpAddress address, boolean standby) throws ControlException {
        change(c -> c.standby(address, standby), false);
    }

    /** Makes every worker queue what it syncs to {@code outbox} (a master sync daemon started), or stop with null. */
    public void syncTo(SyncOutbox outbox) throws ControlException {
        synchronized (changes) {
            for (DataPlaneControl worker : workers) {
                worker.callToTheEnd(c -> {
                    c.director().syncTo(outbox);
                    return null;
                });
            }
        }
    }

    /**
     * Enters what a peer synced, each entry on the worker its connection steers to (worker 0's rules say which);
     * returns how many were applied, the rest refused and counted.
     */
    public int applySynced(List<SyncConnection> entries) throws ControlException {
        return applyOnOwners(entries,
                (rules, e) -> rules.owner(e.protocol(), e.clientAddress(), e.clientPort(), e.virtualAddress(),
                        e.virtualPort()),
                Director::applySynced);
    }

    /** As {@link #applySynced} for IPv6 entries (struct ip_vs_sync_v6). */
    public int applySynced6(List<SyncConnection6> entries) throws ControlException {
        return applyOnOwners(entries,
                (rules, e) -> rules.owner6(e.protocol(), e.clientHi(), e.clientLo(), e.clientPort(), e.virtualHi(),
                        e.virtualLo(), e.virtualPort()),
                Director::applySynced6);
    }

    private <E> int applyOnOwners(List<E> entries, ToIntBiFunction<SteeringRules, E> ownerOf,
                                  BiPredicate<Director, E> apply) throws ControlException {
        if (workers.size() == 1) {
            return workers.get(0).call(c -> applyAll(c.director(), entries, apply));
        }
        int[] owners = workers.get(0).call(c -> {
            SteeringRules rules = c.director().steering();
            int[] owner = new int[entries.size()];
            for (int i = 0; i < owner.length; i++) {
                owner[i] = Math.max(0, ownerOf.applyAsInt(rules, entries.get(i)));
            }
            return owner;
        });
        List<List<E>> byWorker = new ArrayList<>();
        for (int w = 0; w < workers.size(); w++) {
            byWorker.add(new ArrayList<>());
        }
        for (int i = 0; i < owners.length; i++) {
            byWorker.get(owners[i]).add(entries.get(i));
        }
        int applied = 0;
        for (int w = 0; w < workers.size(); w++) {
            List<E> own = byWorker.get(w);
            if (!own.isEmpty()) {
                applied += workers.get(w).call(c -> applyAll(c.director(), own, apply));
            }
        }
        return applied;
    }

    private static <E> int applyAll(Director director, List<E> entries, BiPredicate<Director, E> apply) {
        int applied = 0;
        for (E entry : entries) {
            applied += apply.test(director, entry) ? 1 : 0;
        }
        return applied;
    }

    /**
     * For a peer's resync: queues worker {@code worker}'s live entries, a page of ids from {@code fromId} on, to
     * the sync outbox; returns the id to go on from, or -1 when that worker's table is done.
     */
    public int queueAllForSync(int worker, int fromId) throws ControlException {
        return workers.get(worker).call(c -> c.director().queueAllForSync(fromId, DataPlaneControl.LISTING_PAGE_IDS));
    }

    /**
     * {@code ./jvs explain}: the client's connection to VIP:VPORT on the worker that owns it (by the steering
     * rules; every worker in turn when {@code clientPort} is {@link FlowExplainer#ANY_PORT}, -1), else what a new
     * one would meet there. One queued call per worker asked; nothing changes.
     */
    public FlowExplanation explain(int protocol, int client, int clientPort, int vip, int vport)
            throws ControlException {
        int port = clientPort < 0 ? FlowExplainer.ANY_PORT : clientPort;
        return explain(port, rules -> rules.owner(protocol, client, Math.max(0, port), vip, vport),
                director -> FlowExplainer.existing(director, protocol, client, port, vip, vport),
                director -> FlowExplainer.hypothetical(director, protocol, client, port, vip, vport));
    }

    /** As {@link #explain} for an IPv6 client of an IPv6 VIP, on the worker {@link SteeringRules#owner6} names. */
    public FlowExplanation explain6(int protocol, long clientHi, long clientLo, int clientPort, long vipHi, long vipLo,
                                    int vport) throws ControlException {
        int port = clientPort < 0 ? FlowExplainer.ANY_PORT : clientPort;
        return explain(port, rules -> rules.owner6(protocol, clientHi, clientLo, Math.max(0, port), vipHi, vipLo,
                        vport),
                director -> FlowExplainer.existing6(director, protocol, clientHi, clientLo, port, vipHi, vipLo, vport),
                director -> FlowExplainer.hypothetical6(director, protocol, clientHi, clientLo, port, vipHi, vipLo,
                        vport));
    }

    /**
     * The flow's existing connection on its owner (on any worker for {@link FlowExplainer#ANY_PORT}), else what a
     * new one would meet there.
     */
    private FlowExplanation explain(int port, ToIntFunction<SteeringRules> ownerOf,
                                    Function<Director, FlowExplanation> existing,
                                    Function<Director, FlowExplanation> hypothetical) throws ControlException {
        int owner = workers.get(0).call(c -> ownerOf.applyAsInt(c.director().steering()));
        owner = owner == SteeringRules.ANY ? 0 : owner;
        if (port == FlowExplainer.ANY_PORT) {
            for (DataPlaneControl worker : workers) {
                FlowExplanation found = worker.call(c -> existing.apply(c.director()));
                if (found != null) {
                    return found;
                }
            }
        }
        return workers.get(owner).call(c -> {
            FlowExplanation found = existing.apply(c.director());
            return found != null ? found : hypothetical.apply(c.director());
        });
    }

    /**
     * Starts {@code ./jvs trace} on every worker, each with its own tap made by {@code taps} (one ring per worker,
     * so each has one writer); replaces a trace already running. Returns the taps, worker 0's first.
     */
    public List<TraceTap> trace(java.util.function.IntFunction<TraceTap> taps) throws ControlException {
        List<TraceTap> started = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            TraceTap tap = taps.apply(i);
            workers.get(i).callToTheEnd(c -> {
                c.director().trace(tap);
                return null;
            });
            started.add(tap);
        }
        return started;
    }

    /** Ends the running trace on every worker. */
    public void stopTrace() throws ControlException {
        for (DataPlaneControl worker : workers) {
            worker.callToTheEnd(c -> {
                c.director().trace(null);
                return null;
            });
        }
    }

    /** Worker 0's rules, for the first steering program. */
    public SteeringRules steeringRules() throws ControlException {
        return workers.get(0).call(DirectorConfig::steeringRules);
    }

    @Override
    public TimeoutsSpec timeouts() throws ControlException {
        return workers.get(0).timeouts();
    }

    @Override
    public List<ServiceSnapshot> services(ServiceKey service) throws ControlException {
        List<ServiceSnapshot> sum = workers.get(0).services(service);
        for (int i = 1; i < workers.size(); i++) {
            Map<ServiceKey, ServiceSnapshot> byKey = new HashMap<>();
            for (ServiceSnapshot snapshot : workers.get(i).services(service)) {
                byKey.put(snapshot.key(), snapshot);
            }
            List<ServiceSnapshot> added = new ArrayList<>(sum.size());
            for (ServiceSnapshot snapshot : sum) {
                ServiceSnapshot other = byKey.get(snapshot.key());
                added.add(other == null ? snapshot : add(snapshot, other));
            }
            sum = added;
        }
        return sum;
    }

    private static ServiceSnapshot add(ServiceSnapshot a, ServiceSnapshot b) {
        List<RealServerSnapshot> servers = new ArrayList<>(a.realServers().size());
        for (RealServerSnapshot server : a.realServers()) {
            RealServerSnapshot same = null;
            for (RealServerSnapshot candidate : b.realServers()) {
                if (candidate.address().equals(server.address()) && candidate.port() == server.port()) {
                    same = candidate;
                }
            }
            servers.add(same == null ? server : new RealServerSnapshot(server.address(), server.port(),
                    server.method(), server.weight(), server.upperThreshold(), server.lowerThreshold(),
                    server.activeConnections() + same.activeConnections(),
                    server.inactiveConnections() + same.inactiveConnections(),
                    server.persistentConnections() + same.persistentConnections(), add(server.stats(), same.stats()),
                    server.tunnel()));
        }
        return new ServiceSnapshot(a.key(), a.scheduler(), a.schedulerFlags(), a.persistenceTimeoutS(),
                a.persistenceNetmask(), a.onePacket(), a.proxyProtocol(), add(a.stats(), b.stats()), servers,
                a.localAddresses());
    }

    private static Stats add(Stats a, Stats b) {
        Stats sum = new Stats();
        a.copyTo(sum);
        sum.add(b);
        return sum;
    }

    @Override
    public List<ConnectionSnapshot> connections() throws ControlException {
        List<ConnectionSnapshot> all = new ArrayList<>();
        for (DataPlaneControl worker : workers) {
            all.addAll(worker.connections());
        }
        return all;
    }

    /** The director's {@link Counters}, summed over the workers, read directly (no call queued to any worker). */
    public long[] counters() {
        long[] sum = null;
        for (DataPlaneControl worker : workers) {
            long[] counters = worker.counters();
            if (sum == null) {
                sum = counters;
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += counters[i];
                }
            }
        }
        return sum;
    }

    /** Each worker's own counters and connection table, worker 0 first; read directly, no call queued. */
    public List<WorkerReading> readings() {
        List<WorkerReading> readings = new ArrayList<>(workers.size());
        for (DataPlaneControl worker : workers) {
            readings.add(worker.reading());
        }
        return readings;
    }

    /**
     * Each interface's driver counters summed over the workers' ports on it; {@code portsByWorker.get(i)} are
     * worker i's ports.
     */
    public Map<String, long[]> portCounters(List<? extends List<? extends PacketPort>> portsByWorker) {
        Map<String, long[]> sum = new LinkedHashMap<>();
        for (List<? extends PacketPort> ports : portsByWorker) {
            for (Map.Entry<String, long[]> port : DataPlaneControl.portCounters(ports).entrySet()) {
                long[] total = sum.get(port.getKey());
                if (total == null) {
                    sum.put(port.getKey(), port.getValue());
                } else {
                    for (int c = 0; c < total.length; c++) {
                        total[c] += port.getValue()[c];
                    }
                }
            }
        }
        return sum;
    }
}
