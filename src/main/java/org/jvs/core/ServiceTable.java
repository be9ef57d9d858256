package org.jvs.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2ObjectHashMap;
import org.jvs.service.Ipv6;
import org.jvs.service.Ipv6Map;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * The virtual services by (protocol, VIP, port), as ip_vs_ctl.c's service table. Looked up per new connection on
 * the data-plane thread with a primitive key (no boxing); changed only there too.
 * <p>
 * IPv6 services are matched by the methods ending in 6, through a map of their own keyed by the whole VIP: each VIP
 * holds its few services (ports, protocols), scanned. So an IPv4 lookup reads exactly the map it read before, and no
 * IPv6 service is ever found for an IPv4 packet (an IPv6 service's {@code address()} is a fold, see RealServer's).
 */
public final class ServiceTable {
    private final Long2ObjectHashMap<VirtualService> byKey = new Long2ObjectHashMap<>();
    private final List<VirtualService> inOrder = new ArrayList<>();
    private final List<VirtualService> inOrderView = Collections.unmodifiableList(inOrder);
    /** How many services catch all ports of their VIP (ip_vs_ctl.c's nullsvc_counter): none, no second lookup. */
    private int portZeroServices;
    /** VIPs a VRRP peer holds: no service of theirs matches and no ARP is answered for them (see standby()). */
    private final IntHashSet standby = new IntHashSet();
    /** The IPv6 services, by VIP. */
    private final Ipv6Map<VirtualService[]> byVip6 = new Ipv6Map<>();
    private int portZeroServices6;
    /** IPv6 VIPs (and local addresses) a VRRP peer holds, as {@link #standby}. */
    private final Ipv6Map<Ipv6> standby6 = new Ipv6Map<>();

    static long key(int protocol, int address, int port) {
        return ((long) protocol << 48) | ((address & 0xFFFFFFFFL) << 16) | (port & 0xFFFF);
    }

    public VirtualService find(int protocol, int address, int port) {
        return byKey.get(key(protocol, address, port));
    }

    /**
     * The service a new connection to VIP:PORT belongs to, as ip_vs_service_find: the service of that very port,
     * else the VIP's port-zero ("all ports") service, or null.
     */
    public VirtualService match(int protocol, int address, int port) {
        if (!standby.isEmpty() && standby.contains(address)) {
            return null;
        }
        return matchEvenOnStandby(protocol, address, port);
    }

    /**
     * As {@link #match}, whether or not a VRRP peer holds the VIP: which worker owns a connection, and which
     * service a synced one belongs to, do not change when the VIP moves.
     */
    public VirtualService matchEvenOnStandby(int protocol, int address, int port) {
        VirtualService service = byKey.get(key(protocol, address, port));
        if (service == null && portZeroServices > 0) {
            service = byKey.get(key(protocol, address, 0));
        }
        return service;
    }

    /** The IPv6 service of exactly this protocol, VIP and port, or null. */
    public VirtualService find6(int protocol, long hi, long lo, int port) {
        VirtualService[] services = byVip6.get(hi, lo);
        if (services != null) {
            for (VirtualService service : services) {
                if (service.port() == port && service.protocol() == protocol) {
                    return service;
                }
            }
        }
        return null;
    }

    /** As {@link #match} for an IPv6 VIP:PORT. */
    public VirtualService match6(int protocol, long hi, long lo, int port) {
        if (!standby6.isEmpty() && standby6.get(hi, lo) != null) {
            return null;
        }
        return matchEvenOnStandby6(protocol, hi, lo, port);
    }

    /** As {@link #matchEvenOnStandby} for an IPv6 VIP:PORT. */
    public VirtualService matchEvenOnStandby6(int protocol, long hi, long lo, int port) {
        VirtualService service = find6(protocol, hi, lo, port);
        if (service == null && portZeroServices6 > 0) {
            service = find6(protocol, hi, lo, 0);
        }
        return service;
    }

