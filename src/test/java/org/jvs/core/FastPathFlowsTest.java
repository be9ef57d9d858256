package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.net.FastPath;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;
import org.jvs.service.VirtualService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.RS2;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.packet.Reference.ip;

/**
 * The director's side of the kernel fast path with a fake kernel: which connections and directions it installs
 * (and with which rewrite and way out), when it takes them back, how the kernel's counts reach the statistics and
 * how its last-seen time keeps a connection from expiring.
 */
class FastPathFlowsTest {
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);
    static final ServiceKey DNS = new ServiceKey(Protocol.UDP, VIP, 53);
    static final int CLIENT_PORT = 40000;
    static final int LIP = ip(192, 0, 2, 100);
    static final long START_NS = 1_000_000_000L;
    static final long SECOND_NS = 1_000_000_000L;

    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    final DirectorConfig config = new DirectorConfig(director);
    final FakeKernel kernel = new FakeKernel();

    /** One entry of the fake kernel's table: the rewrite and way out, and counters a test sets. */
    record Entry(int newSource, int newSourcePort, int newDestination, int newDestinationPort, int ifindex,
                 long sourceMac, long destinationMac, int mtu, long[] counters, int tunnelSource,
                 int tunnelDestination) {
    }

    record Key(int protocol, int source, int sourcePort, int destination, int destinationPort) {
    }

    static final class FakeKernel implements FastPath {
        final Map<Key, Entry> entries = new HashMap<>();
        boolean full;

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public boolean install(int protocol, int source, int sourcePort, int destination, int destinationPort,
                               int newSource, int newSourcePort, int newDestination, int newDestinationPort,
                               int ifindex, long sourceMac, long destinationMac, int mtu) {
            if (full) {
                return false;
            }
            entries.put(new Key(protocol, source, sourcePort, destination, destinationPort), new Entry(newSource,
                    newSourcePort, newDestination, newDestinationPort, ifindex, sourceMac, destinationMac, mtu,
                    new long[READ_LENGTH], 0, 0));
            return true;
        }

        @Override
        public boolean installTunnel(int protocol, int source, int sourcePort, int destination, int destinationPort,
                                     int tunnelSource, int tunnelDestination, int ifindex, long sourceMac,
                                     long destinationMac, int mtu) {
            if (full) {
                return false;
            }
            entries.put(new Key(protocol, source, sourcePort, destination, destinationPort), new Entry(0, 0, 0, 0,
                    ifindex, sourceMac, destinationMac, mtu, new long[READ_LENGTH], tunnelSource, tunnelDestination));
            return true;
        }

        @Override
        public boolean remove(int protocol, int source, int sourcePort, int destination, int destinationPort,
                              long[] into) {
            Entry entry = entries.remove(new Key(protocol, source, sourcePort, destination, destinationPort));
            if (entry != null) {
                System.arraycopy(entry.counters(), 0, into, 0, READ_LENGTH);
            }
            return entry != null;
        }

        @Override
        public boolean read(int protocol, int source, int sourcePort, int destination, int destinationPort,
                            long[] into) {
            Entry entry = entries.get(new Key(protocol, source, sourcePort, destination, destinationPort));
            if (entry != null) {
                System.arraycopy(entry.counters(), 0, into, 0, READ_LENGTH);
            }
            return entry != null;
        }

        /** The kernel forwarded {@code packets} more packets of {@code bytes} each, the last at {@code atNs}. */
        void forwarded(Key key, int packets, int bytes, long atNs) {
            long[] counters = entries.get(key).counters();
            counters[PACKETS] += packets;
            counters[BYTES] += (long) packets * bytes;
            counters[LAST_SEEN_NS] = atNs;
        }
    }

    static final Key WEB_IN = new Key(Protocol.TCP, CLIENT, CLIENT_PORT, VIP, 80);
    static final Key WEB_OUT = new Key(Protocol.TCP, RS1, 8080, CLIENT, CLIENT_PORT);
    static final Key DNS_IN = new Key(Protocol.UDP, CLIENT, CLIENT_PORT, VIP, 53);

    @BeforeEach
    void learnNeighbours() {
        // the cases below are about what is installed and when it is taken back: a connection is handed over at its
        // first packet once established (the production threshold has its own case)
        director.fastPath(kernel, 1);
        director.now(START_NS);
        feed(Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP), CLIENT_SIDE);
        feed(Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), SERVER_SIDE);
    }

    private void service(ServiceKey key, ForwardingMethod method, int realServer) throws ControlException {
        config.addService(new ServiceSpec(key, "rr", "", 0, -1));
        if (method == ForwardingMethod.FULLNAT) {
            config.addLocalAddress(key, new LocalAddressSpec(LIP, ""));
        }
        int port = method == ForwardingMethod.ROUTE || method == ForwardingMethod.TUNNEL ? key.port() : key.protocol() == Protocol.TCP ? 8080 : 5353;
        config.addRealServer(key, new RealServerSpec(realServer, port, method, 1, 0, 0));
        host.drain();
    }

    private void feed(byte[] frame, int ifindex) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, 0);
    }

    private void fromClient(int tcpFlags) {
        feed(Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(CLIENT_PORT, 80)
                .tcpFlags(tcpFlags).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC), CLIENT_SIDE);
    }

    private void fromRealServer(int tcpFlags) {
        feed(Frames.withMacs(new FrameBuilder().source(RS1).destination(CLIENT).ports(8080, CLIENT_PORT)
                .tcpFlags(tcpFlags).bytes(), SERVER_SIDE_MAC, RS1_MAC), SERVER_SIDE);
    }

    private void datagramFromClient() {
        feed(Frames.withMacs(new FrameBuilder().udp().source(CLIENT).destination(VIP).ports(CLIENT_PORT, 53)
                .bytes(), CLIENT_SIDE_MAC, CLIENT_MAC), CLIENT_SIDE);
    }

    private void handshake() {
        fromClient(TcpHeader.SYN);
        fromRealServer(TcpHeader.SYN | TcpHeader.ACK);
        fromClient(TcpHeader.ACK);
    }

    private long counter(Counter counter) {
        return director.counters().get(counter);
    }

    private VirtualService web() {
        return director.services().all().getFirst();
    }

    @Test
    void shouldLeaveAShortConnectionToTheDirectorAndHandOverOneThatGoesOn() throws ControlException {
        director.fastPath(kernel);
        service(WEB, ForwardingMethod.MASQ, RS1);
        handshake(); // its last ACK is the first packet of the established connection
        for (int established = 1; established < FastPathFlows.INSTALL_AFTER_PACKETS - 1; established += 2) {
            fromRealServer(TcpHeader.ACK);
            fromClient(TcpHeader.ACK);
        }
        assertThat(kernel.entries).as("%d established packets: still the director's",
                FastPathFlows.INSTALL_AFTER_PACKETS - 1).isEmpty();
        assertThat(counter(Counter.FAST_PATH_INSTALLED)).isZero();

        fromClient(TcpHeader.ACK);
        assertThat(kernel.entries).as("the next packet hands its direction over").containsOnlyKeys(WEB_IN);
        fromRealServer(TcpHeader.ACK);
        assertThat(kernel.entries).containsOnlyKeys(WEB_IN, WEB_OUT);
    }

    @Test
    void shouldCountAReusedConnectionSlotFromZero() throws ControlException {
        director.fastPath(kernel);
        service(DNS, ForwardingMethod.MASQ, RS1);
        for (int i = 1; i < FastPathFlows.INSTALL_AFTER_PACKETS; i++) {
            datagramFromClient();
        }
        assertThat(kernel.entries).isEmpty();
        director.now(START_NS + 400 * SECOND_NS);
        director.expire(1024);
        assertThat(director.connections().size()).as("the UDP connection expired").isZero();

        datagramFromClient();
        assertThat(kernel.entries).as("a new connection in the old one's slot starts counting again").isEmpty();
        for (int i = 1; i < FastPathFlows.INSTALL_AFTER_PACKETS; i++) {
            datagramFromClient();
        }
        assertThat(kernel.entries).containsOnlyKeys(DNS_IN);
    }

    @Test
    void shouldInstallEachNatDirectionOnceEstablishedWithTheTransmittersRewrite() throws ControlException {
        service(WEB, ForwardingMethod.MASQ, RS1);
        fromClient(TcpHeader.SYN);
        fromRealServer(TcpHeader.SYN | TcpHeader.ACK);
        assertThat(kernel.entries).as("nothing before ESTABLISHED").isEmpty();

        fromClient(TcpHeader.ACK);
        assertThat(kernel.entries).containsOnlyKeys(WEB_IN);
        Entry in = kernel.entries.get(WEB_IN);
        assertThat(List.of(in.newSource(), in.newSourcePort(), in.newDestination(), in.newDestinationPort(),
                in.ifindex(), in.mtu())).containsExactly(0, 0, RS1, 8080, SERVER_SIDE, InMemoryHost.MTU);
        assertThat(List.of(in.sourceMac(), in.destinationMac())).containsExactly(SERVER_SIDE_MAC, RS1_MAC);

        fromRealServer(TcpHeader.ACK);
        Entry out = kernel.entries.get(WEB_OUT);
        assertThat(out).as("the reply direction").isNotNull();
        assertThat(List.of(out.newSource(), out.newSourcePort(), out.newDestination(), out.newDestinationPort(),
                out.ifindex())).containsExactly(VIP, 80, 0, 0, CLIENT_SIDE);
        assertThat(List.of(out.sourceMac(), out.destinationMac())).containsExactly(CLIENT_SIDE_MAC, CLIENT_MAC);
        assertThat(counter(Counter.FAST_PATH_INSTALLED)).isEqualTo(2);
    }

    @Test
    void shouldTakeBothDirectionsBackWhenTheStateLeavesEstablishedFoldingTheirCounts() throws ControlException {
        service(WEB, ForwardingMethod.MASQ, RS1);
        handshake();
        fromRealServer(TcpHeader.ACK);
        long inPackets = web().stats.inPackets;
        long outPackets = web().stats.outPackets;
        kernel.forwarded(WEB_IN, 5, 100, START_NS);
        kernel.forwarded(WEB_OUT, 7, 1000, START_NS);

        fromClient(TcpHeader.FIN | TcpHeader.ACK);

        assertThat(kernel.entries).isEmpty();
        assertThat(counter(Counter.FAST_PATH_REMOVED)).isEqualTo(2);
        assertThat(web().stats.inPackets).as("FIN and the kernel's five").isEqualTo(inPackets + 1 + 5);
        assertThat(web().stats.outPackets).isEqualTo(outPackets + 7);
        assertThat(web().realServers().getFirst().stats.outBytes).isGreaterThanOrEqualTo(7000);
        assertThat(counter(Counter.FAST_PATH_PACKETS_FOLDED)).isEqualTo(12);
        assertThat(counter(Counter.FAST_PATH_BYTES_FOLDED)).isEqualTo(7500);
    }

    @Test
    void shouldInstallUdpAtTheFirstDatagram() throws ControlException {
        service(DNS, ForwardingMethod.MASQ, RS1);
        datagramFromClient();
        assertThat(kernel.entries).containsOnlyKeys(DNS_IN);
        assertThat(kernel.entries.get(DNS_IN).newDestinationPort()).isEqualTo(5353);
    }

    @Test
    void shouldInstallDirectRoutingOneWayWithoutRewrite() throws ControlException {
        service(WEB, ForwardingMethod.ROUTE, RS1);
        fromClient(TcpHeader.SYN);
        fromClient(TcpHeader.ACK);
        Entry in = kernel.entries.get(WEB_IN);
        assertThat(kernel.entries).containsOnlyKeys(WEB_IN);
        assertThat(List.of(in.newSource(), in.newSourcePort(), in.newDestination(), in.newDestinationPort()))
                .containsExactly(0, 0, 0, 0);
        assertThat(in.destinationMac()).isEqualTo(RS1_MAC);
    }

    @Test
    void shouldInstallAnIpipTunnelOneWayWithTheOuterHeadersAddresses() throws ControlException {
        service(WEB, ForwardingMethod.TUNNEL, RS1);
        fromClient(TcpHeader.SYN);
        fromClient(TcpHeader.ACK);
        assertThat(kernel.entries).as("the client's way only: TUN replies never pass").containsOnlyKeys(WEB_IN);
        Entry in = kernel.entries.get(WEB_IN);
        assertThat(List.of(in.newSource(), in.newSourcePort(), in.newDestination(), in.newDestinationPort()))
                .as("the inner packet is not rewritten").containsExactly(0, 0, 0, 0);
        assertThat(List.of(in.tunnelSource(), in.tunnelDestination(), in.ifindex(), in.mtu()))
                .as("from the route's source to the real server, as TunnelTransmitter writes it")
                .containsExactly(InMemoryHost.DIRECTOR_SERVER_IP, RS1, SERVER_SIDE, InMemoryHost.MTU);
        assertThat(List.of(in.sourceMac(), in.destinationMac())).containsExactly(SERVER_SIDE_MAC, RS1_MAC);
    }

    @Test
    void shouldLeaveGueAndGreTunnelsToTheDirector() throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(IpAddress.ofIpv4(RS1), 80, ForwardingMethod.TUNNEL, 1, 0, 0,
                new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.NOCSUM)));
        config.addService(new ServiceSpec(DNS, "rr", "", 0, -1));
        config.addRealServer(DNS, new RealServerSpec(IpAddress.ofIpv4(RS1), 53, ForwardingMethod.TUNNEL, 1, 0, 0,
                new Tunnel(TunnelType.GRE, 0, TunnelChecksum.NOCSUM)));
        host.drain();
        fromClient(TcpHeader.SYN);
        fromClient(TcpHeader.ACK);
        datagramFromClient();
        assertThat(kernel.entries).as("the kernel's program writes IPIP only").isEmpty();
    }

    @Test
    void shouldInstallFullNatBothWaysWithBothAddressesRewritten() throws ControlException {
        service(WEB, ForwardingMethod.FULLNAT, RS1);
        handshake();
        assertThat(kernel.entries).as("the handshake's reply went to the LIP, ACK installs the client's way")
                .containsOnlyKeys(WEB_IN);
        Entry in = kernel.entries.get(WEB_IN);
        assertThat(List.of(in.newSource(), in.newDestination(), in.newDestinationPort()))
                .containsExactly(LIP, RS1, 8080);
        int localPort = in.newSourcePort();
        feed(Frames.withMacs(new FrameBuilder().source(RS1).destination(LIP).ports(8080, localPort)
                .tcpFlags(TcpHeader.ACK).bytes(), SERVER_SIDE_MAC, RS1_MAC), SERVER_SIDE);
        Entry out = kernel.entries.get(new Key(Protocol.TCP, RS1, 8080, LIP, localPort));
        assertThat(List.of(out.newSource(), out.newSourcePort(), out.newDestination(), out.newDestinationPort()))
                .containsExactly(VIP, 80, CLIENT, CLIENT_PORT);
    }

    @Test
    void shouldLeaveAConnectionWhoseNeighbourIsUnknownOnTheDirectorsPath() throws ControlException {
        service(WEB, ForwardingMethod.MASQ, RS2);
        fromClient(TcpHeader.SYN);
        fromClient(TcpHeader.ACK);
        assertThat(kernel.entries).isEmpty();
    }

    @Test
    void shouldCountARefusedInstallAndKeepTheConnection() throws ControlException {
        service(DNS, ForwardingMethod.MASQ, RS1);
        kernel.full = true;
        datagramFromClient();
        datagramFromClient();
        assertThat(counter(Counter.FAST_PATH_INSTALL_FAILED)).isEqualTo(2);
        assertThat(counter(Counter.FORWARDED_TO_REAL_SERVER)).isEqualTo(2);
        assertThat(director.connections().size()).isEqualTo(1);
    }

    @Test
    void shouldFoldTheKernelsCountsOnTheSweepAboutEverySecond() throws ControlException {
        service(DNS, ForwardingMethod.MASQ, RS1);
        datagramFromClient();
        long before = web().stats.inPackets;
        kernel.forwarded(DNS_IN, 10, 100, START_NS);
        director.now(START_NS + FastPathFlows.SWEEP_PERIOD_NS);
        director.sweepFastPath();
        assertThat(web().stats.inPackets).isEqualTo(before + 10);
        assertThat(web().stats.inBytes).isGreaterThanOrEqualTo(1000);
        kernel.forwarded(DNS_IN, 3, 100, START_NS);
        director.now(START_NS + FastPathFlows.SWEEP_PERIOD_NS + 1);
        director.sweepFastPath();
        assertThat(web().stats.inPackets).as("the next pass waits for its period").isEqualTo(before + 10);
        director.now(START_NS + 2 * FastPathFlows.SWEEP_PERIOD_NS);
        director.sweepFastPath();
        assertThat(web().stats.inPackets).isEqualTo(before + 13);
    }

    @Test
    void shouldTakeBackAConnectionWhoseNeighbourMovedAndInstallItsNewWay() throws ControlException {
        service(DNS, ForwardingMethod.MASQ, RS1);
        datagramFromClient();
        long movedMac = 0x02_bb_00_00_00_99L;
        feed(Frames.arp(2, movedMac, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), SERVER_SIDE);
        director.now(START_NS + FastPathFlows.SWEEP_PERIOD_NS);
        director.sweepFastPath();
        assertThat(kernel.entries).as("the old way is taken back at the next sweep").isEmpty();
        datagramFromClient();
        assertThat(kernel.entries.get(DNS_IN).destinationMac()).isEqualTo(movedMac);
    }

    @Test
    void shouldHandAConnectionTheKernelForwardsToTheSyncDaemonOnceInAWhile() throws ControlException {
        director.syncTo(new org.jvs.sync.SyncOutbox(4096));
        service(DNS, ForwardingMethod.MASQ, RS1);
        datagramFromClient();
        long queued = counter(Counter.SYNC_ENTRIES_QUEUED);
        director.now(START_NS + FastPathFlows.SWEEP_PERIOD_NS);
        director.sweepFastPath();
        assertThat(counter(Counter.SYNC_ENTRIES_QUEUED)).as("no kernel packets yet").isEqualTo(queued);

        kernel.forwarded(DNS_IN, 100, 100, START_NS + SECOND_NS);
        director.now(START_NS + 2 * FastPathFlows.SWEEP_PERIOD_NS);
        director.sweepFastPath();
        assertThat(counter(Counter.SYNC_ENTRIES_QUEUED)).as("first kernel packets").isEqualTo(queued + 1);

        kernel.forwarded(DNS_IN, 100, 100, START_NS + 2 * SECOND_NS);
        director.now(START_NS + 3 * FastPathFlows.SWEEP_PERIOD_NS);
        director.sweepFastPath();
        assertThat(counter(Counter.SYNC_ENTRIES_QUEUED)).as("not again so soon").isEqualTo(queued + 1);

        kernel.forwarded(DNS_IN, 100, 100, START_NS + 12 * SECOND_NS);
        director.now(START_NS + 2 * FastPathFlows.SWEEP_PERIOD_NS + FastPathFlows.SYNC_REFRESH_NS);
        director.sweepFastPath();
        assertThat(counter(Counter.SYNC_ENTRIES_QUEUED)).as("a refresh later").isEqualTo(queued + 2);
    }

    @Test
    void shouldKeepAConnectionAliveWhileTheKernelForwardsItsPackets() throws ControlException {
        service(DNS, ForwardingMethod.MASQ, RS1);
        datagramFromClient();
        long timeoutNs = director.timeouts().udpTimeoutNs();
        kernel.forwarded(DNS_IN, 1, 100, START_NS + timeoutNs - SECOND_NS);
        director.now(START_NS + timeoutNs + SECOND_NS);
        director.expire(100);
        assertThat(director.connections().size()).as("seen a second before its timeout").isEqualTo(1);
        assertThat(kernel.entries).containsKey(DNS_IN);

        director.now(START_NS + 2 * timeoutNs - SECOND_NS + 1);
        director.expire(100);
        assertThat(director.connections().size()).as("a timeout after the kernel's last packet").isZero();
        assertThat(kernel.entries).as("taken back when it expired").isEmpty();
        assertThat(web().stats.inPackets).as("the director's datagram and the kernel's").isEqualTo(2);
    }

    @Test
    void shouldMoveTheExpiryOfAConnectionTheKernelForwardsAtTheSweep() throws ControlException {
        service(DNS, ForwardingMethod.MASQ, RS1);
        datagramFromClient();
        int id = director.connections().lookupIn(Protocol.UDP, CLIENT, CLIENT_PORT, VIP, 53);
        long lastSeenNs = START_NS + SECOND_NS / 4;
        kernel.forwarded(DNS_IN, 1, 100, lastSeenNs);
        director.now(START_NS + FastPathFlows.SWEEP_PERIOD_NS);
        director.sweepFastPath();
        assertThat(director.connections().expiresAtNs(id)).as("listed as a packet here would have left it")
                .isEqualTo(lastSeenNs + director.timeouts().udpTimeoutNs());
    }

    @Test
    void shouldExpireAnIdleFastPathedConnectionOnTime() throws ControlException {
        service(DNS, ForwardingMethod.MASQ, RS1);
        datagramFromClient();
        director.now(START_NS + director.timeouts().udpTimeoutNs());
        director.expire(100);
        assertThat(director.connections().size()).isZero();
        assertThat(kernel.entries).isEmpty();
    }

    @Test
    void shouldTakeBackTheConnectionsOfADeletedRealServer() throws ControlException {
        service(WEB, ForwardingMethod.MASQ, RS1);
        handshake();
        assertThat(kernel.entries).isNotEmpty();
        config.deleteRealServer(WEB, IpAddress.ofIpv4(RS1), 8080);
        assertThat(kernel.entries).isEmpty();
        assertThat(director.connections().size()).as("the connection drains on the director's path").isEqualTo(1);
        fromClient(TcpHeader.ACK);
        assertThat(kernel.entries).as("not installed again").isEmpty();
    }

    @Test
    void shouldTakeATracedConnectionBackAndKeepItHereWhileTraced() throws ControlException {
        service(WEB, ForwardingMethod.MASQ, RS1);
        handshake();
        fromRealServer(TcpHeader.ACK);
        assertThat(kernel.entries).containsOnlyKeys(WEB_IN, WEB_OUT);

        director.trace(new TraceTap(Protocol.TCP, VIP, 80, 0, START_NS + 60 * SECOND_NS, 128, 1 << 16));
        assertThat(kernel.entries).as("./jvs trace must see the connection's packets").isEmpty();
        fromClient(TcpHeader.ACK);
        fromRealServer(TcpHeader.ACK);
        assertThat(kernel.entries).as("not installed again while traced").isEmpty();

        director.trace(null);
        fromClient(TcpHeader.ACK);
        assertThat(kernel.entries).as("handed over again once the trace ended").containsOnlyKeys(WEB_IN);
    }

    @Test
    void shouldLeaveProxyProtocolConnectionsToTheDirector() throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1, false, 1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 1, 0, 0));
        handshake();
        assertThat(kernel.entries).isEmpty();
    }
}
