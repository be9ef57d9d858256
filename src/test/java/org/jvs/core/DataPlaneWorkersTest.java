package org.jvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.RS2;
import static org.jvs.core.DirectorTest.RS2_MAC;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.packet.Reference.ip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.jvs.api.ControlException;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.sched.RoundRobinScheduler;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.Ipv6;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * Two workers, each with its own replica of the configuration and its own connections, behave as one director:
 * rr keeps one sequence over both, least-connection weighs both workers' connections, listings add them up, a
 * refused change changes neither, a packet on the wrong worker reaches its owner, and what ARP teaches one worker
 * the other knows. The workers' duty cycles run on the test's thread, one step at a time.
 */
class DataPlaneWorkersTest {
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);
    static final ServiceKey DNS = new ServiceKey(Protocol.UDP, VIP, 53);
    static final int RS3 = ip(192, 0, 2, 13);
    static final long RS3_MAC = 0x02_bb_00_00_00_13L;
    static final int WORKERS = 2;

    final Handoff handoff = new Handoff(WORKERS, 1 << 20);
    final List<InMemoryHost> hosts = new ArrayList<>();
    final List<Director> directors = new ArrayList<>();
    final List<DataPlaneControl> controls = new ArrayList<>();
    final List<SteeringRules> installed = new ArrayList<>();
    final DataPlaneWorkers workers;

    DataPlaneWorkersTest() {
        for (int i = 0; i < WORKERS; i++) {
            InMemoryHost host = new InMemoryHost();
            Director director = new Director(host, host, KernelBypass.NONE, 1024);
            DirectorConfig config = new DirectorConfig(director);
            config.joinWorkers(i, handoff);
            director.now(1_000_000_000L);
            hosts.add(host);
            directors.add(director);
            controls.add(new DataPlaneControl(config));
        }
        workers = new DataPlaneWorkers(controls, installed::add);
        // every neighbour's ARP reply reaches worker 0 (where the steering program sends ARP)
        feed(0, CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP));
        feed(0, SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP));
        feed(0, SERVER_SIDE, Frames.arp(2, RS2_MAC, RS2, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP));
        feed(0, SERVER_SIDE, Frames.arp(2, RS3_MAC, RS3, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP));
        pump();
    }

    @Test
    void shouldKeepOneRoundRobinSequenceOverBothWorkers() throws Exception {
        webService("rr", ForwardingMethod.MASQ);
        Map<Integer, Integer> perServer = new HashMap<>();
        int[] perWorker = new int[WORKERS];
        for (int port = 40_000; port < 40_030; port++) {
            int worker = owner(Protocol.TCP, CLIENT, port, VIP, 80);
            perWorker[worker]++;
            feed(worker, CLIENT_SIDE, syn(port));
            for (InMemoryHost.Sent sent : drain(worker)) {
                perServer.merge(Frames.ipDestination(sent.frame()), 1, Integer::sum);
            }
        }
        assertThat(perWorker).as("both workers took connections").doesNotContain(0);
        assertThat(perServer).isEqualTo(Map.of(RS1, 10, RS2, 10, RS3, 10));
    }

    @Test
    void shouldWeighEveryWorkersConnectionsInLeastConnection() throws Exception {
        webService("lc", ForwardingMethod.MASQ);
        // three connections on worker 0 only: one per server, so the three are even
        int onZero = 0;
        int port = 40_000;
        List<Integer> chosen = new ArrayList<>();
        while (onZero < 3) {
            if (owner(Protocol.TCP, CLIENT, port, VIP, 80) == 0) {
                feed(0, CLIENT_SIDE, syn(port));
                chosen.add(Frames.ipDestination(drain(0).get(0).frame()));
                onZero++;
            }
            port++;
        }
        assertThat(chosen).containsExactlyInAnyOrder(RS1, RS2, RS3);
        // worker 1's next three go one to each server as well: it sees worker 0's connections
        List<Integer> onOne = new ArrayList<>();
        while (onOne.size() < 3) {
            if (owner(Protocol.TCP, CLIENT, port, VIP, 80) == 1) {
                feed(1, CLIENT_SIDE, syn(port));
                onOne.add(Frames.ipDestination(drain(1).get(0).frame()));
            }
            port++;
        }
        assertThat(onOne).containsExactlyInAnyOrder(RS1, RS2, RS3);
    }

    @Test
    void shouldListTheSumOfBothWorkersCountsAndConnections() throws Exception {
        webService("rr", ForwardingMethod.MASQ);
        for (int port = 40_000; port < 40_012; port++) {
            int worker = owner(Protocol.TCP, CLIENT, port, VIP, 80);
            feed(worker, CLIENT_SIDE, syn(port));
            drain(worker);
        }
        List<ServiceSnapshot> services = call(() -> workers.services(null));
        for (RealServerSnapshot server : services.get(0).realServers()) {
            assertThat(server.activeConnections() + server.inactiveConnections()).isEqualTo(4);
        }
        assertThat(services.get(0).stats().connections).isEqualTo(12);
        assertThat(call(workers::connections)).hasSize(12);
        assertThat(call(workers::counters)[Counter.NEW_CONNECTIONS.ordinal()]).isEqualTo(12);
    }

    @Test
    void shouldReadEachWorkersOwnCountersAndConnectionTable() throws Exception {
        webService("rr", ForwardingMethod.MASQ);
        int[] perWorker = new int[WORKERS];
        for (int port = 40_000; port < 40_012; port++) {
            int worker = owner(Protocol.TCP, CLIENT, port, VIP, 80);
            perWorker[worker]++;
            feed(worker, CLIENT_SIDE, syn(port));
            drain(worker);
        }
        List<WorkerReading> readings = call(workers::readings);
        assertThat(readings).hasSize(WORKERS);
        for (int worker = 0; worker < WORKERS; worker++) {
            assertThat(readings.get(worker).connections()).isEqualTo(perWorker[worker]);
            assertThat(readings.get(worker).connectionCapacity()).isEqualTo(1024);
            assertThat(readings.get(worker).counters()[Counter.NEW_CONNECTIONS.ordinal()]).isEqualTo(perWorker[worker]);
        }
    }

    @Test
    void shouldRefuseOnEveryWorkerWhatWorkerZeroRefuses() throws Exception {
        webService("rr", ForwardingMethod.MASQ);
        int before = installed.size();
        CompletionException refused = assertThrows(CompletionException.class,
                () -> call(() -> { workers.addService(new ServiceSpec(WEB, "wlc", "", 0, -1)); return null; }));
        assertThat(refused.getCause()).hasMessage("Service already exists");
        for (DataPlaneControl control : controls) {
            assertThat(call(() -> control.services(null))).singleElement()
                    .satisfies(service -> assertThat(service.scheduler()).isEqualTo("rr"));
        }
        assertThat(installed).as("no new steering program").hasSize(before);
    }

    @Test
    void shouldHandAPacketOnTheWrongWorkerToItsOwner() throws Exception {
        webService("rr", ForwardingMethod.MASQ);
        int port = 40_000;
        while (owner(Protocol.TCP, CLIENT, port, VIP, 80) != 1) {
            port++;
        }
        feed(1, CLIENT_SIDE, syn(port));
        int realServer = Frames.ipDestination(drain(1).get(0).frame());
        // the reply arrives on worker 0, as when a change has not yet reached the kernel's program
        byte[] reply = Frames.withMacs(new FrameBuilder().source(realServer).destination(CLIENT).ports(80, port)
                .tcpFlags(TcpHeader.SYN | TcpHeader.ACK).bytes(), SERVER_SIDE_MAC, RS1_MAC);
        feed(0, SERVER_SIDE, reply);
        assertThat(drain(0)).isEmpty();
        pump();
        List<InMemoryHost.Sent> toClient = drain(1);
        assertThat(toClient).singleElement().satisfies(sent -> {
            assertThat(Frames.ipSource(sent.frame())).isEqualTo(VIP);
            assertThat(Frames.ipDestination(sent.frame())).isEqualTo(CLIENT);
        });
        assertThat(directors.get(0).counters().get(Counter.FRAMES_HANDED_OFF)).isEqualTo(1);
    }

    /**
     * A backup enters a synced connection while its VIP is on standby; after the takeover the connection's packets
     * are steered to the worker its client hashes to, so the entry must be there and not wherever standby left it.
     */
    @Test
    void shouldEnterASyncedConnectionOnItsOwnerWhileTheVipIsOnStandby() throws Exception {
        webService("rr", ForwardingMethod.MASQ);
        int port = 40_000;
        while (owner(Protocol.TCP, CLIENT, port, VIP, 80) != 1) {
            port++;
        }
        int clientPort = port;
        call(() -> { workers.standby(VIP, true); return null; });
        int applied = call(() -> workers.applySynced(List.of(new org.jvs.sync.SyncConnection(Protocol.TCP,
                org.jvs.sync.SyncConnection.F_MASQ, org.jvs.conn.TcpState.ESTABLISHED, CLIENT, clientPort, VIP, 80,
                RS2, 80, 0, 900, null))));
        call(() -> { workers.standby(VIP, false); return null; });

        assertThat(applied).isEqualTo(1);
        assertThat(directors.get(1).connections().size()).as("on the owner").isEqualTo(1);
        feed(1, CLIENT_SIDE, Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(clientPort, 80)
                .tcpFlags(TcpHeader.ACK).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC));
        assertThat(drain(1)).singleElement()
                .satisfies(sent -> assertThat(Frames.ipDestination(sent.frame())).isEqualTo(RS2));
    }

    /** As {@link #shouldEnterASyncedConnectionOnItsOwnerWhileTheVipIsOnStandby} for an IPv6 entry (owner6). */
    @Test
    void shouldEnterASyncedIpv6ConnectionOnItsOwner() throws Exception {
        Ipv6 vip6 = Ipv6.parse("2001:db8:f::10");
        Ipv6 client6 = Ipv6.parse("2001:db8:c::7");
        Ipv6 rs6 = Ipv6.parse("2001:db8:5::2");
        ServiceKey key = new ServiceKey(Protocol.TCP, org.jvs.api.IpAddress.ofIpv6(vip6), 80);
        call(() -> {
            workers.addService(new ServiceSpec(key, "rr", "", 0, 128));
            workers.addRealServer(key, new RealServerSpec(org.jvs.api.IpAddress.ofIpv6(rs6), 80,
                    ForwardingMethod.MASQ, 1, 0, 0));
            return null;
        });
        int port = 40_000;
        while (directors.get(0).steering().owner6(Protocol.TCP, client6.hi(), client6.lo(), port, vip6.hi(),
                vip6.lo(), 80) != 1) {
            port++;
        }
        int clientPort = port;
        int applied = call(() -> workers.applySynced6(List.of(new org.jvs.sync.SyncConnection6(Protocol.TCP,
                org.jvs.sync.SyncConnection.F_MASQ, org.jvs.conn.TcpState.ESTABLISHED, client6.hi(), client6.lo(),
                clientPort, vip6.hi(), vip6.lo(), 80, rs6.hi(), rs6.lo(), 80, 0, 900, null))));

        assertThat(applied).isEqualTo(1);
        assertThat(directors.get(1).connections().lookupIn6(Protocol.TCP, client6.hi(), client6.lo(), clientPort,
                vip6.hi(), vip6.lo(), 80)).as("on the owner").isNotEqualTo(org.jvs.conn.ConnectionTable.NONE);
        assertThat(directors.get(0).connections().size()).isZero();
    }

    @Test
    void shouldSteerAfterEveryChangeThatPlacesConnections() throws Exception {
        int before = installed.size();
        call(() -> { workers.addService(new ServiceSpec(DNS, "rr", "", 0, -1)); return null; });
        call(() -> { workers.setTimeouts(new org.jvs.api.TimeoutsSpec(900, 120, 300)); return null; });
        assertThat(installed).hasSize(before + 1);
        assertThat(installed.get(installed.size() - 1).virtualAddresses()).containsExactly(VIP);
    }

    void webService(String scheduler, ForwardingMethod method) throws Exception {
        call(() -> {
            workers.addService(new ServiceSpec(WEB, scheduler, "", 0, -1));
            for (int rs : new int[] {RS1, RS2, RS3}) {
                workers.addRealServer(WEB, new RealServerSpec(rs, 80, method, 1, 0, 0));
            }
            return null;
        });
    }

    int owner(int protocol, int source, int sourcePort, int destination, int destinationPort) {
        return directors.get(0).steering().owner(protocol, source, sourcePort, destination, destinationPort);
    }

    static byte[] syn(int clientPort) {
        return Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(clientPort, 80)
                .tcpFlags(TcpHeader.SYN).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);
    }

    void feed(int worker, int ifindex, byte[] frame) {
        directors.get(worker).onFrame(ifindex, Frames.nativeCopy(frame), 0, frame.length, 0);
    }

    List<InMemoryHost.Sent> drain(int worker) {
        return hosts.get(worker).drain();
    }

    /** One duty cycle of control calls and hand-offs on each worker. */
    int pump() {
        int work = 0;
        for (int i = 0; i < WORKERS; i++) {
            work += directors.get(i).receiveHandedOff(64);
            work += controls.get(i).drain(16);
        }
        return work;
    }

    /** Runs a control call on another thread while this one runs the workers' duty cycles. */
    @Test
    void shouldExplainAnIpv6FlowOnTheWorkerThatOwnsIt() {
        Ipv6 vip = Ipv6.parse("2001:db8::1");
        Ipv6 client = Ipv6.parse("2001:db8:c::7");
        for (Director director : directors) {
            VirtualService service = new VirtualService(Protocol.TCP, vip, 80, new RoundRobinScheduler());
            service.addRealServer(new RealServer(Ipv6.parse("2001:db8:5::11"), 8080, ForwardingMethod.MASQ, 1));
            director.services().add(service);
            director.steering(SteeringRules.of(WORKERS, director.services(), new int[0], 1024, 32767));
        }
        SteeringRules rules = directors.get(0).steering();
        Set<Integer> owners = new HashSet<>();
        for (int port = 40_000; port < 40_016; port++) {
            int clientPort = port;
            int owner = rules.owner6(Protocol.TCP, client.hi(), client.lo(), clientPort, vip.hi(), vip.lo(), 80);
            owners.add(owner);
            FlowExplanation explanation = call(() -> workers.explain6(Protocol.TCP, client.hi(), client.lo(),
                    clientPort, vip.hi(), vip.lo(), 80));
            assertThat(explanation.text()).contains(": no connection; a new one (worker " + owner + " of " + WORKERS
                    + ")");
        }
        assertThat(owners).hasSize(WORKERS);
    }

    <T> T call(Callable<T> call) {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (ControlException e) {
                throw new CompletionException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!result.isDone() && System.nanoTime() < deadline) {
            if (pump() == 0) {
                Thread.onSpinWait();
            }
        }
        return result.join();
    }
}
