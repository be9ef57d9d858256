package org.jvs.core;

import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.TcpState;
import org.jvs.net.FastPath;
import org.jvs.net.HostNetwork;
import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.TunnelType;

/**
 * Which of this worker's connections the kernel forwards on its own ({@link FastPath}; off with --no-fast-path),
 * and the bookkeeping that keeps the director's view whole while their packets no longer come here:
 * <ul>
 * <li>a direction is installed after the director forwarded one of its packets, once the connection is
 * established (UDP: scheduled; TCP: ESTABLISHED, whose SYN, FIN and RST the kernel leaves to the director), has
 * carried {@link #INSTALL_AFTER_PACKETS} packets (either way) since, and the neighbour of its way out is known:
 * client to real server for every method, the reply for NAT and full NAT (DR and TUN replies never pass). Not
 * PROXY protocol connections (the director shifts their sequence numbers), not TUN but over IPIP, not IPv6, not a
 * connection whose real server was removed;</li>
 * <li>both directions are removed when the connection leaves ESTABLISHED, is released (expired, removed) or, at
 * a configuration change, no longer qualifies;</li>
 * <li>the kernel's packet and byte counts are folded into the real server's and service's statistics by a sweep
 * of at most {@link #SWEEP_BATCH} entries per duty cycle, each entry about every {@link #SWEEP_PERIOD_NS}, and
 * when an entry is removed; its last packet's time re-arms the connection's timer (at the sweep, and when the timer
 * fires before it) instead of letting it expire;</li>
 * <li>a connection the kernel keeps forwarding is handed to the sync daemon (if one runs) at least every
 * {@link #SYNC_REFRESH_NS}, or half its timeout if shorter, so that a backup's copy does not expire while the
 * director sees none of its packets (IPVS syncs every 50th packet, ip_vs_sync_conn_needed);</li>
 * <li>the same sweep checks each entry's way out (route, neighbour's MAC) against the host's tables as they are now
 * and takes back a connection whose way changed: its next packet comes here and installs the new way.</li>
 * </ul>
 * A refused install (the kernel's table full) is counted and leaves the connection on the director's path. One
 * bpf(2) call per install, removal or read; nothing allocated. Data-plane thread only.
 */
final class FastPathFlows implements ConnectionTable.Bypassed {
    /**
     * Packets an established connection carries through the director before the kernel takes it. A short
     * connection (an HTTP request, a DNS query) would cost four bpf(2) calls - install and remove, each way - to
     * save the director a handful of packets: measured with one request per connection, installing at once cut
     * connections/s by a quarter. A long one loses nothing that matters by waiting for its eighth packet.
     */
    static final int INSTALL_AFTER_PACKETS = 8;
    static final long SWEEP_PERIOD_NS = 500_000_000L;
    static final int SWEEP_BATCH = 256;
    static final long SYNC_REFRESH_NS = 10_000_000_000L;
    private static final long NEVER_SYNCED = Long.MIN_VALUE / 2;
    private static final int IN = 1;
    private static final int OUT = 2;
    /** Per connection in {@link #folded}: packets and bytes already folded, client direction then reply. */
    private static final int FOLDED_PER_ID = 4;

    private final FastPath fastPath;
    private final ConnectionTable connections;
    private final HostNetwork network;
    private final Neighbours neighbours;
    private final Counters counters;
    private final IntConsumer sync;
    private final NextHop hop = new NextHop();
    private final long[] read = new long[FastPath.READ_LENGTH];
    private final byte[] installed;
    private final int installAfterPackets;
    /** Per connection: packets the director forwarded while it qualified, up to installAfterPackets. */
    private final byte[] qualifiedPackets;
    private final long[] folded;
    /** Per connection: when the sweep last handed it to the sync daemon. */
    private final long[] syncedAtNs;
    /** Client packets the last {@link #fold} found, for the sync refresh. */
    private long foldedClientPackets;
    /** Per connection and direction (client's, reply): the egress ifindex and neighbour MAC installed. */
    private final int[] wayIfindex;
    private final long[] wayMac;
    /** Installed connections, densely, for the sweep; position[id] is the index of id, or -1. */
    private final int[] installedIds;
    private final int[] position;
    private int installedCount;
    private int sweepCursor;
    private long sweepStartNs;
    /** The key of the direction in hand, set by {@link #key}. */
    private int keyProtocol;
    private int keySource;
    private int keySourcePort;
    private int keyDestination;
    private int keyDestinationPort;

