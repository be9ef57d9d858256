package org.jvs.app;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import org.jvs.api.ControlException;
import org.jvs.api.SyncDaemonSpec;
import org.jvs.core.DataPlaneWorkers;
import org.jvs.log.Log;
import org.jvs.sync.SyncConnection;
import org.jvs.sync.SyncConnection6;
import org.jvs.sync.SyncMessageReader;
import org.jvs.sync.SyncMessageWriter;

/**
 * The backup sync daemon (the kernel's sync_thread_backup): joins the sync group on its interface, reads each
 * message with the kernel's checks (a syncid of 0 takes any master's) and has the data plane enter its entries.
 * A resync request heard in the group goes to {@code resyncRequests} (the local master answers it); this daemon
 * sends one itself when it starts and when asked, from the same socket, so peers hear it on the sync interface.
 */
final class SyncBackup implements AutoCloseable {
    private final SyncDaemonSpec spec;
    private final DataPlaneWorkers control;
    private final IntConsumer resyncRequests;
    private final Log log;
    private final DatagramChannel channel;
    private final InetSocketAddress group;
    private final Thread thread;
    private final AtomicLong messagesReceived = new AtomicLong();
    /** Wall-clock milliseconds of the last message heard; 0 before the first. */
    private volatile long lastMessageAtMs;
    private final AtomicLong entriesApplied = new AtomicLong();
    private final AtomicLong messagesRefused = new AtomicLong();
    private final AtomicLong resyncRequestsSent = new AtomicLong();
    private final AtomicLong resyncRequestsHeard = new AtomicLong();
    private volatile boolean running = true;

    private SyncBackup(SyncDaemonSpec spec, NetworkInterface network, DataPlaneWorkers control,
                       IntConsumer resyncRequests, Log log) throws IOException {
        this.spec = SyncMaster.resolved(spec, network);
        this.control = control;
        this.resyncRequests = resyncRequests;
        this.log = log;
        group = new InetSocketAddress(spec.group().inetAddress(), spec.port());
        channel = SyncMaster.groupChannel(spec, network);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(spec.port()));
            channel.join(group.getAddress(), network);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        thread = Thread.ofPlatform().daemon().name("jvs-sync-backup").unstarted(this::run);
    }

    static SyncBackup start(SyncDaemonSpec spec, NetworkInterface network, DataPlaneWorkers control,
                            IntConsumer resyncRequests, Log log) throws IOException {
        SyncBackup backup = new SyncBackup(spec, network, control, resyncRequests, log);
        backup.thread.start();
        log.info(String.format("Starting IPVS sync daemon backup: mcast=%s, syncid=%d", spec.interfaceName(),
                spec.syncId()));
        backup.requestResync();
        return backup;
    }

    SyncDaemonSpec spec() {
        return spec;
    }

    /** Asks the group's masters for their whole tables. */
    void requestResync() {
        ByteBuffer request = ByteBuffer.allocateDirect(64);
        int length = new SyncMessageWriter(MemorySegment.ofBuffer(request)).resyncRequest(spec.syncId());
        request.limit(length);
        try {
            channel.send(request, group);
            resyncRequestsSent.incrementAndGet();
        } catch (IOException e) {
            log.warning("IPVS sync backup: cannot ask for a resync: " + e.getMessage());
        }
    }

    private void run() {
        ByteBuffer datagram = ByteBuffer.allocateDirect(65536);
        MemorySegment memory = MemorySegment.ofBuffer(datagram);
        List<SyncConnection> entries = new ArrayList<>();
        List<SyncConnection6> entries6 = new ArrayList<>();
        while (running) {
            datagram.clear();
            try {
                channel.receive(datagram);
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                log.warning("IPVS sync backup: " + e.getMessage());
                continue;
            }
            MemorySegment message = memory.asSlice(0, datagram.position());
            messagesReceived.incrementAndGet();
            lastMessageAtMs = System.currentTimeMillis();
            if (SyncMessageReader.isResyncRequest(message, SyncMessageReader.ANY_SYNCID)) {
                resyncRequestsHeard.incrementAndGet();
                resyncRequests.accept(SyncMessageReader.syncid(message));
                continue;
            }
            entries.clear();
            entries6.clear();
            int result = SyncMessageReader.read(message, spec.syncId(), entries::add, entries6::add);
            if (result < 0 && result != SyncMessageReader.ERR_OTHER_SYNCID) {
                messagesRefused.incrementAndGet();
            }
            if (!entries.isEmpty() || !entries6.isEmpty()) {
                try {
                    int applied = (entries.isEmpty() ? 0 : control.applySynced(List.copyOf(entries)))
                            + (entries6.isEmpty() ? 0 : control.applySynced6(List.copyOf(entries6)));
                    entriesApplied.addAndGet(applied);
                    if (log.enabled(Log.Level.DEBUG)) {
                        log.debug("IPVS sync backup: applied " + applied + " of "
                                + (entries.size() + entries6.size()) + " entries");
                    }
                } catch (ControlException e) {
                    log.warning("IPVS sync backup: " + e.getMessage());
                }
            }
        }
    }

    /** When the master was last heard, as Prometheus timestamps go (alert on {@code time() - x}); 0 before that. */
    void gauges(Map<String, Double> gauges) {
        gauges.put("sync_backup_last_message_timestamp_seconds", lastMessageAtMs / 1000.0);
    }

    void counters(Map<String, Long> counters) {
        counters.put("sync_backup_messages_received", messagesReceived.get());
        counters.put("sync_backup_entries_applied", entriesApplied.get());
        counters.put("sync_backup_messages_refused", messagesRefused.get());
        counters.put("sync_backup_resync_requests_sent", resyncRequestsSent.get());
        counters.put("sync_backup_resync_requests_heard", resyncRequestsHeard.get());
    }

    @Override
    public void close() {
        running = false;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to tell
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info(String.format("Stopping IPVS sync daemon backup: mcast=%s", spec.interfaceName()));
    }
}
