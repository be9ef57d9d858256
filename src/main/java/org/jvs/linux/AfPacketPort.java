package org.jvs.linux;

import org.jvs.net.FrameHandler;
import org.jvs.net.PacketPort;
import org.jvs.net.PortCounter;
import org.jvs.net.PortCounters;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.jvs.linux.Tpacket.*;

/**
 * One interface driven through AF_PACKET. Receiving uses a TPACKET_V2 ring: the kernel hands over each frame the
 * moment it is written (per-frame tp_status, and a wake-up per frame), we pass it on in place and give the slot
 * back. TPACKET_V3 was dropped on purpose: it hands over only whole blocks, and a block that does not fill is
 * retired by a timer (>= 1 ms, a jiffy or more), so at moderate rates every frame waited that long per hop.
 * Sending uses a second socket with a TPACKET_V2 TX ring and qdisc bypass, kicked by {@link #flush()}; it binds
 * protocol 0 so it never receives. Single-threaded: one data-plane thread calls receive/send/flush/counters.
 * <p>
 * Both sockets use PACKET_VNET_HDR: a struct virtio_net_hdr ({@link VnetHeader}) precedes every frame, so a TCP
 * GSO super-packet arrives with its segment size and can leave whole (one skb that the egress veth passes on, or
 * that the kernel segments in its own GSO path), and a partial checksum is finished by the kernel, not by us.
 * <p>
 * RX slots are sized for the interface's MTU, not for super-packets, so the ring holds thousands of frames: the
 * kernel drops a frame whenever the slot at its head is still ours, and a ring of a few hundred 64 KiB slots
 * overflowed on every burst longer than the data plane's wake-up (packets arrive in bursts at line rate, whatever
 * the average rate). A frame longer than a slot (a super-packet) is cut to fit and, under PACKET_COPY_THRESH,
 * also queued whole on the socket: its slot says TP_STATUS_COPY and we read the whole frame with recvfrom, in
 * ring order. TX slots stay as large as a super-packet: the kernel's tpacket_snd limits a vnet-header frame by the
 * slot, not the MTU, and the kernel frees each slot as soon as the device takes the frame.
 */
public final class AfPacketPort implements PacketPort {
    /**
     * The kernel writes a frame at macoff = TPACKET_ALIGN(tp_hdrlen 52 + 16) + vnet header 10 - Ethernet 14 = 76
     * bytes into its slot; a slot also leaves room for a VLAN tag. Slots are powers of two, at least 2 KiB.
     */
    private static final int RX_SLOT_OVERHEAD = 96 + 18;
    private static final int RX_MIN_FRAME_SIZE = 2048;
    /**
     * Slots per RX ring: at 2 KiB (MTU 1500) 64 MiB, some 130 ms of a 250 kpps burst. trafgen's "20 kpps" sends
     * runs at line rate long enough to overflow 8192 slots (80 % delivered) but not 32768 (100 %).
     */
    private static final int RX_FRAME_TARGET = 32768;
    private static final long RX_RING_MAX_BYTES = 64L << 20;
    /** A fanout member's ring never shrinks below 16 MiB: 8 192 slots of 2 KiB. */
    static final int RX_MIN_SHARE_BLOCKS = 16;
    /** The kernel allocates each block as one run of pages; 1 MiB blocks hold 512 slots of 2 KiB. */
    private static final int RX_BLOCK_SIZE = 1024 * 1024;
    /** Whole frames too large for a slot wait here for recvfrom; room for dozens of 64 KiB super-packets. */
    private static final int RX_COPY_BUFFER_BYTES = 8 << 20;
    /** The largest frame veth hands up (a 64 KiB IPv4 super-packet, Ethernet, a VLAN tag) behind its vnet header. */
    private static final int MAX_FRAME_LENGTH = 65535 + 18;
    /** TX slots hold a super-packet plus the vnet header behind the kernel's 32-byte header: 68 KiB. */
    private static final int TX_FRAME_SIZE = 68 * 1024;
    private static final int TX_BLOCK_SIZE = 1024 * 1024;
    /** 20 blocks of 15 slots: more than one duty cycle's receive batch per port. */
    private static final int TX_BLOCK_COUNT = 20;
    private static final int TX_FRAME_COUNT = TX_BLOCK_COUNT * (TX_BLOCK_SIZE / TX_FRAME_SIZE);
    /** The frame follows the vnet header in a TX slot. */
    private static final long TX_FRAME_DATA = V2_TX_DATA + VnetHeader.LENGTH;
    private static final long SIOCGIFMTU = 0x8921;
    private static final int IFREQ_SIZE = 40;
    private static final int IFREQ_MTU = 16;
    private static final int IFNAMSIZ = 16;
    private static final int PACKET_STATISTICS = 6;
    private static final int PACKET_COPY_THRESH = 7;
    private static final int PACKET_FANOUT = 18;
    private static final int PACKET_FANOUT_DATA = 22;
    private static final int PACKET_FANOUT_CBPF = 6;
    /** The group's hook skips frames going out (Linux 6.9): PACKET_IGNORE_OUTGOING is per socket, not per group. */
    private static final int PACKET_FANOUT_FLAG_IGNORE_OUTGOING = 0x4000;
    private static final int PACKET_ADD_MEMBERSHIP = 1;
    private static final int PACKET_MR_ALLMULTI = 2;
    /* struct packet_mreq { int mr_ifindex; unsigned short mr_type; unsigned short mr_alen; unsigned char mr_address[8]; }; */
    private static final int PACKET_MREQ_SIZE = 16;
    private static final int MR_TYPE = 4;

