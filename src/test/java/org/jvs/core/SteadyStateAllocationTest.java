package org.jvs.core;

import java.lang.management.ManagementFactory;

import org.jvs.api.ControlException;
import org.jvs.net.FastPath;
import org.jvs.net.FrameHandler;
import org.jvs.packet.TcpHeader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.TrafficRig.DR_PORT;
import static org.jvs.core.TrafficRig.FULLNAT_PORT;
import static org.jvs.core.TrafficRig.GRE_PORT;
import static org.jvs.core.TrafficRig.GUE_PORT;
import static org.jvs.core.TrafficRig.NAT_PORT;
import static org.jvs.core.TrafficRig.PERSISTENT_PORT;
import static org.jvs.core.TrafficRig.PROXY_PORT;
import static org.jvs.core.TrafficRig.RS1;
import static org.jvs.core.TrafficRig.RS2;
import static org.jvs.core.TrafficRig.TUN_PORT;

/**
 * The house rule "the hot path allocates nothing", checked on the data-plane thread: every forwarding method,
 * both NAT and full-NAT directions (source ports allocated and freed, an ICMP error translated), UDP, checksum completion, partial checksums and super-packets handed on whole (NAT and DR),
 * GSO segmentation, TUN over GUE (remote checksum offload, the partial checksum left to the real server) and GRE
 * (checksummed, a partial checksum completed) with super-packets cut for each, PROXY protocol headers (inserted in a copy, in a retransmission with a partial checksum and
 * in a super-packet cut for it; later segments moved up, replies' acknowledgements and SACK blocks moved back),
 * connections scheduled, expired and scheduled again, a persistence template reused, outliving
 * its timeout under connections and re-armed, the estimator and the duty cycle itself.
 */
class SteadyStateAllocationTest {
    /** Client ports in rotation; with the clock step below a port comes back only after its connections expired. */
    private static final int CLIENT_PORTS = 64;
    private static final int FIRST_CLIENT_PORT = 20_000;
    /** One round per duty cycle: 64 x 16 s = 1024 s, beyond the longest idle timeout (ESTABLISHED, 900 s). */
    private static final long ROUND_NS = 16_000_000_000L;
    private static final int FRAMES_PER_ROUND = 39;
    /**
     * The super-packet without a GSO size leaves as 3 segments, so does the one that starts a PROXY protocol
     * stream (cut to make room for the header), and those tunnelled over GUE and GRE (cut to the path MTU less the
     * tunnel's headers); those with a GSO size otherwise leave whole.
     */
    private static final int SENT_PER_ROUND = 47;
    private static final int CONNECTIONS_PER_ROUND = 9;
    private static final byte[] MSS_1460 = {2, 4, 0x05, (byte) 0xB4};
    private static final byte[] SACK_BLOCK = {1, 1, 5, 10, 0x11, 0x22, 0x40, 0x00, 0x11, 0x22, 0x48, 0x00};
    private static final int MEASURED_FRAMES = 100_000;
    /**
     * Warm-up covers every one-time step (class loading and linking, the first pass of each code path, agrona
     * maps reaching their size, the first expiries) but deliberately not JIT compilation: measuring while the
     * code is still interpreted means an allocation cannot pass unseen because C2's escape analysis removed it.
     */
    private static final int WARM_UP_ROUNDS = 4 * CLIENT_PORTS;
    /**
     * What the JVM itself charges to the thread while C2 compiles the path: a few one-off String/byte[] pairs
     * (24-256 bytes each, 300-700 bytes per run) at bytecodes that allocate nothing, such as an int comparison.
     * They never appear with -Xint or with C1 only, and they stop once compilation settles. One 16-byte
     * allocation per packet would exceed this within the first 256 packets.
     */
    private static final long JVM_ALLOCATED_BYTES = 4096;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long nowNs = 1_000_000_000L;

