package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.LocalPorts;
import org.jvs.conn.Timeouts;
import org.jvs.net.FastPath;
import org.jvs.net.FrameHandler;
import org.jvs.net.FrameSink;
import org.jvs.net.HostNetwork;
import org.jvs.net.Ipv6Output;
import org.jvs.net.KernelBypass;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.Ipv6ExtensionHeaders;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.UdpHeader;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.jvs.sync.SyncConnection;
import org.jvs.sync.SyncConnection6;
import org.jvs.sync.SyncOutbox;
import org.jvs.sync.SyncPolicy;
import org.jvs.xmit.DirectRouteTransmitter;
import org.jvs.xmit.FullNatTransmitter;
import org.jvs.xmit.IcmpErrorTranslator;
import org.jvs.xmit.Icmpv6ErrorTranslator;
import org.jvs.xmit.Ipv6TunnelTransmitter;
import org.jvs.xmit.Nat64IcmpTranslator;
import org.jvs.xmit.Nat64Transmitter;
import org.jvs.xmit.NatTransmitter;
import org.jvs.xmit.TunnelTransmitter;

/**
 * The data plane of one director (ip_vs_core.c's ip_vs_in/ip_vs_out): every frame from every port comes here.
 * A client packet of a known connection goes to that connection's real server; a NAT or full-NAT reply from a
 * real server goes back to its client with the VIP as source; the first packet of a new connection to a virtual
 * service is scheduled (a full-NAT one also gets its local address and port); ICMP errors about NAT and full-NAT
 * connections are translated for the other side; a TCP connection of a service with a PROXY protocol version
 * carries the header towards NAT and full-NAT real servers ({@link ProxyProtocolStep}). Anything else is not ours
 * and is left to the kernel. An IPv4 packet goes through the steps of ip_vs_in: read its ports, look up its
 * connection, schedule a new one, update the entry's state and counters, then {@link Delivery} hands it to the
 * transmitter the connection is bound to ({@link PacketXmit}). Fragments are made whole first ({@link Reassembly}).
 * Runs on the one data-plane thread and allocates nothing per packet.
 */
public final class Director implements FrameHandler {
    /** Director-internal frame flag, beside FrameHandler's: a datagram made whole from fragments, not a super-packet. */
    private static final int REASSEMBLED = 1 << 1;
    /** Director-internal frame flag: another worker handed this frame over; it is not handed on again. */
    private static final int HANDED_OFF = 1 << 2;

    private final HostNetwork network;
    private final ServiceTable services = new ServiceTable();
    private final Timeouts timeouts = new Timeouts();
    private final ConnectionTable connections;
    private final PersistentScheduling persistence;
    private final Neighbours neighbours = new Neighbours();
    private final Counters counters = new Counters();
    private final Egress egress;
    private final ArpResponder arp;
    private final Ipv6Neighbours neighbours6 = new Ipv6Neighbours();
    private final NeighbourSolicitor solicitor;
    private final NeighbourDiscovery neighbourDiscovery;
    private final KernelBypass bypass;
    private final Delivery delivery;
    private final LocalAddresses localAddresses = new LocalAddresses();
    private final LocalPorts localPorts;
    private final FullNatSources fullNatSources;
    private final ConnectionScheduler scheduler;
    private final IcmpErrors icmpErrors;
    private final ProxyProtocolStep proxyProtocol;
    private final Reassembly reassembly;
    private final SyncedConnections synced;
    /** The sink with ./jvs trace's tap in front of it. */
    private final TracedSink sink;
    /** The running ./jvs trace of this worker, or null. */
    private TraceTap trace;
    /** The connections the kernel forwards on its own (unless --no-fast-path); null without a fast path. */
    private FastPathFlows fastPathFlows;
    /** Where a master sync daemon takes the entries to send; null when none runs. */
    private SyncOutbox.Writer syncWriter;

    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final Ipv6ExtensionHeaders headers6 = new Ipv6ExtensionHeaders();
    /** The packet in hand, read once by onIpv4's steps (as IPVS's struct ip_vs_iphdr and the ports it reads). */
    private int packetSourcePort;
    private int packetDestinationPort;
    private int packetTcpFlags;
    private int packetTcpSequence;
    private boolean packetFromClient;