    private static final VarHandle INT = JAVA_INT.varHandle();

    private final String name;
    private final int ifindex;
    private final int mtu;
    private final Arena arena;
    private final int rxFd;
    private final int txFd;
    private final MemorySegment rxRing;
    private final int rxFrameSize;
    private final int rxFramesPerBlock;
    private final int rxFrameCount;
    /** Where a frame the ring could not hold lands, vnet header first. */
    private final MemorySegment copyBuffer;
    private final MemorySegment statistics;
    /** Guards the ring-drop fold and close (a MemorySegment is value-based: never a lock). */
    private final Object statisticsLock = new Object();
    private final MemorySegment statisticsLength;
    private final MemorySegment txRing;
    private final int txFrameCapacity;
    private final MemorySegment kickAddress = MemorySegment.NULL;
    private final PortCounters counters = new PortCounters();

    /** The next slot the kernel fills; it fills them strictly in order, so this is where our next frame is. */
    private int rxIndex;
    private int txIndex;
    private int txPending;
    private boolean closed;

    private AfPacketPort(String name, int ifindex, int mtu, Arena arena, int rxFd, int txFd, MemorySegment rxRing,
                         int rxFrameSize, MemorySegment txRing) {
        this.name = name;
        this.ifindex = ifindex;
        this.mtu = mtu;
        this.arena = arena;
        this.rxFd = rxFd;
        this.txFd = txFd;
        this.rxRing = rxRing;
        this.rxFrameSize = rxFrameSize;
        this.rxFramesPerBlock = RX_BLOCK_SIZE / rxFrameSize;
        this.rxFrameCount = (int) (rxRing.byteSize() / RX_BLOCK_SIZE) * rxFramesPerBlock;
        this.copyBuffer = arena.allocate(VnetHeader.LENGTH + MAX_FRAME_LENGTH, 16);
        // struct tpacket_stats { unsigned int tp_packets, tp_drops; };
        this.statistics = arena.allocate(8, 4);
        this.statisticsLength = arena.allocate(JAVA_INT);
        this.txRing = txRing;
        this.txFrameCapacity = TX_FRAME_SIZE - (int) TX_FRAME_DATA;
    }

    /** Opens both rings on the named interface of the calling thread's network namespace. */
    public static AfPacketPort open(String interfaceName) throws IOException {
        return open(interfaceName, 1);
    }

