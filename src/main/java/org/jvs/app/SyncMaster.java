package org.jvs.app;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jvs.api.ControlException;
import org.jvs.api.SyncDaemonSpec;
import org.jvs.core.DataPlaneWorkers;
import org.jvs.log.Log;
import org.jvs.sync.SyncMessageWriter;
import org.jvs.sync.SyncOutbox;

/**
 * The master sync daemon (the kernel's sync_thread_master): takes the entries the workers queue, packs them into
 * IPVS sync messages of at most the daemon's maxlen and sends each to the sync group once full, or once its first
 * entry has waited {@link #FLUSH_NS} (the kernel waits up to two seconds; a takeover loses what waits). A resync
 * pages through every worker's table into the same queue, no faster than the messages go out.
 */
final class SyncMaster implements AutoCloseable {
    /** The queue between the workers and this thread: some 12 000 entries, a burst of new connections. */
    static final int OUTBOX_BYTES = 1 << 20;
    static final long FLUSH_NS = 1_000_000_000L;
    private static final long IDLE_PARK_NS = 1_000_000L;

    private final SyncDaemonSpec spec;
    private final DataPlaneWorkers control;
    private final Log log;
    private final DatagramChannel channel;
    private final InetSocketAddress group;
    private final SyncOutbox outbox = new SyncOutbox(OUTBOX_BYTES);
    private final ByteBuffer datagram;
    private final SyncMessageWriter writer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean resyncWanted = new AtomicBoolean();
    private final AtomicLong messagesSent = new AtomicLong();
    private final AtomicLong entriesSent = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private long firstEntryAtNs;
    /** When the oldest entry not yet sent was taken from the outbox; 0 when none waits (read by /metrics). */
    private volatile long pendingSinceNs;
    /** The resync in progress: the worker and the connection id it goes on from; worker -1 when none runs. */
    private int resyncWorker = -1;
    private int resyncNextId;

    private SyncMaster(SyncDaemonSpec spec, NetworkInterface network, DataPlaneWorkers control, Log log)
            throws IOException {
        this.control = control;
        this.log = log;
        this.spec = resolved(spec, network);
        group = new InetSocketAddress(spec.group().inetAddress(), spec.port());
        channel = groupChannel(spec, network);
        datagram = ByteBuffer.allocateDirect(this.spec.maxLength());
        writer = new SyncMessageWriter(MemorySegment.ofBuffer(datagram));
        writer.reset(spec.syncId());
        thread = Thread.ofPlatform().daemon().name("jvs-sync-master").unstarted(this::run);
    }

    static SyncMaster start(SyncDaemonSpec spec, NetworkInterface network, DataPlaneWorkers control,
                            Log log) throws IOException, ControlException {
        SyncMaster master = new SyncMaster(spec, network, control, log);
        control.syncTo(master.outbox);
        master.thread.start();
        log.info(String.format("Starting IPVS sync daemon master: mcast=%s, syncid=%d, maxlen=%d", spec.interfaceName(),
                spec.syncId(), master.spec.maxLength()));
        return master;
    }

    /**
     * {@code spec} with its maxlen resolved as the kernel resolves 0: the interface's MTU less the IP header of the
     * group's family and the UDP header.
     */
    static SyncDaemonSpec resolved(SyncDaemonSpec spec, NetworkInterface network) throws IOException {
        int maxLength = spec.maxLength() != 0 ? spec.maxLength()
                : SyncMessageWriter.payloadLength(network.getMTU(), !spec.group().isIpv4());
        return new SyncDaemonSpec(spec.role(), spec.interfaceName(), spec.syncId(), maxLength, spec.group(),
                spec.port(), spec.ttl());
    }

    /**
     * A UDP socket of the group's family sending to the sync group out of {@code network} with the daemon's TTL
     * (hop limit for IPv6), not looping its own messages back to this host (whose backup daemon would otherwise
     * enter what its master sent).
     */
    static DatagramChannel groupChannel(SyncDaemonSpec spec, NetworkInterface network) throws IOException {
        DatagramChannel channel = DatagramChannel.open(spec.group().isIpv4() ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6);
        try {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, network);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, spec.ttl());
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    SyncDaemonSpec spec() {
        return spec;
    }

