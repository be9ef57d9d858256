package org.jvs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.Test;
import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.conn.ConnectionTable;
import org.jvs.conn.LocalPorts;
import org.jvs.conn.Timeouts;
import org.jvs.packet.TcpHeader;
import org.jvs.sched.LocalityBasedLeastConnectionScheduler;
import org.jvs.sched.MaglevHashingScheduler;
import org.jvs.sched.Scheduler;
import org.jvs.sched.SourceHashingScheduler;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * What the IPv6 forwarding path will call per packet - the service match, the hashing schedulers, a full-NAT local
 * port, creating, finding (in, out, template), tracking and expiring IPv6 entries, and the core's persistence and
 * full-NAT sources and steering over them - allocates nothing, as
 * SteadyStateAllocationTest checks for the IPv4 path.
 */
class Ipv6TablesAllocationTest {
    private static final int ROUNDS = 20_000;
    private static final int WARM_UP_ROUNDS = 200;
    /** Far below one object per round (16 bytes x ROUNDS): leaves room for a compilation's stray allocation. */
    private static final long SLACK_BYTES = 16 * 1024;
    private static final int TCP = Protocol.TCP;
    private static final long S = 1_000_000_000L;
    private static final Ipv6 VIP = Ipv6.parse("2001:db8:f::1");
    private static final Ipv6 LIP = Ipv6.parse("2001:db8:d::100");

    private final ServiceTable services = new ServiceTable();
    private final ConnectionTable connections = new ConnectionTable(1024, new Timeouts());
    private final LocalPorts ports = new LocalPorts(connections);
    private final Scheduler[] schedulers = {new SourceHashingScheduler(), new MaglevHashingScheduler(),
        new LocalityBasedLeastConnectionScheduler()};
    private final VirtualService[] byScheduler = new VirtualService[schedulers.length];
    private long nowNs = 100 * S;

    Ipv6TablesAllocationTest() {
        for (int i = 0; i < schedulers.length; i++) {
            VirtualService service = new VirtualService(TCP, VIP, 80 + i, schedulers[i]);
            service.addRealServer(new RealServer(Ipv6.parse("2001:db8:5::1"), 80, ForwardingMethod.FULLNAT, 1));
            service.addRealServer(new RealServer(Ipv6.parse("2001:db8:5::2"), 80, ForwardingMethod.FULLNAT, 2));
            services.add(service);
            byScheduler[i] = service;
        }
    }

    @Test
    void shouldAllocateNothingPerConnection() {
        assertAllocatesNothing(this::round);
    }

    @Test
    void shouldAllocateNothingPerConnectionThroughSteeringPersistenceAndFullNatSources() throws ControlException {
        LocalAddresses localAddresses = new LocalAddresses();
        for (VirtualService service : byScheduler) {
            service.persistenceTimeoutS(1);
            service.persistencePrefixLength(64);
            localAddresses.add(service, new LocalAddressSpec(IpAddress.ofIpv6(LIP), ""));
        }
        PersistentScheduling persistence = new PersistentScheduling(connections, new Counters());
        FullNatSources sources = new FullNatSources(new InMemoryHost(), localAddresses, ports);
        SteeringRules steering = SteeringRules.of(1 << 30, services, new int[0], new long[] {LIP.hi(), LIP.lo()},
                LocalPorts.DEFAULT_LOWEST, LocalPorts.DEFAULT_HIGHEST);

        assertAllocatesNothing(i -> corePiecesRound(i, persistence, sources, steering));
    }

    private void assertAllocatesNothing(IntConsumer round) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            round.accept(i);
        }
        long before = threads.getCurrentThreadAllocatedBytes();

        for (int i = 0; i < ROUNDS; i++) {
            round.accept(i);
        }

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < SLACK_BYTES, allocated + " bytes allocated over " + ROUNDS + " rounds");
        assertTrue(connections.size() <= schedulers.length,
                "every connection gone; at most each service's template left");
    }

    /**
     * One connection as the core will make it: its owner found, its template through PersistentScheduling, LIP:lport
     * chosen, and its reply's owner found.
     */
    private void corePiecesRound(int i, PersistentScheduling persistence, FullNatSources sources,
                                 SteeringRules steering) {
        long clientHi = 0x2001_0db8_000c_0000L;
        long clientLo = i;
        int clientPort = 1024 + (i & 0x7FFF);
        int vport = 80 + i % schedulers.length;
        VirtualService service = byScheduler[i % schedulers.length];
        assertNotEquals(SteeringRules.ANY, steering.owner6(TCP, clientHi, clientLo, clientPort, VIP.hi(), VIP.lo(),
                vport));
        RealServer server = persistence.schedule6(service, TCP, clientHi, clientLo, clientPort, VIP.hi(), VIP.lo(),
                vport, nowNs);
        assertEquals(FullNatSources.CHOSEN, sources.choose6(service, TCP, server.addressHi(), server.addressLo(),
                server.port()));
        int id = connections.create6(TCP, clientHi, clientLo, clientPort, VIP.hi(), VIP.lo(), vport, server,
                server.port(), sources.addressHi(), sources.addressLo(), sources.port(), true, nowNs);
        connections.control(id, persistence.template());
        assertEquals(steering.workerOfLocalPort(sources.port()), steering.owner6(TCP, server.addressHi(),
                server.addressLo(), server.port(), sources.addressHi(), sources.addressLo(), sources.port()));
        connections.onTcpPacket(id, true, TcpHeader.SYN, nowNs);
        connections.remove(id);
        nowNs += S / 10;
        connections.expire(nowNs, 64);
    }

    private void round(int i) {
        long clientHi = 0x2001_0db8_000c_0000L;
        long clientLo = i;
        int clientPort = 1024 + (i & 0x7FFF);
        int vport = 80 + i % schedulers.length;
        VirtualService service = services.match6(TCP, VIP.hi(), VIP.lo(), vport);
        assertSame(byScheduler[i % schedulers.length], service);
        RealServer server = service.scheduler().schedule6(service, clientHi, clientLo, clientPort, VIP.hi(),
                VIP.lo(), vport);
        int port = ports.allocate6(TCP, LIP.hi(), LIP.lo(), server.addressHi(), server.addressLo(), server.port());
        assertNotEquals(LocalPorts.NONE, port);
        int id = connections.create6(TCP, clientHi, clientLo, clientPort, VIP.hi(), VIP.lo(), vport, server,
                server.port(), LIP.hi(), LIP.lo(), port, true, nowNs);
        long networkHi = Ipv6.prefixHi(clientHi, 64);
        long networkLo = Ipv6.prefixLo(clientLo, 64);
        int template = connections.lookupTemplate6(TCP, networkHi, networkLo, VIP.hi(), VIP.lo(), vport);
        if (template == ConnectionTable.NONE) {
            template = connections.createTemplate6(TCP, networkHi, networkLo, VIP.hi(), VIP.lo(), vport, server,
                    server.port(), 1, nowNs);
        }
        connections.control(id, template);
        assertEquals(id, connections.lookupIn6(TCP, clientHi, clientLo, clientPort, VIP.hi(), VIP.lo(), vport));
        connections.onTcpPacket(id, true, TcpHeader.SYN, nowNs);
        assertEquals(id, connections.lookupOut6(TCP, server.addressHi(), server.addressLo(), server.port(),
                LIP.hi(), LIP.lo(), port));
        connections.onTcpPacket(id, false, TcpHeader.SYN | TcpHeader.ACK, nowNs);
        connections.remove(id);
        nowNs += S / 10;
        connections.expire(nowNs, 64);
    }
}
