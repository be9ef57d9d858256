package org.jvs.service;

import org.jvs.stats.Stats;

/**
 * One destination of a virtual service (struct ip_vs_dest): where it is, how it is reached, its weight and
 * the connection counts the schedulers read. Weight 0 quiesces it: no new connections, existing ones go on.
 * Mutated only on the data-plane thread.
 * <p>
 * IPv4 or IPv6 (dest->af): the address is kept both as the two longs of the hot path (an IPv4 server's in its
 * IPv4-mapped form) and as the 32-bit word that IPv4 code and IPVS's hashes read, see {@link #address()}.
 */
public final class RealServer {
    private final int address;
    private final long addressHi;
    private final long addressLo;
    private final boolean ipv6;
    private final int port;
    private ForwardingMethod method;
    /** How TUN packets are encapsulated; ignored by the other methods. */
    private Tunnel tunnel = Tunnel.IPIP;
    private int weight;
    /** ipvsadm -x: stop scheduling when active+inactive reach it; 0 = no limit. */
    private int upperThreshold;
    /** ipvsadm -y: resume below it once overloaded; 0 = 3/4 of the upper threshold, as IPVS does. */
    private int lowerThreshold;
    /** False once removed from its service: its connections drain but it is never chosen again. */
    private boolean available = true;
    private VirtualService service;

    /**
     * This worker's connections counted active as IPVS counts them (activeconns): ESTABLISHED and those being
     * set up. Change them through {@link #countConnections}.
     */
    public int activeConnections;
    /** This worker's other connections (IPVS's inactconns): UDP, TCP in teardown. */
    public int inactiveConnections;
    /** Every worker's counts, which the schedulers weigh. */
    private ServerLoad load = new ServerLoad();
    /** Persistence templates pointing at this server (IPVS's persistconns). */
    public int persistentConnections;

    public final Stats stats = new Stats();

    public RealServer(int address, int port, ForwardingMethod method, int weight) {
        this.address = address;
        this.addressHi = 0;
        this.addressLo = Ipv6.mappedLo(address);
        this.ipv6 = false;
        this.port = port;
        this.method = method;
        this.weight = weight;
    }

    /** An IPv6 real server. */
    public RealServer(Ipv6 address, int port, ForwardingMethod method, int weight) {
        this.address = Ipv6.fold(address.hi(), address.lo());
        this.addressHi = address.hi();
        this.addressLo = address.lo();
        this.ipv6 = true;
        this.port = port;
        this.method = method;
        this.weight = weight;
    }

    /** The virtual service this server belongs (or, once removed, belonged) to. */
    public VirtualService service() {
        return service;
    }

    void service(VirtualService service) {
        this.service = service;
    }

    /**
     * An IPv4 server's address; for an IPv6 server the fold of its address ({@link Ipv6#fold}), which is what
     * IPVS's hashing schedulers read of it and matches no IPv4 server by itself: compare {@link #ipv6()} too.
     */
    public int address() {
        return address;
    }

    /** Whether this is an IPv6 server (dest->af == AF_INET6). */
    public boolean ipv6() {
        return ipv6;
    }

    /** The address's high long; 0 for an IPv4 server (::ffff:a.b.c.d). */
    public long addressHi() {
        return addressHi;
    }

    public long addressLo() {
        return addressLo;
    }

    /** Whether this server is at IPv6 {@code hi}/{@code lo} (never true for an IPv4 server). */
    public boolean isAt6(long hi, long lo) {
        return ipv6 && addressHi == hi && addressLo == lo;
    }

    public int port() {
        return port;
    }

    public ForwardingMethod method() {
        return method;
    }

    public void method(ForwardingMethod method) {
        this.method = method;
    }

    public Tunnel tunnel() {
        return tunnel;
    }

    public void tunnel(Tunnel tunnel) {
        this.tunnel = tunnel;
    }

    public int weight() {
        return weight;
    }

    public void weight(int weight) {
        this.weight = weight;
    }

    public int upperThreshold() {
        return upperThreshold;
    }

    public void upperThreshold(int upperThreshold) {
        this.upperThreshold = upperThreshold;
        updateOverload();
    }

    public int lowerThreshold() {
        return lowerThreshold;
    }

    public void lowerThreshold(int lowerThreshold) {
        this.lowerThreshold = lowerThreshold;
        updateOverload();
    }

    /** Set while the upper threshold is reached: schedulers skip it (IP_VS_DEST_F_OVERLOAD). */
    public boolean overloaded() {
        return load.overloaded();
    }

    /** The director-wide counts; several workers' copies of this server share one. */
    public ServerLoad load() {
        return load;
    }

    /** Makes this copy count into {@code shared}, the load of the other workers' copies (before any connection). */
    public void shareLoad(ServerLoad shared) {
        this.load = shared;
    }

    /** A connection of this worker started, ended or moved between active and inactive. */
    public void countConnections(int activeDelta, int inactiveDelta) {
        activeConnections += activeDelta;
        inactiveConnections += inactiveDelta;
        load.add(activeDelta, inactiveDelta);
    }

    /** Active connections on every worker: what the schedulers weigh. */
    public int activeLoad() {
        return load.active();
    }

    public boolean available() {
        return available;
    }

    public void available(boolean available) {
        this.available = available;
    }

    /** IPVS's ip_vs_dest_conn_overhead(): active connections weigh 256 times an inactive one. */
    public int overhead() {
        return (load.active() << 8) + load.inactive();
    }

    /** Re-evaluates the overload flag after a connection count changed, with IPVS's hysteresis. */
    public void updateOverload() {
        int connections = load.active() + load.inactive();
        if (upperThreshold == 0) {
            load.overloaded(false);
        } else if (connections >= upperThreshold) {
            load.overloaded(true);
        } else if (load.overloaded()) {
            // as ip_vs_unbind_dest: below -y, or below 3/4 of -x when no -y was given
            boolean belowLower = lowerThreshold != 0 ? connections < lowerThreshold : connections * 4 < upperThreshold * 3;
            if (belowLower) {
                load.overloaded(false);
            }
        }
    }

    @Override
    public String toString() {
        return ipv6 ? "[" + Ipv6.toString(addressHi, addressLo) + "]:" + port : Ipv4.toString(address) + ":" + port;
    }
}
