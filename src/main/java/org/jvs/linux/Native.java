package org.jvs.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The one class that owns JVS's calls into libc (as Netty's Native.java). Raw calls return the result or
 * {@code -errno}; nothing here throws per call, so the data plane can use them. {@link #check} turns a negative
 * result into an IOException naming the syscall for control-path callers.
 */
public final class Native {
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SOL_PACKET = 263;
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_IPIP = 4;
    public static final int IPPROTO_GRE = 47;
    public static final int IPPROTO_RAW = 255;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int POLLIN = 0x1;
    public static final int POLLOUT = 0x4;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_LOCKED = 0x2000;
    public static final int O_RDWR = 0x2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int EFD_CLOEXEC = O_CLOEXEC;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EAGAIN = 11;
    public static final int EINTR = 4;
    public static final int ENOBUFS = 105;
    public static final long SYS_BPF = 321;
    public static final int O_RDONLY = 0x0;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_RCVTIMEO = 20;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.global().allocate(CAPTURE_LAYOUT));

    private static final MethodHandle SOCKET = function("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = function("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle CONNECT = function("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SETSOCKOPT = function("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKOPT = function("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle MMAP = function("mmap", ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle MUNMAP = function("munmap", JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle POLL = function("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SENDTO = function("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RECVFROM = function("recvfrom", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle READ = function("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle WRITE = function("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    /** write(2) taking a raw address, so a packet anywhere in a native buffer is written without a slice. */
    private static final MethodHandle WRITE_ADDRESS = function("write", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle RECVMMSG = function("recvmmsg", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle OPEN = function("open", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle CLOSE = function("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle EVENTFD = function("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle IOCTL = function("ioctl", JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final MethodHandle SYSCALL3 = function("syscall", JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG);
    private static final MethodHandle SETNS = function("setns", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle UNSHARE = function("unshare", JAVA_INT, JAVA_INT);
    private static final MethodHandle IF_NAMETOINDEX = LINKER.downcallHandle(
            LIBC.find("if_nametoindex").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LIBC.find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Native() {
    }

    private static MethodHandle function(String name, ValueLayout result, ValueLayout... args) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new LinkageError("libc has no " + name));
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args), Linker.Option.captureCallState("errno"));
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    private static int result(int value, MemorySegment capture) {
        return value < 0 ? -errno(capture) : value;
    }

    private static long result(long value, MemorySegment capture) {
        return value < 0 ? -errno(capture) : value;
    }

    public static int socket(int domain, int type, int protocol) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) SOCKET.invokeExact(capture, domain, type, protocol), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int bind(int fd, MemorySegment address, int length) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) BIND.invokeExact(capture, fd, address, length), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int connect(int fd, MemorySegment address, int length) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) CONNECT.invokeExact(capture, fd, address, length), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) SETSOCKOPT.invokeExact(capture, fd, level, name, value, length), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code length} is an int-sized in/out segment holding the value's length. */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) GETSOCKOPT.invokeExact(capture, fd, level, name, value, length), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Maps {@code length} bytes of fd; returns the mapping or a NULL segment with errno in {@code errorOut[0]}. */
    public static MemorySegment mmap(long length, int protection, int flags, int fd, long offset, int[] errorOut) {
        MemorySegment capture = CAPTURE.get();
        try {
            MemorySegment address = (MemorySegment) MMAP.invokeExact(capture, MemorySegment.NULL, length, protection, flags, fd, offset);
            if (address.address() == -1L) {
                errorOut[0] = errno(capture);
                return MemorySegment.NULL;
            }
            return address.reinterpret(length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int munmap(MemorySegment address, long length) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) MUNMAP.invokeExact(capture, address, length), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code fds} holds {@code count} struct pollfd {int fd; short events; short revents;}. */
    public static int poll(MemorySegment fds, long count, int timeoutMs) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) POLL.invokeExact(capture, fds, count, timeoutMs), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long sendto(int fd, MemorySegment buffer, long length, int flags, MemorySegment address, int addressLength) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) SENDTO.invokeExact(capture, fd, buffer, length, flags, address, addressLength), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code addressLength} is an int-sized in/out segment, or NULL together with {@code address}. */
    public static long recvfrom(int fd, MemorySegment buffer, long length, int flags, MemorySegment address, MemorySegment addressLength) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) RECVFROM.invokeExact(capture, fd, buffer, length, flags, address, addressLength), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long read(int fd, MemorySegment buffer, long length) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) READ.invokeExact(capture, fd, buffer, length), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long write(int fd, MemorySegment buffer, long length) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) WRITE.invokeExact(capture, fd, buffer, length), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Writes {@code length} bytes of native {@code buffer} from {@code offset}. The range is checked here, so
     * the raw address handed to the kernel never leaves the segment.
     */
    public static long write(int fd, MemorySegment buffer, long offset, long length) {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.byteSize());
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) WRITE_ADDRESS.invokeExact(capture, fd, buffer.address() + offset, length), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * recvmmsg(2) without a timeout: fills up to {@code count} of the struct mmsghdr at {@code messages}; returns
     * how many, or -errno (-EAGAIN with MSG_DONTWAIT when none is waiting).
     */
    public static int recvmmsg(int fd, MemorySegment messages, int count, int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) RECVMMSG.invokeExact(capture, fd, messages, count, flags, MemorySegment.NULL), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int open(String path, int flags) {
        MemorySegment capture = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            return result((int) OPEN.invokeExact(capture, arena.allocateFrom(path), flags), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** eventfd(2): a counter a write adds to and a read takes (and resets), readable while it is not 0. */
    public static int eventfd(int initialValue, int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) EVENTFD.invokeExact(capture, initialValue, flags), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int close(int fd) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) CLOSE.invokeExact(capture, fd), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int ioctl(int fd, long request, MemorySegment argument) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) IOCTL.invokeExact(capture, fd, request, argument), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** syscall(number, a, pointer, c): enough for bpf(cmd, attr, size). */
    public static long syscall(long number, long a, MemorySegment pointer, long c) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) SYSCALL3.invokeExact(capture, number, a, pointer, c), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Interface index by name, 0 when there is none. */
    public static int ifNameToIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) IF_NAMETOINDEX.invokeExact(arena.allocateFrom(name));
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Moves the calling OS thread into the namespace open on {@code fd} ({@code nstype} e.g. CLONE_NEWNET). */
    public static int setns(int fd, int nstype) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) SETNS.invokeExact(capture, fd, nstype), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Gives the calling OS thread new namespaces of the kinds in {@code flags} (e.g. CLONE_NEWNET). */
    public static int unshare(int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) UNSHARE.invokeExact(capture, flags), capture);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Control-path helper: returns a non-negative result, or throws an IOException naming the call. */
    public static long check(long result, String call) throws java.io.IOException {
        if (result < 0) {
            int errno = (int) -result;
            throw new java.io.IOException(call + ": " + strerror(errno) + " (errno " + errno + ")");
        }
        return result;
    }
}
