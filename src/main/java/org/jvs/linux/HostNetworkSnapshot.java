package org.jvs.linux;

import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;

import java.util.ArrayList;
import java.util.List;

/**
 * One consistent, immutable picture of the host's links, IPv4 addresses, main routing table and ARP cache,
 * as rtnetlink dumped it, with the IPv6 addresses and routes in {@link #ipv6()}. Built on the control thread, then only read (by the data plane), so lookups allocate
 * nothing: routes are kept per prefix length in primitive hash maps and probed from /32 down.
 */
final class HostNetworkSnapshot {
    private static final int MISSING = -1;
    private static final int RTN_BLACKHOLE = 6;
    private static final int RTN_UNREACHABLE = 7;
    private static final int RTN_PROHIBIT = 8;
    /** Neighbour states with a usable MAC: confirmed, or cached and merely awaiting re-confirmation. */
    private static final int USABLE_NEIGHBOUR = Rtnetlink.NUD_REACHABLE | Rtnetlink.NUD_STALE | Rtnetlink.NUD_DELAY
            | Rtnetlink.NUD_PROBE | Rtnetlink.NUD_PERMANENT;

    private final Int2ObjectHashMap<NetInterface> interfaces = new Int2ObjectHashMap<>();
    private final List<NetInterface> attachable = new ArrayList<>();
    private final IntHashSet localAddresses = new IntHashSet();
    private final int[] localAddressList;
    private final Int2IntHashMap[] routesByPrefixLength = new Int2IntHashMap[33];
    private final int[] prefixLengthsLongestFirst;
    private final int[] routeOif;
    private final int[] routeGateway;
    private final int[] routeSource;
    private final int[] routeMtu;
    private final int[] routeMetric;
    private final boolean[] routeRejects;
    private final int[] neighbourIfindex;
    private final int[] neighbourAddress;
    private final long[] neighbourMac;
    private final HostNetworkSnapshot6 ipv6;

    HostNetworkSnapshot(List<Rtnetlink.Link> links, List<Rtnetlink.Address> addresses, List<Rtnetlink.Route> routes,
                        List<Rtnetlink.Neighbour> neighbours) {
        this(links, addresses, routes, neighbours, List.of(), List.of());
    }

    HostNetworkSnapshot(List<Rtnetlink.Link> links, List<Rtnetlink.Address> addresses, List<Rtnetlink.Route> routes,
                        List<Rtnetlink.Neighbour> neighbours, List<Rtnetlink.Address6> addresses6,
                        List<Rtnetlink.Route6> routes6) {
        ipv6 = new HostNetworkSnapshot6(links, addresses6, routes6);
        for (Rtnetlink.Link link : links) {
            Rtnetlink.Address primary = addresses.stream()
                    .filter(a -> a.ifindex() == link.ifindex() && !a.secondary())
                    .findFirst().orElse(null);
            NetInterface netInterface = new NetInterface(link.ifindex(), link.name(), link.mac(), link.mtu(),
                    primary == null ? 0 : primary.address(), primary == null ? 0 : primary.prefixLength());
            interfaces.put(link.ifindex(), netInterface);
            if (link.up() && !link.loopback()) {
                attachable.add(netInterface);
            }
        }
        for (Rtnetlink.Address address : addresses) {
            localAddresses.add(address.address());
        }
        localAddressList = addresses.stream().mapToInt(Rtnetlink.Address::address).distinct().toArray();

        List<Rtnetlink.Route> usable = routes.stream()
                .filter(r -> r.table() == Rtnetlink.RT_TABLE_MAIN)
                .filter(r -> r.type() == Rtnetlink.RTN_UNICAST ? interfaces.containsKey(r.oif()) : rejects(r.type()))
                .toList();
        int count = usable.size();
        routeOif = new int[count];
        routeGateway = new int[count];
        routeSource = new int[count];
        routeMtu = new int[count];
        routeMetric = new int[count];
        routeRejects = new boolean[count];
        for (int i = 0; i < count; i++) {
            Rtnetlink.Route route = usable.get(i);
            int length = route.prefixLength();
            Int2IntHashMap byDestination = routesByPrefixLength[length];
            if (byDestination == null) {
                byDestination = routesByPrefixLength[length] = new Int2IntHashMap(MISSING);
            }
            int key = route.destination() & mask(length);
            int existing = byDestination.get(key);
            // as the kernel does, the lowest metric wins among routes to the same prefix
            if (existing != MISSING && routeMetric[existing] <= route.metric()) {
                continue;
            }
            byDestination.put(key, i);
            NetInterface egress = interfaces.get(route.oif());
            routeOif[i] = route.oif();
            routeGateway[i] = route.gateway();
            routeSource[i] = route.prefsrc() != 0 ? route.prefsrc() : egress == null ? 0 : egress.ipv4Address();
            routeMtu[i] = route.mtu() != 0 ? route.mtu() : egress == null ? 0 : egress.mtu();
            routeMetric[i] = route.metric();
            routeRejects[i] = route.type() != Rtnetlink.RTN_UNICAST;
        }
        int present = 0;
        int[] lengths = new int[33];
        for (int length = 32; length >= 0; length--) {
            if (routesByPrefixLength[length] != null) {
                lengths[present++] = length;
            }
        }
        prefixLengthsLongestFirst = java.util.Arrays.copyOf(lengths, present);

        List<Rtnetlink.Neighbour> cached = neighbours.stream()
                .filter(n -> (n.state() & USABLE_NEIGHBOUR) != 0 && n.mac() != 0)
                .toList();
        neighbourIfindex = cached.stream().mapToInt(Rtnetlink.Neighbour::ifindex).toArray();
        neighbourAddress = cached.stream().mapToInt(Rtnetlink.Neighbour::address).toArray();
        neighbourMac = cached.stream().mapToLong(Rtnetlink.Neighbour::mac).toArray();
    }

    /** Longest-prefix match; gateway 0 (on-link) resolves to the destination itself. */
    boolean route(int destination, NextHop hop) {
        for (int length : prefixLengthsLongestFirst) {
            int index = routesByPrefixLength[length].get(destination & mask(length));
            if (index != MISSING) {
                if (routeRejects[index]) {
                    return false;
                }
                int gateway = routeGateway[index];
                hop.set(routeOif[index], gateway != 0 ? gateway : destination, routeSource[index], routeMtu[index]);
                return true;
            }
        }
        return false;
    }

    /** The IPv6 addresses and routes of the same dump. */
    HostNetworkSnapshot6 ipv6() {
        return ipv6;
    }

    NetInterface interfaceByIndex(int ifindex) {
        return interfaces.get(ifindex);
    }

    NetInterface interfaceByName(String name) {
        for (NetInterface netInterface : interfaces.values()) {
            if (netInterface.name().equals(name)) {
                return netInterface;
            }
        }
        return null;
    }

    boolean isLocalAddress(int address) {
        return localAddresses.contains(address);
    }

    int[] localAddresses() {
        return localAddressList.clone();
    }

    List<NetInterface> attachableInterfaces() {
        return List.copyOf(attachable);
    }

    void forEachNeighbour(NeighbourConsumer consumer) {
        for (int i = 0; i < neighbourIfindex.length; i++) {
            consumer.accept(neighbourIfindex[i], neighbourAddress[i], neighbourMac[i]);
        }
    }

    private static boolean rejects(int type) {
        return type == RTN_BLACKHOLE || type == RTN_UNREACHABLE || type == RTN_PROHIBIT;
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }
}
