package org.jvs.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Receives up to {@code capacity} datagrams with one recvmmsg(2): the per-syscall cost, not the copying, is what
 * limits a loop that reads 1500-byte datagrams one recvfrom() at a time. Each datagram lands in its own slot,
 * which stays untouched until the next {@link #receive}. Allocates nothing per call.
 * <pre>
 * struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; };          // 64 bytes on x86-64
 * struct msghdr  { void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov; size_t msg_iovlen;
 *                  void *msg_control; size_t msg_controllen; int msg_flags; }; // 56 bytes
 * struct iovec   { void *iov_base; size_t iov_len; };                         // 16 bytes
 * </pre>
 */
final class DatagramBatch {
    private static final int MMSGHDR_SIZE = 64;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_FLAGS = 48;
    private static final int MSG_LEN = 56;
    private static final int IOVEC_SIZE = 16;
    private static final int MSG_TRUNC = 0x20;

    private final int capacity;
    private final MemorySegment messages;
    private final MemorySegment[] slots;

    DatagramBatch(Arena arena, int capacity, int slotSize) {
        this(arena, capacity, slotSize, 0);
    }

    /**
     * Slots of {@code slotSize} bytes whose datagrams land {@code headroom} bytes in, leaving room before each for
     * a header the reader writes in front of what it received.
     */
    DatagramBatch(Arena arena, int capacity, int slotSize, int headroom) {
        this.capacity = capacity;
        this.messages = arena.allocate((long) MMSGHDR_SIZE * capacity, 8);
        MemorySegment iovecs = arena.allocate((long) IOVEC_SIZE * capacity, 8);
        MemorySegment data = arena.allocate((long) slotSize * capacity, 64);
        this.slots = new MemorySegment[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = data.asSlice((long) slotSize * i, slotSize);
            MemorySegment iovec = iovecs.asSlice((long) IOVEC_SIZE * i, IOVEC_SIZE);
            iovec.set(ValueLayout.ADDRESS, 0, slots[i].asSlice(headroom));
            iovec.set(ValueLayout.JAVA_LONG, 8, slotSize - headroom);
            long message = (long) MMSGHDR_SIZE * i;
            messages.set(ValueLayout.ADDRESS, message + MSG_IOV, iovec);
            messages.set(ValueLayout.JAVA_LONG, message + MSG_IOVLEN, 1);
        }
    }

    /** Takes what is waiting on fd without blocking: the number of datagrams received, or -errno (-EAGAIN: none). */
    int receive(int fd) {
        return Native.recvmmsg(fd, messages, capacity, Native.MSG_DONTWAIT);
    }

    /** Slot of datagram {@code index} of the last {@link #receive}; the datagram begins after the headroom. */
    MemorySegment slot(int index) {
        return slots[index];
    }

    /** Bytes received into slot {@code index}, or -1 when the datagram did not fit in the slot (cut short). */
    int length(int index) {
        long message = (long) MMSGHDR_SIZE * index;
        if ((messages.get(ValueLayout.JAVA_INT, message + MSG_FLAGS) & MSG_TRUNC) != 0) {
            return -1;
        }
        return messages.get(ValueLayout.JAVA_INT, message + MSG_LEN);
    }
}
