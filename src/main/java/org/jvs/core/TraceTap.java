package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jvs.conn.ConnectionTable;

/**
 * {@code ./jvs trace} inside one worker: copies the frames of the traced service's connections (protocol, VIP,
 * port, and client address unless 0), as received before any rewrite and as sent after it, into a ring another
 * thread drains. The director keeps its frames to itself: its TX ring bypasses the qdisc, so an AF_PACKET tap on
 * the director's interfaces never sees what it sends, and only the director knows which frames on the real-server
 * side belong to the traced connections (full-NAT local ports, IPIP, DR's unchanged addresses). Installed and
 * removed by a control call; the data plane pays one null check per packet when none is. Recording allocates
 * nothing: each frame is copied, cut at {@link #snapLength()}, into a one-to-one ring claimed in place; when the
 * ring is full the frame is counted as lost. Ends by itself at {@code expiresAtNs} (the data-plane clock), so a
 * trace whose reader died does not go on.
 * <p>
 * Record layout: nowNs (8), ifindex (4), direction (4), original length (4), captured length (4), then the bytes.
 */
public final class TraceTap {
    public static final int RECEIVED = 0;
    public static final int SENT = 1;
    static final int HEADER = 24;
    private static final int FRAME = 1;

    private final int protocol;
    private final int vip;
    private final int vport;
    private final int client;
    private final long expiresAtNs;
    private final int snapLength;
    private final MemorySegment memory;
    private final OneToOneRingBuffer ring;
    private final AtomicLong lost = new AtomicLong();

    /** {@code client} 0: every client; {@code capacityBytes}: a power of two. */
    public TraceTap(int protocol, int vip, int vport, int client, long expiresAtNs, int snapLength,
                    int capacityBytes) {
        this.protocol = protocol;
        this.vip = vip;
        this.vport = vport;
        this.client = client;
        this.expiresAtNs = expiresAtNs;
        this.snapLength = snapLength;
        memory = Arena.ofAuto().allocate(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH, 64);
        ring = new OneToOneRingBuffer(new UnsafeBuffer(memory.address(), (int) memory.byteSize()));
        if (HEADER + snapLength > ring.maxMsgLength()) {
            throw new IllegalArgumentException("a trace ring of " + capacityBytes + " bytes cannot hold frames of "
                    + snapLength);
        }
    }

    /** Whether connection {@code id} is one of the traced service's (and client's). */
    boolean matches(ConnectionTable connections, int id) {
        return connections.protocol(id) == protocol && connections.virtualAddress(id) == vip
                && connections.virtualPort(id) == vport && (client == 0 || connections.clientAddress(id) == client);
    }

    /** Whether a client packet with no connection (dropped, or not scheduled) is one the trace asks for. */
    boolean matches(int packetProtocol, int source, int destination, int destinationPort) {
        return packetProtocol == protocol && destination == vip && destinationPort == vport
                && (client == 0 || source == client);
    }

    boolean expired(long nowNs) {
        return nowNs - expiresAtNs > 0;
    }

    public int snapLength() {
        return snapLength;
    }

    /** Frames the ring had no room for. */
    public long lost() {
        return lost.get();
    }

    /** Copies the frame (at most {@link #snapLength()} bytes of it) into the ring; data-plane thread only. */
    void record(long nowNs, int ifindex, int direction, MemorySegment frame, long offset, int length) {
        int captured = Math.min(length, snapLength);
        int index = ring.tryClaim(FRAME, HEADER + captured);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY) {
            lost.incrementAndGet();
            return;
        }
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, index, nowNs);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, index + 8, ifindex);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, index + 12, direction);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, index + 16, length);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, index + 20, captured);
        MemorySegment.copy(frame, offset, memory, index + HEADER, captured);
        ring.commit(index);
    }

    /** One recorded frame, as the reader gets it. */
    public record Frame(long nowNs, int ifindex, int direction, int originalLength, byte[] bytes) {
    }

    /** What the reader does with each frame. */
    @FunctionalInterface
    public interface FrameHandler {
        void onFrame(Frame frame);
    }

    /** Hands up to {@code limit} recorded frames to {@code handler}, oldest first; one reader thread at a time. */
    public int drain(FrameHandler handler, int limit) {
        int drained = 0;
        for (int pass = 0; pass < 2 && drained < limit; pass++) {
            drained += ring.read((type, buffer, index, length) -> {
                int captured = memory.get(ValueLayout.JAVA_INT_UNALIGNED, index + 20);
                byte[] bytes = new byte[captured];
                MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, index + HEADER, bytes, 0, captured);
                handler.onFrame(new Frame(memory.get(ValueLayout.JAVA_LONG_UNALIGNED, index),
                        memory.get(ValueLayout.JAVA_INT_UNALIGNED, index + 8),
                        memory.get(ValueLayout.JAVA_INT_UNALIGNED, index + 12),
                        memory.get(ValueLayout.JAVA_INT_UNALIGNED, index + 16), bytes));
            }, limit - drained);
        }
        return drained;
    }
}