    @Test
    void shouldAllocateNothingOnTheDataPlaneThreadIn100000Packets() throws ControlException {
        measure(false, FastPath.NONE);
    }

    /**
     * With a fast path (a fake kernel that takes entries but no packets): connections installed as they are
     * established, taken back at FIN and expiry, the kernel's counts folded by the sweep, all free.
     */
    @Test
    void shouldAllocateNothingWhileHandingConnectionsToAFastPath() throws ControlException {
        CountingKernel kernel = new CountingKernel();
        TrafficRig rig = measure(false, kernel);
        Counters counters = rig.director().counters();
        assertThat(counters.get(Counter.FAST_PATH_INSTALLED)).isPositive();
        assertThat(counters.get(Counter.FAST_PATH_REMOVED)).isPositive();
        assertThat(counters.get(Counter.FAST_PATH_PACKETS_FOLDED)).isPositive();
        assertThat(kernel.reads).isPositive();
    }

    /** A kernel whose every entry has forwarded one more packet each time it is read; allocates nothing. */
    private static final class CountingKernel implements FastPath {
        long reads;

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public boolean install(int protocol, int source, int sourcePort, int destination, int destinationPort,
                               int newSource, int newSourcePort, int newDestination, int newDestinationPort,
                               int ifindex, long sourceMac, long destinationMac, int mtu) {
            return true;
        }

        @Override
        public boolean installTunnel(int protocol, int source, int sourcePort, int destination, int destinationPort,
                                     int tunnelSource, int tunnelDestination, int ifindex, long sourceMac,
                                     long destinationMac, int mtu) {
            return true;
        }

        @Override
        public boolean remove(int protocol, int source, int sourcePort, int destination, int destinationPort,
                              long[] into) {
            return read(protocol, source, sourcePort, destination, destinationPort, into);
        }

        @Override
        public boolean read(int protocol, int source, int sourcePort, int destination, int destinationPort,
                            long[] into) {
            reads++;
            into[PACKETS] = reads;
            into[BYTES] = reads * 100;
            into[LAST_SEEN_NS] = 0;
            return true;
        }
    }

    /** A master sync daemon's queue attached, small enough to fill: entries queued and entries refused, both free. */
    @Test
    void shouldAllocateNothingWhileQueueingConnectionsForASyncDaemon() throws ControlException {
        TrafficRig rig = measure(true, FastPath.NONE);
        Counters counters = rig.director().counters();
        assertThat(counters.get(Counter.SYNC_ENTRIES_QUEUED)).isPositive();
        assertThat(counters.get(Counter.SYNC_QUEUE_FULL)).isPositive();
    }

    private TrafficRig measure(boolean syncing, FastPath fastPath) throws ControlException {
        assertThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled())
                .as("per-thread allocation accounting").isTrue();
        TrafficRig rig = new TrafficRig(1024, nowNs);
        // the rig's connections are short: handed over at their first established packet, so that installs and
        // removals are measured too (counting up to the production threshold touches one byte per packet)
        rig.director().fastPath(fastPath, 1);
        if (syncing) {
            rig.director().syncTo(new org.jvs.sync.SyncOutbox(4096));
        }
        ReplayPort port = new ReplayPort(InMemoryHost.CLIENT_SIDE, rounds());
        DataPlane dataPlane = rig.dataPlane(port);
        Counters counters = rig.director().counters();

        runRounds(dataPlane, WARM_UP_ROUNDS);
        long sentBefore = rig.sink().frames();
        long connectionsBefore = counters.get(Counter.NEW_CONNECTIONS);
        long deliveredBefore = port.delivered();
        int rounds = (MEASURED_FRAMES + FRAMES_PER_ROUND - 1) / FRAMES_PER_ROUND;
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();

