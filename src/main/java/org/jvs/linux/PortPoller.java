package org.jvs.linux;

import org.jvs.net.PacketPort;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The data-plane runner's idle strategy: sleep in poll(2) until one of the ports has frames or the timeout ends.
 * The pollfd array is built once; {@link #await} allocates nothing. Used by one thread.
 */
public final class PortPoller implements AutoCloseable {
    /* struct pollfd { int fd; short events; short revents; }; */
    private static final int POLLFD_SIZE = 8;
    private static final int POLLFD_EVENTS = 4;
    private static final int POLLFD_REVENTS = 6;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment pollFds;
    private final int count;

    /** Ports without a pollable descriptor (pollFd() below 0) are left out. */
    public PortPoller(List<? extends PacketPort> ports) {
        int[] fds = ports.stream().mapToInt(PacketPort::pollFd).filter(fd -> fd >= 0).toArray();
        count = fds.length;
        pollFds = arena.allocate((long) Math.max(1, count) * POLLFD_SIZE, 8);
        for (int i = 0; i < count; i++) {
            pollFds.set(JAVA_INT, (long) i * POLLFD_SIZE, fds[i]);
            pollFds.set(JAVA_SHORT, (long) i * POLLFD_SIZE + POLLFD_EVENTS, (short) Native.POLLIN);
        }
    }

    /**
     * Waits up to {@code timeoutMs} (0 = just check, negative = forever) for a port to become readable; returns
     * how many are, 0 on timeout or when a signal interrupted the wait.
     */
    public int await(int timeoutMs) {
        int ready = Native.poll(pollFds, count, timeoutMs);
        return Math.max(ready, 0);
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
            arena.close();
        }
    }
}