    private long nowNs;
    /** This director's worker number among {@link Handoff#workers()}, and where the others' frames go. */
    private int worker;
    private Handoff handoff;
    private SteeringRules steering = SteeringRules.single();
    /** expire_nodest_conn: a client packet of a deleted server's connection ends the entry and is scheduled anew. */
    private boolean expireNodestConn;
    /** Some IPv6 service has an IPv4 full-NAT real server: an IPv4 reply may belong to a NAT64 connection. */
    private boolean nat64;

    public Director(HostNetwork network, FrameSink sink, KernelBypass bypass, int connectionCapacity) {
        this(network, sink, bypass, connectionCapacity, LocalPorts.DEFAULT_LOWEST, LocalPorts.DEFAULT_HIGHEST);
    }

    /**
     * A director whose full-NAT source ports are {@code fullNatLowestPort..fullNatHighestPort} (both included;
     * refused unless 1 <= lowest <= highest <= 65535), announced to the kernel bypass once, here.
     */
    public Director(HostNetwork network, FrameSink sink, KernelBypass bypass, int connectionCapacity,
                    int fullNatLowestPort, int fullNatHighestPort) {
        this.network = network;
        this.bypass = bypass;
        this.connections = new ConnectionTable(connectionCapacity, timeouts);
        this.localPorts = new LocalPorts(connections);
        localPorts.range(fullNatLowestPort, fullNatHighestPort);
        bypass.fullNatPorts(fullNatLowestPort, fullNatHighestPort);
        this.fullNatSources = new FullNatSources(network, localAddresses, localPorts);
        this.persistence = new PersistentScheduling(connections, counters);
        this.reassembly = new Reassembly(counters);
        this.scheduler = new ConnectionScheduler(connections, persistence, fullNatSources, counters);
        this.sink = new TracedSink(sink);
        this.egress = new Egress(network, neighbours, this.sink, counters);
        this.arp = new ArpResponder(network, services, localAddresses, neighbours, egress, this.sink, counters);
        this.solicitor = new NeighbourSolicitor(network, neighbours6, egress.pendingFrames(), this.sink, counters);
        this.neighbourDiscovery = new NeighbourDiscovery(network, services, localAddresses, neighbours6, solicitor,
                this.sink, counters);
        Ipv6Egress egress6 = new Ipv6Egress(network, solicitor, counters);
        this.icmpErrors = new IcmpErrors(connections, new IcmpErrorTranslator(egress),
                new Icmpv6ErrorTranslator(egress6), new Nat64IcmpTranslator(egress, egress6), counters);
        this.proxyProtocol = new ProxyProtocolStep(connections, counters);
        PacketXmits xmits = new PacketXmits(connections, new NatTransmitter(egress, egress6),
                new TunnelTransmitter(egress), new DirectRouteTransmitter(egress, egress6),
                new FullNatTransmitter(egress, egress6), new Ipv6TunnelTransmitter(egress, egress6),
                new Nat64Transmitter(egress, egress6));
        this.delivery = new Delivery(network, connections, proxyProtocol, xmits, counters);
        this.synced = new SyncedConnections(services, connections, counters);
    }

    /** The clock for this duty cycle; read once per cycle by the runner. */
    public void now(long nowNs) {
        this.nowNs = nowNs;
        egress.now(nowNs);
        solicitor.now(nowNs);
    }

    /**
     * Makes this director worker {@code worker} of several sharing {@code handoff}: a packet whose connection
     * another worker owns (by the steering rules) goes there, and what ARP teaches one worker reaches all.
     */
    public void joinWorkers(int worker, Handoff handoff) {
        this.worker = worker;
        this.handoff = handoff;
    }

    /** The rules that place connections on workers, rebuilt with every configuration change. */
    void steering(SteeringRules rules) {
        this.steering = rules;
    }

