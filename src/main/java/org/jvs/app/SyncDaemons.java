package org.jvs.app;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvs.api.ControlException;
import org.jvs.api.SyncDaemonControl;
import org.jvs.api.SyncDaemonSpec;
import org.jvs.core.DataPlaneWorkers;
import org.jvs.log.Log;

/**
 * The director's connection-sync daemons, as IPVS runs them (ip_vs_sync.c): at most one master, which sends the
 * entries the data plane queues to the sync group, and one backup, which enters what it receives. Both may run at
 * once, as in IPVS; keepalived's {@code lvs_sync_daemon} runs both, so a pair of JVS directors syncs both ways and
 * a director that took over keeps its peer up to date once it returns. Beyond IPVS, a backup asks the group for a
 * resync when it starts (and {@link #requestResync()} when it becomes master), and a master that hears the request
 * sends its whole table, so a director that restarts does not wait for the connections to change to know them.
 */
public final class SyncDaemons implements SyncDaemonControl, DirectorMetricsSource.SyncSource, AutoCloseable {
    private final DataPlaneWorkers control;
    private final Log log;
    private SyncMaster master;
    private SyncBackup backup;

    public SyncDaemons(DataPlaneWorkers control, Log log) {
        this.control = control;
        this.log = log;
    }

    @Override
    public synchronized void startDaemon(SyncDaemonSpec spec) throws ControlException {
        boolean isMaster = spec.role() == SyncDaemonSpec.Role.MASTER;
        if (isMaster ? master != null : backup != null) {
            throw new ControlException("Daemon has already run");
        }
        NetworkInterface network = networkInterface(spec.interfaceName());
        try {
            if (isMaster) {
                master = SyncMaster.start(spec, network, control, log);
            } else {
                backup = SyncBackup.start(spec, network, control, this::resyncRequested, log);
            }
        } catch (IOException e) {
            throw new ControlException("Cannot start the " + spec.role().word() + " sync daemon on "
                    + spec.interfaceName() + ": " + e.getMessage());
        }
    }

    private static NetworkInterface networkInterface(String name) throws ControlException {
        try {
            NetworkInterface network = NetworkInterface.getByName(name);
            if (network == null) {
                throw new ControlException("No such device: " + name);
            }
            return network;
        } catch (SocketException e) {
            throw new ControlException("No such device: " + name + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public synchronized void stopDaemon(SyncDaemonSpec.Role role) throws ControlException {
        if (role == SyncDaemonSpec.Role.MASTER) {
            if (master == null) {
                throw new ControlException("No daemon is running");
            }
            master.close();
            master = null;
        } else {
            if (backup == null) {
                throw new ControlException("No daemon is running");
            }
            backup.close();
            backup = null;
        }
    }

    @Override
    public synchronized List<SyncDaemonSpec> daemons() {
        List<SyncDaemonSpec> running = new ArrayList<>(2);
        if (master != null) {
            running.add(master.spec());
        }
        if (backup != null) {
            running.add(backup.spec());
        }
        return running;
    }

    /** Asks the peers for their whole tables (a director that just became master); no-op without a backup. */
    public synchronized void requestResync() {
        if (backup != null) {
            backup.requestResync();
        }
    }

    private synchronized void resyncRequested(int syncId) {
        if (master != null && (syncId == 0 || syncId == master.spec().syncId())) {
            master.resync();
        }
    }

    /** {@code name value} lines of the daemons' counters, for {@code ./jvs counters}. */
    public List<String> counterLines() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Long> counter : counters().entrySet()) {
            lines.add(counter.getKey() + " " + counter.getValue());
        }
        return lines;
    }

    /** The running daemons' counters by name (master's first), for {@code ./jvs counters} and /metrics. */
    @Override
    public synchronized Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        if (master != null) {
            master.counters(counters);
        }
        if (backup != null) {
            backup.counters(counters);
        }
        return counters;
    }

    /** The running daemons' gauges by name: how far behind a backup may be, and when a backup last heard. */
    @Override
    public synchronized Map<String, Double> gauges() {
        Map<String, Double> gauges = new LinkedHashMap<>();
        if (master != null) {
            master.gauges(gauges);
        }
        if (backup != null) {
            backup.gauges(gauges);
        }
        return gauges;
    }

    /** At the director's shutdown, after its data plane stopped. */
    @Override
    public synchronized void close() {
        if (master != null) {
            master.close(false);
            master = null;
        }
        if (backup != null) {
            backup.close();
            backup = null;
        }
    }
}
