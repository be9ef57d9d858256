package org.jvs.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.agrona.collections.IntHashSet;
import org.jvs.service.Ipv6;

import static org.jvs.linux.GuardProgram.ADDRESS6_KEY_SIZE;
import static org.jvs.linux.GuardProgram.ADDRESS_KEY_SIZE;
import static org.jvs.linux.GuardProgram.KEY6_PORT;
import static org.jvs.linux.GuardProgram.KEY6_PROTOCOL;
import static org.jvs.linux.GuardProgram.KEY6_SIZE;
import static org.jvs.linux.GuardProgram.KEY_ADDRESS;
import static org.jvs.linux.GuardProgram.KEY_PORT;
import static org.jvs.linux.GuardProgram.KEY_PROTOCOL;
import static org.jvs.linux.GuardProgram.KEY_SIZE;
import static org.jvs.linux.GuardProgram.PORT_RANGE_HIGHEST;
import static org.jvs.linux.GuardProgram.PORT_RANGE_LOWEST;
import static org.jvs.linux.GuardProgram.PORT_RANGE_SIZE;

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
 * <p>What the program drops is described in {@link GuardProgram}: packets to virtual services, NAT replies not
 * addressed to the host itself, full-NAT replies to a local address within the full-NAT port range. The director's
 * own connections to real servers (health checks) stay the kernel's, which is why the guard must be told the
 * host's addresses ({@link #hostAddresses(int...)}, {@link #hostAddresses6}) whenever they change. IPv6 has the same
 * entries in maps of its own (the methods ending in 6). A later fragment (no ports to match) is
 * judged by its protocol and address, guarded while any port of that address is. Everything else continues as
 * TCX_NEXT rather than TC_ACT_OK so that programs or tc filters attached after ours still run; with none, TCX_NEXT
 * passes the packet just like TC_ACT_OK. The program parses an Ethernet header, so it belongs on Ethernet-like
 * devices (which includes lo and veth).
 *
 * <p>Thread safety: control methods are synchronized. Interfaces are named by ifindex in the network namespace of
 * the calling thread.
 */
public final class KernelGuard implements AutoCloseable, org.jvs.net.KernelBypass {
    private static final int VALUE_SIZE = 1;
    private static final int MAX_ENTRIES = 65536;
    private static final int ADDRESS_MAX_ENTRIES = 4096;
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int PORT_MAX = 0xFFFF;
    /** Indexes of the maps in the array attach() builds them into, so a failure half-way can close what exists. */
    private static final int SERVICES = 0;
    private static final int NAT_REAL_SERVERS = 1;
    private static final int HOST_ADDRESSES = 2;
    private static final int FULL_NAT_REAL_SERVERS = 3;
    private static final int LOCAL_ADDRESSES = 4;
    private static final int FULL_NAT_PORTS = 5;
    private static final int DROPS = 6;
    private static final int SERVICES6 = 7;
    private static final int NAT_REAL_SERVERS6 = 8;
    private static final int HOST_ADDRESSES6 = 9;
    private static final int FULL_NAT_REAL_SERVERS6 = 10;
    private static final int LOCAL_ADDRESSES6 = 11;
    private static final int MAP_COUNT = 12;
    private static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final BpfMap services;
    private final BpfMap natRealServers;
    private final BpfMap hostAddressMap;
    private final BpfMap fullNatRealServers;
    private final BpfMap localAddresses;
    private final BpfMap portRange;
    /** One 64-bit count of the frames the program dropped, bumped atomically on every CPU. */
    private final BpfMap drops;
    private final BpfMap services6;
    private final BpfMap natRealServers6;
    private final BpfMap hostAddressMap6;
    private final BpfMap fullNatRealServers6;
    private final BpfMap localAddresses6;
    private final BpfMap[] maps;
    private final BpfProgram program;
    private final TcxLinks links;
    private final IntHashSet hostAddressSet = new IntHashSet();
    private final Set<Ipv6> hostAddressSet6 = new HashSet<>();
    /** Per map, protocol and address: how many port keys hold the address's fragment key. */
    private final Map<FragmentKey, Integer> fragmentKeyUsers = new HashMap<>();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment key = arena.allocate(KEY_SIZE);
    private final MemorySegment key6 = arena.allocate(KEY6_SIZE);
    private final MemorySegment addressKey = arena.allocate(ADDRESS_KEY_SIZE);
    private final MemorySegment addressKey6 = arena.allocate(ADDRESS6_KEY_SIZE);
    private final MemorySegment present = arena.allocate(VALUE_SIZE);
    private final MemorySegment lookedUp = arena.allocate(VALUE_SIZE);
    private final MemorySegment range = arena.allocate(PORT_RANGE_SIZE);
    private final MemorySegment rangeIndex = arena.allocate(ValueLayout.JAVA_INT);
    private final LocalPortRange kernelPorts;
    private volatile Consumer<String> warnings = System.err::println;
    private int warnedLowest = -1;
    private int warnedHighest = -1;
    private boolean closed;