    /**
     * As {@link #open(String)} for one of {@code sharers} sockets of a fanout group on the interface: its receive
     * ring is a {@code 1/sharers} share of one socket's (never under {@link #RX_MIN_SHARE_BLOCKS} blocks), so
     * that a director with many workers does not lock 64 MiB of kernel memory per worker and interface.
     */
    public static AfPacketPort open(String interfaceName, int sharers) throws IOException {
        int ifindex = Native.ifNameToIndex(interfaceName);
        if (ifindex == 0) {
            throw new IOException("if_nametoindex(" + interfaceName + "): no such interface");
        }
        Arena arena = Arena.ofShared();
        int rxFd = -1;
        int txFd = -1;
        MemorySegment rxMap = MemorySegment.NULL;
        MemorySegment txMap = MemorySegment.NULL;
        try {
            rxFd = checked(Native.socket(Native.AF_PACKET, Native.SOCK_RAW | Native.SOCK_CLOEXEC | Native.SOCK_NONBLOCK, 0),
                    "socket(AF_PACKET)", interfaceName);
            int mtu = interfaceMtu(rxFd, interfaceName, arena);
            int rxFrameSize = rxFrameSize(mtu);
            int rxBlockCount = rxBlockCount(rxFrameSize, sharers);
            setInt(rxFd, PACKET_VERSION, TPACKET_V2, "setsockopt(PACKET_VERSION, TPACKET_V2)", interfaceName, arena);
            setInt(rxFd, PACKET_IGNORE_OUTGOING, 1, "setsockopt(PACKET_IGNORE_OUTGOING)", interfaceName, arena);
            // before the ring: the kernel refuses a header change once a ring exists
            setInt(rxFd, PACKET_VNET_HDR, 1, "setsockopt(PACKET_VNET_HDR)", interfaceName, arena);
            setInt(rxFd, PACKET_COPY_THRESH, 1, "setsockopt(PACKET_COPY_THRESH)", interfaceName, arena);
            setReceiveBuffer(rxFd, RX_COPY_BUFFER_BYTES, interfaceName, arena);
            MemorySegment req = arena.allocate(TPACKET_REQ);
            req.set(JAVA_INT, REQ_BLOCK_SIZE, RX_BLOCK_SIZE);
            req.set(JAVA_INT, REQ_BLOCK_NR, rxBlockCount);
            req.set(JAVA_INT, REQ_FRAME_SIZE, rxFrameSize);
            req.set(JAVA_INT, REQ_FRAME_NR, rxBlockCount * (RX_BLOCK_SIZE / rxFrameSize));
            checked(Native.setsockopt(rxFd, Native.SOL_PACKET, PACKET_RX_RING, req, (int) TPACKET_REQ.byteSize()),
                    "setsockopt(PACKET_RX_RING)", interfaceName);
            rxMap = map(rxFd, (long) RX_BLOCK_SIZE * rxBlockCount, interfaceName);
            bind(rxFd, ifindex, ETH_P_ALL, interfaceName, arena);
            receiveAllMulticast(rxFd, ifindex, interfaceName, arena);

            txFd = checked(Native.socket(Native.AF_PACKET, Native.SOCK_RAW | Native.SOCK_CLOEXEC, 0),
                    "socket(AF_PACKET)", interfaceName);
            setInt(txFd, PACKET_VERSION, TPACKET_V2, "setsockopt(PACKET_VERSION, TPACKET_V2)", interfaceName, arena);
            setInt(txFd, PACKET_QDISC_BYPASS, 1, "setsockopt(PACKET_QDISC_BYPASS)", interfaceName, arena);
            // a malformed frame is skipped instead of stalling the ring
            setInt(txFd, PACKET_LOSS, 1, "setsockopt(PACKET_LOSS)", interfaceName, arena);
            setInt(txFd, PACKET_VNET_HDR, 1, "setsockopt(PACKET_VNET_HDR)", interfaceName, arena);
            MemorySegment txReq = arena.allocate(TPACKET_REQ);
            txReq.set(JAVA_INT, REQ_BLOCK_SIZE, TX_BLOCK_SIZE);
            txReq.set(JAVA_INT, REQ_BLOCK_NR, TX_BLOCK_COUNT);
            txReq.set(JAVA_INT, REQ_FRAME_SIZE, TX_FRAME_SIZE);
            txReq.set(JAVA_INT, REQ_FRAME_NR, TX_FRAME_COUNT);
            checked(Native.setsockopt(txFd, Native.SOL_PACKET, PACKET_TX_RING, txReq, (int) TPACKET_REQ.byteSize()),
                    "setsockopt(PACKET_TX_RING)", interfaceName);
            txMap = map(txFd, (long) TX_BLOCK_SIZE * TX_BLOCK_COUNT, interfaceName);
            bind(txFd, ifindex, 0, interfaceName, arena);

            // ring views die with the arena, so a use after close() fails in Java instead of touching unmapped memory
            MemorySegment rxRing = rxMap.reinterpret(arena, null);
            MemorySegment txRing = txMap.reinterpret(arena, null);
            return new AfPacketPort(interfaceName, ifindex, mtu, arena, rxFd, txFd, rxRing, rxFrameSize, txRing);
        } catch (IOException | RuntimeException e) {
            arena.close();
            unmap(rxMap);
            unmap(txMap);
            closeFd(rxFd);
            closeFd(txFd);
            throw e;
        }
    }

