package org.jvs.core;

import org.jvs.conn.LocalPorts;
import org.jvs.net.HostNetwork;
import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;
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

    int port() {
        return port;
    }
}