    private KernelGuard(BpfMap[] maps, BpfProgram program, LocalPortRange kernelPorts) {
        this.services = maps[SERVICES];
        this.natRealServers = maps[NAT_REAL_SERVERS];
        this.hostAddressMap = maps[HOST_ADDRESSES];
        this.fullNatRealServers = maps[FULL_NAT_REAL_SERVERS];
        this.localAddresses = maps[LOCAL_ADDRESSES];
        this.portRange = maps[FULL_NAT_PORTS];
        this.drops = maps[DROPS];
        this.services6 = maps[SERVICES6];
        this.natRealServers6 = maps[NAT_REAL_SERVERS6];
        this.hostAddressMap6 = maps[HOST_ADDRESSES6];
        this.fullNatRealServers6 = maps[FULL_NAT_REAL_SERVERS6];
        this.localAddresses6 = maps[LOCAL_ADDRESSES6];
        this.maps = maps;
        this.program = program;
        this.links = new TcxLinks(program, false);
        this.kernelPorts = kernelPorts;
        present.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
    }

    /** Where warnings for the operator go (the director's log); stderr until set. */
    public KernelGuard warnings(Consumer<String> sink) {
        warnings = sink;
        return this;
    }

    /**
     * Loads the guard and attaches it at tcx ingress of each interface; on any failure nothing stays attached.
     * Until {@link #fullNatPorts} is called the full-NAT port range is empty, so no full-NAT reply is dropped.
     */
    public static KernelGuard attach(int[] ifindexes) throws IOException {
        return attach(ifindexes, LocalPortRange.ofThisNamespace());
    }

