package org.jvs.linux;

import org.agrona.collections.Int2IntHashMap;
import org.jvs.net.NextHop6;
import org.jvs.service.Ipv6;
import org.jvs.service.Ipv6Map;

import java.util.ArrayList;
import java.util.List;

/**
 * The IPv6 half of {@link HostNetworkSnapshot}: the host's IPv6 addresses and main routing table as rtnetlink dumped
 * them, immutable once built. Lookups allocate nothing: routes are kept per prefix length in {@link Ipv6Map}s and
 * probed from /128 down, as the IPv4 half probes from /32.
 * <p>
 * A route's source is its RTA_PREFSRC, or else a global address of its egress interface (the first the kernel
 * listed, not deprecated nor a failed duplicate), or else any global address of the host: what the kernel's
 * source address selection (RFC 6724) would pick in the simple set-ups a director runs, without its full rules.
 */
final class HostNetworkSnapshot6 {
    private static final int RTN_BLACKHOLE = 6;
    private static final int RTN_UNREACHABLE = 7;
    private static final int RTN_PROHIBIT = 8;
    private static final int MAX_PREFIX_LENGTH = 128;

    private final Ipv6Map<Boolean> localAddresses = new Ipv6Map<>();
    private final List<Ipv6> localAddressList = new ArrayList<>();
    @SuppressWarnings("unchecked")
    private final Ipv6Map<Integer>[] routesByPrefixLength = new Ipv6Map[MAX_PREFIX_LENGTH + 1];
    private final int[] prefixLengthsLongestFirst;
    private final int[] routeOif;
    private final long[] routeGateway;
    private final long[] routeSource;
    private final int[] routeMtu;
    private final int[] routeMetric;
    private final boolean[] routeRejects;

    HostNetworkSnapshot6(List<Rtnetlink.Link> links, List<Rtnetlink.Address6> addresses, List<Rtnetlink.Route6> routes) {
        Int2IntHashMap linkMtu = new Int2IntHashMap(0);
        for (Rtnetlink.Link link : links) {
            linkMtu.put(link.ifindex(), link.mtu());
        }
        for (Rtnetlink.Address6 address : addresses) {
            if (localAddresses.get(address.hi(), address.lo()) == null) {
                localAddresses.put(address.hi(), address.lo(), Boolean.TRUE);
                localAddressList.add(new Ipv6(address.hi(), address.lo()));
            }
        }
        Rtnetlink.Address6 anyGlobal = addresses.stream().filter(Rtnetlink.Address6::globalSource).findFirst().orElse(null);

        List<Rtnetlink.Route6> usable = routes.stream()
                .filter(r -> r.table() == Rtnetlink.RT_TABLE_MAIN)
                .filter(r -> r.type() == Rtnetlink.RTN_UNICAST ? linkMtu.containsKey(r.oif()) : rejects(r.type()))
                .toList();
        int count = usable.size();
        routeOif = new int[count];
        routeGateway = new long[2 * count];
        routeSource = new long[2 * count];
        routeMtu = new int[count];
        routeMetric = new int[count];
        routeRejects = new boolean[count];
        for (int i = 0; i < count; i++) {
            Rtnetlink.Route6 route = usable.get(i);
            int length = route.prefixLength();
            Ipv6Map<Integer> byDestination = routesByPrefixLength[length];
            if (byDestination == null) {
                byDestination = routesByPrefixLength[length] = new Ipv6Map<>();
            }
            long keyHi = Ipv6.prefixHi(route.destinationHi(), length);
            long keyLo = Ipv6.prefixLo(route.destinationLo(), length);
            Integer existing = byDestination.get(keyHi, keyLo);
            // as the kernel does, the lowest metric wins among routes to the same prefix
            if (existing != null && Integer.compareUnsigned(routeMetric[existing], route.metric()) <= 0) {
                continue;
            }
            byDestination.put(keyHi, keyLo, i);
            routeOif[i] = route.oif();
            routeGateway[2 * i] = route.gatewayHi();
            routeGateway[2 * i + 1] = route.gatewayLo();
            Rtnetlink.Address6 source = route.prefsrcHi() != 0 || route.prefsrcLo() != 0 ? null
                    : addresses.stream().filter(a -> a.ifindex() == route.oif() && a.globalSource()).findFirst().orElse(anyGlobal);
            routeSource[2 * i] = source == null ? route.prefsrcHi() : source.hi();
            routeSource[2 * i + 1] = source == null ? route.prefsrcLo() : source.lo();
            routeMtu[i] = route.mtu() != 0 ? route.mtu() : linkMtu.get(route.oif());
            routeMetric[i] = route.metric();
            routeRejects[i] = route.type() != Rtnetlink.RTN_UNICAST;
        }
        int present = 0;
        int[] lengths = new int[MAX_PREFIX_LENGTH + 1];
        for (int length = MAX_PREFIX_LENGTH; length >= 0; length--) {
            if (routesByPrefixLength[length] != null) {
                lengths[present++] = length;
            }
        }
        prefixLengthsLongestFirst = java.util.Arrays.copyOf(lengths, present);
    }

    /** Longest-prefix match; gateway :: (on-link) resolves to the destination itself. */
    boolean route(long destinationHi, long destinationLo, NextHop6 hop) {
        for (int length : prefixLengthsLongestFirst) {
            Integer found = routesByPrefixLength[length].get(Ipv6.prefixHi(destinationHi, length),
                    Ipv6.prefixLo(destinationLo, length));
            if (found != null) {
                int index = found;
                if (routeRejects[index]) {
                    return false;
                }
                long gatewayHi = routeGateway[2 * index];
                long gatewayLo = routeGateway[2 * index + 1];
                boolean onLink = gatewayHi == 0 && gatewayLo == 0;
                hop.set(routeOif[index], onLink ? destinationHi : gatewayHi, onLink ? destinationLo : gatewayLo,
                        routeSource[2 * index], routeSource[2 * index + 1], routeMtu[index]);
                return true;
            }
        }
        return false;
    }

    boolean isLocalAddress(long hi, long lo) {
        return localAddresses.get(hi, lo) != null;
    }

    List<Ipv6> localAddresses() {
        return List.copyOf(localAddressList);
    }

    private static boolean rejects(int type) {
        return type == RTN_BLACKHOLE || type == RTN_UNREACHABLE || type == RTN_PROHIBIT;
    }
}
