package org.jvs.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.collections.Int2IntHashMap;
import org.jvs.api.ControlException;
import org.jvs.api.LocalAddressSpec;
import org.jvs.service.VirtualService;

/**
 * The full-NAT local addresses (LIPs) of each virtual service, as DPVS's laddr lists: a new full-NAT connection takes
 * the service's next one, round robin. Also knows every LIP in use, for ARP. Changed on the data-plane thread by
 * control calls; {@link #next} runs there per new connection and allocates nothing.
 */
final class LocalAddresses {
    /** No local address configured: the caller falls back to the director's own address. */
    static final int NONE = 0;

    private static final class Pool {
        final List<LocalAddressSpec> specs = new ArrayList<>();
        int[] addresses = new int[0];
        int next;
    }

    private final Map<VirtualService, Pool> pools = new IdentityHashMap<>();
    /** How many services use each LIP. */
    private final Int2IntHashMap uses = new Int2IntHashMap(0);

    void add(VirtualService service, LocalAddressSpec spec) throws ControlException {
        Pool pool = pools.computeIfAbsent(service, s -> new Pool());
        for (LocalAddressSpec existing : pool.specs) {
            if (existing.address() == spec.address()) {
                throw new ControlException("Local address already exists");
            }
        }
        pool.specs.add(spec);
        refresh(pool);
        uses.put(spec.address(), uses.get(spec.address()) + 1);
    }

    void delete(VirtualService service, int address) throws ControlException {
        Pool pool = pools.get(service);
        LocalAddressSpec found = null;
        if (pool != null) {
            for (LocalAddressSpec spec : pool.specs) {
                if (spec.address() == address) {
                    found = spec;
                }
            }
        }
        if (found == null) {
            throw new ControlException("No such local address");
        }
        pool.specs.remove(found);
        refresh(pool);
        release(address);
        if (pool.specs.isEmpty()) {
            pools.remove(service);
        }
    }

    /** The service is gone: its addresses with it. Returns them, for the caller to release elsewhere. */
    List<LocalAddressSpec> remove(VirtualService service) {
        Pool pool = pools.remove(service);
        if (pool == null) {
            return List.of();
        }
        for (LocalAddressSpec spec : pool.specs) {
            release(spec.address());
        }
        return List.copyOf(pool.specs);
    }

    /** The service's local addresses in the order they were added. */
    List<LocalAddressSpec> specs(VirtualService service) {
        Pool pool = pools.get(service);
        return pool == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(pool.specs));
    }

    int count(VirtualService service) {
        Pool pool = pools.get(service);
        return pool == null ? 0 : pool.addresses.length;
    }

    /** The service's next local address, round robin, or {@link #NONE}. */
    int next(VirtualService service) {
        Pool pool = pools.get(service);
        if (pool == null || pool.addresses.length == 0) {
            return NONE;
        }
        int index = pool.next;
        pool.next = index + 1 < pool.addresses.length ? index + 1 : 0;
        return pool.addresses[index];
    }

    /** True when some service uses the address as a local address. */
    boolean contains(int address) {
        return uses.get(address) > 0;
    }

    private void release(int address) {
        int left = uses.get(address) - 1;
        if (left > 0) {
            uses.put(address, left);
        } else {
            uses.remove(address);
        }
    }

    private static void refresh(Pool pool) {
        int[] addresses = new int[pool.specs.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = pool.specs.get(i).address();
        }
        pool.addresses = addresses;
        pool.next = addresses.length == 0 ? 0 : pool.next % addresses.length;
    }
}
