package org.jvs.core;

import org.jvs.conn.LocalPorts;
import org.jvs.net.HostNetwork;
import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;
import org.jvs.service.Ipv6;
import org.jvs.service.VirtualService;

/**
 * Chooses the source of a new full-NAT connection on the real-server side: the service's local addresses in turn
 * (round robin), or without any the director's own address on the interface facing the real server, as in the
 * seed's example; then a source port free towards the real server. Per new connection on the data-plane thread;
 * allocates nothing.
 */
final class FullNatSources {
    /** {@link #choose} found a source. */
    static final int CHOSEN = -1;

    private final HostNetwork network;
    private final LocalAddresses localAddresses;
    private final LocalPorts ports;
    private final NextHop hop = new NextHop();
    private int address;
    private long addressHi;
    private long addressLo;
    private int port;

    FullNatSources(HostNetwork network, LocalAddresses localAddresses, LocalPorts ports) {
        this.network = network;
        this.localAddresses = localAddresses;
        this.ports = ports;
    }

    /**
     * Picks LIP:lport for a connection of {@code service} to RIP:RPORT, read with {@link #address()} and
     * {@link #port()}: returns {@link #CHOSEN}, or the {@link Counter} (ordinal) of the drop reason: every local address out of
     * ports, or (without local addresses) no route to the real server. Each local address is tried at most once.
     */
    int choose(VirtualService service, int protocol, int realAddress, int realPort) {
        int count = localAddresses.count(service);
        if (count == 0) {
            int own = defaultAddress(realAddress);
            if (own == LocalAddresses.NONE) {
                return Counter.DROP_NO_ROUTE.ordinal();
            }
            return tryAddress(own, protocol, realAddress, realPort) ? CHOSEN : Counter.DROP_LOCAL_PORTS_EXHAUSTED.ordinal();
        }
        for (int i = 0; i < count; i++) {
            if (tryAddress(localAddresses.next(service), protocol, realAddress, realPort)) {
                return CHOSEN;
            }
        }
        return Counter.DROP_LOCAL_PORTS_EXHAUSTED.ordinal();
    }

    /**
     * As {@link #choose} for an IPv6 service towards an IPv6 RIP:RPORT, read with {@link #addressHi()},
     * {@link #addressLo()} and {@link #port()}: the service's IPv6 local addresses in turn. Without any it is
     * {@link Counter#DROP_NO_ROUTE}: no fallback to the director's own IPv6 address yet.
     */
    int choose6(VirtualService service, int protocol, long realHi, long realLo, int realPort) {
        int count = localAddresses.count6(service);
        if (count == 0) {
            return Counter.DROP_NO_ROUTE.ordinal();
        }
        for (int i = 0; i < count; i++) {
            int slot = localAddresses.next6(service);
            long hi = localAddresses.hi(service, slot);
            long lo = localAddresses.lo(service, slot);
            int candidate = ports.allocate6(protocol, hi, lo, realHi, realLo, realPort);
            if (candidate != LocalPorts.NONE) {
                addressHi = hi;
                addressLo = lo;
                port = candidate;
                return CHOSEN;
            }
        }
        return Counter.DROP_LOCAL_PORTS_EXHAUSTED.ordinal();
    }

    /**
     * As {@link #choose} for NAT64, an IPv6 service's connection to an IPv4 RIP:RPORT: the service's IPv4 local
     * addresses in turn, or without any the director's own address towards the real server; the port is checked
     * against the reply index as the connection is keyed there, IPv4-mapped (read with {@link #addressHi()},
     * {@link #addressLo()}, {@link #address()} and {@link #port()}).
     */
    int choose64(VirtualService service, int protocol, int realAddress, int realPort) {
        int count = localAddresses.count(service);
        if (count == 0) {
            int own = defaultAddress(realAddress);
            if (own == LocalAddresses.NONE) {
                return Counter.DROP_NO_ROUTE.ordinal();
            }
            return tryAddress64(own, protocol, realAddress, realPort)
                    ? CHOSEN : Counter.DROP_LOCAL_PORTS_EXHAUSTED.ordinal();
        }
        for (int i = 0; i < count; i++) {
            if (tryAddress64(localAddresses.next(service), protocol, realAddress, realPort)) {
                return CHOSEN;
            }
        }
        return Counter.DROP_LOCAL_PORTS_EXHAUSTED.ordinal();
    }

    private boolean tryAddress64(int localAddress, int protocol, int realAddress, int realPort) {
        int candidate = ports.allocate6(protocol, 0, Ipv6.mappedLo(localAddress), 0, Ipv6.mappedLo(realAddress),
                realPort);
        if (candidate == LocalPorts.NONE) {
            return false;
        }
        address = localAddress;
        addressHi = 0;
        addressLo = Ipv6.mappedLo(localAddress);
        port = candidate;
        return true;
    }

    /** The director's address on the interface the route to the real server leaves by, or NONE. */
    int defaultAddress(int realAddress) {
        if (!network.route(realAddress, hop)) {
            return LocalAddresses.NONE;
        }
        NetInterface egress = network.interfaceByIndex(hop.ifindex);
        return egress != null && egress.ipv4Address() != 0 ? egress.ipv4Address() : hop.source;
    }

    private boolean tryAddress(int localAddress, int protocol, int realAddress, int realPort) {
        int candidate = ports.allocate(protocol, localAddress, realAddress, realPort);
        if (candidate == LocalPorts.NONE) {
            return false;
        }
        address = localAddress;
        port = candidate;
        return true;
    }

    int address() {
        return address;
    }

    long addressHi() {
        return addressHi;
    }

    long addressLo() {
        return addressLo;
    }

    int port() {
        return port;
    }
}
