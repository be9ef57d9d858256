package org.jvs.linux;

import org.jvs.net.HostNetwork;
import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;
import org.jvs.net.NextHop6;
import org.jvs.service.Ipv6;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's network as rtnetlink reports it, for the namespace of the thread that opened it. The control thread
 * calls {@link #refresh()} (or {@link #pollChanges()}, which refreshes only when the kernel announced a link,
 * address or route change, IPv4 or IPv6); each refresh publishes a new immutable snapshot through a volatile field,
 * and the data plane's lookups read whichever snapshot is current without locks or allocation.
 * <p>
 * Changes to the ARP cache are not subscribed to (they are frequent and the director keeps its own table);
 * {@link #forEachNeighbour} reports the cache as of the last refresh, for seeding.
 */
public final class LinuxHostNetwork implements HostNetwork, AutoCloseable {
    private static final int DUMP_ATTEMPTS = 5;
    private static final int CHANGE_GROUPS = Rtnetlink.RTMGRP_LINK | Rtnetlink.RTMGRP_IPV4_IFADDR | Rtnetlink.RTMGRP_IPV4_ROUTE
            | Rtnetlink.RTMGRP_IPV6_IFADDR | Rtnetlink.RTMGRP_IPV6_ROUTE;

    private final NetlinkSocket requests;
    private final NetlinkSocket changes;
    private volatile HostNetworkSnapshot snapshot;

    private LinuxHostNetwork(NetlinkSocket requests, NetlinkSocket changes) {
        this.requests = requests;
        this.changes = changes;
    }

    /** Subscribes to changes, then takes the first snapshot (so no change between the two is missed). */
    public static LinuxHostNetwork open() throws IOException {
        NetlinkSocket changes = NetlinkSocket.open(CHANGE_GROUPS);
        NetlinkSocket requests;
        try {
            requests = NetlinkSocket.open(0);
        } catch (IOException e) {
            changes.close();
            throw e;
        }
        LinuxHostNetwork network = new LinuxHostNetwork(requests, changes);
        try {
            network.refresh();
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** Re-dumps links, addresses, routes and neighbours and publishes them as one snapshot. Control thread. */
    public synchronized void refresh() throws IOException {
        for (int attempt = 1; ; attempt++) {
            Collector collected = new Collector();
            boolean consistent = requests.dump(Rtnetlink.RTM_GETLINK, collected)
                    & requests.dump(Rtnetlink.RTM_GETADDR, collected)
                    & requests.dump(Rtnetlink.RTM_GETROUTE, collected)
                    & requests.dump(Rtnetlink.RTM_GETNEIGH, collected)
                    & requests.dump(Rtnetlink.RTM_GETADDR, Native.AF_INET6, collected)
                    & requests.dump(Rtnetlink.RTM_GETROUTE, Native.AF_INET6, collected);
            if (consistent || attempt == DUMP_ATTEMPTS) {
                snapshot = new HostNetworkSnapshot(collected.links, collected.addresses, collected.routes, collected.neighbours,
                        collected.addresses6, collected.routes6);
                return;
            }
        }
    }

    /**
     * Drains the change notifications received since the last call and, if there were any, refreshes.
     * Returns whether it refreshed. Non-blocking; call it periodically or when {@link #changesFd()} is readable.
     */
    public boolean pollChanges() throws IOException {
        if (!changes.drain()) {
            return false;
        }
        refresh();
        return true;
    }

    /** Readable when the kernel announced a change; for a control loop that polls instead of ticking. */
    public int changesFd() {
        return changes.fd();
    }

    @Override
    public NetInterface interfaceByIndex(int ifindex) {
        return snapshot.interfaceByIndex(ifindex);
    }

    /** The interface with this name, or null. Control path. */
    public NetInterface interfaceByName(String name) {
        return snapshot.interfaceByName(name);
    }

    @Override
    public boolean route(int destination, NextHop hop) {
        return snapshot.route(destination, hop);
    }

    @Override
    public boolean isLocalAddress(int address) {
        return snapshot.isLocalAddress(address);
    }

    @Override
    public boolean isLocalAddress6(long hi, long lo) {
        return snapshot.ipv6().isLocalAddress(hi, lo);
    }

    @Override
    public boolean route6(long destinationHi, long destinationLo, NextHop6 hop) {
        return snapshot.ipv6().route(destinationHi, destinationLo, hop);
    }

    /** Every IPv6 address configured on the host (link-local ones included), as of the last refresh. Control path. */
    public List<Ipv6> localAddresses6() {
        return snapshot.ipv6().localAddresses();
    }

    /** Every IPv4 address configured on the host (any interface, lo included), as of the last refresh. Control path. */
    public int[] localAddresses() {
        return snapshot.localAddresses();
    }

    /** Every interface that is up and not loopback, as of the last refresh. */
    public List<NetInterface> attachableInterfaces() {
        return snapshot.attachableInterfaces();
    }

    /** The kernel's usable IPv4 ARP entries (reachable, stale, being re-probed or permanent) at the last refresh. */
    public void forEachNeighbour(NeighbourConsumer consumer) {
        snapshot.forEachNeighbour(consumer);
    }

    @Override
    public void close() {
        requests.close();
        changes.close();
    }

    /** Gathers one rtnetlink dump (tests decode captured dumps with it too). */
    static class Collector implements Rtnetlink.Listener {
        final List<Rtnetlink.Link> links = new ArrayList<>();
        final List<Rtnetlink.Address> addresses = new ArrayList<>();
        final List<Rtnetlink.Route> routes = new ArrayList<>();
        final List<Rtnetlink.Neighbour> neighbours = new ArrayList<>();
        final List<Rtnetlink.Address6> addresses6 = new ArrayList<>();
        final List<Rtnetlink.Route6> routes6 = new ArrayList<>();

        @Override
        public void onLink(Rtnetlink.Link link) {
            links.add(link);
        }

        @Override
        public void onAddress(Rtnetlink.Address address) {
            addresses.add(address);
        }

        @Override
        public void onRoute(Rtnetlink.Route route) {
            routes.add(route);
        }

        @Override
        public void onNeighbour(Rtnetlink.Neighbour neighbour) {
            neighbours.add(neighbour);
        }

        @Override
        public void onAddress6(Rtnetlink.Address6 address) {
            addresses6.add(address);
        }

        @Override
        public void onRoute6(Rtnetlink.Route6 route) {
            routes6.add(route);
        }
    }
}
