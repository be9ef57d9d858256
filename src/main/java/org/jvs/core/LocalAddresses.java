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
 * ARP and, for an IPv6 LIP, Neighbour Discovery (the round robin is IPv4's until full NAT forwards IPv6). Changed
 * on the data-plane thread by control calls; {@link #next} runs there per new connection and allocates nothing.
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

    private static void refresh(Pool pool) {
        int[] addresses = pool.specs.stream().map(LocalAddressSpec::address).filter(IpAddress::isIpv4)
                .mapToInt(IpAddress::ipv4).toArray();
        pool.addresses = addresses;
        pool.next = addresses.length == 0 ? 0 : pool.next % addresses.length;
    }
}