    SteeringRules steering() {
        return steering;
    }

    public int worker() {
        return worker;
    }

    /** How many workers share the connections, 1 without a {@link Handoff}. */
    public int workers() {
        return handoff == null ? 1 : handoff.workers();
    }

    /** Handles up to {@code limit} frames other workers handed over; returns how many. */
    public int receiveHandedOff(int limit) {
        return handoff == null ? 0 : handoff.drain(worker, this, limit);
    }

    @Override
    public void onFrame(int ifindex, MemorySegment frame, long offset, int length, int flags) {
        if ((flags & HANDED_OFF) == 0) {
            counters.increment(Counter.FRAMES_IN);
        }
        if (length < EthernetHeader.LENGTH) {
            counters.increment(Counter.DROP_MALFORMED);
            return;
        }
        ethernet.wrap(frame, offset);
        int etherType = ethernet.etherType();
        boolean first = (flags & HANDED_OFF) == 0;
        if (etherType == EthernetHeader.TYPE_ARP) {
            handToEveryWorker(first, ifindex, frame, offset, length);
            arp.onArp(ifindex, frame, offset, length, first);
        } else if (etherType == EthernetHeader.TYPE_IPV4) {
            onIpv4(ifindex, frame, offset, length, flags);
        } else if (etherType == EthernetHeader.TYPE_IPV6) {
            int check = neighbourDiscovery.check(frame, offset, length);
            if (check == NeighbourDiscovery.VALID) {
                handToEveryWorker(first, ifindex, frame, offset, length);
                neighbourDiscovery.onNeighborMessage(ifindex, frame, offset, first);
            } else if (check == NeighbourDiscovery.NOT_NEIGHBOUR_DISCOVERY) {
                onIpv6(ifindex, frame, offset, length, flags);
            }
        } else {
            counters.increment(Counter.NOT_OURS);
        }
    }

    /**
     * Every worker sends to neighbours, so every worker learns them from ARP and Neighbour Discovery: the worker
     * that received the frame first hands it to the others, and only it answers.
     */
    private void handToEveryWorker(boolean first, int ifindex, MemorySegment frame, long offset, int length) {
        if (!first || handoff == null) {
            return;
        }
        for (int other = 0; other < handoff.workers(); other++) {
            if (other != worker && !handoff.send(other, ifindex, frame, offset, length, HANDED_OFF)) {
                counters.increment(Counter.DROP_HANDOFF_FULL);
            }
        }
    }

    private void onIpv4(int ifindex, MemorySegment frame, long offset, int length, int flags) {
        long ipOffset = offset + EthernetHeader.LENGTH;
        ip.wrap(frame, ipOffset);
        if (ip.validate(length - EthernetHeader.LENGTH) != Ipv4Header.OK) {
            counters.increment(Counter.DROP_MALFORMED);
            return;
        }
        int protocol = ip.protocol();
        if (protocol == Protocol.ICMP && !ip.isFragment()) {
            onIcmpVerdict(icmpErrors.onIcmp(frame, offset, length), false, ifindex, frame, offset, length, flags);
            return;
        }
        if (protocol != Protocol.TCP && protocol != Protocol.UDP) {
            counters.increment(Counter.NOT_OURS);
            return;
        }
        int source = ip.source();
        int destination = ip.destination();
        if (ip.isFragment()) {
            onFragment(ifindex, frame, offset, length, flags, source, destination);
            return;
        }
        if (!readPorts(protocol, frame, ipOffset + ip.headerLength(), offset + length)) {
            counters.increment(Counter.DROP_MALFORMED);
            return;
        }
        int id = lookup(protocol, source, destination);
        if (id == ConnectionTable.NONE && nat64) {
            // a NAT64 connection is keyed by its IPv4 ends IPv4-mapped (ConnectionScheduler.schedule6)
            id = connections.lookupOut6(protocol, 0, Ipv6.mappedLo(source), packetSourcePort, 0,
                    Ipv6.mappedLo(destination), packetDestinationPort);
            packetFromClient = id == ConnectionTable.NONE;
        }
        boolean onePacket = false;
        if (id == ConnectionTable.NONE) {
            if (handedToOwner(steering.owner(protocol, source, packetSourcePort, destination, packetDestinationPort),
                    ifindex, frame, offset, length, flags)) {
                return;
            }
            VirtualService service = services.match(protocol, destination, packetDestinationPort);
            if (service == null) {
                counters.increment(Counter.NOT_OURS);
                return;
            }
            id = scheduler.schedule(service, protocol, source, packetSourcePort, destination, packetDestinationPort,
                    packetTcpFlags, packetTcpSequence, nowNs);
            if (id == ConnectionTable.NONE) {
                if (trace != null && trace.matches(protocol, source, destination, packetDestinationPort)) {
                    trace.record(nowNs, ifindex, TraceTap.RECEIVED, frame, offset, length); // dropped: why is counted
                }
                return;
            }
            packetFromClient = true;
            // the kernel honours -o for UDP only (ip_vs_schedule, ip_vs_sched_persist)
            onePacket = service.onePacket() && protocol == Protocol.UDP;
        }
        forward(ifindex, id, protocol, length - EthernetHeader.LENGTH, frame, offset, length, flags, onePacket);
    }

