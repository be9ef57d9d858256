package org.jvs.conn;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntConsumer;

import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.RealServer;
import org.jvs.service.Tunnel;

/**
 * The director's connection table (ip_vs_conn_tab): one entry per client connection, naming the real server it
 * was scheduled to. An entry is an int id into parallel arrays - no object per connection - found through the
 * hash indexes of {@link ConnectionKeys}: the in-key (client and virtual address) for client packets and, for
 * NAT and full NAT, the out-key (real server and reply destination: the client for NAT, LIP:lport for full NAT)
 * for replies. Entries expire through a {@link TimerWheel} over the same ids. Owned by the data-plane thread;
 * nothing here allocates after construction.
 *
 * <p>Persistence templates live here too, as in IPVS: keyed by client network with client port 0, they name the
 * real server a persistent service keeps that network on. Connections scheduled through a template are
 * "controlled" by it, and a template does not expire while it controls any (ip_vs_conn_expire and n_control).
 *
 * <p>IPv6 entries live in the same table, as in IPVS (cp->af): the methods ending in 6 take each address as two
 * longs ({@code hi}, {@code lo}, first byte most significant) and an entry of one family is never found by a key
 * of the other ({@link ConnectionKeys} says how the words are laid out so that the IPv4 path costs what it did).
 * The int address accessors are for IPv4 entries; the hi/lo ones serve both, an IPv4 entry's addresses in their
 * IPv4-mapped form (::ffff:a.b.c.d).
 *
 * <p>An entry copies the real server's address and port, so editing or deleting the service never moves a live
 * connection; it keeps the RealServer object only to keep its connection counters, as IPVS's cp->dest does.
 */
public final class ConnectionTable {
    private static final VarHandle SIZE;

