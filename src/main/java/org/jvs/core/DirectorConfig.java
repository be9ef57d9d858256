package org.jvs.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.RealServerSpec;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.conn.ConnectionTable;
import org.jvs.conn.TcpState;
import org.jvs.packet.ProxyProtocolHeader;
import org.jvs.sched.Scheduler;
import org.jvs.sched.SchedulerRegistry;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.jvs.stats.Stats;

/**
 * Applies control operations to a director's tables, with ip_vs_ctl.c's rules and libipvs's messages for
 * refusals. Not thread-safe: call it on the data-plane thread only (see {@link DataPlaneControl}).
 */
public final class DirectorConfig implements DirectorControl {
    /** ip_vs_ctpl_state_name_table[IP_VS_CTPL_S_NONE]; ASSURED comes only from the sync daemon JVS lacks. */
    private static final String TEMPLATE_STATE = "NONE";
    /** The IPVS sysctls JVS implements, by their /proc/sys/net/ipv4/vs names. */
    public static final String EXPIRE_NODEST_CONN = "expire_nodest_conn";
    public static final String EXPIRE_QUIESCENT_TEMPLATE = "expire_quiescent_template";

    private final Director director;
    private final BypassEntries bypass;
    /** The director's own address each full-NAT server's replies may come to, held in the kernel bypass. */
    private final Map<RealServer, Integer> defaultLocalAddresses = new IdentityHashMap<>();
    /** What the change being applied shares with the other workers' replicas. */
    private SharedParts sharedParts = SharedParts.NONE;

    Director director() {
        return director;
    }

    public DirectorConfig(Director director) {
        this.director = director;
        this.bypass = new BypassEntries(director.bypass());
        steer();
    }

    /** Housekeeping every few seconds: lets go of kernel-bypass entries whose last connection has gone. */
    public void sweep() {
        int draining = bypass.drainingCount();
        bypass.sweep();
        if (bypass.drainingCount() != draining) {
            steer();
        }
        director.expireFragments();
    }

    /**
     * Makes this director worker {@code worker} of {@code handoff.workers()}: its full-NAT local ports and the
     * steering rules follow. Before any traffic.
     */
    public void joinWorkers(int worker, Handoff handoff) {
        director.joinWorkers(worker, handoff);
        director.localPorts().partition(worker, handoff.workers());
        steer();
    }

    /** Runs {@code change} on this replica with {@code parts} shared with the other workers' (see SharedParts). */
    <T> T sharing(SharedParts parts, DataPlaneControl.Operation<T> change) throws ControlException {
        sharedParts = parts;
        try {
            return change.apply(this);
        } finally {
            sharedParts = SharedParts.NONE;
        }
    }

    /** A new scheduler, in the same position of its sequence as the other workers' copies. */
    private Scheduler sharedScheduler(String name) throws ControlException {
        Scheduler scheduler = scheduler(name);
        Object state = scheduler.sharedState();
        Object shared = sharedParts.share(state);
        if (shared != state) {
            scheduler.shareState(shared);
        }
        return scheduler;
    }

    /** The rules placing connections on workers, as of the last change (immutable: any thread may read them). */
    public SteeringRules steeringRules() {
        return director.steering();
    }

    /** Rebuilds the steering rules after a change of services, real servers or local addresses. */
    private void steer() {
        director.steering(SteeringRules.of(director.workers(), director.services(), bypass.localAddresses(),
                bypass.localAddresses6(), director.localPorts().lowest(), director.localPorts().highest()));
    }

    @Override
    public void addService(ServiceSpec spec) throws ControlException {
        ServiceKey key = spec.key();
        if (find(key) != null) {
            throw new ControlException("Service already exists");
        }
        checkProxyProtocol(spec);
        AddressFamilies.checkService(spec);
        IpAddress address = key.address();
        VirtualService service = address.isIpv4()
                ? new VirtualService(key.protocol(), address.ipv4(), key.port(), sharedScheduler(spec.scheduler()))
                : new VirtualService(key.protocol(), address.ipv6(), key.port(), sharedScheduler(spec.scheduler()));
        applyOptions(service, spec);
        director.services().add(service);
        if (service.ipv6()) {
            bypass.holdService6(key.protocol(), service.addressHi(), service.addressLo(), key.port());
        } else {
            bypass.holdService(key.protocol(), service.address(), key.port());
        }
        steer();
    }

