package org.jvs.core;

import java.util.HashMap;
import java.util.Map;

import org.jvs.net.KernelBypass;

/**
 * One kernel bypass shared by the directors of several workers: each worker holds and releases its entries as its
 * own replica of the configuration and its own connections require, and an entry leaves the kernel's bypass only
 * when the last worker lets go of it (a worker whose connections drained must not release an entry another
 * worker's connections still need). Called on the workers' threads at configuration changes and sweeps, never per
 * packet, so a lock is fine here.
 */
public final class SharedKernelBypass implements KernelBypass {
    private static final int SERVICE = 0;
    private static final int NAT_REAL_SERVER = 1;
    private static final int FULL_NAT_REAL_SERVER = 2;
    private static final int LOCAL_ADDRESS = 3;
    /** An IPv6 entry's kind: its IPv4 kind plus this. */
    private static final int IPV6 = 4;

    private final KernelBypass bypass;
    private final Map<Key, Integer> holders = new HashMap<>();

    /** An IPv4 address is held as hi 0, lo the address; IPv6 kinds are apart, so the two never meet. */
    private record Key(int kind, int protocol, long hi, long lo, int port) {
    }

    public SharedKernelBypass(KernelBypass bypass) {
        this.bypass = bypass;
    }

    /** True when this hold is the entry's first. */
    private boolean hold(int kind, int protocol, int address, int port) {
        return hold6(kind, protocol, 0, address, port);
    }

    private boolean hold6(int kind, int protocol, long hi, long lo, int port) {
        return holders.merge(new Key(kind, protocol, hi, lo, port), 1, Integer::sum) == 1;
    }

    /** True when this release was the entry's last. */
    private boolean release(int kind, int protocol, int address, int port) {
        return release6(kind, protocol, 0, address, port);
    }

    private boolean release6(int kind, int protocol, long hi, long lo, int port) {
        Key key = new Key(kind, protocol, hi, lo, port);
        Integer count = holders.get(key);
        if (count == null) {
            return false;
        }
        if (count == 1) {
            holders.remove(key);
            return true;
        }
        holders.put(key, count - 1);
        return false;
    }

    @Override
    public synchronized void addService(int protocol, int address, int port) {
        if (hold(SERVICE, protocol, address, port)) {
            bypass.addService(protocol, address, port);
        }
    }

    @Override
    public synchronized void removeService(int protocol, int address, int port) {
        if (release(SERVICE, protocol, address, port)) {
            bypass.removeService(protocol, address, port);
        }
    }

    @Override
    public synchronized void addNatRealServer(int protocol, int address, int port) {
        if (hold(NAT_REAL_SERVER, protocol, address, port)) {
            bypass.addNatRealServer(protocol, address, port);
        }
    }

    @Override
    public synchronized void removeNatRealServer(int protocol, int address, int port) {
        if (release(NAT_REAL_SERVER, protocol, address, port)) {
            bypass.removeNatRealServer(protocol, address, port);
        }
    }

    @Override
    public synchronized void addFullNatRealServer(int protocol, int address, int port) {
        if (hold(FULL_NAT_REAL_SERVER, protocol, address, port)) {
            bypass.addFullNatRealServer(protocol, address, port);
        }
    }

    @Override
    public synchronized void removeFullNatRealServer(int protocol, int address, int port) {
        if (release(FULL_NAT_REAL_SERVER, protocol, address, port)) {
            bypass.removeFullNatRealServer(protocol, address, port);
        }
    }

    @Override
    public synchronized void addLocalAddress(int address) {
        if (hold(LOCAL_ADDRESS, 0, address, 0)) {
            bypass.addLocalAddress(address);
        }
    }

    @Override
    public synchronized void removeLocalAddress(int address) {
        if (release(LOCAL_ADDRESS, 0, address, 0)) {
            bypass.removeLocalAddress(address);
        }
    }

    @Override
    public synchronized void fullNatPorts(int lowest, int highest) {
        bypass.fullNatPorts(lowest, highest);
    }

    @Override
    public synchronized void addService6(int protocol, long hi, long lo, int port) {
        if (hold6(IPV6 + SERVICE, protocol, hi, lo, port)) {
            bypass.addService6(protocol, hi, lo, port);
        }
    }

    @Override
    public synchronized void removeService6(int protocol, long hi, long lo, int port) {
        if (release6(IPV6 + SERVICE, protocol, hi, lo, port)) {
            bypass.removeService6(protocol, hi, lo, port);
        }
    }

    @Override
    public synchronized void addNatRealServer6(int protocol, long hi, long lo, int port) {
        if (hold6(IPV6 + NAT_REAL_SERVER, protocol, hi, lo, port)) {
            bypass.addNatRealServer6(protocol, hi, lo, port);
        }
    }

    @Override
    public synchronized void removeNatRealServer6(int protocol, long hi, long lo, int port) {
        if (release6(IPV6 + NAT_REAL_SERVER, protocol, hi, lo, port)) {
            bypass.removeNatRealServer6(protocol, hi, lo, port);
        }
    }

    @Override
    public synchronized void addFullNatRealServer6(int protocol, long hi, long lo, int port) {
        if (hold6(IPV6 + FULL_NAT_REAL_SERVER, protocol, hi, lo, port)) {
            bypass.addFullNatRealServer6(protocol, hi, lo, port);
        }
    }

    @Override
    public synchronized void removeFullNatRealServer6(int protocol, long hi, long lo, int port) {
        if (release6(IPV6 + FULL_NAT_REAL_SERVER, protocol, hi, lo, port)) {
            bypass.removeFullNatRealServer6(protocol, hi, lo, port);
        }
    }

    @Override
    public synchronized void addLocalAddress6(long hi, long lo) {
        if (hold6(IPV6 + LOCAL_ADDRESS, 0, hi, lo, 0)) {
            bypass.addLocalAddress6(hi, lo);
        }
    }

    @Override
    public synchronized void removeLocalAddress6(long hi, long lo) {
        if (release6(IPV6 + LOCAL_ADDRESS, 0, hi, lo, 0)) {
            bypass.removeLocalAddress6(hi, lo);
        }
    }
}