    /**
     * The steps after the lookup, for both families: the entry's state and counters, then {@link Delivery} (an
     * IPv6 connection's packets, NAT64 replies included, by its IPv6 way), sync, and the end of a one-packet entry.
     */
    private void forward(int ifindex, int id, int protocol, int ipLength, MemorySegment frame, long offset,
                         int length, int flags, boolean onePacket) {
        boolean ipv6 = connections.ipv6(id);
        boolean traced = !ipv6 && trace != null && traced(id, ifindex, frame, offset, length);
        updateState(id, protocol, ipLength);
        if (ipv6) {
            int reassembled = (flags & REASSEMBLED) != 0 ? Ipv6Output.REASSEMBLED : 0;
            delivery.deliver6(ifindex, id, packetFromClient, frame, offset, length,
                    flags & ~(REASSEMBLED | HANDED_OFF) | reassembled);
        } else {
            delivery.deliver(ifindex, id, packetFromClient, frame, offset, length,
                    (flags & REASSEMBLED) != 0, flags & ~(REASSEMBLED | HANDED_OFF));
        }
        if (traced) {
            sink.disarm();
        }
        if (fastPathFlows != null && !onePacket && !traced) {
            // a traced connection stays here, where ./jvs trace sees its packets
            fastPathFlows.afterPacket(id, packetFromClient);
        }
        if (syncWriter != null && packetFromClient && !onePacket) {
            sync(id);
        }
        if (onePacket) {
            // an OPS entry is never hashed in IPVS and dies with its datagram; so NAT replies to it find no
            // entry and are left to the kernel untranslated, as they are with IPVS
            connections.remove(id);
        }
    }

