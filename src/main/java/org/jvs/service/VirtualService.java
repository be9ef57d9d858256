package org.jvs.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jvs.sched.Scheduler;
import org.jvs.stats.Stats;

/**
 * A virtual service (struct ip_vs_service): protocol, VIP and port, its scheduler and its real servers.
 * Mutated only on the data-plane thread; the control plane reaches it through the director's command queue.
 * <p>
 * IPv4 or IPv6 (svc->af), its VIP kept as {@link RealServer} keeps addresses: two longs (IPv4-mapped for IPv4) and
 * the 32-bit word of IPv4 code and IPVS's hashes.
 */
public final class VirtualService {
    private final int protocol;
    private final int address;
    private final long addressHi;
    private final long addressLo;
    private final boolean ipv6;
    private final int port;
    private Scheduler scheduler;
    /** Persistence timeout in seconds (ipvsadm -p); 0 when not persistent. */
    private int persistenceTimeoutS;
    /** Persistence netmask (ipvsadm -M) as an int prefix mask, for an IPv4 service. */
    private int persistenceNetmask = 0xFFFFFFFF;
    /** Persistence prefix length (ipvsadm -M of an IPv6 service: a prefix length, 128 by default), for IPv6. */
    private int persistencePrefixLength = 128;
    /** One-packet scheduling (ipvsadm -o): honoured for UDP only, as the kernel does. */
    private boolean onePacket;
    /** Scheduler flags (ipvsadm -b), kept as text as ipvsadm prints them. */
    private String schedulerFlags = "";
    /**
     * PROXY protocol version (0 none, 1, 2) put in front of each new TCP connection towards a NAT or full-NAT
     * real server; a connection keeps the version it was scheduled with.
     */
    private int proxyProtocol;
    private final List<RealServer> realServers = new ArrayList<>();
    private final List<RealServer> realServersView = Collections.unmodifiableList(realServers);

    public final Stats stats = new Stats();

    public VirtualService(int protocol, int address, int port, Scheduler scheduler) {
        this.protocol = protocol;
        this.address = address;
        this.addressHi = 0;
        this.addressLo = Ipv6.mappedLo(address);
        this.ipv6 = false;
        this.port = port;
        this.scheduler = scheduler;
    }

    /** An IPv6 service: VIP {@code address}. */
    public VirtualService(int protocol, Ipv6 address, int port, Scheduler scheduler) {
        this.protocol = protocol;
        this.address = Ipv6.fold(address.hi(), address.lo());
        this.addressHi = address.hi();
        this.addressLo = address.lo();
        this.ipv6 = true;
        this.port = port;
        this.scheduler = scheduler;
    }

    public int protocol() {
        return protocol;
    }

    /** An IPv4 service's VIP; for an IPv6 service the fold of its VIP ({@link Ipv6#fold}), see RealServer's. */
    public int address() {
        return address;
    }

    /** Whether this is an IPv6 service (svc->af == AF_INET6). */
    public boolean ipv6() {
        return ipv6;
    }

    /** The VIP's high long; 0 for an IPv4 service (::ffff:a.b.c.d). */
    public long addressHi() {
        return addressHi;
    }

    public long addressLo() {
        return addressLo;
    }

    public int port() {
        return port;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Changing the scheduler keeps every connection: they are bound to real servers, not to the scheduler. */
    public void scheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
        scheduler.realServersChanged(this);
    }

    public int persistenceTimeoutS() {
        return persistenceTimeoutS;
    }

    public void persistenceTimeoutS(int persistenceTimeoutS) {
        this.persistenceTimeoutS = persistenceTimeoutS;
    }

    public int persistenceNetmask() {
        return persistenceNetmask;
    }

    public void persistenceNetmask(int persistenceNetmask) {
        this.persistenceNetmask = persistenceNetmask;
    }

    /** The IPv6 client network a persistence template keeps: this many leading bits of the client's address. */
    public int persistencePrefixLength() {
        return persistencePrefixLength;
    }

    /** Refused unless 1..128, as ipvsadm refuses an IPv6 -M outside it. */
    public void persistencePrefixLength(int persistencePrefixLength) {
        if (persistencePrefixLength < 1 || persistencePrefixLength > 128) {
            throw new IllegalArgumentException("IPv6 persistence prefix length " + persistencePrefixLength
                    + " is out of range (expected 1..128)");
        }
        this.persistencePrefixLength = persistencePrefixLength;
    }

    public boolean onePacket() {
        return onePacket;
    }

    public void onePacket(boolean onePacket) {
        this.onePacket = onePacket;
    }

    public String schedulerFlags() {
        return schedulerFlags;
    }

    public void schedulerFlags(String schedulerFlags) {
        this.schedulerFlags = schedulerFlags;
    }

    public int proxyProtocol() {
        return proxyProtocol;
    }

    public void proxyProtocol(int proxyProtocol) {
        this.proxyProtocol = proxyProtocol;
    }

    /** The real servers in the order they were added, as ipvsadm lists them. Read-only. */
    public List<RealServer> realServers() {
        return realServersView;
    }

    public RealServer findRealServer(int address, int port) {
        for (int i = 0, n = realServers.size(); i < n; i++) {
            RealServer server = realServers.get(i);
            if (server.address() == address && server.port() == port && !server.ipv6()) {
                return server;
            }
        }
        return null;
    }

    /** The IPv6 real server at [hi/lo]:port, or null. */
    public RealServer findRealServer6(long hi, long lo, int port) {
        for (int i = 0, n = realServers.size(); i < n; i++) {
            RealServer server = realServers.get(i);
            if (server.isAt6(hi, lo) && server.port() == port) {
                return server;
            }
        }
        return null;
    }

    public void addRealServer(RealServer server) {
        server.service(this);
        realServers.add(server);
        scheduler.realServersChanged(this);
    }

    /** Removes the server from scheduling; its existing connections keep their reference and drain. */
    public boolean removeRealServer(RealServer server) {
        boolean removed = realServers.remove(server);
        if (removed) {
            server.available(false);
            scheduler.realServersChanged(this);
        }
        return removed;
    }

    /** Tell the scheduler a real server's weight or thresholds changed. */
    public void realServerUpdated() {
        scheduler.realServersChanged(this);
    }

    @Override
    public String toString() {
        return Protocol.name(protocol) + " " + (ipv6 ? "[" + Ipv6.toString(addressHi, addressLo) + "]"
                : Ipv4.toString(address)) + ":" + port;
    }
}
