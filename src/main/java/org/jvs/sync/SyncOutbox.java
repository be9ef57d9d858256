package org.jvs.sync;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.TcpState;
import org.jvs.service.ForwardingMethod;

/**
 * The queue from the data-plane workers to the master sync daemon (the kernel's per-daemon sync buffer queue):
 * each worker encodes the entries it syncs straight into a many-to-one ring as sync-message entries, wire format
 * and all, and the daemon's thread copies them into messages. Nothing is allocated on either side; when the ring
 * is full the entry is not synced and the worker counts it, as the kernel drops past sync_qlen_max.
 */
public final class SyncOutbox {
    private static final int ENTRY = 1;

    private final MemorySegment memory;
    private final ManyToOneRingBuffer ring;

    /** {@code capacityBytes}: a power of two. */
    public SyncOutbox(int capacityBytes) {
        memory = Arena.ofAuto().allocate(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH, 64);
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(memory.address(), (int) memory.byteSize()));
    }

    /** What the daemon does with each queued entry: it lies at {@code offset} of {@code memory}. */
    public interface EntryHandler {
        void onEntry(MemorySegment memory, long offset);
    }

    /** Hands up to {@code limit} queued entries to {@code handler}, oldest first; returns how many. */
    public int drain(EntryHandler handler, int limit) {
        int drained = 0;
        // one read stops at the end of the ring's buffer (passing over padding there counts as nothing read);
        // a second goes on from its start
        for (int pass = 0; pass < 2 && drained < limit; pass++) {
            drained += ring.read((type, buffer, index, length) -> handler.onEntry(memory, index), limit - drained);
        }
        return drained;
    }

    /** Bytes queued and not yet drained; any thread (the sync lag /metrics shows). */
    public int backlogBytes() {
        return ring.size();
    }

    /** A writer for one data-plane thread (its encoder is that thread's own). */
    public Writer writer() {
        return new Writer();
    }

    /** Encodes connection-table entries into the outbox. */
    public final class Writer {
        private final SyncEntryEncoder encoder = new SyncEntryEncoder();

        private Writer() {
        }

        /**
         * Queues entry {@code id} as it is now, an IPv6 one as {@code struct ip_vs_sync_v6} (a NAT64 connection's
         * IPv4 real server and local address IPv4-mapped, see {@link SyncConnection6}); false when the outbox is full.
         */
        public boolean offer(ConnectionTable connections, int id) {
            boolean ipv6 = connections.ipv6(id);
            int index = ring.tryClaim(ENTRY, ipv6 ? SyncEntryEncoder.MAX_LENGTH6 : SyncEntryEncoder.MAX_LENGTH);
            if (index == RingBuffer.INSUFFICIENT_CAPACITY) {
                return false;
            }
            ForwardingMethod method = connections.forwardingMethod(id);
            boolean template = connections.template(id);
            int flags = switch (method) {
                case MASQ, FULLNAT -> SyncConnection.F_MASQ;
                case TUNNEL -> SyncConnection.F_TUNNEL;
                case ROUTE -> SyncConnection.F_DROUTE;
            };
            if (template) {
                flags |= SyncConnection.F_TEMPLATE;
            } else {
                flags |= (connections.inactive(id) ? SyncConnection.F_INACTIVE : 0)
                        | (connections.noOutput(id) ? SyncConnection.F_NOOUTPUT : 0);
            }
            int state = connections.state(id);
            int protocol = connections.protocol(id);
            int wireState = state == TcpState.UDP ? 0 : state;
            int timeoutS = connections.timeoutSeconds(id);
            if (ipv6) {
                encoder.wrap6(memory, index)
                        .connection(protocol, flags, wireState, 0, timeoutS)
                        .client6(connections.clientHi(id), connections.clientLo(id), connections.clientPort(id))
                        .virtual6(connections.virtualHi(id), connections.virtualLo(id), connections.virtualPort(id))
                        .destination6(connections.realHi(id), connections.realLo(id), connections.realPort(id));
            } else {
                encoder.wrap(memory, index)
                        .connection(protocol, flags, wireState, 0, timeoutS)
                        .client(connections.clientAddress(id), connections.clientPort(id))
                        .virtual(connections.virtualAddress(id), connections.virtualPort(id))
                        .destination(connections.realAddress(id), connections.realPort(id));
            }
            boolean fullNat = method == ForwardingMethod.FULLNAT && !template;
            int proxyVersion = template ? 0 : connections.proxyProtocol(id);
            if (fullNat || proxyVersion != 0) {
                int localPort = fullNat ? connections.localPort(id) : 0;
                if (ipv6) {
                    encoder.directorState6(fullNat ? connections.localHi(id) : 0,
                            fullNat ? connections.localLo(id) : 0, localPort, proxyVersion, connections.clientIsn(id));
                } else {
                    encoder.directorState(fullNat ? connections.localAddress(id) : 0, localPort, proxyVersion,
                            connections.clientIsn(id));
                }
            }
            ring.commit(index);
            return true;
        }
    }
}