    /**
     * ip_vs_in/ip_vs_out for AF_INET6: the extension headers walked to TCP or UDP, then the steps of
     * {@link #onIpv4}: ports, lookup (a client's packet, a NAT66 reply from an IPv6 real server, a full-NAT reply to
     * an IPv6 local address), scheduling, state and delivery; ICMPv6 errors about NAT66 and full-NAT connections
     * translated for the other side ({@link IcmpErrors#onIcmpv6}); fragments made whole first ({@link Reassembly}).
     * A packet for a VIP or from a translated real server
     * whose chain hides its upper layer is dropped and counted; any other IPv6 packet is not ours.
     */
    private void onIpv6(int ifindex, MemorySegment frame, long offset, int length, int flags) {
        long ipOffset = offset + EthernetHeader.LENGTH;
        ip6.wrap(frame, ipOffset);
        if (ip6.validate(length - EthernetHeader.LENGTH) != Ipv6Header.OK) {
            counters.increment(Counter.DROP_MALFORMED);
            return;
        }
        long sourceHi = ip6.sourceHi();
        long sourceLo = ip6.sourceLo();
        long destinationHi = ip6.destinationHi();
        long destinationLo = ip6.destinationLo();
        int walk = headers6.walk(frame, ipOffset, ip6.packetLength());
        if (walk != Ipv6ExtensionHeaders.UPPER_LAYER || headers6.hasFragmentHeader()) {
            if (!services.isVirtualAddress6(destinationHi, destinationLo)
                    && !services.isTranslatedRealServer6(sourceHi, sourceLo)) {
                counters.increment(Counter.NOT_OURS);
            } else if (walk == Ipv6ExtensionHeaders.UPPER_LAYER || walk == Ipv6ExtensionHeaders.LATER_FRAGMENT) {
                // made whole first, as nf_defrag_ipv6 before IPVS; the way out fragments it again
                if (reassembly.add6(frame, offset, length, headers6, nowNs)) {
                    onIpv6(ifindex, reassembly.datagram(), reassembly.datagramOffset(), reassembly.datagramLength(),
                            REASSEMBLED | (flags & HANDED_OFF));
                }
            } else {
                counters.increment(Counter.DROP_IPV6_EXTENSION_HEADERS);
            }
            return;
        }
        int protocol = headers6.protocol();
        if (protocol == Protocol.ICMPV6) {
            onIcmpVerdict(icmpErrors.onIcmpv6(frame, offset, length), true, ifindex, frame, offset, length, flags);
            return;
        }
        if (protocol != Protocol.TCP && protocol != Protocol.UDP) {
            counters.increment(Counter.NOT_OURS);
            return;
        }
        if (!readPorts(protocol, frame, headers6.upperLayerOffset(), ipOffset + ip6.packetLength())) {
            counters.increment(Counter.DROP_MALFORMED);
            return;
        }
        int id = lookup6(protocol, sourceHi, sourceLo, destinationHi, destinationLo);
        boolean onePacket = false;
        if (id == ConnectionTable.NONE) {
            if (handedToOwner(steering.owner6(protocol, sourceHi, sourceLo, packetSourcePort, destinationHi,
                    destinationLo, packetDestinationPort), ifindex, frame, offset, length, flags)) {
                return;
            }
            VirtualService service = services.match6(protocol, destinationHi, destinationLo, packetDestinationPort);
            if (service == null) {
                counters.increment(Counter.NOT_OURS);
                return;
            }
            id = scheduler.schedule6(service, protocol, sourceHi, sourceLo, packetSourcePort, destinationHi,
                    destinationLo, packetDestinationPort, packetTcpFlags, packetTcpSequence, nowNs);
            if (id == ConnectionTable.NONE) {
                return;
            }
            packetFromClient = true;
            onePacket = service.onePacket() && protocol == Protocol.UDP;
        }
        forward(ifindex, id, protocol, ip6.packetLength(), frame, offset, length, flags, onePacket);
    }

    /**
     * What became of an ICMP (or ICMPv6) error: counted by its verdict, or, quoting no connection here, handed to
     * the worker owning the quoted packet's, or not ours.
     */
    private void onIcmpVerdict(int verdict, boolean ipv6, int ifindex, MemorySegment frame, long offset, int length,
                               int flags) {
        if (verdict == IcmpErrors.NO_CONNECTION) {
            int owner = ipv6 ? icmpErrors.quotedOwner6(steering) : icmpErrors.quotedOwner(steering);
            if (!handedToOwner(owner, ifindex, frame, offset, length, flags)) {
                counters.increment(Counter.NOT_OURS);
            }
        } else if (verdict != IcmpErrors.NOT_SENT) {
            counters.countVerdict(verdict);
        }
    }

    /**
     * ./jvs trace: records a packet of a traced connection as received, before any rewrite, and arms the sink to
     * record what its delivery sends; ends a trace past its time.
     */
    private boolean traced(int id, int ifindex, MemorySegment frame, long offset, int length) {
        if (trace.expired(nowNs)) {
            trace = null;
            return false;
        }
        if (!trace.matches(connections, id)) {
            return false;
        }
        trace.record(nowNs, ifindex, TraceTap.RECEIVED, frame, offset, length);
        sink.arm(trace, nowNs);
        return true;
    }

