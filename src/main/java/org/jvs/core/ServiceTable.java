package org.jvs.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2ObjectHashMap;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * The virtual services by (protocol, VIP, port), as ip_vs_ctl.c's service table. Looked up per new connection on
 * the data-plane thread with a primitive key (no boxing); changed only there too.
 */
public final class ServiceTable {
    private final Long2ObjectHashMap<VirtualService> byKey = new Long2ObjectHashMap<>();
    private final List<VirtualService> inOrder = new ArrayList<>();
    private final List<VirtualService> inOrderView = Collections.unmodifiableList(inOrder);
    /** How many services catch all ports of their VIP (ip_vs_ctl.c's nullsvc_counter): none, no second lookup. */
    private int portZeroServices;
    /** VIPs a VRRP peer holds: no service of theirs matches and no ARP is answered for them (see standby()). */
    private final IntHashSet standby = new IntHashSet();

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

    public void add(VirtualService service) {
        byKey.put(key(service.protocol(), service.address(), service.port()), service);
        inOrder.add(service);
        if (service.port() == 0) {
            portZeroServices++;
        }
    }

    public void remove(VirtualService service) {
        if (byKey.remove(key(service.protocol(), service.address(), service.port())) != null && service.port() == 0) {
            portZeroServices--;
        }
        inOrder.remove(service);
    }

    /** True when some service uses this address as its VIP (the director answers ARP for it). */
    public boolean isVirtualAddress(int address) {
        if (!standby.isEmpty() && standby.contains(address)) {
            return false;
        }
        for (int i = 0, n = inOrder.size(); i < n; i++) {
            if (inOrder.get(i).address() == address) {
                return true;
            }
        }
        return false;
    }

    /** Whether a VRRP peer holds {@code address}: a VIP, or a full-NAT local address that moves with the VIPs. */
    public boolean onStandby(int address) {
        return !standby.isEmpty() && standby.contains(address);
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
                if (server.address() == address && server.method().translatesReplies()) {
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
