package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.jvs.linux.Tpacket.BIG_ENDIAN_SHORT;
import static org.jvs.linux.Tpacket.ETH_P_ALL;
import static org.jvs.linux.Tpacket.SLL_FAMILY;
import static org.jvs.linux.Tpacket.SLL_IFINDEX;
import static org.jvs.linux.Tpacket.SLL_PROTOCOL;
import static org.jvs.linux.Tpacket.SOCKADDR_LL;

/**
 * A receive-only AF_PACKET socket on one interface, as tcpdump opens one: every frame the interface sends or
 * receives, each with the kernel's timestamp, so frames captured in different namespaces can be put in the order
 * they happened. For watching a few frames (the demo), not for the data plane: one copy and two syscalls per frame.
 * Opened in the calling thread's network namespace; used by one thread.
 */
public final class FrameCapture implements AutoCloseable {
    /** SIOCGSTAMPNS: the timestamp of the last frame received, as a struct timespec. */
    private static final long SIOCGSTAMPNS = 0x8907;
    private static final int TIMESPEC_SIZE = 16;
    private static final int TIMEVAL_SIZE = 16;
    private static final int SNAPSHOT_BYTES = 2048;

    private final String interfaceName;
    private final int fd;
    private final Arena arena;
    private final MemorySegment buffer;
    private final MemorySegment timestamp;
    private long timestampNs;
    private boolean closed;

    private FrameCapture(String interfaceName, int fd, Arena arena) {
        this.interfaceName = interfaceName;
        this.fd = fd;
        this.arena = arena;
        this.buffer = arena.allocate(SNAPSHOT_BYTES, 8);
        this.timestamp = arena.allocate(TIMESPEC_SIZE, 8);
    }

    /**
     * Opens a capture on the named interface; {@link #receive} waits at most {@code pollMs} for a frame so a
     * capturing loop can check its deadline.
     */
    public static FrameCapture open(String interfaceName, int pollMs) throws IOException {
        int ifindex = Native.ifNameToIndex(interfaceName);
        if (ifindex == 0) {
            throw new IOException("if_nametoindex(" + interfaceName + "): no such interface");
        }
        Arena arena = Arena.ofShared();
        int fd = -1;
        try {
            fd = (int) Native.check(Native.socket(Native.AF_PACKET, Native.SOCK_RAW | Native.SOCK_CLOEXEC, 0),
                    "socket(AF_PACKET) for " + interfaceName);
            MemorySegment timeout = arena.allocate(TIMEVAL_SIZE, 8);
            timeout.set(JAVA_LONG, 0, pollMs / 1000);
            timeout.set(JAVA_LONG, 8, (pollMs % 1000) * 1000L);
            Native.check(Native.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVTIMEO, timeout, TIMEVAL_SIZE),
                    "setsockopt(SO_RCVTIMEO) on " + interfaceName);
            MemorySegment address = arena.allocate(SOCKADDR_LL);
            address.set(JAVA_SHORT, SLL_FAMILY, (short) Native.AF_PACKET);
            address.set(BIG_ENDIAN_SHORT, SLL_PROTOCOL, (short) ETH_P_ALL);
            address.set(JAVA_INT, SLL_IFINDEX, ifindex);
            Native.check(Native.bind(fd, address, (int) SOCKADDR_LL.byteSize()), "bind(AF_PACKET) to " + interfaceName);
            FrameCapture capture = new FrameCapture(interfaceName, fd, arena);
            // the first SIOCGSTAMPNS turns on the socket's receive timestamps; it has no frame to report yet
            Native.ioctl(fd, SIOCGSTAMPNS, capture.timestamp);
            return capture;
        } catch (IOException | RuntimeException e) {
            if (fd >= 0) {
                Native.close(fd);
            }
            arena.close();
            throw e;
        }
    }

    /**
     * Waits for the next frame; returns its captured length (at most {@link #frame()}'s size; longer frames are cut),
     * or 0 when none came within the poll time.
     */
    public int receive() throws IOException {
        long length = Native.recvfrom(fd, buffer, buffer.byteSize(), 0, MemorySegment.NULL, MemorySegment.NULL);
        if (length == -Native.EAGAIN || length == -Native.EINTR) {
            return 0;
        }
        Native.check(length, "recvfrom(AF_PACKET) on " + interfaceName);
        timestampNs = Native.ioctl(fd, SIOCGSTAMPNS, timestamp) == 0
                ? timestamp.get(JAVA_LONG, 0) * 1_000_000_000L + timestamp.get(JAVA_LONG, 8)
                : System.currentTimeMillis() * 1_000_000L;
        return (int) Math.min(length, buffer.byteSize());
    }

    /** The buffer the last frame was received into; valid until the next {@link #receive}. */
    public MemorySegment frame() {
        return buffer;
    }

    /** When the kernel saw the last frame: ns since the epoch (CLOCK_REALTIME, the same in every namespace). */
    public long timestampNs() {
        return timestampNs;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Native.close(fd);
            arena.close();
        }
    }
}
