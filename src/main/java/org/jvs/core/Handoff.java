package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jvs.net.Doorbell;
import org.jvs.net.FrameHandler;

/**
 * Frames passed between data-plane workers, as DPVS redirects a packet to the core that owns its connection: each
 * worker has an inbox, a lock-free many-to-one ring of frames (Agrona's), that any worker copies into and its owner
 * drains in its duty cycle. Used for what the kernel's steering cannot place (ICMP errors, datagrams reassembled
 * from fragments) and to tell every worker what one learnt from ARP. Allocates nothing per frame.
 */
public final class Handoff {
    private static final int FRAME_MESSAGE = 1;
    /** Before the frame's bytes: its ifindex and flags. */
    private static final int HEADER = 8;

    private final ManyToOneRingBuffer[] inboxes;
    private final Drain[] drains;
    private final Doorbell[] doorbells;

    /** Inboxes of {@code capacityBytes} (a power of two, at least 8 times the largest frame) for each worker. */
    public Handoff(int workers, int capacityBytes) {
        inboxes = new ManyToOneRingBuffer[workers];
        drains = new Drain[workers];
        doorbells = new Doorbell[workers];
        java.util.Arrays.fill(doorbells, Doorbell.NONE);
        Arena arena = Arena.ofAuto();
        for (int i = 0; i < workers; i++) {
            MemorySegment memory = arena.allocate(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH, 64);
            inboxes[i] = new ManyToOneRingBuffer(new UnsafeBuffer(memory.address(), (int) memory.byteSize()));
            drains[i] = new Drain(memory);
        }
    }

    /** How a frame sent to worker wakes it if it is waiting; set before the workers start. */
    public void doorbell(int worker, Doorbell doorbell) {
        doorbells[worker] = doorbell;
    }

    public int workers() {
        return inboxes.length;
    }

    /** Copies the frame into {@code worker}'s inbox; false when it is full (or the frame too large for it). */
    public boolean send(int worker, int ifindex, MemorySegment frame, long offset, int length, int flags) {
        RingBuffer inbox = inboxes[worker];
        if (HEADER + length > inbox.maxMsgLength()) {
            return false;
        }
        int index = inbox.tryClaim(FRAME_MESSAGE, HEADER + length);
        if (index < 0) {
            return false;
        }
        MutableDirectBuffer buffer = inbox.buffer();
        buffer.putInt(index, ifindex);
        buffer.putInt(index + Integer.BYTES, flags);
        MemorySegment.copy(frame, offset, drains[worker].memory, index + HEADER, length);
        inbox.commit(index);
        doorbells[worker].ring();
        return true;
    }

    /** Hands up to {@code limit} frames of {@code worker}'s inbox to {@code handler}; returns how many. */
    public int drain(int worker, FrameHandler handler, int limit) {
        Drain drain = drains[worker];
        drain.handler = handler;
        return inboxes[worker].read(drain, limit);
    }

    /** One per inbox, made once, so a drain allocates nothing. */
    private static final class Drain implements MessageHandler {
        final MemorySegment memory;
        FrameHandler handler;

        Drain(MemorySegment memory) {
            this.memory = memory;
        }

        @Override
        public void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
            handler.onFrame(buffer.getInt(index), memory, index + HEADER, length - HEADER,
                    buffer.getInt(index + Integer.BYTES));
        }
    }
}