    /**
     * Joins this port's receiving socket to fanout group {@code groupId} of its interface, where a classic BPF
     * program ({@link #steerFanoutGroup}) picks the member for each frame: the n-th socket to join is the program's
     * n (modulo the members). Until a program is set every frame goes to the first member.
     */
    public void joinFanoutGroup(int groupId) throws IOException {
        try (Arena local = Arena.ofConfined()) {
            // without the flag the group's hook is handed every frame the host sends on the interface (JVS's own,
            // the fast path's redirects) to run the steering program and the socket filter on, only to drop it
            MemorySegment value = local.allocate(ValueLayout.JAVA_INT);
            value.set(ValueLayout.JAVA_INT, 0,
                    (groupId & 0xFFFF) | (PACKET_FANOUT_CBPF | PACKET_FANOUT_FLAG_IGNORE_OUTGOING) << 16);
            if (Native.setsockopt(rxFd, Native.SOL_PACKET, PACKET_FANOUT, value, 4) < 0) {
                // a kernel before 6.9 refuses the flag: the socket filter still drops outgoing frames
                setInt(rxFd, PACKET_FANOUT, (groupId & 0xFFFF) | PACKET_FANOUT_CBPF << 16, "setsockopt(PACKET_FANOUT)",
                        name, local);
            }
        }
    }

