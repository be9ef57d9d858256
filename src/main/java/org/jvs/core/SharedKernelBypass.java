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

    private final KernelBypass bypass;
    private final Map<Key, Integer> holders = new HashMap<>();

    private record Key(int kind, int protocol, int address, int port) {
    }

    public SharedKernelBypass(KernelBypass bypass) {
        this.bypass = bypass;
    }

    /** True when this hold is the entry's first. */
    private boolean hold(int kind, int protocol, int address, int port) {
        return holders.merge(new Key(kind, protocol, address, port), 1, Integer::sum) == 1;
    }

    /** True when this release was the entry's last. */
    private boolean release(int kind, int protocol, int address, int port) {
        Key key = new Key(kind, protocol, address, port);
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
}
