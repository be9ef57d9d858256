package org.jvs.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.agrona.collections.Int2IntHashMap;

import static org.jvs.linux.BpfAssembler.B;
import static org.jvs.linux.BpfAssembler.H;
import static org.jvs.linux.BpfAssembler.JEQ;
import static org.jvs.linux.BpfAssembler.JGT;
import static org.jvs.linux.BpfAssembler.JLT;
import static org.jvs.linux.BpfAssembler.JNE;
import static org.jvs.linux.BpfAssembler.JSET;
import static org.jvs.linux.BpfAssembler.R0;
import static org.jvs.linux.BpfAssembler.R1;
import static org.jvs.linux.BpfAssembler.R10;
import static org.jvs.linux.BpfAssembler.R2;
import static org.jvs.linux.BpfAssembler.R3;
import static org.jvs.linux.BpfAssembler.R4;
import static org.jvs.linux.BpfAssembler.R6;
import static org.jvs.linux.BpfAssembler.R7;
import static org.jvs.linux.BpfAssembler.R8;
import static org.jvs.linux.BpfAssembler.R9;
import static org.jvs.linux.BpfAssembler.W;

/**
 * Keeps the director's own kernel away from the packets JVS forwards. JVS takes frames from AF_PACKET, but the
 * kernel receives the same frames and would act on them: a SYN to a VIP that sits on lo with no listener gets a
 * TCP RST (UDP an ICMP port unreachable), and with ip_forward=1 a NAT real server's reply to the client would be
 * routed on un-rewritten, leaking the RIP.
 *
 * <p>Mechanism: a small sched_cls BPF program at tcx ingress of every interface JVS reads. A packet socket bound
 * to ETH_P_ALL (as JVS's are) taps frames in __netif_receive_skb before tc ingress runs, so JVS has its copy before
 * the program drops the frame and the IP stack never sees it; a socket bound to one protocol (ETH_P_IP) is served
 * after tc ingress and would lose guarded frames too. XDP would not do: it runs in the driver before the packet tap, so a drop there
 * would also hide the frame from JVS. tcx (kernel 6.6+) is used rather than a clsact qdisc because its links are
 * plain fds: closing them, or the process dying, detaches the program, so a crashed director cannot leave
 * interfaces black-holed.
 *
 * <p>The program drops IPv4 TCP/UDP packets whose (protocol, daddr, dport) is a virtual service, or whose
 * (protocol, saddr, sport) is a NAT real server (replies the director must rewrite); an entry with port 0 matches
 * every port (port-zero persistent services). Everything else, including
 * non-first fragments (no ports to match), continues as TCX_NEXT rather than TC_ACT_OK so that programs or tc
 * filters attached after ours still run; with none, TCX_NEXT passes the packet just like TC_ACT_OK. Map keys are
 * 8 bytes, the fields as on the wire: address (4, big-endian), port (2, big-endian), protocol (1), zero (1). The
 * program parses an Ethernet header, so it belongs on Ethernet-like devices (which includes lo and veth).
 *
 * <p>Thread safety: control methods are synchronized. Interfaces are named by ifindex in the network namespace of
 * the calling thread.
 */
public final class KernelGuard implements AutoCloseable, org.jvs.net.KernelBypass {
    /** What the program returns: drop, or carry on to the next tcx program and the stack (TC_ACT_UNSPEC). */
    static final int TCX_DROP = 2;
    static final int TCX_NEXT = -1;

    static final int KEY_SIZE = 8;
    static final int VALUE_SIZE = 1;
    private static final int MAX_ENTRIES = 65536;
    private static final int KEY_ADDRESS = 0;
    private static final int KEY_PORT = 4;
    private static final int KEY_PROTOCOL = 6;
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** struct __sk_buff offsets the verifier rewrites into the real skb's data pointers. */
    private static final int SKB_DATA = 76;
    private static final int SKB_DATA_END = 80;
    private static final int ETH_TYPE = 12;
    private static final int ETH_HEADER = 14;
    private static final int ETH_P_IP = 0x0800;
    private static final int IP_VERSION_IHL = ETH_HEADER;
    private static final int IP_FRAGMENT = ETH_HEADER + 6;
    private static final int IP_PROTOCOL = ETH_HEADER + 9;
    private static final int IP_SADDR = ETH_HEADER + 12;
    private static final int IP_DADDR = ETH_HEADER + 16;
    private static final int IP_MIN_HEADER = 20;
    private static final int IP_FRAGMENT_OFFSET_MASK = 0x1FFF;
    private static final int L4_SPORT = 0;
    private static final int L4_DPORT = 2;
    private static final int L4_PORTS = 4;
    private static final int HELPER_MAP_LOOKUP_ELEM = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;

    private final BpfMap services;
    private final BpfMap natRealServers;
    private final BpfProgram program;
    private final Int2IntHashMap linkByIfindex = new Int2IntHashMap(-1);
    private final Arena arena = Arena.ofShared();
    private final MemorySegment key = arena.allocate(KEY_SIZE);
    private final MemorySegment present = arena.allocate(VALUE_SIZE);
    private final MemorySegment lookedUp = arena.allocate(VALUE_SIZE);
    private boolean closed;