    /**
     * Starts recording the frames {@code tap} asks for, or stops with null (a control call). The traced connections
     * the kernel forwards come back to the director, which installs none while they are traced.
     */
    void trace(TraceTap tap) {
        trace = tap;
        if (tap != null && fastPathFlows != null) {
            fastPathFlows.takeBack(id -> !connections.ipv6(id) && tap.matches(connections, id));
        }
    }

    /** ip_vs_sync_conn: queues the entry for the sync daemon when the send policy says so, its template after it. */
    private void sync(int id) {
        if (SyncPolicy.needed(connections, id, connections.countInPacket(id))) {
            queueWithTemplate(id);
        }
    }

    /** Queues the entry for the sync daemon, its template after it. */
    private void queueWithTemplate(int id) {
        queueForSync(id);
        int template = connections.controlledBy(id);
        if (template != ConnectionTable.NONE) {
            queueForSync(template);
        }
    }

    private boolean queueForSync(int id) {
        if (syncWriter.offer(connections, id)) {
            counters.increment(Counter.SYNC_ENTRIES_QUEUED);
            return true;
        }
        counters.increment(Counter.SYNC_QUEUE_FULL);
        return false;
    }

    /** A connection the kernel keeps forwarding, queued for the sync daemon (if one runs) with its template. */
    private void syncFastPathed(int id) {
        if (syncWriter != null) {
            queueWithTemplate(id);
        }
    }

    /** Starts queueing synced entries to {@code outbox} for a master sync daemon, or stops with null. */
    void syncTo(SyncOutbox outbox) {
        syncWriter = outbox == null ? null : outbox.writer();
    }

    /**
     * Queues up to {@code count} ids' worth of live entries from {@code fromId} on for the sync daemon, for a peer's
     * resync; returns the id to go on from, or -1 when the table is done. Stops early, at the first entry that
     * found the outbox full, so a resync goes only as fast as the daemon sends. Queues nothing without a daemon.
     */
    int queueAllForSync(int fromId, int count) {
        int end = (int) Math.min((long) fromId + count, connections.capacity());
        if (syncWriter == null) {
            return -1;
        }
        for (int id = Math.max(0, fromId); id < end; id++) {
            if (connections.live(id)) {
                if (!syncWriter.offer(connections, id)) {
                    return id; // not a loss: the resync goes on from here once the daemon has sent some
                }
                counters.increment(Counter.SYNC_ENTRIES_QUEUED);
            }
        }
        return end >= connections.capacity() ? -1 : end;
    }

    /** Enters or refreshes an entry a peer synced (see {@link SyncedConnections}); false when refused. */
    boolean applySynced(SyncConnection entry) {
        SyncConnection.DirectorState state = entry.director();
        if (state != null && state.localAddress() != 0 && repliesSteerElsewhere(state.localPort())) {
            return false;
        }
        return synced.apply(entry, nowNs);
    }

    /** As {@link #applySynced(SyncConnection)} for an IPv6 entry (NAT64 ones included). */
    boolean applySynced6(SyncConnection6 entry) {
        SyncConnection6.DirectorState state = entry.director();
        if (state != null && state.hasLocalAddress() && repliesSteerElsewhere(state.localPort())) {
            return false;
        }
        return synced.apply6(entry, nowNs);
    }

    /**
     * Whether a synced full-NAT entry's replies, to {@code localPort}, would steer to another worker than its client
     * packets (the peer runs other worker counts): then it is refused and counted.
     */
    private boolean repliesSteerElsewhere(int localPort) {
        if (handoff != null && localPort % handoff.workers() != worker) {
            counters.increment(Counter.SYNC_ENTRIES_REFUSED);
            return true;
        }
        return false;
    }