    /**
     * Sets the classic BPF program of the fanout group this port joined (for every member): {@code program} holds
     * struct sock_filter instructions, 8 bytes each, in the machine's byte order.
     */
    public void steerFanoutGroup(byte[] program) throws IOException {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment filters = local.allocate(program.length, 8);
            MemorySegment.copy(program, 0, filters, JAVA_BYTE, 0, program.length);
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            MemorySegment fprog = local.allocate(16, 8);
            fprog.set(JAVA_SHORT, 0, (short) (program.length / 8));
            fprog.set(ADDRESS, 8, filters);
            checked(Native.setsockopt(rxFd, Native.SOL_PACKET, PACKET_FANOUT_DATA, fprog, 16),
                    "setsockopt(PACKET_FANOUT_DATA)", name);
        }
    }

    /** Keeps the frames the kernel's fast path forwards out of this port's receive ring. */
    public void filter(KernelFastPath fastPath) throws IOException {
        fastPath.attachSocketFilter(rxFd);
    }

    /** The smallest power of two, at least 2 KiB, that holds an MTU-sized frame with its headers. */
    static int rxFrameSize(int mtu) {
        int needed = Math.max(RX_MIN_FRAME_SIZE, mtu + RX_SLOT_OVERHEAD);
        int size = Integer.highestOneBit(needed);
        return size == needed ? size : Math.min(size << 1, RX_BLOCK_SIZE);
    }

    /** Enough 1 MiB blocks for {@link #RX_FRAME_TARGET} slots, within {@link #RX_RING_MAX_BYTES}. */
    static int rxBlockCount(int frameSize) {
        long bytes = Math.min((long) RX_FRAME_TARGET * frameSize, RX_RING_MAX_BYTES);
        return (int) Math.max(1, bytes / RX_BLOCK_SIZE);
    }

    /** A fanout member's share of {@link #rxBlockCount(int)}: 1/sharers, at least {@link #RX_MIN_SHARE_BLOCKS}. */
    static int rxBlockCount(int frameSize, int sharers) {
        int whole = rxBlockCount(frameSize);
        return Math.min(whole, Math.max(RX_MIN_SHARE_BLOCKS, whole / Math.max(1, sharers)));
    }

    @Override
    public int ifindex() {
        return ifindex;
    }

    @Override
    public String name() {
        return name;
    }

    public int mtu() {
        return mtu;
    }

    /** Largest frame {@link #send} accepts. */
    public int maxFrameLength() {
        return txFrameCapacity;
    }

    /** Frames the RX ring holds before the kernel must drop. */
    public int rxSlots() {
        return rxFrameCount;
    }

    /**
     * Frames are handed on in place: {@code frame} is the whole RX ring and {@code offset} the frame's start, so
     * nothing is allocated per frame. A frame the kernel copied aside is read into the port's copy buffer and
     * handed on from there; one it cut without a copy is counted and skipped.
     */
    @Override
    public int receive(FrameHandler handler, int limit) {
        MemorySegment ring = rxRing;
        int delivered = 0;
        while (delivered < limit) {
            long header = rxFrameOffset(rxIndex);
            // acquire pairs with the kernel's write barrier before it publishes tp_status: the frame bytes are complete
            int status = (int) INT.getAcquire(ring, header + V2_STATUS);
            if ((status & TP_STATUS_USER) == 0) {
                break;
            }
            byte packetType = ring.get(JAVA_BYTE, header + V2_SOCKADDR_LL + SLL_PKTTYPE);
            int length = ring.get(JAVA_INT, header + V2_LEN);
            if ((status & TP_STATUS_COPY) != 0) {
                // the whole frame waits on the socket; read it even when it is ours to skip, to keep the order
                if (receiveCopy(handler, length, packetType != PACKET_OUTGOING)) {
                    delivered++;
                }
            } else if (packetType != PACKET_OUTGOING) {
                if (ring.get(JAVA_INT, header + V2_SNAPLEN) != length) {
                    counters.increment(PortCounter.RX_TRUNCATED);
                } else {
                    long frameOffset = header + (ring.get(JAVA_SHORT, header + V2_MAC) & 0xFFFF);
                    // the kernel writes the vnet header right before the frame
                    int flags = VnetHeader.handlerFlags(ring, frameOffset - VnetHeader.LENGTH,
                            (status & TP_STATUS_CSUMNOTREADY) != 0);
                    handler.onFrame(ifindex, ring, frameOffset, length, flags);
                    delivered++;
                }
            }
            // release: every read of (and handler write to) the slot is done before the kernel may refill it
            INT.setRelease(ring, header + V2_STATUS, TP_STATUS_KERNEL);
            rxIndex = rxIndex + 1 == rxFrameCount ? 0 : rxIndex + 1;
        }
        return delivered;
    }

    /** Reads the whole frame the kernel queued for a TP_STATUS_COPY slot; true when it was handed on. */
    private boolean receiveCopy(FrameHandler handler, int length, boolean deliver) {
        MemorySegment buffer = copyBuffer;
        long read = Native.recvfrom(rxFd, buffer, buffer.byteSize(), Native.MSG_DONTWAIT, MemorySegment.NULL,
                MemorySegment.NULL);
        if (read != VnetHeader.LENGTH + (long) length) {
            counters.increment(PortCounter.RX_TRUNCATED);
            return false;
        }
        if (!deliver) {
            return false;
        }
        counters.increment(PortCounter.RX_COPIED);
        int flags = VnetHeader.handlerFlags(buffer, 0, VnetHeader.needsChecksum(buffer, 0));
        handler.onFrame(ifindex, buffer, VnetHeader.LENGTH, length, flags);
        return true;
    }

    /** Slots do not straddle blocks: each block holds rxFramesPerBlock of them and leaves its tail unused. */
    private long rxFrameOffset(int index) {
        return (long) (index / rxFramesPerBlock) * RX_BLOCK_SIZE + (long) (index % rxFramesPerBlock) * rxFrameSize;
    }

    /**
     * Copies the frame behind a vnet header describing {@code flags} into the next TX slot; false when it is too
     * long, the ring stays full after a kick, or the flags ask for an offload the frame cannot take. Each refusal
     * is counted.
     */
    @Override
    public boolean send(MemorySegment frame, long offset, int length, int flags) {
        if (length <= 0 || length > txFrameCapacity) {
            counters.increment(PortCounter.TX_TOO_LONG);
            return false;
        }
        MemorySegment ring = txRing;
        long slot = txSlotOffset(txIndex);
        if ((int) INT.getAcquire(ring, slot + V2_STATUS) != TP_STATUS_AVAILABLE) {
            // the kernel frees a slot once the device has taken its frame: a kick usually frees the ring at once
            flush();
            if ((int) INT.getAcquire(ring, slot + V2_STATUS) != TP_STATUS_AVAILABLE) {
                counters.increment(PortCounter.TX_RING_FULL);
                return false;
            }
        }
        if (!VnetHeader.write(ring, slot + V2_TX_DATA, frame, offset, length, flags)) {
            counters.increment(PortCounter.TX_OFFLOAD_REFUSED);
            return false;
        }
        MemorySegment.copy(frame, offset, ring, slot + TX_FRAME_DATA, length);
        ring.set(JAVA_INT, slot + V2_LEN, VnetHeader.LENGTH + length);
        INT.setRelease(ring, slot + V2_STATUS, TP_STATUS_SEND_REQUEST);
        txIndex = txIndex + 1 == TX_FRAME_COUNT ? 0 : txIndex + 1;
        txPending++;
        return true;
    }

    /** Slots do not straddle blocks, as on the RX ring. */
    private static long txSlotOffset(int index) {
        int perBlock = TX_BLOCK_SIZE / TX_FRAME_SIZE;
        return (long) (index / perBlock) * TX_BLOCK_SIZE + (long) (index % perBlock) * TX_FRAME_SIZE;
    }

    /** Asks the kernel to send every queued slot; without waiting for completion. */
    @Override
    public void flush() {
        if (txPending == 0) {
            return;
        }
        long result = Native.sendto(txFd, kickAddress, 0, Native.MSG_DONTWAIT, MemorySegment.NULL, 0);
        if (result >= 0 || result == -Native.EAGAIN) {
            txPending = 0;
        } else {
            // slots the kernel could not take stay queued and go out with the next kick
            counters.increment(PortCounter.TX_KICKS_REFUSED);
        }
    }

    @Override
    public int pollFd() {
        return rxFd;
    }

    /**
     * Every {@link PortCounter} value since the port opened; any thread. The kernel's ring drops are read (and reset,
     * as PACKET_STATISTICS does) into the running total under the port's lock, so concurrent readers neither lose
     * nor double a drop and a closed port's socket is never asked.
     */
    @Override
    public long[] counters() {
        synchronized (statisticsLock) {
            if (!closed) {
                statisticsLength.set(JAVA_INT, 0, 8);
                if (Native.getsockopt(rxFd, Native.SOL_PACKET, PACKET_STATISTICS, statistics, statisticsLength) >= 0) {
                    counters.add(PortCounter.RX_RING_DROPS, Integer.toUnsignedLong(statistics.get(JAVA_INT, 4)));
                }
            }
        }
        return counters.snapshot();
    }

    /** Frames skipped because the kernel cut them to fit the ring and kept no whole copy. */
    public long truncatedFrames() {
        return counters.get(PortCounter.RX_TRUNCATED);
    }

    /** Frames not sent because their flags asked for an offload they cannot take (not IPv4 TCP/UDP). */
    public long offloadRefused() {
        return counters.get(PortCounter.TX_OFFLOAD_REFUSED);
    }

    /** Frames the kernel dropped for want of a free RX slot since the port opened. */
    public long kernelDrops() {
        return counters()[PortCounter.RX_RING_DROPS.ordinal()];
    }

    @Override
    public void close() {
        synchronized (statisticsLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long rxLength = rxRing.byteSize();
        long txLength = txRing.byteSize();
        MemorySegment rxAddress = MemorySegment.ofAddress(rxRing.address());
        MemorySegment txAddress = MemorySegment.ofAddress(txRing.address());
        arena.close();
        Native.munmap(rxAddress, rxLength);
        Native.munmap(txAddress, txLength);
        Native.close(rxFd);
        Native.close(txFd);
    }

    @Override
    public String toString() {
        return "AfPacketPort[" + name + " ifindex=" + ifindex + " mtu=" + mtu + "]";
    }

    private static int checked(int result, String call, String interfaceName) throws IOException {
        return (int) Native.check(result, call + " on " + interfaceName);
    }

    /** SO_RCVBUFFORCE (root may exceed rmem_max), else SO_RCVBUF: room for the frames copied aside. */
    private static void setReceiveBuffer(int fd, int bytes, String interfaceName, Arena arena) throws IOException {
        MemorySegment segment = arena.allocate(JAVA_INT);
        segment.set(JAVA_INT, 0, bytes);
        if (Native.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVBUFFORCE, segment, 4) < 0) {
            checked(Native.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVBUF, segment, 4),
                    "setsockopt(SO_RCVBUF)", interfaceName);
        }
    }

    private static void setInt(int fd, int option, int value, String call, String interfaceName, Arena arena)
            throws IOException {
        MemorySegment segment = arena.allocate(JAVA_INT);
        segment.set(JAVA_INT, 0, value);
        checked(Native.setsockopt(fd, Native.SOL_PACKET, option, segment, 4), call, interfaceName);
    }

    private static MemorySegment map(int fd, long length, String interfaceName) throws IOException {
        int[] error = new int[1];
        MemorySegment mapping = Native.mmap(length, Native.PROT_READ | Native.PROT_WRITE, Native.MAP_SHARED, fd, 0, error);
        if (mapping.equals(MemorySegment.NULL)) {
            Native.check(-error[0], "mmap(" + length + " bytes of packet ring) on " + interfaceName);
        }
        return mapping;
    }

    private static void bind(int fd, int ifindex, int protocol, String interfaceName, Arena arena) throws IOException {
        MemorySegment address = arena.allocate(SOCKADDR_LL);
        address.set(JAVA_SHORT, SLL_FAMILY, (short) Native.AF_PACKET);
        address.set(BIG_ENDIAN_SHORT, SLL_PROTOCOL, (short) protocol);
        address.set(JAVA_INT, SLL_IFINDEX, ifindex);
        checked(Native.bind(fd, address, (int) SOCKADDR_LL.byteSize()), "bind(AF_PACKET)", interfaceName);
    }

    /**
     * Has the NIC pass up every multicast frame while this socket lives (PACKET_MR_ALLMULTI; the kernel drops the
     * membership when the socket closes, so a crashed director leaves nothing behind). Neighbour Discovery asks for a
     * VIP or LIP at its solicited-node group (33:33:ff:xx:xx:xx), which a NIC's filter passes only for groups the
     * host joined: the kernel joins those of its own addresses, not of the addresses JVS answers for. ALLMULTI rather
     * than one PACKET_MR_MULTICAST per group: the groups change with every VIP and LIP, which the driver is not told
     * of, while the multicast a director's segment carries (ND, MLD, VRRP) is little. veth and lo pass every frame
     * anyway.
     */
    private static void receiveAllMulticast(int fd, int ifindex, String interfaceName, Arena arena) throws IOException {
        MemorySegment request = arena.allocate(PACKET_MREQ_SIZE);
        request.set(JAVA_INT, 0, ifindex);
        request.set(java.lang.foreign.ValueLayout.JAVA_SHORT, MR_TYPE, (short) PACKET_MR_ALLMULTI);
        checked(Native.setsockopt(fd, Native.SOL_PACKET, PACKET_ADD_MEMBERSHIP, request, PACKET_MREQ_SIZE),
                "setsockopt(PACKET_ADD_MEMBERSHIP, PACKET_MR_ALLMULTI)", interfaceName);
    }

    private static int interfaceMtu(int fd, String interfaceName, Arena arena) throws IOException {
        byte[] nameBytes = interfaceName.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length >= IFNAMSIZ) {
            throw new IOException("interface name '" + interfaceName + "' is longer than " + (IFNAMSIZ - 1) + " characters");
        }
        MemorySegment request = arena.allocate(IFREQ_SIZE, 8);
        MemorySegment.copy(nameBytes, 0, request, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
        checked(Native.ioctl(fd, SIOCGIFMTU, request), "ioctl(SIOCGIFMTU)", interfaceName);
        return request.get(JAVA_INT, IFREQ_MTU);
    }

    private static void unmap(MemorySegment mapping) {
        if (!mapping.equals(MemorySegment.NULL)) {
            Native.munmap(MemorySegment.ofAddress(mapping.address()), mapping.byteSize());
        }
    }

    private static void closeFd(int fd) {
        if (fd >= 0) {
            Native.close(fd);
        }
    }
}