    private KernelGuard(BpfMap services, BpfMap natRealServers, BpfProgram program) {
        this.services = services;
        this.natRealServers = natRealServers;
        this.program = program;
        present.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
    }

    /** Loads the guard and attaches it at tcx ingress of each interface; on any failure nothing stays attached. */
    public static KernelGuard attach(int[] ifindexes) throws IOException {
        BpfMap services = null;
        BpfMap natRealServers = null;
        BpfProgram program = null;
        try {
            services = BpfMap.create(BpfMap.TYPE_HASH, "jvs_services", KEY_SIZE, VALUE_SIZE, MAX_ENTRIES, BpfMap.FLAG_NO_PREALLOC);
            natRealServers = BpfMap.create(BpfMap.TYPE_HASH, "jvs_nat_rs", KEY_SIZE, VALUE_SIZE, MAX_ENTRIES, BpfMap.FLAG_NO_PREALLOC);
            program = BpfProgram.load(BpfProgram.TYPE_SCHED_CLS, "jvs_guard", program(services.fd(), natRealServers.fd()));
        } catch (IOException | RuntimeException e) {
            closeQuietly(program, natRealServers, services);
            throw e;
        }
        KernelGuard guard = new KernelGuard(services, natRealServers, program);
        try {
            for (int ifindex : ifindexes) {
                guard.attachLink(ifindex);
            }
        } catch (IOException | RuntimeException e) {
            guard.close();
            throw e;
        }
        return guard;
    }

    /** Keeps the kernel from answering packets to protocol vip:port (TCP or UDP). */
    public synchronized void addService(int protocol, int vip, int port) {
        update(services, protocol, vip, port, true);
    }

    public synchronized void removeService(int protocol, int vip, int port) {
        update(services, protocol, vip, port, false);
    }

    /** Keeps the kernel from forwarding packets from protocol rip:port: replies of a NAT real server. */
    public synchronized void addNatRealServer(int protocol, int rip, int port) {
        update(natRealServers, protocol, rip, port, true);
    }

    public synchronized void removeNatRealServer(int protocol, int rip, int port) {
        update(natRealServers, protocol, rip, port, false);
    }

    // issue 6, in progress: full-NAT entries
    @Override
    public synchronized void addFullNatRealServer(int protocol, int address, int port) {
        throw new UnsupportedOperationException("full NAT guard: issue 6, in progress");
    }

    @Override
    public synchronized void removeFullNatRealServer(int protocol, int address, int port) {
        throw new UnsupportedOperationException("full NAT guard: issue 6, in progress");
    }

    @Override
    public synchronized void addLocalAddress(int address) {
        throw new UnsupportedOperationException("full NAT guard: issue 6, in progress");
    }

    @Override
    public synchronized void removeLocalAddress(int address) {
        throw new UnsupportedOperationException("full NAT guard: issue 6, in progress");
    }

    @Override
    public synchronized void fullNatPorts(int lowest, int highest) {
        throw new UnsupportedOperationException("full NAT guard: issue 6, in progress");
    }

    /** Guards one more interface (one that appeared after attach); a no-op if it is guarded already. */
    public synchronized void attachInterface(int ifindex) {
        try {
            attachLink(ifindex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops guarding one interface; a no-op if it was not guarded. */
    public synchronized void detachInterface(int ifindex) {
        int link = linkByIfindex.remove(ifindex);
        if (link >= 0) {
            Native.close(link);
        }
    }

    /** Detaches the program from every interface and frees the program and its maps. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        linkByIfindex.forEach((ifindex, link) -> Native.close(link));
        linkByIfindex.clear();
        closeQuietly(program, natRealServers, services);
        arena.close();
    }

    /** Whether the service or NAT real server map holds the entry; lets tests look at what the kernel sees. */
    synchronized boolean holds(boolean service, int protocol, int address, int port) throws IOException {
        packKey(protocol, address, port);
        return (service ? services : natRealServers).lookup(key, lookedUp);
    }

    private void attachLink(int ifindex) throws IOException {
        checkOpen();
        if (ifindex <= 0) {
            throw new IllegalArgumentException("interface index " + ifindex + " is not valid (expected > 0)");
        }
        if (!linkByIfindex.containsKey(ifindex)) {
            linkByIfindex.put(ifindex, program.attachTcxIngress(ifindex));
        }
    }

    private void update(BpfMap map, int protocol, int address, int port, boolean add) {
        checkOpen();
        packKey(protocol, address, port);
        try {
            if (add) {
                map.update(key, present);
            } else {
                map.delete(key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void packKey(int protocol, int address, int port) {
        if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP) {
            throw new IllegalArgumentException("protocol " + protocol + " cannot be guarded (expected TCP 6 or UDP 17)");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " is out of range (expected 0-65535)");
        }
        key.set(BE_INT, KEY_ADDRESS, address);
        key.set(BE_SHORT, KEY_PORT, (short) port);
        key.set(ValueLayout.JAVA_BYTE, KEY_PROTOCOL, (byte) protocol);
        key.set(ValueLayout.JAVA_BYTE, KEY_PROTOCOL + 1, (byte) 0);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("kernel guard is closed");
        }
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // only fds are closed here; nothing useful to report on the way out
                }
            }
        }
    }

    /** A big-endian 16-bit wire constant as a native-order load of those two bytes yields it. */
    static int wire16(int value) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? value : Short.reverseBytes((short) value) & 0xFFFF;
    }