    /** {@code sync}: queues a connection for the sync daemon, if one runs. */
    FastPathFlows(FastPath fastPath, ConnectionTable connections, HostNetwork network, Neighbours neighbours,
                  Counters counters, IntConsumer sync) {
        this(fastPath, connections, network, neighbours, counters, sync, INSTALL_AFTER_PACKETS);
    }

    /** {@code installAfterPackets}: 1 installs a direction at its first packet once established (tests). */
    FastPathFlows(FastPath fastPath, ConnectionTable connections, HostNetwork network, Neighbours neighbours,
                  Counters counters, IntConsumer sync, int installAfterPackets) {
        if (installAfterPackets < 1 || installAfterPackets > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("installAfterPackets " + installAfterPackets + " not in 1..127");
        }
        this.installAfterPackets = installAfterPackets;
        this.fastPath = fastPath;
        this.sync = sync;
        this.connections = connections;
        this.network = network;
        this.neighbours = neighbours;
        this.counters = counters;
        int capacity = connections.capacity();
        installed = new byte[capacity];
        qualifiedPackets = new byte[capacity];
        folded = new long[capacity * FOLDED_PER_ID];
        syncedAtNs = new long[capacity];
        wayIfindex = new int[capacity * 2];
        wayMac = new long[capacity * 2];
        installedIds = new int[capacity];
        position = new int[capacity];
        java.util.Arrays.fill(position, -1);
    }

    /** After the director forwarded a packet of connection id: installs its direction, or removes both. */
    void afterPacket(int id, boolean fromClient) {
        if (!qualifies(id)) {
            uninstall(id);
            return;
        }
        if (qualifiedPackets[id] < installAfterPackets && ++qualifiedPackets[id] < installAfterPackets) {
            return;
        }
        int direction = fromClient ? IN : OUT;
        ForwardingMethod method = connections.forwardingMethod(id);
        if ((installed[id] & direction) != 0
                || !fromClient && (method == ForwardingMethod.ROUTE || method == ForwardingMethod.TUNNEL)) {
            return;
        }
        install(id, direction);
    }

    /** After a configuration change: takes back the entries of connections that no longer qualify. */
    void revalidate() {
        for (int i = installedCount - 1; i >= 0; i--) {
            int id = installedIds[i];
            if (!qualifies(id)) {
                uninstall(id);
            }
        }
    }

    /** Takes back from the kernel the installed connections {@code which} names (./jvs trace's, at its start). */
    void takeBack(IntPredicate which) {
        for (int i = installedCount - 1; i >= 0; i--) {
            int id = installedIds[i];
            if (which.test(id)) {
                uninstall(id);
            }
        }
    }

    /**
     * Folds a few entries' counts into the statistics (one duty cycle's share): a pass over every installed
     * connection starts at most every {@link #SWEEP_PERIOD_NS} and goes {@link #SWEEP_BATCH} entries per call.
     * Returns how many entries it read.
     */
    int sweep(long nowNs) {
        if (installedCount == 0 || sweepCursor == 0 && nowNs - sweepStartNs < SWEEP_PERIOD_NS) {
            return 0;
        }
        if (sweepCursor == 0) {
            sweepStartNs = nowNs;
        }
        int end = Math.min(installedCount, sweepCursor + SWEEP_BATCH);
        int count = end - sweepCursor;
        for (int i = end - 1; i >= sweepCursor; i--) {
            int id = installedIds[i];
            long lastSeenNs = fold(id);
            if (lastSeenNs != 0) {
                connections.seenOutside(id, lastSeenNs);
            }
            if (foldedClientPackets > 0 && nowNs - syncedAtNs[id] >= Math.min(SYNC_REFRESH_NS,
                    connections.timeoutSeconds(id) * 500_000_000L)) {
                syncedAtNs[id] = nowNs;
                sync.accept(id);
            }
            if (!wayUnchanged(id)) {
                uninstall(id); // moves the last installed id here, one this pass has seen or will not reach
            }
        }
        sweepCursor = end >= installedCount ? 0 : end;
        return count;
    }

