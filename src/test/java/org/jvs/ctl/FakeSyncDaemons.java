package org.jvs.ctl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.jvs.api.ControlException;
import org.jvs.api.SyncDaemonControl;
import org.jvs.api.SyncDaemonSpec;

/** Sync daemons answering as the kernel's start_sync_thread/stop_sync_thread do, through libipvs's messages. */
final class FakeSyncDaemons implements SyncDaemonControl {
    private final Set<String> interfaces;
    private final List<SyncDaemonSpec> running = new ArrayList<>();
    /** When set, listing fails with it, as a lost netlink answer would. */
    String listingFailure;

    FakeSyncDaemons(String... interfaces) {
        this.interfaces = Set.of(interfaces);
    }

    @Override
    public synchronized void startDaemon(SyncDaemonSpec spec) throws ControlException {
        if (find(spec.role()) != null) {
            throw new ControlException("Daemon has already run");
        }
        if (!interfaces.contains(spec.interfaceName())) {
            throw new ControlException("No such device");
        }
        running.add(spec);
    }

    @Override
    public synchronized void stopDaemon(SyncDaemonSpec.Role role) throws ControlException {
        SyncDaemonSpec daemon = find(role);
        if (daemon == null) {
            throw new ControlException("No daemon is running");
        }
        running.remove(daemon);
    }

    @Override
    public synchronized List<SyncDaemonSpec> daemons() throws ControlException {
        if (listingFailure != null) {
            throw new ControlException(listingFailure);
        }
        List<SyncDaemonSpec> ordered = new ArrayList<>(running);
        ordered.sort(Comparator.comparing(SyncDaemonSpec::role));
        return ordered;
    }

    private SyncDaemonSpec find(SyncDaemonSpec.Role role) {
        return running.stream().filter(d -> d.role() == role).findFirst().orElse(null);
    }
}
