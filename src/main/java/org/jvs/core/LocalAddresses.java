package org.jvs.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.collections.Int2ObjectHashMap;
import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.service.Ipv6Map;
import org.jvs.service.VirtualService;

/**
 * The full-NAT local addresses (LIPs) of each virtual service, as DPVS's laddr lists: a new full-NAT connection takes
 * the service's next one, round robin. Also knows every LIP in use and the interfaces it was given for (-F), for
 * ARP and, for an IPv6 LIP, Neighbour Discovery. An IPv6 service takes IPv6 local addresses, kept beside the IPv4
 * ones. Changed on the data-plane thread by control calls; {@link #next} runs there per new connection and allocates nothing.
 */
final class LocalAddresses {
    /** No local address configured: the caller falls back to the director's own address. */
    static final int NONE = 0;
    /** {@link #next6} found no IPv6 local address. */
    static final int NO_SLOT = -1;

    private static final class Pool {
        final List<LocalAddressSpec> specs = new ArrayList<>();
        int[] addresses = new int[0];
        int next;
        /** The IPv6 local addresses, each as two longs (high, low) side by side, for an IPv6 service. */
        long[] addresses6 = new long[0];
        int next6;
    }

    private final Map<VirtualService, Pool> pools = new IdentityHashMap<>();
    /** For each LIP in use, the interface named with each use of it ("" for any), rebuilt on every change. */
    private final Int2ObjectHashMap<String[]> interfaces = new Int2ObjectHashMap<>();
    /** As {@link #interfaces}, for each IPv6 LIP in use. */
    private final Ipv6Map<String[]> interfaces6 = new Ipv6Map<>();

    void add(VirtualService service, LocalAddressSpec spec) throws ControlException {
        Pool pool = pools.computeIfAbsent(service, s -> new Pool());
        for (LocalAddressSpec existing : pool.specs) {
            if (existing.address().equals(spec.address())) {
                throw new ControlException("Local address already exists");
            }
        }
        pool.specs.add(spec);
        refresh(pool);
        refreshInterfaces(spec.address());
    }

    void delete(VirtualService service, IpAddress address) throws ControlException {
        Pool pool = pools.get(service);
        LocalAddressSpec found = null;
        if (pool != null) {
            for (LocalAddressSpec spec : pool.specs) {
                if (spec.address().equals(address)) {
                    found = spec;
                }
            }
        }
        if (found == null) {
            throw new ControlException("No such local address");
        }
        pool.specs.remove(found);
        refresh(pool);
        if (pool.specs.isEmpty()) {
            pools.remove(service);
        }
        refreshInterfaces(address);
    }

    /** The service is gone: its addresses with it. Returns them, for the caller to release elsewhere. */
    List<LocalAddressSpec> remove(VirtualService service) {
        Pool pool = pools.remove(service);
        if (pool == null) {
            return List.of();
        }
        for (LocalAddressSpec spec : pool.specs) {
            refreshInterfaces(spec.address());
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

    /** The local address {@link #next} would return, without moving the round robin; or {@link #NONE}. */
    int peek(VirtualService service) {
        Pool pool = pools.get(service);
        return pool == null || pool.addresses.length == 0 ? NONE : pool.addresses[pool.next];
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

    /** How many IPv6 local addresses the service has. */
    int count6(VirtualService service) {
        Pool pool = pools.get(service);
        return pool == null ? 0 : pool.addresses6.length / 2;
    }

    /**
     * The slot of the service's next IPv6 local address, round robin, read with {@link #hi} and {@link #lo}; or
     * {@link #NO_SLOT} when it has none.
     */
    int next6(VirtualService service) {
        Pool pool = pools.get(service);
        if (pool == null || pool.addresses6.length == 0) {
            return NO_SLOT;
        }
        int slot = pool.next6;
        pool.next6 = slot + 2 < pool.addresses6.length ? slot + 2 : 0;
        return slot;
    }

    /** The slot {@link #next6} would return, without moving the round robin; or {@link #NO_SLOT}. */
    int peek6(VirtualService service) {
        Pool pool = pools.get(service);
        return pool == null || pool.addresses6.length == 0 ? NO_SLOT : pool.next6;
    }

    /** The high long of the service's IPv6 local address in {@code slot} (from {@link #next6}). */
    long hi(VirtualService service, int slot) {
        return pools.get(service).addresses6[slot];
    }

    /** The low long of the service's IPv6 local address in {@code slot} (from {@link #next6}). */
    long lo(VirtualService service, int slot) {
        return pools.get(service).addresses6[slot + 1];
    }

    /** True when some service uses the address as a local address on this interface, or given without -F. */
    boolean usedOn(int address, String interfaceName) {
        return namesInclude(interfaces.get(address), interfaceName);
    }

    /** As {@link #usedOn}, for an IPv6 address. */
    boolean usedOn6(long hi, long lo, String interfaceName) {
        return namesInclude(interfaces6.get(hi, lo), interfaceName);
    }

    private static boolean namesInclude(String[] names, String interfaceName) {
        if (names == null) {
            return false;
        }
        for (String name : names) {
            if (name.isEmpty() || name.equals(interfaceName)) {
                return true;
            }
        }
        return false;
    }

    private void refreshInterfaces(IpAddress address) {
        List<String> names = new ArrayList<>();
        for (Pool pool : pools.values()) {
            for (LocalAddressSpec spec : pool.specs) {
                if (spec.address().equals(address)) {
                    names.add(spec.interfaceName());
                }
            }
        }
        String[] named = names.toArray(new String[0]);
        if (address.isIpv4()) {
            if (names.isEmpty()) {
                interfaces.remove(address.ipv4());
            } else {
                interfaces.put(address.ipv4(), named);
            }
        } else if (names.isEmpty()) {
            interfaces6.remove(address.hi(), address.lo());
        } else {
            interfaces6.put(address.hi(), address.lo(), named);
        }
    }

    /** Each family's round robin in the order the addresses were added, its place kept where it still fits. */
    private static void refresh(Pool pool) {
        int ipv4 = 0;
        for (LocalAddressSpec spec : pool.specs) {
            ipv4 += spec.address().isIpv4() ? 1 : 0;
        }
        int[] addresses = new int[ipv4];
        long[] addresses6 = new long[2 * (pool.specs.size() - ipv4)];
        int i = 0;
        int j = 0;
        for (LocalAddressSpec spec : pool.specs) {
            IpAddress address = spec.address();
            if (address.isIpv4()) {
                addresses[i++] = address.ipv4();
            } else {
                addresses6[j++] = address.hi();
                addresses6[j++] = address.lo();
            }
        }
        pool.addresses = addresses;
        pool.next = addresses.length == 0 ? 0 : pool.next % addresses.length;
        pool.addresses6 = addresses6;
        pool.next6 = addresses6.length == 0 ? 0 : pool.next6 % addresses6.length;
    }
}
