package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.jvs.net.FastPath;

import static org.jvs.linux.FastPathProgram.KEY_DADDR;
import static org.jvs.linux.FastPathProgram.KEY_DPORT;
import static org.jvs.linux.FastPathProgram.KEY_PROTOCOL;
import static org.jvs.linux.FastPathProgram.KEY_SADDR;
import static org.jvs.linux.FastPathProgram.KEY_SPORT;

/**
 * The kernel fast path for established connections ({@link FastPathProgram}): one hash map of flows, the forwarder
 * at tcx ingress of every attached interface, ahead of the {@link KernelGuard}, and the socket filter every
 * AF_PACKET receive socket gets ({@link #attachSocketFilter}) so that the frames the kernel forwards are never
 * copied to JVS. Separate from the guard rather than folded into it: the guard answers "is this JVS's?" for every
 * frame and must stay whatever the fast path does, and the fast path can be off (--no-fast-path); as the first
 * program in line it spends one map lookup on frames it does not take. As the guard, its tcx links are fds:
 * a dying director detaches it. Each data-plane worker gets its own {@link #worker()} view (preallocated
 * buffers); the map is one for all. Control methods are synchronized.
 */
public final class KernelFastPath implements AutoCloseable {
    /** Flows, two per connection (client to real server, and the reply for NAT and full NAT). */
    static final int MAX_FLOWS = 1 << 18;
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final BpfMap flows;
    /** One per CPU: the socket filter's verdict on the frame the forwarder is about to see ({@link FastPathProgram}). */
    private final BpfMap slots;
    /** One counter: frames the forwarder took but could not forward (a helper refused them half way). */
    private final BpfMap drops;
    private final BpfProgram forwarder;
    private final BpfProgram socketFilter;
    /** First in line at every interface: before the guard, whichever was attached first. */
    private final TcxLinks links;
    private final Arena arena = Arena.ofShared();
    private boolean closed;

    private KernelFastPath(BpfMap flows, BpfMap slots, BpfMap drops, BpfProgram forwarder, BpfProgram socketFilter) {
        this.flows = flows;
        this.slots = slots;
        this.drops = drops;
        this.forwarder = forwarder;
        this.links = new TcxLinks(forwarder, true);
        this.socketFilter = socketFilter;
    }

    /**
     * Loads both programs and attaches the forwarder first at tcx ingress of each interface; on any failure nothing
     * stays attached and the exception says what the kernel refused.
     */
    public static KernelFastPath attach(int[] ifindexes) throws IOException {
        BpfMap flows = null;
        BpfMap slots = null;
        BpfMap drops = null;
        BpfProgram forwarder = null;
        BpfProgram filter = null;
        try {
            flows = BpfMap.create(BpfMap.TYPE_HASH, "jvs_flows", FastPathProgram.KEY_SIZE, FastPathProgram.VALUE_SIZE,
                    MAX_FLOWS, BpfMap.FLAG_NO_PREALLOC);
            slots = BpfMap.create(BpfMap.TYPE_PERCPU_ARRAY, "jvs_fp_verdicts", 4, FastPathProgram.SLOT_SIZE, 1, 0);
            drops = BpfMap.create(BpfMap.TYPE_ARRAY, "jvs_fp_drops", Integer.BYTES, Long.BYTES, 1, 0);
            forwarder = BpfProgram.load(BpfProgram.TYPE_SCHED_CLS, "jvs_fastpath",
                    FastPathProgram.forwarder(flows.fd(), slots.fd(), drops.fd()));
            filter = BpfProgram.load(BpfProgram.TYPE_SOCKET_FILTER, "jvs_fp_filter",
                    FastPathProgram.socketFilter(flows.fd(), slots.fd()));
        } catch (IOException | RuntimeException e) {
            Bpf.closeQuietly(filter, forwarder, drops, slots, flows);
            throw e;
        }
        KernelFastPath fastPath = new KernelFastPath(flows, slots, drops, forwarder, filter);
        try {
            for (int ifindex : ifindexes) {
                fastPath.attachInterface(ifindex);
            }
        } catch (IOException | RuntimeException e) {
            fastPath.close();
            throw e;
        }
        return fastPath;
    }

    /** Forwards on one more interface (one that appeared after attach); a no-op if it does already. */
    public synchronized void attachInterface(int ifindex) throws IOException {
        checkOpen();
        links.attach(ifindex);
    }

    public synchronized void detachInterface(int ifindex) {
        links.detach(ifindex);
    }

