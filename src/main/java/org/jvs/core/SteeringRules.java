package org.jvs.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Object2LongHashMap;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Ipv6Map;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * Which data-plane worker owns a packet's connection, so that a connection, its NAT replies and its full-NAT
 * replies all meet the one worker holding its entry. A client's packet is owned by a hash of its client address
 * and port (the NAT reply's destination is that same address and port, so it hashes alike); a persistent service's
 * by its client address under the persistence netmask alone, so that all of a client's connections and their
 * persistence template live on one worker; a full-NAT reply to a local address by its local port, which the
 * owning worker chose among the ports {@code port % workers == worker} (DPVS partitions local ports per core
 * the same way). NAT real servers shared by a persistent and a non-persistent service make both hash alike (the
 * reply cannot say which service it belongs to).
 * <p>
 * The kernel steers frames by a program built from these rules (PACKET_FANOUT); this class is the rule itself, in
 * Java, asked only when a worker finds no entry for a packet: a packet another worker owns is handed to it.
 * Immutable; built on a data-plane thread after each configuration change.
 */
public final class SteeringRules {
    /** The packet belongs to no service, real server or local address: whoever received it handles it. */
    public static final int ANY = -1;
    /** A rule: the client address mask in the low 32 bits, and whether the client port is hashed too. */
    public static final long BY_PORT = 1L << 32;
    public static final long DEFAULT_RULE = BY_PORT | 0xFFFFFFFFL;

    /**
     * Where an IPv6 rule keeps the prefix length its client address is cut to before it is folded (Ipv6.fold) and
     * hashed as an IPv4 one; an IPv4 rule has 0 there.
     */
    private static final int PREFIX_SHIFT = 40;
    private static final long PREFIX = 0xFFL << PREFIX_SHIFT;
    private static final long DEFAULT_RULE6 = DEFAULT_RULE | 128L << PREFIX_SHIFT;

    private static final int GOLDEN = 0x9E3779B1;
    private static final int MIX = 0x85EBCA6B;

    private final int workers;
    private final Long2LongHashMap serviceRules = new Long2LongHashMap(DEFAULT_RULE);
    private final Long2LongHashMap natRealServerRules = new Long2LongHashMap(0);
    private final IntHashSet localAddresses = new IntHashSet();
    /**
     * An IPv6 service's rule, its client prefix length at {@link #PREFIX_SHIFT} (by identity: one per service); 0,
     * which no IPv6 rule is (its mask is whole), for a service added after these rules were built.
     */
    private final Object2LongHashMap<VirtualService> serviceRules6 = new Object2LongHashMap<>(0);
    /** A NAT66 real server's rule by its address, then (protocol, port) as {@link #protocolPort}. */
    private final Ipv6Map<Long2LongHashMap> natRealServerRules6 = new Ipv6Map<>();
    private final Ipv6Map<Boolean> localAddresses6 = new Ipv6Map<>();
    private final int lowestLocalPort;
    private final int highestLocalPort;
    private final ServiceTable services;
    private int[] sortedLocalAddresses = new int[0];
    private int[] virtualAddresses = new int[0];
    private final IntHashSet virtualAddressSet = new IntHashSet();
    private List<Entry> serviceEntries = List.of();
    private List<Entry> natRealServerEntries = List.of();

    private SteeringRules(int workers, ServiceTable services, int lowestLocalPort, int highestLocalPort) {
        this.workers = workers;
        this.services = services;
        this.lowestLocalPort = lowestLocalPort;
        this.highestLocalPort = highestLocalPort;
    }

    /** One worker: every packet is its own. */
    public static SteeringRules single() {
        return new SteeringRules(1, new ServiceTable(), 1, 0);
    }

    /**
     * The rules of {@code services} over {@code workers} workers; {@code localAddresses} are every address
     * full-NAT connections take as source (local addresses and the director's own addresses facing full-NAT real
     * servers), whose replies at a port of {@code lowestLocalPort..highestLocalPort} are full-NAT replies.
     */
    public static SteeringRules of(int workers, ServiceTable services, int[] localAddresses, int lowestLocalPort,
                                   int highestLocalPort) {
        return of(workers, services, localAddresses, new long[0], lowestLocalPort, highestLocalPort);
    }

    /**
     * As {@link #of(int, ServiceTable, int[], int, int)} with IPv6 local addresses too, {@code localAddresses6}
     * holding each as two longs (high, low) side by side.
     */
    public static SteeringRules of(int workers, ServiceTable services, int[] localAddresses, long[] localAddresses6,
                                   int lowestLocalPort, int highestLocalPort) {
        SteeringRules rules = new SteeringRules(workers, services, lowestLocalPort, highestLocalPort);
        for (int address : localAddresses) {
            rules.localAddresses.add(address);
        }
        for (int i = 0; i + 1 < localAddresses6.length; i += 2) {
            rules.localAddresses6.put(localAddresses6[i], localAddresses6[i + 1], Boolean.TRUE);
        }
        rules.build(services.all());
        rules.sortedLocalAddresses = localAddresses.clone();
        java.util.Arrays.sort(rules.sortedLocalAddresses);
        // the steering program reads IPv4 only
        rules.virtualAddresses = services.all().stream().filter(service -> !service.ipv6())
                .mapToInt(VirtualService::address).distinct().sorted().toArray();
        for (int vip : rules.virtualAddresses) {
            rules.virtualAddressSet.add(vip);
        }
        rules.serviceEntries = rules.buildServiceEntries();
        rules.natRealServerEntries = rules.buildNatRealServerEntries();
        return rules;
    }

    /** An IPv6 NAT real server of one protocol, as {@link #build} groups services by it. */
    private record NatServer6(int protocol, long hi, long lo, int port) {
    }

    /**
     * Services that share a NAT real server must hash alike: one rule per group (union-find over services). A
     * server is one family, so is each group: IPv6 services group among themselves.
     */
    private void build(List<VirtualService> all) {
        int n = all.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        Map<Object, Integer> firstServiceOfNatServer = new HashMap<>();
        for (int i = 0; i < n; i++) {
            VirtualService service = all.get(i);
            for (RealServer server : service.realServers()) {
                if (server.method() == ForwardingMethod.MASQ) {
                    Object key = service.ipv6()
                            ? new NatServer6(service.protocol(), server.addressHi(), server.addressLo(), server.port())
                            : ServiceTable.key(service.protocol(), server.address(), server.port());
                    Integer first = firstServiceOfNatServer.putIfAbsent(key, i);
                    if (first != null) {
                        parent[root(parent, i)] = root(parent, first);
                    }
                }
            }
        }
        long[] groupRule = new long[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int root = root(parent, i);
            long own = ownRule(all.get(i));
            groupRule[root] = seen[root] ? combine(groupRule[root], own) : own;
            seen[root] = true;
        }
        for (int i = 0; i < n; i++) {
            VirtualService service = all.get(i);
            long rule = groupRule[root(parent, i)];
            if (service.ipv6()) {
                build6(service, rule);
                continue;
            }
            if (rule != DEFAULT_RULE) {
                serviceRules.put(ServiceTable.key(service.protocol(), service.address(), service.port()), rule);
            }
            for (RealServer server : service.realServers()) {
                if (server.method() == ForwardingMethod.MASQ) {
                    natRealServerRules.put(ServiceTable.key(service.protocol(), server.address(), server.port()), rule);
                }
            }
        }
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private void build6(VirtualService service, long rule) {
        serviceRules6.put(service, rule);
        for (RealServer server : service.realServers()) {
            if (server.method() == ForwardingMethod.MASQ) {
                Long2LongHashMap byPort = natRealServerRules6.get(server.addressHi(), server.addressLo());
                if (byPort == null) {
                    byPort = new Long2LongHashMap(0);
                    natRealServerRules6.put(server.addressHi(), server.addressLo(), byPort);
                }
                byPort.put(protocolPort(service.protocol(), server.port()), rule);
            }
        }
    }

    private static long protocolPort(int protocol, int port) {
        return (long) protocol << 16 | port;
    }

    /** An IPv6 service's client network is a prefix of its address: the whole folded network is hashed. */
    private static long ownRule(VirtualService service) {
        if (service.ipv6()) {
            return service.persistenceTimeoutS() > 0
                    ? 0xFFFFFFFFL | (long) service.persistencePrefixLength() << PREFIX_SHIFT : DEFAULT_RULE6;
        }
        return service.persistenceTimeoutS() > 0 ? service.persistenceNetmask() & 0xFFFFFFFFL : DEFAULT_RULE;
    }

    /** Two rules one hash must serve: ports only if both hash them, the coarser of the two masks or prefixes. */
    private static long combine(long a, long b) {
        return (a & b & BY_PORT) | (a & b & 0xFFFFFFFFL) | Math.min(a & PREFIX, b & PREFIX);
    }

    public int workers() {
        return workers;
    }

    /** The worker of a client (address, port) under {@code rule}; the steering program computes the same. */
    public int workerOf(int clientAddress, int clientPort, long rule) {
        return Integer.remainderUnsigned(hash(clientAddress, clientPort, rule), workers);
    }

    /** The hash, in 32-bit operations a classic BPF program can repeat exactly. */
    public static int hash(int clientAddress, int clientPort, long rule) {
        int h = (clientAddress & (int) rule) * GOLDEN;
        if ((rule & BY_PORT) != 0) {
            h = (h ^ clientPort) * MIX;
        }
        return h ^ (h >>> 16);
    }

    /** The worker of an IPv6 client (address, port) under an IPv6 rule: the client cut to its prefix, folded. */
    private int workerOf6(long clientHi, long clientLo, int clientPort, long rule) {
        int prefixLength = (int) ((rule & PREFIX) >>> PREFIX_SHIFT);
        return workerOf(Ipv6.fold(Ipv6.prefixHi(clientHi, prefixLength), Ipv6.prefixLo(clientLo, prefixLength)),
                clientPort, rule & (BY_PORT | 0xFFFFFFFFL));
    }

    /** The worker owning a full-NAT reply to local port {@code localPort}. */
    public int workerOfLocalPort(int localPort) {
        return localPort % workers;
    }

    /**
     * The worker owning a TCP or UDP packet (protocol, source:port -> destination:port), or {@link #ANY}.
     */
    public int owner(int protocol, int source, int sourcePort, int destination, int destinationPort) {
        if (workers == 1) {
            return 0;
        }
        if (isLocalPort(destination, destinationPort)) {
            return workerOfLocalPort(destinationPort);
        }
        VirtualService service = services.matchEvenOnStandby(protocol, destination, destinationPort);
        if (service != null) {
            long rule = serviceRules.get(ServiceTable.key(protocol, service.address(), service.port()));
            return workerOf(source, sourcePort, rule);
        }
        if (virtualAddressSet.contains(destination)) {
            return ANY; // a VIP, but no service of this protocol and port
        }
        long natRule = natRealServerRules.get(ServiceTable.key(protocol, source, sourcePort));
        if (natRule != 0) {
            return workerOf(destination, destinationPort, natRule);
        }
        return ANY;
    }

    /**
     * As {@link #owner} for an IPv6 TCP or UDP packet: an IPv6 client hashes as an IPv4 one with its address cut to
     * the persistence prefix length of a persistent service, then folded ({@link Ipv6#fold}).
     */
    public int owner6(int protocol, long sourceHi, long sourceLo, int sourcePort, long destinationHi,
                      long destinationLo, int destinationPort) {
        if (workers == 1) {
            return 0;
        }
        if (destinationPort >= lowestLocalPort && destinationPort <= highestLocalPort
                && localAddresses6.get(destinationHi, destinationLo) != null) {
            return workerOfLocalPort(destinationPort);
        }
        VirtualService service = services.matchEvenOnStandby6(protocol, destinationHi, destinationLo,
                destinationPort);
        if (service != null) {
            long rule = serviceRules6.getValue(service);
            return workerOf6(sourceHi, sourceLo, sourcePort, rule == 0 ? DEFAULT_RULE6 : rule);
        }
        if (services.isVirtualAddress6(destinationHi, destinationLo)) {
            return ANY; // a VIP, but no service of this protocol and port
        }
        Long2LongHashMap byPort = natRealServerRules6.get(sourceHi, sourceLo);
        long natRule = byPort == null ? 0 : byPort.get(protocolPort(protocol, sourcePort));
        if (natRule != 0) {
            return workerOf6(destinationHi, destinationLo, destinationPort, natRule);
        }
        return ANY;
    }

    /**
     * The worker owning an ICMP error, by the packet it quotes (sent by the director to a client, a NAT real
     * server or, from a local address, a full-NAT one), or {@link #ANY}.
     */
    public int ownerOfIcmpError(int protocol, int source, int quotedSourcePort, int destination,
                                int quotedDestinationPort) {
        if (workers == 1) {
            return 0;
        }
        if (isLocalPort(source, quotedSourcePort)) {
            return workerOfLocalPort(quotedSourcePort);
        }
        VirtualService service = services.matchEvenOnStandby(protocol, source, quotedSourcePort);
        if (service != null) {
            long rule = serviceRules.get(ServiceTable.key(protocol, service.address(), service.port()));
            return workerOf(destination, quotedDestinationPort, rule);
        }
        long natRule = natRealServerRules.get(ServiceTable.key(protocol, destination, quotedDestinationPort));
        if (natRule != 0) {
            return workerOf(source, quotedSourcePort, natRule);
        }
        return ANY;
    }

    private boolean isLocalPort(int address, int port) {
        return port >= lowestLocalPort && port <= highestLocalPort && localAddresses.contains(address);
    }

    // The steering program is assembled from these, computed once so that any thread may read them.

    /** Every local address, sorted. */
    public int[] localAddresses() {
        return sortedLocalAddresses.clone();
    }

    public int lowestLocalPort() {
        return lowestLocalPort;
    }

    public int highestLocalPort() {
        return highestLocalPort;
    }

    /** Every VIP with a virtual service, sorted. */
    public int[] virtualAddresses() {
        return virtualAddresses.clone();
    }

    /** One (protocol, address, port) with its rule; port 0 of a service: any port of its VIP. */
    public record Entry(int protocol, int address, int port, long rule) {
    }

    /**
     * The services of every VIP that has some service whose rule is not the default, each VIP's port-zero
     * ("all ports") services last: a program that tries them in this order and falls back to the default finds
     * the rule {@link #owner} finds.
     */
    public List<Entry> serviceEntries() {
        return serviceEntries;
    }

    /** NAT real servers whose replies do not hash by the client's address and port, sorted. */
    public List<Entry> natRealServerEntries() {
        return natRealServerEntries;
    }

    private List<Entry> buildServiceEntries() {
        IntHashSet special = new IntHashSet();
        for (VirtualService service : services.all()) {
            if (!service.ipv6() && serviceRules.get(ServiceTable.key(service.protocol(), service.address(),
                    service.port())) != DEFAULT_RULE) {
                special.add(service.address());
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (VirtualService service : services.all()) {
            if (!service.ipv6() && special.contains(service.address())) {
                entries.add(new Entry(service.protocol(), service.address(), service.port(),
                        serviceRules.get(ServiceTable.key(service.protocol(), service.address(), service.port()))));
            }
        }
        entries.sort(Comparator.comparingLong((Entry e) -> e.address() & 0xFFFFFFFFL)
                .thenComparing(e -> e.port() == 0).thenComparingInt(Entry::protocol).thenComparingInt(Entry::port));
        return List.copyOf(entries);
    }

    private List<Entry> buildNatRealServerEntries() {
        List<Entry> entries = new ArrayList<>();
        natRealServerRules.forEach((key, rule) -> {
            if (rule != DEFAULT_RULE) {
                entries.add(new Entry((int) (key >>> 48), (int) (key >>> 16), (int) (key & 0xFFFF), rule));
            }
        });
        entries.sort(Comparator.comparingLong((Entry e) -> e.address() & 0xFFFFFFFFL)
                .thenComparingInt(Entry::protocol).thenComparingInt(Entry::port));
        return List.copyOf(entries);
    }
}