    /**
     * A packet with no entry here that another worker owns goes to that worker, once: a frame handed over is
     * handled where it arrives even if the workers' rules briefly differ during a configuration change.
     */
    private boolean handedToOwner(int owner, int ifindex, MemorySegment frame, long offset, int length, int flags) {
        if (owner == SteeringRules.ANY || owner == worker || handoff == null || (flags & HANDED_OFF) != 0) {
            return false;
        }
        if (handoff.send(owner, ifindex, frame, offset, length, flags | HANDED_OFF)) {
            counters.increment(Counter.FRAMES_HANDED_OFF);
        } else {
            counters.increment(Counter.DROP_HANDOFF_FULL);
        }
        return true;
    }

    /** Reads the TCP or UDP header at {@code l4Offset} into the packet fields; false when it is cut short. */
    private boolean readPorts(int protocol, MemorySegment frame, long l4Offset, long frameEnd) {
        long available = frameEnd - l4Offset;
        if (protocol == Protocol.TCP) {
            if (available < TcpHeader.MIN_LENGTH) {
                return false;
            }
            tcp.wrap(frame, l4Offset);
            packetSourcePort = tcp.sourcePort();
            packetDestinationPort = tcp.destinationPort();
            packetTcpFlags = tcp.flags();
            packetTcpSequence = tcp.sequence();
            return true;
        }
        if (available < UdpHeader.LENGTH) {
            return false;
        }
        udp.wrap(frame, l4Offset);
        packetSourcePort = udp.sourcePort();
        packetDestinationPort = udp.destinationPort();
        packetTcpFlags = 0;
        packetTcpSequence = 0;
        return true;
    }

    /**
     * The packet's connection, as ip_vs_in's conn_in_get and ip_vs_out's conn_out_get: a client packet's entry
     * (packetFromClient) or a reply's; NONE when there is none, or when the client's packet ends its entry and is
     * to be scheduled afresh: a new SYN on a finished connection ({@link ConnectionReuse}), or any packet of a
     * connection whose real server was removed, under expire_nodest_conn (ip_vs_in since Linux 5.9; before, the
     * packet was dropped too).
     */
    private int lookup(int protocol, int source, int destination) {
        int id = connections.lookupIn(protocol, source, packetSourcePort, destination, packetDestinationPort);
        packetFromClient = true;
        if (id == ConnectionTable.NONE) {
            id = connections.lookupOut(protocol, source, packetSourcePort, destination, packetDestinationPort);
            packetFromClient = id == ConnectionTable.NONE;
            return id;
        }
        return reusedOrNone(id, protocol);
    }

    /** As {@link #lookup} for an IPv6 packet. */
    private int lookup6(int protocol, long sourceHi, long sourceLo, long destinationHi, long destinationLo) {
        int id = connections.lookupIn6(protocol, sourceHi, sourceLo, packetSourcePort, destinationHi, destinationLo,
                packetDestinationPort);
        packetFromClient = true;
        if (id == ConnectionTable.NONE) {
            id = connections.lookupOut6(protocol, sourceHi, sourceLo, packetSourcePort, destinationHi, destinationLo,
                    packetDestinationPort);
            packetFromClient = id == ConnectionTable.NONE;
            return id;
        }
        return reusedOrNone(id, protocol);
    }

    /** A client packet's entry {@code id}, or NONE when the packet ends it to be scheduled afresh. */
    private int reusedOrNone(int id, int protocol) {
        if (ConnectionReuse.reschedules(connections, id, protocol, packetTcpFlags, expireNodestConn)) {
            connections.remove(id);
            counters.increment(Counter.CONNECTIONS_RESCHEDULED);
            return ConnectionTable.NONE;
        }
        return id;
    }

    /** ip_vs_set_state and ip_vs_in_stats/ip_vs_out_stats: the entry's protocol state, timeout and counters. */
    private void updateState(int id, int protocol, int ipLength) {
        if (protocol == Protocol.TCP) {
            connections.onTcpPacket(id, packetFromClient, packetTcpFlags, nowNs);
        } else {
            connections.onUdpPacket(id, nowNs);
        }
        RealServer server = connections.realServer(id);
        if (packetFromClient) {
            server.stats.countIn(ipLength);
            server.service().stats.countIn(ipLength);
        } else {
            server.stats.countOut(ipLength);
            server.service().stats.countOut(ipLength);
        }
    }