    /** A peer asked for the whole table: starts a resync, or starts the one in progress again. */
    void resync() {
        resyncWanted.set(true);
        LockSupport.unpark(thread);
    }

    private void run() {
        while (running.get()) {
            long now = System.nanoTime();
            int work = outbox.drain(this::add, 4096);
            if (writer.count() > 0 && now - firstEntryAtNs >= FLUSH_NS) {
                send();
            }
            work += resyncStep();
            if (work == 0) {
                LockSupport.parkNanos(IDLE_PARK_NS);
            }
        }
        if (writer.count() > 0) {
            send();
        }
    }

    private void add(MemorySegment memory, long offset) {
        if (!writer.addEncoded(memory, offset)) {
            send();
            writer.addEncoded(memory, offset);
        }
        if (writer.count() == 1) {
            firstEntryAtNs = System.nanoTime();
            pendingSinceNs = firstEntryAtNs;
        }
    }

    private void send() {
        int length = writer.finish();
        datagram.clear().limit(length);
        try {
            channel.send(datagram, group);
            messagesSent.incrementAndGet();
            entriesSent.addAndGet(writer.count());
            if (log.enabled(Log.Level.DEBUG)) {
                log.debug("IPVS sync master: sent " + writer.count() + " entries (" + length + " bytes) to " + group);
            }
        } catch (IOException e) {
            if (sendErrors.getAndIncrement() == 0) {
                log.warning("IPVS sync master: cannot send to " + group + ": " + e.getMessage());
            }
        }
        writer.reset(spec.syncId());
        pendingSinceNs = 0;
    }

    /** One page of a resync, when one runs; returns the work done. */
    private int resyncStep() {
        if (resyncWanted.getAndSet(false)) {
            resyncWorker = 0;
            resyncNextId = 0;
            resyncs.incrementAndGet();
        }
        if (resyncWorker < 0) {
            return 0;
        }
        try {
            int next = control.queueAllForSync(resyncWorker, resyncNextId);
            if (next >= 0) {
                resyncNextId = next;
            } else if (++resyncWorker < control.size()) {
                resyncNextId = 0;
            } else {
                resyncWorker = -1;
            }
        } catch (ControlException e) {
            log.warning("IPVS sync master: resync stopped: " + e.getMessage());
            resyncWorker = -1;
        }
        return 1;
    }

    void counters(Map<String, Long> counters) {
        counters.put("sync_master_messages_sent", messagesSent.get());
        counters.put("sync_master_entries_sent", entriesSent.get());
        counters.put("sync_master_send_errors", sendErrors.get());
        counters.put("sync_master_resyncs", resyncs.get());
    }

    /**
     * How far a backup may lag: the age of the oldest entry waiting to be sent (IPVS holds a message for up to a
     * second before it sends it part-full) and the bytes still queued by the workers.
     */
    void gauges(Map<String, Double> gauges) {
        long since = pendingSinceNs;
        gauges.put("sync_master_pending_seconds", since == 0 ? 0 : Math.max(0, System.nanoTime() - since) / 1e9);
        gauges.put("sync_master_backlog_bytes", (double) outbox.backlogBytes());
    }

    @Override
    public void close() {
        close(true);
    }

    /**
     * Stops the daemon; {@code detach}: the workers stop queueing first. Not at shutdown: the data plane has stopped
     * and a call to it would wait for ever, while a queue left attached to a stopped data plane costs nothing.
     */
    void close(boolean detach) {
        if (detach) {
            try {
                control.syncTo(null);
            } catch (ControlException e) {
                log.warning("IPVS sync master: " + e.getMessage());
            }
        }
        running.set(false);
        LockSupport.unpark(thread);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to tell
        }
        log.info(String.format("Stopping IPVS sync daemon master: mcast=%s", spec.interfaceName()));
    }
}