    /** Gives a packet socket the filter that keeps the fast path's frames out of its ring (SO_ATTACH_BPF). */
    public synchronized void attachSocketFilter(int socketFd) throws IOException {
        checkOpen();
        try (Arena local = Arena.ofConfined()) {
            MemorySegment programFd = local.allocate(ValueLayout.JAVA_INT);
            programFd.set(ValueLayout.JAVA_INT, 0, socketFilter.fd());
            Native.check(Native.setsockopt(socketFd, Native.SOL_SOCKET, BpfProgram.SO_ATTACH_BPF, programFd, 4),
                    "setsockopt(SO_ATTACH_BPF fast-path filter)");
        }
    }

    /** A view for one data-plane thread, with its own buffers; the flows it installs are in the shared map. */
    public synchronized FastPath worker() {
        checkOpen();
        return new Worker(flows.new Access(arena));
    }

    /**
     * Frames the forwarder took from JVS (the socket filter claimed them) but had to drop, since it was attached:
     * a helper refused a frame half way through its rewrite or encapsulation. Read for ./jvs counters.
     */
    public synchronized long drops() throws IOException {
        checkOpen();
        try (Arena local = Arena.ofConfined()) {
            MemorySegment index = local.allocate(Integer.BYTES, 4);
            MemorySegment value = local.allocate(Long.BYTES, 8);
            return drops.lookup(index, value) ? value.get(ValueLayout.JAVA_LONG, 0) : 0;
        }
    }

    /** The forwarder run by the kernel on frame (BPF_PROG_TEST_RUN); for tests. */
    BpfProgram.TestRun forward(byte[] frame) throws IOException {
        return forward(frame, 0);
    }

    /** As {@link #forward(byte[])} for a TCP super-packet of gsoSize segments; for tests. */
    BpfProgram.TestRun forward(byte[] frame, int gsoSize) throws IOException {
        checkOpen();
        return forwarder.testRunWithOutput(frame, gsoSize);
    }

    /**
     * The socket filter run by the kernel on frame, as a packet tap runs it (the MAC header pushed back: a socket
     * filter's test run starts at the network header, so the frame goes in behind a copy of its Ethernet header,
     * which the run pulls); for tests.
     */
    BpfProgram.TestRun filter(byte[] frame) throws IOException {
        checkOpen();
        byte[] tapped = new byte[14 + frame.length];
        System.arraycopy(frame, 0, tapped, 0, 14);
        System.arraycopy(frame, 0, tapped, 14, frame.length);
        return socketFilter.testRunWithOutput(tapped);
    }

    /** Every CPU's verdict slot, {@link FastPathProgram#SLOT_SIZE} bytes each, by CPU; for tests. */
    synchronized byte[][] verdictSlots() throws IOException {
        checkOpen();
        try (Arena local = Arena.ofConfined()) {
            MemorySegment index = local.allocate(ValueLayout.JAVA_INT);
            int stride = slots.perCpuStride();
            byte[][] perCpu = new byte[Bpf.possibleCpus()][];
            MemorySegment values = local.allocate((long) stride * perCpu.length, 8);
            slots.lookupEveryCpu(index, values);
            for (int cpu = 0; cpu < perCpu.length; cpu++) {
                perCpu[cpu] = values.asSlice((long) cpu * stride, FastPathProgram.SLOT_SIZE).toArray(ValueLayout.JAVA_BYTE);
            }
            return perCpu;
        }
    }

    /** Sets every CPU's verdict slot to slot ({@link FastPathProgram#SLOT_SIZE} bytes); for tests. */
    synchronized void pendOnEveryCpu(byte[] slot) throws IOException {
        checkOpen();
        try (Arena local = Arena.ofConfined()) {
            MemorySegment index = local.allocate(ValueLayout.JAVA_INT);
            int stride = slots.perCpuStride();
            MemorySegment values = local.allocate((long) stride * Bpf.possibleCpus(), 8);
            for (long offset = 0; offset < values.byteSize(); offset += stride) {
                MemorySegment.copy(slot, 0, values, ValueLayout.JAVA_BYTE, offset, slot.length);
            }
            slots.updateEveryCpu(index, values);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        links.detachAll();
        Bpf.closeQuietly(socketFilter, forwarder, drops, slots, flows);
        arena.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("kernel fast path is closed");
        }
    }

    /** One worker's access to the flows: every call one bpf(2) syscall, nothing allocated. */
    private static final class Worker implements FastPath {
        private final BpfMap.Access access;