    @Override
    public void editService(ServiceSpec spec) throws ControlException {
        VirtualService service = existing(spec.key(), "No such service");
        checkProxyProtocol(spec);
        AddressFamilies.checkService(spec);
        if (!service.scheduler().name().equals(spec.scheduler())) {
            service.scheduler(sharedScheduler(spec.scheduler()));
        }
        applyOptions(service, spec);
        steer();
    }

    private static void checkProxyProtocol(ServiceSpec spec) throws ControlException {
        int version = spec.proxyProtocol();
        if (version < ServiceSpec.PROXY_PROTOCOL_NONE || version > ProxyProtocolHeader.V2) {
            throw new ControlException("PROXY protocol version " + version + " is unknown (expected 0, 1 or 2)");
        }
    }

    private static void applyOptions(VirtualService service, ServiceSpec spec) {
        service.schedulerFlags(spec.schedulerFlags());
        service.persistenceTimeoutS(spec.persistenceTimeoutS());
        if (service.ipv6()) {
            service.persistencePrefixLength(spec.persistenceNetmask());
        } else {
            service.persistenceNetmask(spec.persistenceNetmask());
        }
        service.onePacket(spec.onePacket());
        service.proxyProtocol(spec.proxyProtocol());
    }

    private static Scheduler scheduler(String name) throws ControlException {
        try {
            return SchedulerRegistry.create(name);
        } catch (IllegalArgumentException unknown) {
            throw new ControlException("Scheduler or persistence engine not found");
        }
    }

    @Override
    public void deleteService(ServiceKey key) throws ControlException {
        VirtualService service = existing(key, "No such service");
        remove(service);
        steer();
    }

    private void remove(VirtualService service) {
        List<RealServer> servers = List.copyOf(service.realServers());
        for (RealServer server : servers) {
            removeRealServer(service, server);
        }
        for (LocalAddressSpec local : director.localAddresses().remove(service)) {
            releaseLocalAddressWhenDrained(servers, local.address());
        }
        director.services().remove(service);
        bypass.releaseWhenDrained(servers, service.ipv6()
                ? () -> bypass.releaseService6(service.protocol(), service.addressHi(), service.addressLo(),
                        service.port())
                : () -> bypass.releaseService(service.protocol(), service.address(), service.port()));
    }

    @Override
    public void clear() {
        for (VirtualService service : List.copyOf(director.services().all())) {
            remove(service);
        }
        steer();
    }

    @Override
    public void addRealServer(ServiceKey key, RealServerSpec spec) throws ControlException {
        VirtualService service = existing(key, "Service not defined");
        AddressFamilies.checkRealServer(service, spec);
        if (findRealServer(service, spec.address(), realPort(service, spec)) != null) {
            throw new ControlException("Destination already exists");
        }
        checkTunnel(spec);
        IpAddress address = spec.address();
        RealServer server = address.isIpv4()
                ? new RealServer(address.ipv4(), realPort(service, spec), spec.method(), spec.weight())
                : new RealServer(address.ipv6(), realPort(service, spec), spec.method(), spec.weight());
        server.tunnel(spec.tunnel());
        server.shareLoad(sharedParts.share(server.load()));
        server.upperThreshold(spec.upperThreshold());
        server.lowerThreshold(spec.lowerThreshold());
        service.addRealServer(server);
        holdReplyEntries(service, server, server.method());
        steer();
    }

    /** As ip_vs_ctl.c refuses a GUE destination without a port; ipvsadm refuses the other mismatches first. */
    private static void checkTunnel(RealServerSpec spec) throws ControlException {
        String refusal = spec.tunnel().refusal();
        if (refusal != null) {
            throw new ControlException("Invalid tunnel options '" + spec.tunnel().tunnelInfo() + "': " + refusal);
        }
    }

    /** As the kernel does, only NAT (and full NAT) can map ports: DR and TUN keep the service's port. */
    private static int realPort(VirtualService service, RealServerSpec spec) {
        return spec.method().translatesReplies() ? spec.port() : service.port();
    }