    @Override
    public long lastSeenNs(int id) {
        return installed[id] == 0 ? 0 : fold(id);
    }

    @Override
    public void released(int id) {
        uninstall(id);
        qualifiedPackets[id] = 0;
    }

    /** How many connections have at least one direction in the kernel. */
    int installedConnections() {
        return installedCount;
    }

    boolean installed(int id, boolean fromClient) {
        return (installed[id] & (fromClient ? IN : OUT)) != 0;
    }

    private boolean qualifies(int id) {
        if (connections.ipv6(id) || connections.template(id) || connections.proxyProtocol(id) != 0) {
            return false;
        }
        ForwardingMethod method = connections.forwardingMethod(id);
        boolean ipip = method == ForwardingMethod.TUNNEL && connections.tunnel(id).type() == TunnelType.IPIP;
        if (method != ForwardingMethod.MASQ && method != ForwardingMethod.ROUTE && method != ForwardingMethod.FULLNAT
                && !ipip) {
            return false;
        }
        if (!connections.realServer(id).available()) {
            return false;
        }
        return connections.protocol(id) == Protocol.UDP || connections.state(id) == TcpState.ESTABLISHED;
    }

    /**
     * The way out of a direction as the transmitters take it: fills {@link #hop} (route) and returns the neighbour's
     * MAC (DR: the RIP's itself), or {@link Neighbours#UNKNOWN} when there is no route, port or neighbour yet.
     */
    private long wayOut(int id, boolean fromClient) {
        int realAddress = connections.realAddress(id);
        int destination = fromClient ? realAddress : connections.clientAddress(id);
        if (!network.route(destination, hop) || network.interfaceByIndex(hop.ifindex) == null) {
            return Neighbours.UNKNOWN;
        }
        int gateway = connections.forwardingMethod(id) == ForwardingMethod.ROUTE ? realAddress : hop.gateway;
        return neighbours.mac(hop.ifindex, gateway);
    }