    /**
     * The guard program. r7 = packet start, r8 = packet end then the L4 header, r9 = IP protocol. Every load from
     * the packet is preceded by a comparison against data_end, which is what lets the verifier accept it; the L4
     * header sits at a variable offset (IHL), which the verifier tracks as the range [20, 60] of r2.
     */
    static long[] program(int servicesFd, int natRealServersFd) {
        BpfAssembler asm = new BpfAssembler();
        int pass = asm.newLabel();
        int drop = asm.newLabel();
        int ports = asm.newLabel();

        asm.move(R6, R1);
        asm.load(W, R7, R6, SKB_DATA);
        asm.load(W, R8, R6, SKB_DATA_END);
        asm.move(R2, R7);
        asm.addImmediate(R2, ETH_HEADER + IP_MIN_HEADER);
        asm.jump(JGT, R2, R8, pass);

        asm.load(H, R2, R7, ETH_TYPE);
        asm.jumpImmediate(JNE, R2, wire16(ETH_P_IP), pass);
        asm.load(B, R2, R7, IP_VERSION_IHL);
        asm.move(R3, R2);
        asm.andImmediate(R3, 0xF0);
        asm.jumpImmediate(JNE, R3, 0x40, pass);
        asm.andImmediate(R2, 0x0F);
        asm.jumpImmediate(JLT, R2, 5, pass);
        asm.shiftLeftImmediate(R2, 2);
        asm.load(H, R3, R7, IP_FRAGMENT);
        asm.jumpImmediate(JSET, R3, wire16(IP_FRAGMENT_OFFSET_MASK), pass);
        asm.load(B, R9, R7, IP_PROTOCOL);
        asm.jumpImmediate(JEQ, R9, IPPROTO_TCP, ports);
        asm.jumpImmediate(JNE, R9, IPPROTO_UDP, pass);

        asm.bind(ports);
        asm.move(R3, R7);
        asm.add(R3, R2);
        asm.addImmediate(R3, ETH_HEADER);
        asm.move(R4, R3);
        asm.addImmediate(R4, L4_PORTS);
        asm.jump(JGT, R4, R8, pass);
        asm.move(R8, R3);

        lookupAndDrop(asm, servicesFd, IP_DADDR, L4_DPORT, drop);
        lookupAndDrop(asm, natRealServersFd, IP_SADDR, L4_SPORT, drop);
        // port 0 stands for every port: persistent port-zero services (-t VIP:0 -p) and their real servers
        lookupAndDrop(asm, servicesFd, IP_DADDR, ANY_PORT, drop);
        lookupAndDrop(asm, natRealServersFd, IP_SADDR, ANY_PORT, drop);

        asm.bind(pass);
        asm.moveImmediate(R0, TCX_NEXT);
        asm.exit();
        asm.bind(drop);
        asm.moveImmediate(R0, TCX_DROP);
        asm.exit();
        return asm.assemble();
    }

    /** A port offset meaning: look the address up with port 0, the key of an any-port entry. */
    private static final int ANY_PORT = -1;

    /**
     * Builds the key {address, port, protocol, 0} at r10-8 (port from the packet at portOffset, or 0 for
     * {@link #ANY_PORT}) and drops the packet when mapFd holds it.
     */
    private static void lookupAndDrop(BpfAssembler asm, int mapFd, int addressOffset, int portOffset, int drop) {
        int keyAt = -KEY_SIZE;
        asm.load(W, R2, R7, addressOffset);
        asm.store(W, R10, keyAt + KEY_ADDRESS, R2);
        if (portOffset == ANY_PORT) {
            asm.storeImmediate(H, R10, keyAt + KEY_PORT, 0);
        } else {
            asm.load(H, R2, R8, portOffset);
            asm.store(H, R10, keyAt + KEY_PORT, R2);
        }
        asm.store(B, R10, keyAt + KEY_PROTOCOL, R9);
        asm.storeImmediate(B, R10, keyAt + KEY_PROTOCOL + 1, 0);
        asm.loadMap(R1, mapFd);
        asm.move(R2, R10);
        asm.addImmediate(R2, keyAt);
        asm.call(HELPER_MAP_LOOKUP_ELEM);
        asm.jumpImmediate(JNE, R0, 0, drop);
    }
}