    /**
     * Keeps the kernel off the replies of a NAT or full-NAT server; for full NAT also off its replies to the
     * director's own address facing it, the local address of services without any (as routed now).
     */
    private void holdReplyEntries(VirtualService service, RealServer server, ForwardingMethod method) {
        if (server.ipv6()) {
            if (method == ForwardingMethod.MASQ) {
                bypass.holdNatRealServer6(service.protocol(), server.addressHi(), server.addressLo(), server.port());
            } else if (method == ForwardingMethod.FULLNAT) {
                bypass.holdFullNatRealServer6(service.protocol(), server.addressHi(), server.addressLo(),
                        server.port());
            }
            return;
        }
        // NAT64: an IPv6 service's IPv4 full-NAT server; its replies are IPv4, held as an IPv4 service's are
        director.nat64(service.ipv6() && method == ForwardingMethod.FULLNAT);
        if (method == ForwardingMethod.MASQ) {
            bypass.holdNatRealServer(service.protocol(), server.address(), server.port());
        } else if (method == ForwardingMethod.FULLNAT) {
            bypass.holdFullNatRealServer(service.protocol(), server.address(), server.port());
            int own = director.fullNatSources().defaultAddress(server.address());
            if (own != LocalAddresses.NONE) {
                bypass.holdLocalAddress(own);
            }
            defaultLocalAddresses.put(server, own);
        }
    }

    /** Undoes {@link #holdReplyEntries} once the server's connections (which keep its method) have drained. */
    private void releaseReplyEntriesWhenDrained(VirtualService service, RealServer server, ForwardingMethod method) {
        int protocol = service.protocol();
        int address = server.address();
        int port = server.port();
        if (server.ipv6()) {
            long hi = server.addressHi();
            long lo = server.addressLo();
            if (method == ForwardingMethod.MASQ) {
                bypass.releaseWhenDrained(List.of(server), () -> bypass.releaseNatRealServer6(protocol, hi, lo, port));
            } else if (method == ForwardingMethod.FULLNAT) {
                bypass.releaseWhenDrained(List.of(server),
                        () -> bypass.releaseFullNatRealServer6(protocol, hi, lo, port));
            }
            return;
        }
        if (method == ForwardingMethod.MASQ) {
            bypass.releaseWhenDrained(List.of(server), () -> bypass.releaseNatRealServer(protocol, address, port));
        } else if (method == ForwardingMethod.FULLNAT) {
            Integer own = defaultLocalAddresses.remove(server);
            bypass.releaseWhenDrained(List.of(server), () -> {
                bypass.releaseFullNatRealServer(protocol, address, port);
                if (own != null && own != LocalAddresses.NONE) {
                    bypass.releaseLocalAddress(own);
                }
            });
        }
    }

    @Override
    public void editRealServer(ServiceKey key, RealServerSpec spec) throws ControlException {
        VirtualService service = existing(key, "Service not defined");
        AddressFamilies.checkRealServer(service, spec);
        RealServer server = findRealServer(service, spec.address(), realPort(service, spec));
        if (server == null) {
            throw new ControlException("No such destination");
        }
        checkTunnel(spec);
        if (server.method() != spec.method()) {
            // its connections keep their method: their replies still need the old entries until they expire
            releaseReplyEntriesWhenDrained(service, server, server.method());
            holdReplyEntries(service, server, spec.method());
            server.method(spec.method());
        }
        // as ip_vs_edit_dest: new connections tunnel the new way, existing ones keep the way they were bound to
        server.tunnel(spec.tunnel());
        server.weight(spec.weight());
        server.upperThreshold(spec.upperThreshold());
        server.lowerThreshold(spec.lowerThreshold());
        service.realServerUpdated();
        steer();
    }

    @Override
    public void deleteRealServer(ServiceKey key, IpAddress address, int port) throws ControlException {
        VirtualService service = existing(key, "Service not defined");
        RealServer server = findRealServer(service, address, port);
        if (server == null) {
            // ipvsadm sends the service port for DR/TUN servers given without one
            server = findRealServer(service, address, service.port());
        }
        if (server == null) {
            throw new ControlException("No such destination");
        }
        removeRealServer(service, server);
        steer();
    }

    /**
     * The server leaves scheduling; its connections keep their entries and drain, unless expire_nodest_conn
     * expires each at its next packet (see {@link Director}).
     */
    private void removeRealServer(VirtualService service, RealServer server) {
        service.removeRealServer(server);
        releaseReplyEntriesWhenDrained(service, server, server.method());
    }