    /** Whether every installed direction of id still leaves the way it was installed with. */
    private boolean wayUnchanged(int id) {
        for (int direction = IN; direction <= OUT; direction <<= 1) {
            if ((installed[id] & direction) != 0) {
                boolean fromClient = direction == IN;
                int way = id * 2 + (fromClient ? 0 : 1);
                long mac = wayOut(id, fromClient);
                if (mac != wayMac[way] || hop.ifindex != wayIfindex[way]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Installs a direction with its way out, its rewrite as its transmitter's, and the egress port's MAC and MTU. */
    private void install(int id, int direction) {
        boolean fromClient = direction == IN;
        ForwardingMethod method = connections.forwardingMethod(id);
        int realAddress = connections.realAddress(id);
        long mac = wayOut(id, fromClient);
        if (mac == Neighbours.UNKNOWN) {
            return;
        }
        NetInterface egress = network.interfaceByIndex(hop.ifindex);
        key(id, fromClient);
        if (method == ForwardingMethod.TUNNEL) {
            // the outer header as TunnelTransmitter writes it: from the route's source to the real server
            installed(id, direction, fastPath.installTunnel(keyProtocol, keySource, keySourcePort, keyDestination,
                    keyDestinationPort, hop.source, realAddress, hop.ifindex, egress.mac(), mac, hop.mtu), mac);
            return;
        }
        int newSource = 0;
        int newSourcePort = 0;
        int newDestination = 0;
        int newDestinationPort = 0;
        if (fromClient && method != ForwardingMethod.ROUTE) {
            newDestination = realAddress;
            newDestinationPort = connections.realPort(id);
            if (method == ForwardingMethod.FULLNAT) {
                newSource = connections.localAddress(id);
                newSourcePort = connections.localPort(id);
            }
        } else if (!fromClient) {
            newSource = connections.virtualAddress(id);
            newSourcePort = connections.virtualPort(id);
            if (method == ForwardingMethod.FULLNAT) {
                newDestination = connections.clientAddress(id);
                newDestinationPort = connections.clientPort(id);
            }
        }
        // a field that keeps its value is left alone, checksum included, as the transmitters leave it
        installed(id, direction, fastPath.install(keyProtocol, keySource, keySourcePort, keyDestination,
                keyDestinationPort, newSource == keySource ? 0 : newSource,
                newSourcePort == keySourcePort ? 0 : newSourcePort, newDestination == keyDestination ? 0 : newDestination,
                newDestinationPort == keyDestinationPort ? 0 : newDestinationPort, hop.ifindex, egress.mac(), mac,
                hop.mtu), mac);
    }

    /** After an install the kernel took ({@code done}) or refused: the bookkeeping of a direction and its way out. */
    private void installed(int id, int direction, boolean done, long mac) {
        boolean fromClient = direction == IN;
        if (!done) {
            counters.increment(Counter.FAST_PATH_INSTALL_FAILED);
            return;
        }
        counters.increment(Counter.FAST_PATH_INSTALLED);
        int way = id * 2 + (fromClient ? 0 : 1);
        wayIfindex[way] = hop.ifindex;
        wayMac[way] = mac;
        int base = id * FOLDED_PER_ID + (fromClient ? 0 : 2);
        folded[base] = 0;
        folded[base + 1] = 0;
        if (installed[id] == 0) {
            syncedAtNs[id] = NEVER_SYNCED; // the director synced it by IPVS's rule, which may not have come yet
            position[id] = installedCount;
            installedIds[installedCount++] = id;
        }
        installed[id] |= (byte) direction;
    }

    /** Takes both directions back from the kernel, folding their last counts. */
    private void uninstall(int id) {
        int directions = installed[id];
        if (directions == 0) {
            return;
        }
        for (int direction = IN; direction <= OUT; direction <<= 1) {
            if ((directions & direction) != 0) {
                boolean fromClient = direction == IN;
                key(id, fromClient);
                if (fastPath.remove(keyProtocol, keySource, keySourcePort, keyDestination, keyDestinationPort, read)) {
                    foldRead(id, fromClient);
                }
                counters.increment(Counter.FAST_PATH_REMOVED);
            }
        }
        installed[id] = 0;
        int at = position[id];
        int last = installedIds[--installedCount];
        installedIds[at] = last;
        position[last] = at;
        position[id] = -1;
    }

    /** Folds the kernel's counts of both directions; returns the later of their last packets (0: none). */
    private long fold(int id) {
        long lastSeenNs = 0;
        foldedClientPackets = 0;
        for (int direction = IN; direction <= OUT; direction <<= 1) {
            if ((installed[id] & direction) != 0) {
                boolean fromClient = direction == IN;
                key(id, fromClient);
                if (fastPath.read(keyProtocol, keySource, keySourcePort, keyDestination, keyDestinationPort, read)) {
                    foldRead(id, fromClient);
                    lastSeenNs = Math.max(lastSeenNs, read[FastPath.LAST_SEEN_NS]);
                }
            }
        }
        return lastSeenNs;
    }

    /** Adds what {@link #read} holds beyond what was folded before to the server's and service's statistics. */
    private void foldRead(int id, boolean fromClient) {
        int base = id * FOLDED_PER_ID + (fromClient ? 0 : 2);
        long packets = read[FastPath.PACKETS] - folded[base];
        long bytes = read[FastPath.BYTES] - folded[base + 1];
        if (packets <= 0) {
            return;
        }
        folded[base] = read[FastPath.PACKETS];
        folded[base + 1] = read[FastPath.BYTES];
        RealServer server = connections.realServer(id);
        if (fromClient) {
            foldedClientPackets = packets;
            server.stats.countIn(packets, bytes);
            server.service().stats.countIn(packets, bytes);
        } else {
            server.stats.countOut(packets, bytes);
            server.service().stats.countOut(packets, bytes);
        }
        counters.add(Counter.FAST_PATH_PACKETS_FOLDED, packets);
        counters.add(Counter.FAST_PATH_BYTES_FOLDED, bytes);
    }

    /** The key of a direction: the packet as it arrives (client's, or the reply's towards the local address). */
    private void key(int id, boolean fromClient) {
        keyProtocol = connections.protocol(id);
        if (fromClient) {
            keySource = connections.clientAddress(id);
            keySourcePort = connections.clientPort(id);
            keyDestination = connections.virtualAddress(id);
            keyDestinationPort = connections.virtualPort(id);
        } else {
            keySource = connections.realAddress(id);
            keySourcePort = connections.realPort(id);
            keyDestination = connections.localAddress(id);
            keyDestinationPort = connections.localPort(id);
        }
    }
}