    static {
        try {
            SIZE = MethodHandles.lookup().findVarHandle(ConnectionTable.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public static final int NONE = -1;

    private static final int USED = 1;
    /** Counted in the server's inactive connections rather than its active ones (IP_VS_CONN_F_INACTIVE). */
    private static final int INACTIVE = 2;
    /** No reply seen yet on an entry whose replies may bypass us (IP_VS_CONN_F_NOOUTPUT). */
    private static final int NO_OUTPUT = 4;
    private static final int REPLY_INDEXED = 8;
    /** ip_vs_check_template rehashes a dead template under this port so no lookup finds it again. */
    private static final int INVALID_PORT = 0xFFFF;

    /** ip_vs_conn_new gives a new entry 3 s until its first packet sets the state's own timeout. */
    private static final long INITIAL_TIMEOUT_NS = 3_000_000_000L;

    private final int capacity;
    private final Timeouts timeouts;
    private final TimerWheel wheel;
    private final IntConsumer release = this::release;

    private final ConnectionKeys keys;
    private final int[] state;
    private final int[] flags;
    private final RealServer[] realServer;
    /** The method at creation: editing a server's method (-e) changes only new connections, as in IPVS. */
    private final ForwardingMethod[] forwardingMethod;
    /** The real server's encapsulation when the connection was bound (TUN only), as its method is. */
    private final Templates templates;
    /** PROXY protocol version of a TCP connection to a NAT/full-NAT server (0: none), fixed when scheduled. */
    private final int[] proxyProtocol;
    /** The client's SYN sequence number, where the PROXY header's place in the stream follows from. */
    private final int[] clientIsn;
    /** Client packets seen (cp->in_pkts), which the sync send policy counts. */
    private final int[] inPackets;
    /** The state the entry was last synced in (cp->old_state). */
    private final int[] syncedState;

    /** The free list's links. */
    private final int[] nextFree;
    private int freeHead;
    /** Written by the data-plane thread with release stores, so {@link #sizeFromAnyThread} needs no queued call. */
    private int size;
    /** The clock of the expiry run in progress, for templates that must wait on. */
    private long expiringAtNs;

    public ConnectionTable(int capacity, Timeouts timeouts) {
        if (capacity < 1 || capacity > 1 << 28) {
            throw new IllegalArgumentException("connection table capacity " + capacity + " is out of range (expected 1.."
                    + (1 << 28) + ")");
        }
        this.capacity = capacity;
        this.timeouts = timeouts;
        wheel = new TimerWheel(capacity);
        keys = new ConnectionKeys(capacity);
        state = new int[capacity];
        flags = new int[capacity];
        realServer = new RealServer[capacity];
        forwardingMethod = new ForwardingMethod[capacity];
        templates = new Templates(capacity);
        proxyProtocol = new int[capacity];
        clientIsn = new int[capacity];
        inPackets = new int[capacity];
        syncedState = new int[capacity];
        nextFree = new int[capacity];
        for (int id = 0; id < capacity; id++) {
            nextFree[id] = id + 1 < capacity ? id + 1 : NONE;
        }
        freeHead = 0;
    }

    /** The entry a client packet belongs to, or NONE. */
    public int lookupIn(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort) {
        return keys.findIn(protocol, clientAddress, clientPort, virtualAddress, virtualPort, false);
    }

    /**
     * The persistence template of a client network for VIP:VPORT (vport 0 for a port-zero service), or NONE;
     * ip_vs_ct_in_get.
     */
    public int lookupTemplate(int protocol, int clientNetwork, int virtualAddress, int virtualPort) {
        return keys.findIn(protocol, clientNetwork, 0, virtualAddress, virtualPort, true);
    }

    /**
     * The entry a reply from RIP:RPORT to LOCAL:LPORT belongs to, or NONE: local is the client for NAT, the
     * local address and port for full NAT.
     */
    public int lookupOut(int protocol, int realAddress, int realPort, int localAddress, int localPort) {
        return keys.findOut(protocol, realAddress, realPort, localAddress, localPort);
    }

    /** As {@link #lookupIn} for an IPv6 client packet. */
    public int lookupIn6(int protocol, long clientHi, long clientLo, int clientPort, long virtualHi, long virtualLo,
                         int virtualPort) {
        return keys.findIn6(protocol, clientHi, clientLo, clientPort, virtualHi, virtualLo, virtualPort, false);
    }

    /**
     * As {@link #lookupTemplate} for an IPv6 client network: the client's address cut to the service's persistence
     * prefix length ({@link Ipv6#prefixHi}, {@link Ipv6#prefixLo}), as ip_vs_sched_persist's ipv6_addr_prefix.
     */
    public int lookupTemplate6(int protocol, long networkHi, long networkLo, long virtualHi, long virtualLo,
                               int virtualPort) {
        return keys.findIn6(protocol, networkHi, networkLo, 0, virtualHi, virtualLo, virtualPort, true);
    }

    /** As {@link #lookupOut} for an IPv6 reply: from RIP:RPORT to the client (NAT66) or to LIP:lport (full NAT). */
    public int lookupOut6(int protocol, long realHi, long realLo, int realPort, long localHi, long localLo,
                          int localPort) {
        return keys.findOut6(protocol, realHi, realLo, realPort, localHi, localLo, localPort);
    }

    /**
     * Enters a new connection scheduled to {@code server} and binds it to the server's counters as
     * ip_vs_bind_dest does: it counts as inactive until it reaches ESTABLISHED. {@code replyIndexed} is true
     * for NAT and full NAT, whose replies come back through the director; otherwise the entry tracks TCP from client packets
     * alone (input-only) until a reply is seen. Returns the entry id, or NONE when the table is full. The entry
     * lives 3 s until its first {@link #onTcpPacket}/{@link #onUdpPacket}.
     */
    public int create(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort,
                      RealServer server, boolean replyIndexed, long nowNs) {
        return create(protocol, clientAddress, clientPort, virtualAddress, virtualPort, server, server.port(),
                replyIndexed, nowNs);
    }

    /**
     * As {@link #create(int, int, int, int, int, RealServer, boolean, long)} with the real server's port given:
     * a port-zero service's server (port 0) takes the client's destination port, as IPVS does.
     */
    public int create(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort,
                      RealServer server, int realPort, boolean replyIndexed, long nowNs) {
        return create(protocol, clientAddress, clientPort, virtualAddress, virtualPort, server, realPort,
                clientAddress, clientPort, replyIndexed, nowNs);
    }

    /**
     * As {@link #create(int, int, int, int, int, RealServer, int, boolean, long)} with the replies' destination
     * given: LIP:lport for full NAT (the caller chose a port {@link #lookupOut} does not find), the client
     * otherwise.
     */
    public int create(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort,
                      RealServer server, int realPort, int localAddress, int localPort, boolean replyIndexed,
                      long nowNs) {
        int id = enter(protocol, clientAddress, clientPort, virtualAddress, virtualPort, server, realPort,
                localAddress, localPort, replyIndexed, nowNs);
        if (id != NONE) {
            server.updateOverload();
            server.stats.connections++;
        }
        return id;
    }

    /**
     * Enters a connection a peer director synced to this one (ip_vs_proc_conn on a backup): bound to
     * {@code server}'s counters as a scheduled one is, but not counted as a connection this director scheduled; it
     * takes the peer's state and lives the peer's timeout for it. Returns its id, or NONE when the table is full.
     */
    public int createSynced(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort,
                            RealServer server, int realPort, int localAddress, int localPort, boolean replyIndexed,
                            int syncedState, int timeoutS, long nowNs) {
        int id = enter(protocol, clientAddress, clientPort, virtualAddress, virtualPort, server, realPort,
                localAddress, localPort, replyIndexed, nowNs);
        if (id != NONE) {
            adoptSynced(id, syncedState, timeoutS, nowNs);
        }
        return id;
    }

    /**
     * As {@link #create(int, int, int, int, int, RealServer, int, boolean, long)} for an IPv6 client of an IPv6
     * service; {@code server}'s address is its IPv6 one.
     */
    public int create6(int protocol, long clientHi, long clientLo, int clientPort, long virtualHi, long virtualLo,
                       int virtualPort, RealServer server, int realPort, boolean replyIndexed, long nowNs) {
        return create6(protocol, clientHi, clientLo, clientPort, virtualHi, virtualLo, virtualPort, server, realPort,
                clientHi, clientLo, clientPort, replyIndexed, nowNs);
    }

    /**
     * As {@link #create(int, int, int, int, int, RealServer, int, int, int, boolean, long)} for IPv6: replies go to
     * LIP:lport for full NAT (an IPv6 local address), to the client otherwise.
     */
    public int create6(int protocol, long clientHi, long clientLo, int clientPort, long virtualHi, long virtualLo,
                       int virtualPort, RealServer server, int realPort, long localHi, long localLo, int localPort,
                       boolean replyIndexed, long nowNs) {
        int id = enter6(protocol, clientHi, clientLo, clientPort, virtualHi, virtualLo, virtualPort, server, realPort,
                localHi, localLo, localPort, replyIndexed, nowNs);
        if (id != NONE) {
            server.updateOverload();
            server.stats.connections++;
        }
        return id;
    }

    /**
     * As {@link #createSynced} for an IPv6 connection a peer synced (struct ip_vs_sync_v6): replies go to LIP:lport
     * for full NAT, to the client otherwise.
     */
    public int createSynced6(int protocol, long clientHi, long clientLo, int clientPort, long virtualHi,
                             long virtualLo, int virtualPort, RealServer server, int realPort, long localHi,
                             long localLo, int localPort, boolean replyIndexed, int syncedState, int timeoutS,
                             long nowNs) {
        int id = enter6(protocol, clientHi, clientLo, clientPort, virtualHi, virtualLo, virtualPort, server, realPort,
                localHi, localLo, localPort, replyIndexed, nowNs);
        if (id != NONE) {
            adoptSynced(id, syncedState, timeoutS, nowNs);
        }
        return id;
    }

    /** As {@link #enter} for IPv6. */
    private int enter6(int protocol, long clientHi, long clientLo, int clientPort, long virtualHi, long virtualLo,
                       int virtualPort, RealServer server, int realPort, long localHi, long localLo, int localPort,
                       boolean replyIndexed, long nowNs) {
        int id = allocate(server);
        if (id == NONE) {
            return NONE;
        }
        keys.add6(id, protocol, clientHi, clientLo, clientPort, virtualHi, virtualLo, virtualPort,
                server.addressHi(), server.addressLo(), realPort, false);
        keys.replyDestination6(id, localHi, localLo, localPort, replyIndexed);
        bindConnection(id, protocol, server, replyIndexed, nowNs);
        return id;
    }

    /** A new connection entry, keyed both ways, counted inactive in its server, alive for its first 3 s. */
    private int enter(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort,
                      RealServer server, int realPort, int localAddress, int localPort, boolean replyIndexed,
                      long nowNs) {
        int id = allocate(server);
        if (id == NONE) {
            return NONE;
        }
        keys.add(id, protocol, clientAddress, clientPort, virtualAddress, virtualPort, server.address(), realPort,
                false);
        keys.replyDestination(id, localAddress, localPort, replyIndexed);
        bindConnection(id, protocol, server, replyIndexed, nowNs);
        return id;
    }

    /** A keyed connection entry: counted inactive in its server, alive for its first 3 s. */
    private void bindConnection(int id, int protocol, RealServer server, boolean replyIndexed, long nowNs) {
        state[id] = protocol == Protocol.TCP ? TcpState.NONE : TcpState.UDP;
        flags[id] = USED | INACTIVE | (replyIndexed ? REPLY_INDEXED : NO_OUTPUT);
        server.countConnections(0, 1);
        wheel.add(id, nowNs + INITIAL_TIMEOUT_NS);
    }

    /**
     * A peer's newer word on a synced entry: its state (moving the entry between the server's active and inactive
     * connections) and a timeout from now.
     */
    public void adoptSynced(int id, int newState, int timeoutS, long nowNs) {
        if (state[id] != TcpState.UDP && newState < TcpState.COUNT) {
            moveTo(id, newState);
        }
        this.syncedState[id] = state[id];
        realServer[id].updateOverload();
        wheel.rearm(id, nowNs + timeoutS * 1_000_000_000L);
    }

    /** Client packets of the entry so far, this one included (cp->in_pkts after atomic_inc_return). */
    public int countInPacket(int id) {
        return ++inPackets[id];
    }

    /** The state the entry was last synced in (cp->old_state). */
    public int syncedState(int id) {
        return syncedState[id];
    }

    public void syncedState(int id, int state) {
        syncedState[id] = state;
    }

    /** The timeout the entry's state gives it, in seconds: what a sync message carries (cp->timeout / HZ). */
    public int timeoutSeconds(int id) {
        if (keys.template(id)) {
            return (int) (templates.timeoutNs(id) / 1_000_000_000L);
        }
        int s = state[id];
        return (int) ((s == TcpState.UDP ? timeouts.udpTimeoutNs() : timeouts.tcpTimeoutNs(s)) / 1_000_000_000L);
    }

    /** The entry counts as inactive in its server's connections (IP_VS_CONN_F_INACTIVE). */
    public boolean inactive(int id) {
        return (flags[id] & INACTIVE) != 0;
    }

    /** No reply has been seen on an entry whose replies may bypass the director (IP_VS_CONN_F_NOOUTPUT). */
    public boolean noOutput(int id) {
        return (flags[id] & NO_OUTPUT) != 0;
    }

    /**
     * Enters a persistence template keeping {@code clientNetwork} on {@code server} for VIP:VPORT; it counts in
     * the server's persistent connections (ip_vs_bind_dest), not its active or inactive ones, and lives
     * {@code timeoutS} from now and from every {@link #useTemplate}. Returns its id, or NONE when the table is full.
     */
    public int createTemplate(int protocol, int clientNetwork, int virtualAddress, int virtualPort, RealServer server,
                              int realPort, int timeoutS, long nowNs) {
        int id = allocate(server);
        if (id == NONE) {
            return NONE;
        }
        keys.add(id, protocol, clientNetwork, 0, virtualAddress, virtualPort, server.address(), realPort, true);
        bindTemplate(id, server, timeoutS, nowNs);
        return id;
    }

    /**
     * As {@link #createTemplate} for an IPv6 client network (the client cut to the persistence prefix length, see
     * {@link #lookupTemplate6}) of an IPv6 service.
     */
    public int createTemplate6(int protocol, long networkHi, long networkLo, long virtualHi, long virtualLo,
                               int virtualPort, RealServer server, int realPort, int timeoutS, long nowNs) {
        int id = allocate(server);
        if (id == NONE) {
            return NONE;
        }
        keys.add6(id, protocol, networkHi, networkLo, 0, virtualHi, virtualLo, virtualPort, server.addressHi(),
                server.addressLo(), realPort, true);
        bindTemplate(id, server, timeoutS, nowNs);
        return id;
    }

    /** A keyed template: counted in its server's persistent connections, alive for its timeout. */
    private void bindTemplate(int id, RealServer server, int timeoutS, long nowNs) {
        state[id] = TcpState.NONE;
        flags[id] = USED;
        templates.reset(id, timeoutS);
        server.persistentConnections++;
        wheel.add(id, nowNs + templates.timeoutNs(id));
    }

    /** A new connection was scheduled through the template: it lives a full persistence timeout from now. */
    public void useTemplate(int template, long nowNs) {
        wheel.rearm(template, nowNs + templates.timeoutNs(template));
    }

    /** Puts connection {@code id} under {@code template}, which then outlives it (ip_vs_control_add). */
    public void control(int id, int template) {
        templates.control(id, template);
    }

    /**
     * A template whose server is gone is rehashed under port 65535 (as ip_vs_check_template), so no client
     * finds it again; it stays listed until it expires.
     */
    public void invalidateTemplate(int template) {
        if (keys.virtualPort(template) != INVALID_PORT) {
            keys.ports(template, INVALID_PORT, INVALID_PORT);
        }
    }

    public boolean template(int id) {
        return keys.template(id);
    }

    /** The template controlling the connection, or NONE. */
    public int controlledBy(int id) {
        return templates.controlledBy(id);
    }

    /** For a template, how many live connections it controls. */
    public int controlledCount(int template) {
        return templates.controlledCount(template);
    }

    /** Takes a free id for an entry of {@code server}, to be keyed by the caller; NONE when the table is full. */
    private int allocate(RealServer server) {
        int id = freeHead;
        if (id == NONE) {
            return NONE;
        }
        freeHead = nextFree[id];
        this.realServer[id] = server;
        this.forwardingMethod[id] = server.method();
        templates.reset(id, 0);
        proxyProtocol[id] = 0;
        inPackets[id] = 0;
        syncedState[id] = TcpState.NONE;
        SIZE.setRelease(this, size + 1);
        return id;
    }

    /**
     * Follows a TCP segment of the entry through IPVS's state table (set_tcp_state): {@code fromClient} is the
     * input direction, otherwise it is a reply (output), which also ends input-only tracking. Moves the entry
     * between the server's active and inactive counts and re-arms its expiry with the new state's timeout.
     */
    public void onTcpPacket(int id, boolean fromClient, int tcpFlags, long nowNs) {
        int f = flags[id];
        int direction = fromClient ? TcpState.INPUT : TcpState.OUTPUT;
        if ((f & NO_OUTPUT) != 0) {
            if (fromClient) {
                direction = TcpState.INPUT_ONLY;
            } else {
                f &= ~NO_OUTPUT;
            }
        }
        flags[id] = f;
        int to = TcpState.next(state[id], direction, tcpFlags);
        moveTo(id, to);
        wheel.rearm(id, nowNs + timeouts.tcpTimeoutNs(to));
    }

    /** Sets a TCP entry's state, moving it between its server's active and inactive connections. */
    private void moveTo(int id, int to) {
        if (to == state[id]) {
            return;
        }
        int f = flags[id];
        RealServer server = realServer[id];
        boolean active = TcpState.active(to);
        if ((f & INACTIVE) == 0 && !active) {
            server.countConnections(-1, 1);
            f |= INACTIVE;
        } else if ((f & INACTIVE) != 0 && active) {
            server.countConnections(1, -1);
            f &= ~INACTIVE;
        }
        flags[id] = f;
        state[id] = to;
    }

    /** A UDP datagram in either direction keeps the entry alive for the UDP timeout. */
    public void onUdpPacket(int id, long nowNs) {
        wheel.rearm(id, nowNs + timeouts.udpTimeoutNs());
    }

    /**
     * Removes up to {@code limit} entries whose expiry is at or before {@code nowNs}, unbinding them from their
     * servers' counters (ip_vs_unbind_dest, overload re-evaluated). Returns how many it removed.
     */
    public int expire(long nowNs, int limit) {
        expiringAtNs = nowNs;
        return wheel.expire(nowNs, limit, release);
    }

    /**
     * Removes a connection at once, unbinding it from its server and its template: a one-packet (OPS) entry
     * after its datagram, as ip_vs_conn_put expires it, or an entry expired by expire_nodest_conn.
     */
    public void remove(int id) {
        wheel.remove(id);
        release(id);
    }

    public int size() {
        return size;
    }

    /** The fill as last stored by the data plane, for metrics read on other threads. */
    public int sizeFromAnyThread() {
        return (int) SIZE.getAcquire(this);
    }

    public int capacity() {
        return capacity;
    }

    public int protocol(int id) {
        return keys.protocol(id);
    }

    public int clientAddress(int id) {
        return keys.clientAddress(id);
    }

    public int clientPort(int id) {
        return keys.clientPort(id);
    }

    public int virtualAddress(int id) {
        return keys.virtualAddress(id);
    }

    public int virtualPort(int id) {
        return keys.virtualPort(id);
    }

    public int realAddress(int id) {
        return keys.realAddress(id);
    }

    public int realPort(int id) {
        return keys.realPort(id);
    }

    /** The replies' destination address: the client, or for full NAT the local address (LIP). */
    public int localAddress(int id) {
        return keys.localAddress(id);
    }

    /** Whether the entry is IPv6 (cp->af == AF_INET6); its addresses are then read through the hi/lo accessors. */
    public boolean ipv6(int id) {
        return keys.ipv6(id);
    }

    /** The client address's high long (for a template, the client network's); IPv4-mapped for an IPv4 entry. */
    public long clientHi(int id) {
        return keys.clientHi(id);
    }

    public long clientLo(int id) {
        return keys.clientLo(id);
    }

    public long virtualHi(int id) {
        return keys.virtualHi(id);
    }

    public long virtualLo(int id) {
        return keys.virtualLo(id);
    }

    public long realHi(int id) {
        return keys.realHi(id);
    }

    public long realLo(int id) {
        return keys.realLo(id);
    }

    /** The replies' destination: the client, or for full NAT the local address (LIP). */
    public long localHi(int id) {
        return keys.localHi(id);
    }

    public long localLo(int id) {
        return keys.localLo(id);
    }

    public int localPort(int id) {
        return keys.localPort(id);
    }

    public RealServer realServer(int id) {
        return realServer[id];
    }

    /** A {@link TcpState} constant; {@link TcpState#UDP} for UDP entries. */
    public int state(int id) {
        return state[id];
    }

    public long expiresAtNs(int id) {
        return wheel.expiresAtNs(id);
    }

    public ForwardingMethod forwardingMethod(int id) {
        return forwardingMethod[id];
    }

    /**
     * How a TUN connection's packets are encapsulated: its real server's tunnel now, read per packet as
     * ipvs_tunnel_xmit reads cp->dest->tun_type, so an edit (-e) takes effect on the connections already open.
     */
    public Tunnel tunnel(int id) {
        return realServer[id].tunnel();
    }

    /**
     * The connection carries a PROXY protocol header of {@code version} in front of the client's byte stream,
     * which begins after {@code clientIsn}, the sequence number of the client's SYN.
     */
    public void proxyProtocol(int id, int version, int clientIsn) {
        proxyProtocol[id] = version;
        this.clientIsn[id] = clientIsn;
    }

    /** The PROXY protocol version the connection was scheduled with, 0 for none. */
    public int proxyProtocol(int id) {
        return proxyProtocol[id];
    }

    public int clientIsn(int id) {
        return clientIsn[id];
    }

    /** Whether {@code id} is a live entry (connection or template). */
    public boolean live(int id) {
        return (flags[id] & USED) != 0;
    }

    public boolean replyIndexed(int id) {
        return (flags[id] & REPLY_INDEXED) != 0;
    }

    /** Calls {@code action} with every live entry id, for listings. The action must not create or expire entries. */
    public void forEach(IntConsumer action) {
        forEach(0, capacity, action);
    }

    /** As {@link #forEach(IntConsumer)} for the ids in [fromId, toId): one page of a listing. */
    public void forEach(int fromId, int toId, IntConsumer action) {
        for (int id = Math.max(0, fromId), end = Math.min(toId, capacity); id < end; id++) {
            if ((flags[id] & USED) != 0) {
                action.accept(id);
            }
        }
    }

    /** Called by the wheel once the id has left it. */
    private void release(int id) {
        boolean template = keys.template(id);
        if (template && templates.controlledCount(id) > 0) {
            // the kernel's template timer fires again a timeout later while connections still use it
            wheel.add(id, expiringAtNs + templates.timeoutNs(id));
            return;
        }
        keys.remove(id, (flags[id] & REPLY_INDEXED) != 0);
        templates.release(id);
        RealServer server = realServer[id];
        if (template) {
            server.persistentConnections--;
        } else if ((flags[id] & INACTIVE) != 0) {
            server.countConnections(0, -1);
        } else {
            server.countConnections(-1, 0);
        }
        server.updateOverload();
        realServer[id] = null;
        forwardingMethod[id] = null;
        flags[id] = 0;
        nextFree[id] = freeHead;
        freeHead = id;
        SIZE.setRelease(this, size - 1);
    }
}
