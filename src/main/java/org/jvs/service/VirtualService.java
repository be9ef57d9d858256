package org.jvs.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jvs.sched.Scheduler;
import org.jvs.stats.Stats;

/**
 * A virtual service (struct ip_vs_service): protocol, VIP and port, its scheduler and its real servers.
 * Mutated only on the data-plane thread; the control plane reaches it through the director's command queue.
 */
public final class VirtualService {
    private final int protocol;
    private final int address;
    private final int port;
    private Scheduler scheduler;
    /** Persistence timeout in seconds (ipvsadm -p); 0 when not persistent. */
    private int persistenceTimeoutS;
    /** Persistence netmask (ipvsadm -M) as an int prefix mask. */
    private int persistenceNetmask = 0xFFFFFFFF;
    /** One-packet scheduling (ipvsadm -o): honoured for UDP only, as the kernel does. */
    private boolean onePacket;
    /** Scheduler flags (ipvsadm -b), kept as text as ipvsadm prints them. */
    private String schedulerFlags = "";
    /**
     * PROXY protocol version (0 none, 1, 2) put in front of each new TCP connection towards a NAT or full-NAT
     * real server; a connection keeps the version it was scheduled with.
     */
    private int proxyProtocol;
    private final List<RealServer> realServers = new ArrayList<>();
    private final List<RealServer> realServersView = Collections.unmodifiableList(realServers);

    public final Stats stats = new Stats();

    public VirtualService(int protocol, int address, int port, Scheduler scheduler) {
        this.protocol = protocol;
        this.address = address;
        this.port = port;
        this.scheduler = scheduler;
    }

    public int protocol() {
        return protocol;
    }

    public int address() {
        return address;
    }

    public int port() {
        return port;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Changing the scheduler keeps every connection: they are bound to real servers, not to the scheduler. */
    public void scheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
        scheduler.realServersChanged(this);
    }

    public int persistenceTimeoutS() {
        return persistenceTimeoutS;
    }

    public void persistenceTimeoutS(int persistenceTimeoutS) {
        this.persistenceTimeoutS = persistenceTimeoutS;
    }

    public int persistenceNetmask() {
        return persistenceNetmask;
    }

    public void persistenceNetmask(int persistenceNetmask) {
        this.persistenceNetmask = persistenceNetmask;
    }

    public boolean onePacket() {
        return onePacket;
    }

    public void onePacket(boolean onePacket) {
        this.onePacket = onePacket;
    }

    public String schedulerFlags() {
        return schedulerFlags;
    }

    public void schedulerFlags(String schedulerFlags) {
        this.schedulerFlags = schedulerFlags;
    }

    public int proxyProtocol() {
        return proxyProtocol;
    }

    public void proxyProtocol(int proxyProtocol) {
        this.proxyProtocol = proxyProtocol;
    }

    /** The real servers in the order they were added, as ipvsadm lists them. Read-only. */
    public List<RealServer> realServers() {
        return realServersView;
    }

    public RealServer findRealServer(int address, int port) {
        for (int i = 0, n = realServers.size(); i < n; i++) {
            RealServer server = realServers.get(i);
            if (server.address() == address && server.port() == port) {
                return server;
            }
        }
        return null;
    }

    public void addRealServer(RealServer server) {
        server.service(this);
        realServers.add(server);
        scheduler.realServersChanged(this);
    }

    /** Removes the server from scheduling; its existing connections keep their reference and drain. */
    public boolean removeRealServer(RealServer server) {
        boolean removed = realServers.remove(server);
        if (removed) {
            server.available(false);
            scheduler.realServersChanged(this);
        }
        return removed;
    }

    /** Tell the scheduler a real server's weight or thresholds changed. */
    public void realServerUpdated() {
        scheduler.realServersChanged(this);
    }

    @Override
    public String toString() {
        return Protocol.name(protocol) + " " + Ipv4.toString(address) + ":" + port;
    }
}
