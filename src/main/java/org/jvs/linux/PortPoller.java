package org.jvs.linux;

import org.jvs.net.Doorbell;
import org.jvs.net.PacketPort;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The data-plane runner's idle strategy: sleep in poll(2) until one of the ports has frames, the worker's
 * {@link Doorbell} rings (an eventfd polled beside the ports: a control call or a handed-over frame is waiting), or
 * the timeout ends. The pollfd array is built once; {@link #await} allocates nothing. {@link #await} is for the
 * worker's thread; {@link #ring} for any.
 */
public final class PortPoller implements Doorbell, AutoCloseable {
    /* struct pollfd { int fd; short events; short revents; }; */
    private static final int POLLFD_SIZE = 8;
    private static final int POLLFD_EVENTS = 4;
    private static final int POLLFD_REVENTS = 6;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment pollFds;
    private final int count;
    private final int doorbellFd;
    /** The 1 a ring adds to the eventfd's counter (read-only after construction: any thread may write it). */
    private final MemorySegment one;
    /** Where the waiting thread reads the counter back to 0. */
    private final MemorySegment taken;

    /** Ports without a pollable descriptor (pollFd() below 0) are left out. */
    public PortPoller(List<? extends PacketPort> ports) throws IOException {
        int[] fds = ports.stream().mapToInt(PacketPort::pollFd).filter(fd -> fd >= 0).toArray();
        count = fds.length;
        doorbellFd = (int) Native.check(Native.eventfd(0, Native.EFD_NONBLOCK | Native.EFD_CLOEXEC), "eventfd");
        pollFds = arena.allocate((long) (count + 1) * POLLFD_SIZE, 8);
        for (int i = 0; i < count; i++) {
            pollFds.set(JAVA_INT, (long) i * POLLFD_SIZE, fds[i]);
            pollFds.set(JAVA_SHORT, (long) i * POLLFD_SIZE + POLLFD_EVENTS, (short) Native.POLLIN);
        }
        pollFds.set(JAVA_INT, (long) count * POLLFD_SIZE, doorbellFd);
        pollFds.set(JAVA_SHORT, (long) count * POLLFD_SIZE + POLLFD_EVENTS, (short) Native.POLLIN);
        one = arena.allocate(JAVA_LONG);
        one.set(JAVA_LONG, 0, 1L);
        taken = arena.allocate(JAVA_LONG);
    }

    /**
     * Waits up to {@code timeoutMs} (0 = just check, negative = forever) for a port to become readable or the
     * doorbell to ring; returns how many of them did, 0 on timeout or when a signal interrupted the wait. A ring is
     * answered here (the eventfd read back to 0): the caller's next duty cycle finds what it was rung for.
     */
    public int await(int timeoutMs) {
        int ready = Native.poll(pollFds, count + 1, timeoutMs);
        if (ready > 0 && (pollFds.get(JAVA_SHORT, (long) count * POLLFD_SIZE + POLLFD_REVENTS) & Native.POLLIN) != 0) {
            Native.read(doorbellFd, taken, JAVA_LONG.byteSize());
        }
        return Math.max(ready, 0);
    }

    /**
     * Wakes the thread in {@link #await}, or makes its next await return at once. The eventfd stays readable until
     * that await reads it, so a ring between the worker's last look at its queues and its wait is never lost.
     */
    @Override
    public void ring() {
        // EAGAIN only when the counter is about to overflow: it is readable then anyway
        Native.write(doorbellFd, one, JAVA_LONG.byteSize());
    }

    /** After {@link #await}: whether the i-th polled port (in construction order, pollable ones only) had input. */
    public boolean readable(int index) {
        return (pollFds.get(JAVA_SHORT, (long) index * POLLFD_SIZE + POLLFD_REVENTS) & Native.POLLIN) != 0;
    }

    public int size() {
        return count;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            Native.close(doorbellFd);
            arena.close();
        }
    }
}