    /**
     * Only the first fragment carries the ports, so a fragmented datagram for a virtual service (or a NAT reply) is
     * made whole and then handled as one, as IPVS handles what nf_defrag_ipv4 reassembled; the way out fragments it
     * again where it does not fit.
     */
    private void onFragment(int ifindex, MemorySegment frame, long offset, int length, int flags, int source,
                            int destination) {
        if (!services.isVirtualAddress(destination) && !services.isTranslatedRealServer(source)) {
            counters.increment(Counter.NOT_OURS);
            return;
        }
        if (reassembly.add(frame, offset, length, nowNs)) {
            onIpv4(ifindex, reassembly.datagram(), reassembly.datagramOffset(), reassembly.datagramLength(),
                    REASSEMBLED | (flags & HANDED_OFF));
        }
    }

    /** Housekeeping of one duty cycle: expires due connections, at most {@code limit}. Returns work done. */
    public int expire(int limit) {
        return connections.expire(nowNs, limit);
    }

    /**
     * Hands established connections to {@code fastPath} (the kernel's) from now on; {@link FastPath#NONE}
     * keeps every packet here. Set before traffic flows.
     */
    public void fastPath(FastPath fastPath) {
        fastPath(fastPath, FastPathFlows.INSTALL_AFTER_PACKETS);
    }

    /** As {@link #fastPath(FastPath)}, handing a connection over after installAfterPackets packets (tests: 1). */
    void fastPath(FastPath fastPath, int installAfterPackets) {
        if (fastPath.enabled()) {
            fastPathFlows = new FastPathFlows(fastPath, connections, network, neighbours, counters, this::syncFastPathed,
                    installAfterPackets);
            connections.bypassed(fastPathFlows);
        } else {
            fastPathFlows = null;
            connections.bypassed(ConnectionTable.Bypassed.NONE);
        }
    }

    /** Housekeeping of one duty cycle: folds a share of the fast path's counts into the statistics. */
    public int sweepFastPath() {
        return fastPathFlows == null ? 0 : fastPathFlows.sweep(nowNs);
    }

    /** After a configuration change: connections that no longer qualify leave the fast path. */
    void revalidateFastPath() {
        if (fastPathFlows != null) {
            fastPathFlows.revalidate();
        }
    }

    /** The fast path's bookkeeping, null without one; for tests. */
    FastPathFlows fastPathFlows() {
        return fastPathFlows;
    }

    /** Periodic housekeeping: datagrams whose reassembly outlived its 30 s are dropped (and counted). */
    void expireFragments() {
        reassembly.expire(nowNs);
    }

    /** Set once an IPv6 service has an IPv4 full-NAT real server (NAT64): IPv4 replies are then looked up as such. */
    void nat64(boolean on) {
        nat64 |= on;
    }

    public void expireNodestConn(boolean on) {
        expireNodestConn = on;
    }

    public void expireQuiescentTemplate(boolean on) {
        persistence.expireQuiescentTemplate(on);
    }

    public ServiceTable services() {
        return services;
    }

    public ConnectionTable connections() {
        return connections;
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    LocalAddresses localAddresses() {
        return localAddresses;
    }

    FullNatSources fullNatSources() {
        return fullNatSources;
    }

    HostNetwork network() {
        return network;
    }

    Neighbours neighbours() {
        return neighbours;
    }

    Ipv6Neighbours neighbours6() {
        return neighbours6;
    }

    /** Where IPv6 frames leave towards a neighbour, resolved by Neighbour Discovery. */
    NeighbourSolicitor solicitor() {
        return solicitor;
    }

    PersistentScheduling persistence() {
        return persistence;
    }

    /** The full-NAT source port range, both ends included. */
    public LocalPorts localPorts() {
        return localPorts;
    }

    public Counters counters() {
        return counters;
    }

    public KernelBypass bypass() {
        return bypass;
    }

    public long nowNs() {
        return nowNs;
    }
}
