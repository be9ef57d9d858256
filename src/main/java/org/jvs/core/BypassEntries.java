package org.jvs.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jvs.net.KernelBypass;
import org.jvs.service.RealServer;

/**
 * The kernel-bypass entries of a director, counted by use. An entry stays while any service, NAT or full-NAT real
 * server or local address needs it and, after those are deleted, until their last connection has expired: a draining connection's packets
 * must not reach the kernel, which would reset them (VIP on lo) or forward them un-NATed (ip_forward=1).
 * Data-plane thread only.
 */
final class BypassEntries {
    private final KernelBypass bypass;
    private final Map<Long, Integer> serviceUses = new HashMap<>();
    private final Map<Long, Integer> natRealServerUses = new HashMap<>();
    private final Map<Long, Integer> fullNatRealServerUses = new HashMap<>();
    private final Map<Long, Integer> localAddressUses = new HashMap<>();
    private final Map<Entry6, Integer> serviceUses6 = new HashMap<>();
    private final Map<Entry6, Integer> natRealServerUses6 = new HashMap<>();
    private final Map<Entry6, Integer> fullNatRealServerUses6 = new HashMap<>();
    private final Map<Entry6, Integer> localAddressUses6 = new HashMap<>();
    private final List<Draining> draining = new ArrayList<>();

    /** An IPv6 entry's key: protocol, address as two longs, port (0 where the entry has none). */
    private record Entry6(int protocol, long hi, long lo, int port) {
    }

    private record Draining(List<RealServer> servers, Runnable release) {
        boolean drained() {
            for (int i = 0, n = servers.size(); i < n; i++) {
                RealServer server = servers.get(i);
                if (server.activeConnections + server.inactiveConnections > 0) {
                    return false;
                }
            }
            return true;
        }
    }

    BypassEntries(KernelBypass bypass) {
        this.bypass = bypass;
    }

    void holdService(int protocol, int address, int port) {
        if (hold(serviceUses, protocol, address, port)) {
            bypass.addService(protocol, address, port);
        }
    }

    void releaseService(int protocol, int address, int port) {
        if (release(serviceUses, protocol, address, port)) {
            bypass.removeService(protocol, address, port);
        }
    }

    void holdNatRealServer(int protocol, int address, int port) {
        if (hold(natRealServerUses, protocol, address, port)) {
            bypass.addNatRealServer(protocol, address, port);
        }
    }

    void releaseNatRealServer(int protocol, int address, int port) {
        if (release(natRealServerUses, protocol, address, port)) {
            bypass.removeNatRealServer(protocol, address, port);
        }
    }

    void holdFullNatRealServer(int protocol, int address, int port) {
        if (hold(fullNatRealServerUses, protocol, address, port)) {
            bypass.addFullNatRealServer(protocol, address, port);
        }
    }

    void releaseFullNatRealServer(int protocol, int address, int port) {
        if (release(fullNatRealServerUses, protocol, address, port)) {
            bypass.removeFullNatRealServer(protocol, address, port);
        }
    }

    void holdLocalAddress(int address) {
        if (hold(localAddressUses, 0, address, 0)) {
            bypass.addLocalAddress(address);
        }
    }

    void releaseLocalAddress(int address) {
        if (release(localAddressUses, 0, address, 0)) {
            bypass.removeLocalAddress(address);
        }
    }

    void holdService6(int protocol, long hi, long lo, int port) {
        if (hold6(serviceUses6, protocol, hi, lo, port)) {
            bypass.addService6(protocol, hi, lo, port);
        }
    }

    void releaseService6(int protocol, long hi, long lo, int port) {
        if (release6(serviceUses6, protocol, hi, lo, port)) {
            bypass.removeService6(protocol, hi, lo, port);
        }
    }

    void holdNatRealServer6(int protocol, long hi, long lo, int port) {
        if (hold6(natRealServerUses6, protocol, hi, lo, port)) {
            bypass.addNatRealServer6(protocol, hi, lo, port);
        }
    }

    void releaseNatRealServer6(int protocol, long hi, long lo, int port) {
        if (release6(natRealServerUses6, protocol, hi, lo, port)) {
            bypass.removeNatRealServer6(protocol, hi, lo, port);
        }
    }

    void holdFullNatRealServer6(int protocol, long hi, long lo, int port) {
        if (hold6(fullNatRealServerUses6, protocol, hi, lo, port)) {
            bypass.addFullNatRealServer6(protocol, hi, lo, port);
        }
    }

    void releaseFullNatRealServer6(int protocol, long hi, long lo, int port) {
        if (release6(fullNatRealServerUses6, protocol, hi, lo, port)) {
            bypass.removeFullNatRealServer6(protocol, hi, lo, port);
        }
    }

    void holdLocalAddress6(long hi, long lo) {
        if (hold6(localAddressUses6, 0, hi, lo, 0)) {
            bypass.addLocalAddress6(hi, lo);
        }
    }

    void releaseLocalAddress6(long hi, long lo) {
        if (release6(localAddressUses6, 0, hi, lo, 0)) {
            bypass.removeLocalAddress6(hi, lo);
        }
    }

    /** Runs {@code release} once none of {@code servers} has a connection left: now, or at a later sweep. */
    void releaseWhenDrained(List<RealServer> servers, Runnable release) {
        Draining entry = new Draining(List.copyOf(servers), release);
        if (entry.drained()) {
            release.run();
        } else {
            draining.add(entry);
        }
    }

    /**
     * Releases what has drained since the last sweep. Runs on the data-plane thread every few seconds, so it
     * allocates nothing while nothing drains.
     */
    void sweep() {
        for (int i = draining.size() - 1; i >= 0; i--) {
            Draining entry = draining.get(i);
            if (entry.drained()) {
                draining.remove(i);
                entry.release().run();
            }
        }
    }

    /** Every local address held: in use by a service, or draining a deleted one's connections. */
    int[] localAddresses() {
        int[] addresses = new int[localAddressUses.size()];
        int i = 0;
        for (long key : localAddressUses.keySet()) {
            addresses[i++] = (int) (key >>> 16);
        }
        return addresses;
    }

    /** As {@link #localAddresses} for IPv6: each address as two longs (high, low) side by side. */
    long[] localAddresses6() {
        long[] addresses = new long[2 * localAddressUses6.size()];
        int i = 0;
        for (Entry6 key : localAddressUses6.keySet()) {
            addresses[i++] = key.hi();
            addresses[i++] = key.lo();
        }
        return addresses;
    }

    int drainingCount() {
        return draining.size();
    }

    private static boolean hold(Map<Long, Integer> uses, int protocol, int address, int port) {
        return uses.merge(ServiceTable.key(protocol, address, port), 1, Integer::sum) == 1;
    }

    private static boolean release(Map<Long, Integer> uses, int protocol, int address, int port) {
        long key = ServiceTable.key(protocol, address, port);
        Integer left = uses.computeIfPresent(key, (k, count) -> count > 1 ? count - 1 : null);
        return left == null;
    }

    private static boolean hold6(Map<Entry6, Integer> uses, int protocol, long hi, long lo, int port) {
        return uses.merge(new Entry6(protocol, hi, lo, port), 1, Integer::sum) == 1;
    }

    private static boolean release6(Map<Entry6, Integer> uses, int protocol, long hi, long lo, int port) {
        return uses.computeIfPresent(new Entry6(protocol, hi, lo, port), (k, count) -> count > 1 ? count - 1 : null)
                == null;
    }
}