    static KernelGuard attach(int[] ifindexes, LocalPortRange kernelPorts) throws IOException {
        BpfMap[] maps = new BpfMap[MAP_COUNT];
        BpfProgram program = null;
        try {
            maps[SERVICES] = portMap("jvs_services", KEY_SIZE);
            maps[NAT_REAL_SERVERS] = portMap("jvs_nat_rs", KEY_SIZE);
            maps[HOST_ADDRESSES] = addressMap("jvs_host_addrs", ADDRESS_KEY_SIZE);
            maps[FULL_NAT_REAL_SERVERS] = portMap("jvs_fnat_rs", KEY_SIZE);
            maps[LOCAL_ADDRESSES] = addressMap("jvs_laddrs", ADDRESS_KEY_SIZE);
            maps[FULL_NAT_PORTS] = BpfMap.create(BpfMap.TYPE_ARRAY, "jvs_fnat_ports", Integer.BYTES, PORT_RANGE_SIZE, 1,
                    0);
            maps[DROPS] = BpfMap.create(BpfMap.TYPE_ARRAY, "jvs_guard_drops", Integer.BYTES, Long.BYTES, 1, 0);
            maps[SERVICES6] = portMap("jvs_services6", KEY6_SIZE);
            maps[NAT_REAL_SERVERS6] = portMap("jvs_nat_rs6", KEY6_SIZE);
            maps[HOST_ADDRESSES6] = addressMap("jvs_host_addrs6", ADDRESS6_KEY_SIZE);
            maps[FULL_NAT_REAL_SERVERS6] = portMap("jvs_fnat_rs6", KEY6_SIZE);
            maps[LOCAL_ADDRESSES6] = addressMap("jvs_laddrs6", ADDRESS6_KEY_SIZE);
            GuardProgram.Maps fds = new GuardProgram.Maps(
                    new GuardProgram.FamilyMaps(maps[SERVICES].fd(), maps[NAT_REAL_SERVERS].fd(),
                            maps[HOST_ADDRESSES].fd(), maps[FULL_NAT_REAL_SERVERS].fd(), maps[LOCAL_ADDRESSES].fd()),
                    new GuardProgram.FamilyMaps(maps[SERVICES6].fd(), maps[NAT_REAL_SERVERS6].fd(),
                            maps[HOST_ADDRESSES6].fd(), maps[FULL_NAT_REAL_SERVERS6].fd(), maps[LOCAL_ADDRESSES6].fd()),
                    maps[FULL_NAT_PORTS].fd(), maps[DROPS].fd());
            program = BpfProgram.load(BpfProgram.TYPE_SCHED_CLS, "jvs_guard", GuardProgram.assemble(fds));
        } catch (IOException | RuntimeException e) {
            Bpf.closeQuietly(program);
            Bpf.closeQuietly(maps);
            throw e;
        }
        KernelGuard guard = new KernelGuard(maps, program, kernelPorts);
        try {
            guard.writePortRange(1, 0);
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

    /**
     * Keeps the kernel from forwarding packets from protocol rip:port (replies of a NAT real server), except
     * those addressed to the host itself.
     */
    public synchronized void addNatRealServer(int protocol, int rip, int port) {
        update(natRealServers, protocol, rip, port, true);
    }

    public synchronized void removeNatRealServer(int protocol, int rip, int port) {
        update(natRealServers, protocol, rip, port, false);
    }

    /** Keeps from the kernel packets from protocol rip:port to a local address at a port of the full-NAT range. */
    @Override
    public synchronized void addFullNatRealServer(int protocol, int rip, int port) {
        update(fullNatRealServers, protocol, rip, port, true);
    }

    @Override
    public synchronized void removeFullNatRealServer(int protocol, int rip, int port) {
        update(fullNatRealServers, protocol, rip, port, false);
    }

    @Override
    public synchronized void addLocalAddress(int lip) {
        updateAddress(localAddresses, lip, true);
    }

    @Override
    public synchronized void removeLocalAddress(int lip) {
        updateAddress(localAddresses, lip, false);
    }

    /** As {@link #addService} for an IPv6 VIP. */
    @Override
    public synchronized void addService6(int protocol, long vipHi, long vipLo, int port) {
        update6(services6, protocol, vipHi, vipLo, port, true);
    }

    @Override
    public synchronized void removeService6(int protocol, long vipHi, long vipLo, int port) {
        update6(services6, protocol, vipHi, vipLo, port, false);
    }

    /** As {@link #addNatRealServer} for an IPv6 real server (NAT66): replies to the host's IPv6 addresses pass. */
    @Override
    public synchronized void addNatRealServer6(int protocol, long ripHi, long ripLo, int port) {
        update6(natRealServers6, protocol, ripHi, ripLo, port, true);
    }

    @Override
    public synchronized void removeNatRealServer6(int protocol, long ripHi, long ripLo, int port) {
        update6(natRealServers6, protocol, ripHi, ripLo, port, false);
    }

    @Override
    public synchronized void addFullNatRealServer6(int protocol, long ripHi, long ripLo, int port) {
        update6(fullNatRealServers6, protocol, ripHi, ripLo, port, true);
    }

    @Override
    public synchronized void removeFullNatRealServer6(int protocol, long ripHi, long ripLo, int port) {
        update6(fullNatRealServers6, protocol, ripHi, ripLo, port, false);
    }

    @Override
    public synchronized void addLocalAddress6(long lipHi, long lipLo) {
        updateAddress6(localAddresses6, lipHi, lipLo, true);
    }

    @Override
    public synchronized void removeLocalAddress6(long lipHi, long lipLo) {
        updateAddress6(localAddresses6, lipHi, lipLo, false);
    }

    /**
     * Sets the full-NAT source port range. Warns once per range on stderr when it overlaps the kernel's
     * net.ipv4.ip_local_port_range: the host's own connections from a local address could then have their replies
     * taken for full-NAT replies. The sysctl is left as it is; that is the operator's call.
     */
    @Override
    public synchronized void fullNatPorts(int lowest, int highest) {
        if (lowest < 1 || highest > PORT_MAX || lowest > highest) {
            throw new IllegalArgumentException("full-NAT port range " + lowest + "-" + highest
                    + " is not valid (expected 1 <= lowest <= highest <= 65535)");
        }
        checkOpen();
        try {
            writePortRange(lowest, highest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (lowest != warnedLowest || highest != warnedHighest) {
            warnedLowest = lowest;
            warnedHighest = highest;
            String warning = kernelPorts.overlapWarning(lowest, highest);
            if (warning != null) {
                warnings.accept(warning);
            }
        }
    }

    /**
     * The host's own IPv4 addresses, replacing those given before: NAT replies to them are the director's own
     * connections (health checks) and pass to the kernel. Call it at start and after every address change.
     */
    public synchronized void hostAddresses(int... addresses) {
        checkOpen();
        IntHashSet wanted = new IntHashSet(Math.max(8, addresses.length * 2));
        for (int address : addresses) {
            wanted.add(address);
        }
        IntHashSet.IntIterator gone = hostAddressSet.iterator();
        while (gone.hasNext()) {
            int address = gone.nextValue();
            if (!wanted.contains(address)) {
                updateAddress(hostAddressMap, address, false);
                gone.remove();
            }
        }
        for (int address : addresses) {
            if (hostAddressSet.add(address)) {
                updateAddress(hostAddressMap, address, true);
            }
        }
    }

    /**
     * The host's own IPv6 addresses, replacing those given before: NAT66 replies to them are the director's own
     * connections and pass to the kernel. Call it at start and after every address change, as {@link #hostAddresses}.
     */
    public synchronized void hostAddresses6(List<Ipv6> addresses) {
        checkOpen();
        Set<Ipv6> wanted = new HashSet<>(addresses);
        for (var gone = hostAddressSet6.iterator(); gone.hasNext(); ) {
            Ipv6 address = gone.next();
            if (!wanted.contains(address)) {
                updateAddress6(hostAddressMap6, address.hi(), address.lo(), false);
                gone.remove();
            }
        }
        for (Ipv6 address : addresses) {
            if (hostAddressSet6.add(address)) {
                updateAddress6(hostAddressMap6, address.hi(), address.lo(), true);
            }
        }
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
        links.detach(ifindex);
    }

    /** Detaches the program from every interface and frees the program and its maps. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        links.detachAll();
        Bpf.closeQuietly(program);
        Bpf.closeQuietly(maps);
        arena.close();
    }

    /**
     * Frames the guard kept from the kernel's stack since it was attached: JVS received each of them, unless its
     * receive ring was full (then its port counted it in rx_ring_drops).
     */
    public synchronized long drops() throws IOException {
        checkOpen();
        try (Arena local = Arena.ofConfined()) {
            MemorySegment index = local.allocate(Integer.BYTES, 4);
            MemorySegment value = local.allocate(Long.BYTES, 8);
            return drops.lookup(index, value) ? value.get(ValueLayout.JAVA_LONG, 0) : 0;
        }
    }

    /** Whether the service or NAT real server map holds the entry; lets tests look at what the kernel sees. */
    synchronized boolean holds(boolean service, int protocol, int address, int port) throws IOException {
        packKey(protocol, address, port);
        return (service ? services : natRealServers).lookup(key, lookedUp);
    }

    /** What the program returns for frame (GuardProgram.TCX_DROP or TCX_NEXT), run by the kernel; for tests. */
    synchronized int verdict(byte[] frame) throws IOException {
        checkOpen();
        return program.testRun(frame);
    }

    /** Whether the kernel's copy of the host addresses holds address; for tests. */
    synchronized boolean holdsHostAddress(int address) throws IOException {
        addressKey.set(BE_INT, 0, address);
        return hostAddressMap.lookup(addressKey, lookedUp);
    }

    private void attachLink(int ifindex) throws IOException {
        checkOpen();
        links.attach(ifindex);
    }

    /**
     * Adds or deletes the key (protocol, address, port) and keeps the address's fragment key beside it: a later
     * fragment carries no ports, so it is matched by protocol and address alone, present while any port of that
     * address is. Callers add and remove each key once (BypassEntries counts its users).
     */
    private void update(BpfMap map, int protocol, int address, int port, boolean add) {
        checkOpen();
        packKey(protocol, address, port);
        updateWithFragmentKey(map, new FragmentKey(map, protocol, 0, address), add, () -> packFragmentKey(protocol, address));
    }

    /** As {@link #update} for an IPv6 address. */
    private void update6(BpfMap map, int protocol, long hi, long lo, int port, boolean add) {
        checkOpen();
        packKey6(protocol, hi, lo, port);
        updateWithFragmentKey(map, new FragmentKey(map, protocol, hi, lo), add, () -> {
            packKey6(protocol, hi, lo, 0);
            key6.set(ValueLayout.JAVA_BYTE, KEY6_PROTOCOL + 1, (byte) GuardProgram.FRAGMENT_MARK);
        });
    }

    /** Writes or deletes the packed key, then (first user in, last user out) the fragment key packFragment packs. */
    private void updateWithFragmentKey(BpfMap map, FragmentKey fragmentKey, boolean add, Runnable packFragment) {
        MemorySegment packed = map.keySize() == KEY6_SIZE ? key6 : key;
        int ports = fragmentKeyUsers.getOrDefault(fragmentKey, 0);
        try {
            if (add) {
                map.update(packed, present);
                if (ports == 0) {
                    packFragment.run();
                    map.update(packed, present);
                }
                fragmentKeyUsers.put(fragmentKey, ports + 1);
            } else {
                map.delete(packed);
                if (ports == 1) {
                    packFragment.run();
                    map.delete(packed);
                    fragmentKeyUsers.remove(fragmentKey);
                } else if (ports > 1) {
                    fragmentKeyUsers.put(fragmentKey, ports - 1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fragment key's users are counted per map, protocol and address (an IPv4 one as hi 0, lo the address). */
    private record FragmentKey(BpfMap map, int protocol, long hi, long lo) {
    }

    /** The key of every fragment of protocol to or from address: port 0 and the fragment marker. */
    private void packFragmentKey(int protocol, int address) {
        packKey(protocol, address, 0);
        key.set(ValueLayout.JAVA_BYTE, KEY_PROTOCOL + 1, (byte) GuardProgram.FRAGMENT_MARK);
    }

    private void updateAddress(BpfMap map, int address, boolean add) {
        checkOpen();
        addressKey.set(BE_INT, 0, address);
        try {
            if (add) {
                map.update(addressKey, present);
            } else {
                map.delete(addressKey);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void updateAddress6(BpfMap map, long hi, long lo, boolean add) {
        checkOpen();
        addressKey6.set(BE_LONG, 0, hi);
        addressKey6.set(BE_LONG, 8, lo);
        try {
            if (add) {
                map.update(addressKey6, present);
            } else {
                map.delete(addressKey6);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty range (lowest > highest) matches no port. */
    private void writePortRange(int lowest, int highest) throws IOException {
        rangeIndex.set(ValueLayout.JAVA_INT, 0, 0);
        range.set(ValueLayout.JAVA_INT, PORT_RANGE_LOWEST, lowest);
        range.set(ValueLayout.JAVA_INT, PORT_RANGE_HIGHEST, highest);
        portRange.update(rangeIndex, range);
    }

    private static BpfMap portMap(String name, int keySize) throws IOException {
        return BpfMap.create(BpfMap.TYPE_HASH, name, keySize, VALUE_SIZE, MAX_ENTRIES, BpfMap.FLAG_NO_PREALLOC);
    }

    private static BpfMap addressMap(String name, int keySize) throws IOException {
        return BpfMap.create(BpfMap.TYPE_HASH, name, keySize, VALUE_SIZE, ADDRESS_MAX_ENTRIES,
                BpfMap.FLAG_NO_PREALLOC);
    }

    private void packKey(int protocol, int address, int port) {
        checkProtocolAndPort(protocol, port);
        key.set(BE_INT, KEY_ADDRESS, address);
        key.set(BE_SHORT, KEY_PORT, (short) port);
        key.set(ValueLayout.JAVA_BYTE, KEY_PROTOCOL, (byte) protocol);
        key.set(ValueLayout.JAVA_BYTE, KEY_PROTOCOL + 1, (byte) 0);
    }

    private void packKey6(int protocol, long hi, long lo, int port) {
        checkProtocolAndPort(protocol, port);
        key6.set(BE_LONG, KEY_ADDRESS, hi);
        key6.set(BE_LONG, KEY_ADDRESS + 8, lo);
        key6.set(BE_SHORT, KEY6_PORT, (short) port);
        key6.set(ValueLayout.JAVA_BYTE, KEY6_PROTOCOL, (byte) protocol);
        key6.set(ValueLayout.JAVA_BYTE, KEY6_PROTOCOL + 1, (byte) 0);
    }

    private static void checkProtocolAndPort(int protocol, int port) {
        if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP) {
            throw new IllegalArgumentException("protocol " + protocol + " cannot be guarded (expected TCP 6 or UDP 17)");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " is out of range (expected 0-65535)");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("kernel guard is closed");
        }
    }
}