    @Override
    public void addLocalAddress(ServiceKey key, LocalAddressSpec spec) throws ControlException {
        VirtualService service = existing(key, "Service not defined");
        IpAddress address = spec.address();
        AddressFamilies.checkLocalAddress(service, address);
        if (address.isIpv4() && address.ipv4() == 0) {
            throw new ControlException("Invalid local address 0.0.0.0 (expected a unicast IPv4 address)");
        }
        if (!address.isIpv4() && (address.hi() | address.lo()) == 0) {
            throw new ControlException("Invalid local address :: (expected a unicast IPv6 address)");
        }
        director.localAddresses().add(service, spec);
        if (address.isIpv4()) {
            bypass.holdLocalAddress(address.ipv4());
        } else {
            bypass.holdLocalAddress6(address.hi(), address.lo());
        }
        steer();
    }

    /** New connections stop using the address at once; its kernel-bypass entry stays until they have drained. */
    @Override
    public void deleteLocalAddress(ServiceKey key, IpAddress address) throws ControlException {
        VirtualService service = existing(key, "Service not defined");
        director.localAddresses().delete(service, address);
        releaseLocalAddressWhenDrained(List.copyOf(service.realServers()), address);
        steer();
    }

    private void releaseLocalAddressWhenDrained(List<RealServer> servers, IpAddress address) {
        bypass.releaseWhenDrained(servers, address.isIpv4()
                ? () -> bypass.releaseLocalAddress(address.ipv4())
                : () -> bypass.releaseLocalAddress6(address.hi(), address.lo()));
    }

    @Override
    public void zero(ServiceKey key) throws ControlException {
        if (key != null) {
            zero(existing(key, "No such service"));
            return;
        }
        for (VirtualService service : director.services().all()) {
            zero(service);
        }
    }

    private static void zero(VirtualService service) {
        service.stats.zero();
        for (RealServer server : service.realServers()) {
            server.stats.zero();
        }
    }

    @Override
    public void setTimeouts(TimeoutsSpec timeouts) {
        director.timeouts().set(timeouts.tcpS(), timeouts.tcpFinS(), timeouts.udpS());
    }

    @Override
    public void setSetting(String name, int value) throws ControlException {
        switch (name) {
            case EXPIRE_NODEST_CONN -> director.expireNodestConn(value != 0);
            case EXPIRE_QUIESCENT_TEMPLATE -> director.expireQuiescentTemplate(value != 0);
            default -> throw new ControlException("No such setting '" + name + "' (expected " + EXPIRE_NODEST_CONN
                    + " or " + EXPIRE_QUIESCENT_TEMPLATE + ")");
        }
    }

    @Override
    public void standby(int address, boolean standby) {
        director.services().standby(address, standby);
    }

    @Override
    public TimeoutsSpec timeouts() {
        return new TimeoutsSpec(director.timeouts().tcpS(), director.timeouts().tcpFinS(), director.timeouts().udpS());
    }

    @Override
    public List<ServiceSnapshot> services(ServiceKey key) throws ControlException {
        List<ServiceSnapshot> snapshots = new ArrayList<>();
        if (key != null) {
            snapshots.add(snapshot(existing(key, "No such service")));
            return snapshots;
        }
        for (VirtualService service : director.services().all()) {
            snapshots.add(snapshot(service));
        }
        return snapshots;
    }

    private ServiceSnapshot snapshot(VirtualService service) {
        List<RealServerSnapshot> servers = new ArrayList<>();
        for (RealServer server : service.realServers()) {
            servers.add(new RealServerSnapshot(address(server.ipv6(), server.address(), server.addressHi(),
                    server.addressLo()), server.port(), server.method(), server.weight(),
                    server.upperThreshold(), server.lowerThreshold(), server.activeConnections,
                    server.inactiveConnections, server.persistentConnections, copy(server.stats), server.tunnel()));
        }
        return new ServiceSnapshot(new ServiceKey(service.protocol(), address(service.ipv6(), service.address(),
                service.addressHi(), service.addressLo()), service.port()),
                service.scheduler().name(), service.schedulerFlags(), service.persistenceTimeoutS(),
                service.ipv6() ? service.persistencePrefixLength() : service.persistenceNetmask(), service.onePacket(), service.proxyProtocol(),
                copy(service.stats), servers, director.localAddresses().specs(service));
    }

