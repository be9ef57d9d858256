package org.jvs.net;

/**
 * A driver's view of one interface: a source of received frames and a sink for frames to send.
 * AF_PACKET implements it today; a faster driver (AF_XDP) can replace it without the core noticing.
 */
public interface PacketPort extends AutoCloseable {

    int ifindex();

    /** The interface's name, as `jvs counters` labels this port's counters. */
    String name();

    /** Delivers up to {@code limit} received frames to the handler without blocking; returns how many. */
    int receive(FrameHandler handler, int limit);

    /** Queues one frame for transmission (copied); false when it could not be queued. */
    default boolean send(java.lang.foreign.MemorySegment frame, long offset, int length) {
        return send(frame, offset, length, 0);
    }

    /**
     * Queues one frame whose checksum or segmentation is left to the kernel, {@code flags} as in
     * {@link FrameHandler} (0: a plain frame); false when it could not be queued.
     */
    boolean send(java.lang.foreign.MemorySegment frame, long offset, int length, int flags);

    /** Pushes queued frames to the kernel. */
    void flush();

    /**
     * This port's {@link PortCounter} since it opened, indexed by their constants; any thread, without a call queued
     * to the data plane that receives and sends (a driver keeps them in {@link PortCounters}).
     */
    long[] counters();

    /** A file descriptor a runner can poll for readability, or -1 for ports that cannot be polled. */
    int pollFd();

    @Override
    void close();
}
