package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A NETLINK_ROUTE socket: either a blocking one for request/dump exchanges, or a non-blocking one subscribed to
 * multicast groups for change notifications. Control-path only; one thread at a time.
 */
final class NetlinkSocket implements AutoCloseable {
    /** Dumps come in datagrams of at most a few pages; 64 KiB never truncates one. */
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int RECEIVE_TIMEOUT_SECONDS = 5;
    /* struct sockaddr_nl { __kernel_sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }; */
    private static final int SOCKADDR_NL_SIZE = 12;
    private static final int NL_GROUPS = 8;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(BUFFER_SIZE, 8);
    private final int fd;
    private int sequence;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /** A socket for dumps; {@code groups} 0. Or, with RTMGRP_* bits, a non-blocking listener for changes. */
    static NetlinkSocket open(int groups) throws IOException {
        int type = Native.SOCK_RAW | Native.SOCK_CLOEXEC | (groups != 0 ? Native.SOCK_NONBLOCK : 0);
        int fd = (int) Native.check(Native.socket(Native.AF_NETLINK, type, Rtnetlink.NETLINK_ROUTE), "socket(AF_NETLINK, NETLINK_ROUTE)");
        NetlinkSocket socket = new NetlinkSocket(fd);
        try {
            MemorySegment address = socket.arena.allocate(SOCKADDR_NL_SIZE, 4);
            address.set(JAVA_SHORT, 0, (short) Native.AF_NETLINK);
            address.set(JAVA_INT, NL_GROUPS, groups);
            Native.check(Native.bind(fd, address, SOCKADDR_NL_SIZE), "bind(AF_NETLINK, groups=0x" + Integer.toHexString(groups) + ")");
            if (groups == 0) {
                // a kernel that never answers must not hang the control thread
                MemorySegment timeout = socket.arena.allocate(16, 8);
                timeout.set(JAVA_LONG, 0, RECEIVE_TIMEOUT_SECONDS);
                Native.check(Native.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVTIMEO, timeout, 16), "setsockopt(SO_RCVTIMEO) on netlink");
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Asks for a dump and feeds every entry to the listener; returns false when the kernel reported the dump
     * inconsistent (the tables changed meanwhile) so the caller can start over.
     */
    boolean dump(int requestType, Rtnetlink.Listener listener) throws IOException {
        return dump(requestType, Native.AF_INET, listener);
    }

    /** As {@link #dump(int, Rtnetlink.Listener)} for the entries of {@code family} (AF_INET or AF_INET6). */
    boolean dump(int requestType, int family, Rtnetlink.Listener listener) throws IOException {
        int length = Rtnetlink.encodeDumpRequest(buffer, requestType, ++sequence, family);
        Native.check(Native.sendto(fd, buffer, length, 0, MemorySegment.NULL, 0), "sendto(netlink dump " + requestType + ")");
        boolean consistent = true;
        while (true) {
            long received = Native.recvfrom(fd, buffer, BUFFER_SIZE, 0, MemorySegment.NULL, MemorySegment.NULL);
            if (received == -Native.EINTR) {
                continue;
            }
            Native.check(received, "recvfrom(netlink dump " + requestType + ")");
            int result = Rtnetlink.decode(buffer, (int) received, listener);
            consistent &= (result & Rtnetlink.INTERRUPTED) == 0;
            if ((result & Rtnetlink.DONE) != 0) {
                return consistent;
            }
        }
    }

    /**
     * Sends the request of {@code length} bytes already in {@link #buffer()} and waits for its acknowledgement:
     * 0, or the negative errno the kernel refused it with.
     */
    int request(int length) throws IOException {
        Native.check(Native.sendto(fd, buffer, length, 0, MemorySegment.NULL, 0), "sendto(netlink request)");
        while (true) {
            long received = Native.recvfrom(fd, buffer, BUFFER_SIZE, 0, MemorySegment.NULL, MemorySegment.NULL);
            if (received == -Native.EINTR) {
                continue;
            }
            Native.check(received, "recvfrom(netlink acknowledgement)");
            // struct nlmsghdr, then for NLMSG_ERROR an int error (0: the acknowledgement)
            if (received >= Rtnetlink.NLMSG_HDRLEN + 4
                    && (buffer.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 4) & 0xFFFF) == Rtnetlink.NLMSG_ERROR) {
                return buffer.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, Rtnetlink.NLMSG_HDRLEN);
            }
        }
    }

    MemorySegment buffer() {
        return buffer;
    }

    int nextSequence() {
        return ++sequence;
    }

    /**
     * Reads every pending notification without blocking; true when there was at least one, or when the kernel
     * dropped some for want of buffer space (ENOBUFS), which also means something changed.
     */
    boolean drain() {
        boolean any = false;
        for (int reads = 0; reads < 1024; reads++) {
            long received = Native.recvfrom(fd, buffer, BUFFER_SIZE, Native.MSG_DONTWAIT, MemorySegment.NULL, MemorySegment.NULL);
            if (received == -Native.EAGAIN) {
                return any;
            }
            if (received >= 0 || received == -Native.ENOBUFS) {
                any = true;
            }
        }
        return any;
    }

    int fd() {
        return fd;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            Native.close(fd);
            arena.close();
        }
    }
}