        runRounds(dataPlane, rounds);

        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertThat(port.delivered() - deliveredBefore).isGreaterThanOrEqualTo(MEASURED_FRAMES);
        assertThat(allocated).as("bytes allocated by %d frames", port.delivered() - deliveredBefore)
                .isLessThanOrEqualTo(JVM_ALLOCATED_BYTES);
        // The traffic did what it claims: nothing dropped or left to the kernel, every round opened its connections.
        assertThat(rig.sink().frames() - sentBefore).isEqualTo((long) rounds * SENT_PER_ROUND);
        assertThat(counters.get(Counter.NEW_CONNECTIONS) - connectionsBefore).isEqualTo((long) rounds * CONNECTIONS_PER_ROUND);
        assertThat(counters.get(Counter.SEGMENTED_GSO_FRAMES)).isEqualTo(4L * (WARM_UP_ROUNDS + rounds));
        assertThat(counters.get(Counter.CHECKSUMS_COMPLETED)).isEqualTo(2L * (WARM_UP_ROUNDS + rounds));
        assertThat(counters.get(Counter.FORWARDED_GSO_WHOLE)).isEqualTo(3L * (WARM_UP_ROUNDS + rounds));
        assertThat(counters.get(Counter.FORWARDED_CHECKSUM_PARTIAL)).isEqualTo(7L * (WARM_UP_ROUNDS + rounds));
        assertThat(counters.get(Counter.PROXY_HEADERS_INSERTED)).isEqualTo(3L * (WARM_UP_ROUNDS + rounds));
        assertThat(counters.get(Counter.DROP_PROXY_MALFORMED)).isZero();
        assertThat(counters.get(Counter.ICMP_ERRORS_TO_CLIENT)).isEqualTo(WARM_UP_ROUNDS + rounds);
        assertThat(counters.get(Counter.FRAMES_IN)).isEqualTo(port.delivered() + 4);
        assertThat(counters.get(Counter.FORWARDED_TO_REAL_SERVER) + counters.get(Counter.FORWARDED_TO_CLIENT)
                + counters.get(Counter.ICMP_ERRORS_TO_CLIENT) + counters.get(Counter.ARP_REQUESTS_SENT))
                .isEqualTo(rig.sink().frames());
        assertThat(rig.director().connections().size()).isLessThan(CLIENT_PORTS * CONNECTIONS_PER_ROUND);
        assertThat(rig.director().services().find(org.jvs.service.Protocol.TCP, TrafficRig.VIP, PERSISTENT_PORT)
                .realServers()).as("one template all along").extracting(server -> server.persistentConnections)
                .containsExactly(1, 0);
        return rig;
    }

    private void runRounds(DataPlane dataPlane, int rounds) {
        for (int round = 0; round < rounds; round++) {
            nowNs += ROUND_NS;
            dataPlane.doWork(nowNs);
        }
    }

    /**
     * One round per client port: a NAT connection in both directions (with an offloaded checksum, a super-packet
     * it must cut and one it hands on whole), a DR connection (with a super-packet), a TUN connection (with an
     * offloaded checksum it completes), a GUE and a GRE connection (each with an offloaded checksum and a
     * super-packet), a UDP exchange, and a full-NAT connection in both directions (with an
     * offloaded checksum, and an ICMP error about it translated for the client). Round n opens the n-th connection of each
     * rr service, which lands on RS1 when n is even: that is where the scripted replies come from.
     */
    private static ReplayFrame[][] rounds() {
        assertThat(TrafficRig.FULLNAT_PORTS).as("full-NAT ports in rotation").isEqualTo(CLIENT_PORTS);
        ReplayFrame[][] rounds = new ReplayFrame[CLIENT_PORTS][];
        for (int i = 0; i < CLIENT_PORTS; i++) {
            int client = FIRST_CLIENT_PORT + i;
            int realServer = i % 2 == 0 ? RS1 : RS2;
            int localPort = TrafficRig.FULLNAT_LOWEST_PORT + i;
            rounds[i] = new ReplayFrame[] {
                TrafficRig.tcpFromClient(NAT_PORT, client, TcpHeader.SYN, 0),
                TrafficRig.tcpFromRealServer(realServer, client, TcpHeader.SYN | TcpHeader.ACK, 0),
                TrafficRig.tcpFromClient(NAT_PORT, client, TcpHeader.ACK, 100),
                TrafficRig.offloadedTcpFromClient(NAT_PORT, client, 200),
                TrafficRig.offloadedTcpFromClient(NAT_PORT, client, 4000),
                TrafficRig.superPacketFromClient(NAT_PORT, client, 20000, 1460),
                TrafficRig.tcpFromRealServer(realServer, client, TcpHeader.ACK, 1400),
                TrafficRig.tcpFromClient(DR_PORT, client, TcpHeader.SYN, 0),
                TrafficRig.tcpFromClient(DR_PORT, client, TcpHeader.ACK, 500),
                TrafficRig.superPacketFromClient(DR_PORT, client, 8000, 1460),
                TrafficRig.tcpFromClient(TUN_PORT, client, TcpHeader.SYN, 0),
                TrafficRig.tcpFromClient(TUN_PORT, client, TcpHeader.ACK, 1000),
                TrafficRig.offloadedTcpFromClient(TUN_PORT, client, 300),
                TrafficRig.tcpFromClient(GUE_PORT, client, TcpHeader.SYN, 0),
                TrafficRig.tcpFromClient(GUE_PORT, client, TcpHeader.ACK, 1000),
                TrafficRig.offloadedTcpFromClient(GUE_PORT, client, 300),
                TrafficRig.superPacketFromClient(GUE_PORT, client, 3000, 1460),
                TrafficRig.tcpFromClient(GRE_PORT, client, TcpHeader.SYN, 0),
                TrafficRig.tcpFromClient(GRE_PORT, client, TcpHeader.ACK, 1000),
                TrafficRig.offloadedTcpFromClient(GRE_PORT, client, 300),
                TrafficRig.superPacketFromClient(GRE_PORT, client, 3000, 1460),
                TrafficRig.tcpFromClient(PERSISTENT_PORT, client, TcpHeader.SYN, 0),
                TrafficRig.tcpFromClient(PERSISTENT_PORT, client, TcpHeader.ACK, 300),
                TrafficRig.udpFromClient(client, 22),
                TrafficRig.udpFromRealServer(realServer, client, 22),
                TrafficRig.tcpFromClient(FULLNAT_PORT, client, TcpHeader.SYN, 0),
                TrafficRig.tcpFullNatReply(realServer, localPort, TcpHeader.SYN | TcpHeader.ACK, 0),
                TrafficRig.tcpFromClient(FULLNAT_PORT, client, TcpHeader.ACK, 100),
                TrafficRig.offloadedTcpFromClient(FULLNAT_PORT, client, 200),
                TrafficRig.tcpFullNatReply(realServer, localPort, TcpHeader.ACK, 1400),
                TrafficRig.fragmentationNeededAboutFullNat(realServer, localPort),
                TrafficRig.tcpFromClient(PROXY_PORT, client, TcpHeader.SYN, 0),
                TrafficRig.proxyReply(realServer, client, TcpHeader.SYN | TcpHeader.ACK, MSS_1460),
                TrafficRig.proxyTcpFromClient(client, 1, 300, 0),
                TrafficRig.proxyTcpFromClient(client, 1, 300, FrameHandler.CHECKSUM_NOT_READY),
                TrafficRig.proxyTcpFromClient(client, 1, 4000, FrameHandler.tcpSegmentation(1460)),
                TrafficRig.proxyTcpFromClient(client, 301, 200, 0),
                TrafficRig.proxyTcpFromClient(client, 4001, 8000, FrameHandler.tcpSegmentation(1400)),
                TrafficRig.proxyReply(realServer, client, TcpHeader.ACK, SACK_BLOCK),
            };
        }
        return rounds;
    }
}