    public void add(VirtualService service) {
        if (service.ipv6()) {
            VirtualService[] services = byVip6.get(service.addressHi(), service.addressLo());
            VirtualService[] more = services == null ? new VirtualService[1]
                    : Arrays.copyOf(services, services.length + 1);
            more[more.length - 1] = service;
            byVip6.put(service.addressHi(), service.addressLo(), more);
            portZeroServices6 += service.port() == 0 ? 1 : 0;
        } else {
            byKey.put(key(service.protocol(), service.address(), service.port()), service);
            portZeroServices += service.port() == 0 ? 1 : 0;
        }
        inOrder.add(service);
    }

    public void remove(VirtualService service) {
        if (service.ipv6()) {
            removeIpv6(service);
        } else if (byKey.remove(key(service.protocol(), service.address(), service.port())) != null
                && service.port() == 0) {
            portZeroServices--;
        }
        inOrder.remove(service);
    }

    private void removeIpv6(VirtualService service) {
        VirtualService[] services = byVip6.get(service.addressHi(), service.addressLo());
        if (services == null) {
            return;
        }
        VirtualService[] rest = Arrays.stream(services).filter(s -> s != service).toArray(VirtualService[]::new);
        if (rest.length == services.length) {
            return;
        }
        if (rest.length == 0) {
            byVip6.remove(service.addressHi(), service.addressLo());
        } else {
            byVip6.put(service.addressHi(), service.addressLo(), rest);
        }
        portZeroServices6 -= service.port() == 0 ? 1 : 0;
    }

    /** True when some service uses this address as its VIP (the director answers ARP for it). */
    public boolean isVirtualAddress(int address) {
        if (!standby.isEmpty() && standby.contains(address)) {
            return false;
        }
        for (int i = 0, n = inOrder.size(); i < n; i++) {
            if (inOrder.get(i).address() == address && !inOrder.get(i).ipv6()) {
                return true;
            }
        }
        return false;
    }

    /** True when some IPv6 service uses this address as its VIP (the director answers neighbour solicitations). */
    public boolean isVirtualAddress6(long hi, long lo) {
        return byVip6.get(hi, lo) != null && !onStandby6(hi, lo);
    }

    /** Whether a VRRP peer holds {@code address}: a VIP, or a full-NAT local address that moves with the VIPs. */
    public boolean onStandby(int address) {
        return !standby.isEmpty() && standby.contains(address);
    }

    /** As {@link #onStandby} for an IPv6 address. */
    public boolean onStandby6(long hi, long lo) {
        return !standby6.isEmpty() && standby6.get(hi, lo) != null;
    }

    /** As {@link #standby(int, boolean)} for an IPv6 address. */
    public void standby6(long hi, long lo, boolean onStandby) {
        if (onStandby) {
            standby6.put(hi, lo, new Ipv6(hi, lo));
        } else {
            standby6.remove(hi, lo);
        }
    }

    /** Puts a VIP on standby (a VRRP backup for it) or takes it off. */
    public void standby(int address, boolean onStandby) {
        if (onStandby) {
            standby.add(address);
        } else {
            standby.remove(address);
        }
    }

    /**
     * Whether {@code address} is a NAT or full-NAT real server's: its replies come back through the director,
     * fragments included. A scan, for the rare fragment only.
     */
    public boolean isTranslatedRealServer(int address) {
        for (int i = 0, n = inOrder.size(); i < n; i++) {
            List<RealServer> servers = inOrder.get(i).realServers();
            for (int j = 0, m = servers.size(); j < m; j++) {
                RealServer server = servers.get(j);
                if (server.address() == address && !server.ipv6() && server.method().translatesReplies()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** As {@link #isTranslatedRealServer} for an IPv6 address. */
    public boolean isTranslatedRealServer6(long hi, long lo) {
        for (int i = 0, n = inOrder.size(); i < n; i++) {
            List<RealServer> servers = inOrder.get(i).realServers();
            for (int j = 0, m = servers.size(); j < m; j++) {
                RealServer server = servers.get(j);
                if (server.isAt6(hi, lo) && server.method().translatesReplies()) {
                    return true;
                }
            }
        }
        return false;
    }

    public List<VirtualService> all() {
        return inOrderView;
    }
}