    private static Stats copy(Stats stats) {
        Stats copy = new Stats();
        stats.copyTo(copy);
        return copy;
    }

    /** A copy of the director's {@link Counters}, indexed by {@link Counter} ordinal; any thread. */
    public long[] counters() {
        return director.counters().snapshot();
    }

    @Override
    public List<ConnectionSnapshot> connections() {
        return connections(0, Integer.MAX_VALUE).connections();
    }

    /** One page of a connection listing: the live entries among the ids scanned, and where the next page starts. */
    public record ConnectionPage(List<ConnectionSnapshot> connections, int nextId) {
        /** {@link #nextId()} when the listing is complete. */
        public static final int DONE = -1;
    }

    /**
     * The live entries with ids in [fromId, fromId + scanIds): a listing pages through the table so the data
     * plane is never held for a whole table's scan. Entries may come and go between pages, as they do between the
     * buckets of IPVS's /proc/net/ip_vs_conn.
     */
    public ConnectionPage connections(int fromId, int scanIds) {
        ConnectionTable table = director.connections();
        long nowNs = director.nowNs();
        int toId = (int) Math.min(table.capacity(), (long) fromId + scanIds);
        List<ConnectionSnapshot> snapshots = new ArrayList<>();
        table.forEach(fromId, toId, id -> snapshots.add(snapshot(table, id, nowNs)));
        return new ConnectionPage(snapshots, toId >= table.capacity() ? ConnectionPage.DONE : toId);
    }

    /** Entry {@code id} as -L -c lists it: an IPv6 entry with its IPv6 addresses, an IPv4 one with its ints. */
    private static ConnectionSnapshot snapshot(ConnectionTable table, int id, long nowNs) {
        long expiresInMs = Math.max(0, (table.expiresAtNs(id) - nowNs) / 1_000_000);
        if (!table.ipv6(id)) {
            return new ConnectionSnapshot(table.protocol(id), table.clientAddress(id), table.clientPort(id),
                    table.virtualAddress(id), table.virtualPort(id), table.realAddress(id), table.realPort(id),
                    stateName(table, id), expiresInMs, table.template(id));
        }
        return new ConnectionSnapshot(table.protocol(id), ipv6(table.clientHi(id), table.clientLo(id)),
                table.clientPort(id), ipv6(table.virtualHi(id), table.virtualLo(id)), table.virtualPort(id),
                ipv6(table.realHi(id), table.realLo(id)), table.realPort(id), stateName(table, id), expiresInMs,
                table.template(id));
    }

    private static IpAddress ipv6(long hi, long lo) {
        return new IpAddress(IpAddress.Family.IPV6, hi, lo);
    }

    /** As ip_vs_state_name: a template's own state (NONE without a sync daemon), else the protocol's. */
    private static String stateName(ConnectionTable table, int id) {
        if (table.template(id)) {
            return TEMPLATE_STATE;
        }
        return table.protocol(id) == Protocol.TCP ? TcpState.name(table.state(id)) : "UDP";
    }

    private VirtualService existing(ServiceKey key, String missing) throws ControlException {
        VirtualService service = find(key);
        if (service == null) {
            throw new ControlException(missing);
        }
        return service;
    }

    private VirtualService find(ServiceKey key) {
        IpAddress address = key.address();
        if (!address.isIpv4()) {
            return director.services().find6(key.protocol(), address.hi(), address.lo(), key.port());
        }
        return director.services().find(key.protocol(), address.ipv4(), key.port());
    }

    /** The service's real server at {@code address:port}: an IPv4 one, or an IPv6 one by its whole address. */
    private static RealServer findRealServer(VirtualService service, IpAddress address, int port) {
        if (!address.isIpv4()) {
            return service.findRealServer6(address.hi(), address.lo(), port);
        }
        return service.findRealServer(address.ipv4(), port);
    }

    private static IpAddress address(boolean ipv6, int ipv4, long hi, long lo) {
        return ipv6 ? new IpAddress(IpAddress.Family.IPV6, hi, lo) : IpAddress.ofIpv4(ipv4);
    }
}