        Worker(BpfMap.Access access) {
            this.access = access;
        }

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public boolean install(int protocol, int source, int sourcePort, int destination, int destinationPort,
                               int newSource, int newSourcePort, int newDestination, int newDestinationPort,
                               int ifindex, long sourceMac, long destinationMac, int mtu) {
            MemorySegment value = way(protocol, source, sourcePort, destination, destinationPort, ifindex, sourceMac,
                    destinationMac, mtu, mtu);
            value.set(BE_INT, FastPathProgram.VALUE_SADDR, newSource);
            value.set(BE_INT, FastPathProgram.VALUE_DADDR, newDestination);
            value.set(BE_SHORT, FastPathProgram.VALUE_SPORT, (short) newSourcePort);
            value.set(BE_SHORT, FastPathProgram.VALUE_DPORT, (short) newDestinationPort);
            return access.update() == 0;
        }

        @Override
        public boolean installTunnel(int protocol, int source, int sourcePort, int destination, int destinationPort,
                                     int tunnelSource, int tunnelDestination, int ifindex, long sourceMac,
                                     long destinationMac, int mtu) {
            // a datagram must leave room for the outer header; a super-packet's segments shrink by it (the program)
            MemorySegment value = way(protocol, source, sourcePort, destination, destinationPort, ifindex, sourceMac,
                    destinationMac, mtu - FastPathProgram.OUTER_HEADER, mtu);
            value.set(BE_INT, FastPathProgram.VALUE_TUNNEL_SOURCE, tunnelSource);
            value.set(BE_INT, FastPathProgram.VALUE_TUNNEL_DESTINATION, tunnelDestination);
            return access.update() == 0;
        }

        /** The key, and the value cleared but for the way out and the MTUs. */
        private MemorySegment way(int protocol, int source, int sourcePort, int destination, int destinationPort,
                                  int ifindex, long sourceMac, long destinationMac, int mtu, int segmentMtu) {
            key(protocol, source, sourcePort, destination, destinationPort);
            MemorySegment value = access.value;
            value.fill((byte) 0);
            value.set(ValueLayout.JAVA_INT, FastPathProgram.VALUE_IFINDEX, ifindex);
            mac(value, FastPathProgram.VALUE_DESTINATION_MAC, destinationMac);
            mac(value, FastPathProgram.VALUE_SOURCE_MAC, sourceMac);
            value.set(ValueLayout.JAVA_SHORT, FastPathProgram.VALUE_MTU, (short) Math.min(mtu, 0xFFFF));
            value.set(ValueLayout.JAVA_SHORT, FastPathProgram.VALUE_SEGMENT_MTU, (short) Math.min(segmentMtu, 0xFFFF));
            return value;
        }

        @Override
        public boolean remove(int protocol, int source, int sourcePort, int destination, int destinationPort,
                              long[] into) {
            key(protocol, source, sourcePort, destination, destinationPort);
            return access.lookupAndDelete() == 0 && counters(into);
        }

        @Override
        public boolean read(int protocol, int source, int sourcePort, int destination, int destinationPort,
                            long[] into) {
            key(protocol, source, sourcePort, destination, destinationPort);
            return access.lookup() == 0 && counters(into);
        }

        private boolean counters(long[] into) {
            into[PACKETS] = access.value.get(ValueLayout.JAVA_LONG, FastPathProgram.VALUE_PACKETS);
            into[BYTES] = access.value.get(ValueLayout.JAVA_LONG, FastPathProgram.VALUE_BYTES);
            into[LAST_SEEN_NS] = access.value.get(ValueLayout.JAVA_LONG, FastPathProgram.VALUE_LAST_SEEN_NS);
            return true;
        }

        private void key(int protocol, int source, int sourcePort, int destination, int destinationPort) {
            MemorySegment key = access.key;
            key.set(BE_INT, KEY_SADDR, source);
            key.set(BE_INT, KEY_DADDR, destination);
            key.set(BE_SHORT, KEY_SPORT, (short) sourcePort);
            key.set(BE_SHORT, KEY_DPORT, (short) destinationPort);
            key.set(ValueLayout.JAVA_INT, KEY_PROTOCOL, 0);
            key.set(ValueLayout.JAVA_BYTE, KEY_PROTOCOL, (byte) protocol);
        }

        /** A MAC held in a long's low 48 bits, first byte most significant, as the wire has it. */
        private static void mac(MemorySegment value, long offset, long mac) {
            for (int i = 0; i < 6; i++) {
                value.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (mac >>> (40 - 8 * i)));
            }
        }
    }
}
