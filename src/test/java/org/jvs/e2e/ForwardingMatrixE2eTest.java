package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;

/**
 * The forwarding cases as one matrix: every cell (method x address family x VIP placement, and for TUN the tunnel:
 * IPIP, GUE or GRE; one lab and one director each) carries 1 KiB and 10 MiB of random data byte for byte both ways,
 * answers UDP requests and spreads HTTP round robin over three real servers. Where the VIP is on the director's lo, a
 * cell also runs weighted round robin, quiescing under a live transfer and steady UDP where every datagram must
 * arrive. Every test starts from an empty service table.
 *
 * <p>The IPv6 cells (v6*) run the same cases over the lab's IPv6 addresses, TUN as IPv6 in IPv6; NAT64 is full NAT
 * from an IPv6 client and VIP to IPv4 real servers, from an IPv4 local address.
 *
 * <p>NAT and full NAT replies return through the director; DR and TUN real servers answer the client directly over
 * the return segment; full NAT's real servers have no route to the client at all. With the VIP answered by ARP it is
 * configured nowhere on the director (ip_forward=0) and the client finds it by ARP, which JVS answers.
 */
@ClassTemplate
@ExtendWith(LvsLabExtension.Cells.class)
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardingMatrixE2eTest {
    private static final Pattern STATS_LINE = Pattern.compile("^[ \\t]*->[ \\t]*(\\S+)[ \\t]+(\\d+)", Pattern.MULTILINE);
    private static final long LONG_TRANSFER_BYTES = 12L << 20;
    private static final long LONG_TRANSFER_RATE = 1L << 20;
    private static final long UPLOAD_BYTES = 20L << 20;
    private static final Pattern FRAMES_IN = Pattern.compile("(?m)^frames_in (\\d+)$");
    private static final Pattern FAST_PATH_INSTALLED = Pattern.compile("(?m)^fast_path_installed (\\d+)$");
    private static final Pattern FAST_PATH_FOLDED = Pattern.compile("(?m)^fast_path_packets_folded (\\d+)$");
    private static final Pattern RX_COUNTERS = Pattern.compile("RX:[^\\n]*\\n\\s*(\\d+)\\s+(\\d+)");
    /**
     * GUE with remote checksum offload: the clients' partial checksums travel as they are and the real servers
     * complete them. GRE with its checksum. Neither has a kernel driver here: ./jvs realserver decapsulates them.
     */
    private static final Tunnel GUE = new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.REMCSUM);
    private static final Tunnel GRE = new Tunnel(TunnelType.GRE, 0, TunnelChecksum.CSUM);

    LabCell cell;
    LvsLab lvs;
    Director director;
    Client client;
    SteadyUdp steadyUdp;

    static List<LabCell> cells() {
        List<LabCell> cells = List.of(
                cell("nat", ForwardingMethod.MASQ, AddressFamily.IPV4, VipPlacement.DIRECTOR_LO),
                cell("natarp", ForwardingMethod.MASQ, AddressFamily.IPV4, VipPlacement.ARP_ONLY),
                cell("dr", ForwardingMethod.ROUTE, AddressFamily.IPV4, VipPlacement.DIRECTOR_LO),
                cell("drarp", ForwardingMethod.ROUTE, AddressFamily.IPV4, VipPlacement.ARP_ONLY),
                cell("tun", ForwardingMethod.TUNNEL, AddressFamily.IPV4, VipPlacement.DIRECTOR_LO),
                cell("tunarp", ForwardingMethod.TUNNEL, AddressFamily.IPV4, VipPlacement.ARP_ONLY),
                cell("tungue", ForwardingMethod.TUNNEL, AddressFamily.IPV4, VipPlacement.DIRECTOR_LO).withTunnel(GUE),
                cell("tungre", ForwardingMethod.TUNNEL, AddressFamily.IPV4, VipPlacement.DIRECTOR_LO).withTunnel(GRE),
                cell("fnat", ForwardingMethod.FULLNAT, AddressFamily.IPV4, VipPlacement.DIRECTOR_LO),
                cell("v6nat", ForwardingMethod.MASQ, AddressFamily.IPV6, VipPlacement.DIRECTOR_LO),
                cell("v6dr", ForwardingMethod.ROUTE, AddressFamily.IPV6, VipPlacement.DIRECTOR_LO),
                cell("v6tun", ForwardingMethod.TUNNEL, AddressFamily.IPV6, VipPlacement.DIRECTOR_LO),
                cell("v6fnat", ForwardingMethod.FULLNAT, AddressFamily.IPV6, VipPlacement.DIRECTOR_LO),
                cell("v6nat64", ForwardingMethod.FULLNAT, AddressFamily.NAT64, VipPlacement.DIRECTOR_LO),
                // the same cases with the kernel forwarding established connections: exact UDP counts show that no
                // frame is both forwarded by the kernel and by JVS, nor by neither, as flows come and go
                fastPathCell("fpnat", ForwardingMethod.MASQ),
                fastPathCell("fpdr", ForwardingMethod.ROUTE),
                fastPathCell("fpfnat", ForwardingMethod.FULLNAT),
                fastPathCell("fptun", ForwardingMethod.TUNNEL));
        return cells;
    }

    /** A cell whose director lets the kernel forward established connections (--fast-path). */
    private static LabCell fastPathCell(String name, ForwardingMethod method) {
        return new LabCell(name, method, AddressFamily.IPV4, VipPlacement.DIRECTOR_LO,
                List.of("--expire-nodest-conn", "--fast-path"));
    }

    /**
     * Every test reuses the VIP's ports after -C: a client port the kernel hands out again must not follow an earlier
     * test's connection (a DR one stays in FIN_WAIT for two minutes) to a real server -C deleted. These cells keep
     * every packet on the director's own path (--no-fast-path); the fast-path cells hand established connections to
     * the kernel, as a director does by default.
     */
    private static LabCell cell(String name, ForwardingMethod method, AddressFamily family, VipPlacement placement) {
        return new LabCell(name, method, family, placement, List.of("--expire-nodest-conn", "--no-fast-path"));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {1L << 10, 10L << 20})
    void shouldTransferRandomDataIntactBothWays(long bytes) {
        addService("-t", LvsLab.ECHO_PORT, "rr", LvsLab.ECHO_PORT, 1, 1, 1);
        CommandResult transfer = client.transfer(lvs.vip, LvsLab.ECHO_PORT, bytes);
        assertTrue(transfer.ok() && transfer.stdout().matches("(?sm).*^ok rs\\d " + bytes + "$.*"),
                "transfer via " + cell + ": " + transfer.describe() + " [" + transfer.stdout().strip()
                        + "]; director log: " + director.log());
    }

    @Test
    void shouldAnswerUdpRequestsRoundRobin() {
        addService("-u", LvsLab.UDP_PORT, "rr", LvsLab.UDP_PORT, 1, 1, 1);
        List<String> answers = client.udpRequests(lvs.vip, LvsLab.UDP_PORT, 6);
        Map<String, Integer> perServer = new HashMap<>();
        for (int i = 0; i < answers.size(); i++) {
            String answer = answers.get(i);
            assertTrue(answer.matches("rs\\d req-" + (i + 1)), "UDP request " + (i + 1) + " via " + cell
                    + " answered '" + answer + "' (all: " + answers + "); director log: " + director.log());
            perServer.merge(answer.substring(0, 3), 1, Integer::sum);
        }
        assertEquals(Map.of("rs1", 2, "rs2", 2, "rs3", 2), perServer, "rr over 6 UDP requests via " + cell);
    }

    @Test
    void shouldSpreadHttpRequestsRoundRobin() {
        assertThirtyHttpRequestsSpread("rr", Map.of("rs1", 10, "rs2", 10, "rs3", 10), 1, 1, 1);
    }

    @Test
    void shouldCountConnectionsPerRealServerInStats() {
        addService("-t", LvsLab.HTTP_PORT, "rr", LvsLab.HTTP_PORT, 1, 1, 1);
        Map<String, Integer> counts = client.httpCounts(lvs.vip, LvsLab.HTTP_PORT, 6);
        assertEquals(Map.of("rs1", 2, "rs2", 2, "rs3", 2), counts, "6 HTTP requests via " + cell);
        String stats = director.jvsadm("-L", "-n", "--stats").stdout();
        Map<String, Integer> connections = new HashMap<>();
        Matcher line = STATS_LINE.matcher(stats);
        while (line.find()) {
            connections.put(line.group(1), Integer.parseInt(line.group(2)));
        }
        Map<String, Integer> expected = new HashMap<>();
        for (String rip : lvs.rips) {
            expected.put(LvsLab.endpoint(rip, LvsLab.HTTP_PORT), 2);
        }
        assertEquals(expected, connections, "Conns per real server via " + cell + " in:\n" + stats);
    }

    /** One second of a steady stream at each rate, up to well below what the director saturates at. */
    @ParameterizedTest(name = "{0} datagrams/s")
    @ValueSource(ints = {1_000, 10_000, 40_000})
    @OnlyInCells(placements = VipPlacement.DIRECTOR_LO)
    void shouldDeliverEveryDatagramOfASteadyUdpStream(int rate) {
        SteadyUdp udp = steadyUdpService(SteadyUdp.SINK_PORT);
        udp.assertEveryDatagramArrives(rate, rate, cell.toString(), director);
    }

    /** Traffic arrives in bursts at line rate whatever its average: the director must absorb them, as the kernel does. */
    /**
     * With the kernel fast path, a steady stream of established flows does not reach the director: its frames_in
     * stays far below the datagrams sent, while its statistics (folded from the kernel's counts, about a second late
     * at most) count every one. A short stream first establishes the flows: what a cold director takes to handle
     * their first datagrams (while more queue in its ring) is not what is measured here.
     */
    @Test
    void shouldForwardAnEstablishedUdpStreamInTheKernelAndCountEveryDatagram() {
        Assumptions.assumeTrue(cell.fastPath(), "not a fast-path cell: " + cell);
        int warmUp = 200;
        int datagrams = 10_000;
        SteadyUdp udp = steadyUdpService(SteadyUdp.SINK_PORT);
        udp.assertEveryDatagramArrives(1_000, warmUp, cell.toString(), director);
        long framesBefore = counter(FRAMES_IN);
        udp.assertEveryDatagramArrives(datagrams, datagrams, cell.toString(), director);
        long framesIn = counter(FRAMES_IN) - framesBefore;
        assertTrue(framesIn < datagrams / 10, "frames_in rose by " + framesIn + " for " + datagrams
                + " datagrams: the kernel did not forward them; counters:\n" + director.counters());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long counted = inPackets(SteadyUdp.SINK_PORT);
        while (counted < warmUp + datagrams && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(200));
            counted = inPackets(SteadyUdp.SINK_PORT);
        }
        assertEquals(warmUp + datagrams, counted, "InPkts of the service after " + (warmUp + datagrams)
                + " datagrams via " + cell
                + ":\n" + director.jvsadm("-L", "-n", "--stats", "--exact").stdout() + "counters:\n"
                + director.counters());
    }

    /**
     * With the kernel fast path, an established TCP connection's data goes through the kernel: a 10 MiB transfer
     * arrives intact while the director installs the connection and folds the kernel's packets into its counts.
     */
    @Test
    void shouldCarryAnEstablishedTcpTransferThroughTheKernel() {
        Assumptions.assumeTrue(cell.fastPath(), "not a fast-path cell: " + cell);
        addService("-t", LvsLab.ECHO_PORT, "rr", LvsLab.ECHO_PORT, 1, 1, 1);
        long installedBefore = counter(FAST_PATH_INSTALLED);
        long foldedBefore = counter(FAST_PATH_FOLDED);
        long bytes = 10L << 20;
        CommandResult transfer = client.transfer(lvs.vip, LvsLab.ECHO_PORT, bytes);
        assertTrue(transfer.ok() && transfer.stdout().matches("(?sm).*^ok rs\\d " + bytes + "$.*"),
                "transfer via " + cell + ": " + transfer.describe() + "; director log: " + director.log());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (counter(FAST_PATH_FOLDED) - foldedBefore < 100 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(200));
        }
        String counters = director.counters();
        int directions = cell.method() == ForwardingMethod.ROUTE || cell.method() == ForwardingMethod.TUNNEL ? 1 : 2;
        assertTrue(counter(FAST_PATH_INSTALLED) - installedBefore >= directions, "fast_path_installed after a "
                + "transfer via " + cell + ":\n" + counters);
        assertTrue(counter(FAST_PATH_FOLDED) - foldedBefore >= 100, "fast_path_packets_folded after a 10 MiB "
                + "transfer via " + cell + ":\n" + counters);
    }

    @Test
    @OnlyInCells(placements = VipPlacement.DIRECTOR_LO)
    void shouldDeliverEveryDatagramOfALineRateBurst() {
        SteadyUdp udp = steadyUdpService(SteadyUdp.SINK_PORT);
        udp.assertEveryDatagramArrives(0, SteadyUdp.BURST, cell.toString(), director);
    }

    /** As IPVS behind nf_defrag: the fragments are made whole, forwarded, and fragmented again on the way out. */
    @Test
    @OnlyInCells(placements = VipPlacement.DIRECTOR_LO)
    void shouldCarryAFragmented4000ByteDatagramWholeToTheRealServerAndBack() {
        SteadyUdp udp = steadyUdpService(SteadyUdp.ECHO_PORT);
        udp.assertFragmentedDatagramEchoedIntact(4000, cell.toString(), director);
    }

    @Test
    @OnlyInCells(placements = VipPlacement.DIRECTOR_LO)
    void shouldAnswerEveryRequestOfASteadyUdpRequestStream() {
        SteadyUdp udp = steadyUdpService(SteadyUdp.ECHO_PORT);
        udp.assertEveryRequestAnswered(2_000, 6_000, cell.toString(), director);
    }

    @Test
    @OnlyInCells(placements = VipPlacement.DIRECTOR_LO)
    void shouldSpreadHttpRequestsByWeight() {
        assertThirtyHttpRequestsSpread("wrr", Map.of("rs1", 15, "rs2", 10, "rs3", 5), 3, 2, 1);
    }

    @Test
    @OnlyInCells(placements = VipPlacement.DIRECTOR_LO)
    void shouldKeepLongTransferOnQuiescedServerWhileNewConnectionsAvoidIt() {
        addService("-t", LvsLab.ECHO_PORT, "rr", LvsLab.ECHO_PORT, 1, 1, 1);
        Background longTransfer = client.transferInBackground("long-transfer", lvs.vip, LvsLab.ECHO_PORT,
                LONG_TRANSFER_BYTES, LONG_TRANSFER_RATE);
        Matcher started = longTransfer.awaitLine("^server (rs\\d)$", Duration.ofSeconds(10)).orElseThrow(
                () -> new AssertionError("long transfer via " + cell + " never reached a real server: "
                        + longTransfer.tail(5) + "; director log: " + director.log()));
        String quiesced = started.group(1);
        String quiescedRip = lvs.rips.get(LvsLab.NAMES.indexOf(quiesced));

        director.jvsadm(realServerCommand("-e", "-t", LvsLab.endpoint(lvs.vip, LvsLab.ECHO_PORT),
                LvsLab.endpoint(quiescedRip, LvsLab.ECHO_PORT), 0));
        for (int i = 0; i < 6; i++) {
            CommandResult fresh = client.transfer(lvs.vip, LvsLab.ECHO_PORT, 10_000);
            assertTrue(fresh.ok(), "new connection " + (i + 1) + " after quiescing " + quiesced + ": "
                    + fresh.describe() + "; director log: " + director.log());
            assertNotEquals(quiesced, serverOf(fresh), "new connection " + (i + 1) + " went to quiesced " + quiesced);
        }
        assertTrue(longTransfer.alive(), "the long transfer ended before the checks ran, so they proved nothing: "
                + longTransfer.tail(3));

        int exit = longTransfer.awaitExit(Duration.ofSeconds(60));
        assertEquals(0, exit, "long transfer to quiesced " + quiesced + " via " + cell + ": "
                + longTransfer.tail(3) + "; director log: " + director.log());
        assertTrue(longTransfer.output().contains("ok " + quiesced + " " + LONG_TRANSFER_BYTES),
                longTransfer.output());
    }

    @Test
    @OnlyInCells(methods = ForwardingMethod.MASQ, placements = VipPlacement.DIRECTOR_LO)
    void shouldMapVirtualPortToRealServerPort() {
        addService("-t", LvsLab.HTTP_PORT, "rr", LvsLab.MAPPED_HTTP_PORT, 1, 1, 1);
        Map<String, Integer> counts = client.httpCounts(lvs.vip, LvsLab.HTTP_PORT, 6);
        assertEquals(Map.of("rs1:8080", 2, "rs2:8080", 2, "rs3:8080", 2), counts,
                "VIP:80 -> RIP:8080; director log: " + director.log());
    }

    /**
     * The helper joins the segments of an upload into TCP super-packets on its TUN device: the data must still
     * arrive byte for byte, and the device must have taken fewer, larger packets than the wire carried.
     */
    @Test
    @OnlyInCells(methods = ForwardingMethod.TUNNEL, placements = VipPlacement.DIRECTOR_LO)
    void shouldCarryAnUploadIntactThroughTcpSuperPackets() {
        addService("-t", LvsLab.ECHO_PORT, "rr", LvsLab.ECHO_PORT, 1, 1, 1);
        long[] before = tunReceived();
        CommandResult transfer = client.transfer(lvs.vip, LvsLab.ECHO_PORT, UPLOAD_BYTES);
        long[] after = tunReceived();
        assertTrue(transfer.ok() && transfer.stdout().matches("(?sm).*^ok rs\\d " + UPLOAD_BYTES + "$.*"),
                "upload via " + cell + ": " + transfer.describe() + " [" + transfer.stdout().strip()
                        + "]; director log: " + director.log());
        long bytes = after[0] - before[0];
        long packets = after[1] - before[1];
        assertTrue(bytes >= UPLOAD_BYTES, "the TUN devices took " + bytes + " bytes of a " + UPLOAD_BYTES + "-byte upload");
        assertTrue(bytes / packets > 3000, "the TUN devices took " + packets + " packets for " + bytes
                + " bytes: segments were not joined into super-packets");
    }

    /**
     * -L --tun-info shows each real server's tunnel as ipvsadm 1.31 prints it, and the requests to each real server
     * came out of its helper's TUN device for that tunnel: the director encapsulated as the server's options say.
     */
    @Test
    @OnlyInCells(methods = ForwardingMethod.TUNNEL)
    void shouldListEachRealServersTunnelAndReachItThroughThatTunnel() {
        addService("-t", LvsLab.ECHO_PORT, "rr", LvsLab.ECHO_PORT, 1, 1, 1);
        addService("-u", LvsLab.UDP_PORT, "rr", LvsLab.UDP_PORT, 1, 1, 1);
        String listing = director.jvsadm("-L", "-n", "--tun-info").stdout();
        String tunnelInfo = cell.tunnel().tunnelInfo();
        for (String rip : lvs.rips) {
            for (int port : new int[] {LvsLab.ECHO_PORT, LvsLab.UDP_PORT}) {
                assertTrue(Pattern.compile("(?m)^  -> " + Pattern.quote(LvsLab.endpoint(rip, port)) + " +Tunnel +"
                        + Pattern.quote(tunnelInfo) + " ").matcher(listing).find(),
                        LvsLab.endpoint(rip, port) + " is not listed with tunnel " + tunnelInfo + " in:\n" + listing);
            }
        }

        long[][] before = tunReceivedPerServer();
        List<String> answers = client.udpRequests(lvs.vip, LvsLab.UDP_PORT, 6);
        long[][] after = tunReceivedPerServer();
        for (int i = 0; i < lvs.rips.size(); i++) {
            long packets = after[i][1] - before[i][1];
            assertTrue(packets >= 2, "6 UDP requests round robin via " + cell + " (answers " + answers + "): "
                    + packets + " packets came out of " + lvs.realServers.get(i) + "'s " + cell.tunDevice());
        }
    }

    /** RX bytes and packets of the helpers' TUN devices, summed over the real servers. */
    private long[] tunReceived() {
        long[] sums = new long[2];
        for (long[] received : tunReceivedPerServer()) {
            sums[0] += received[0];
            sums[1] += received[1];
        }
        return sums;
    }

    /** RX bytes and packets of each real server's helper TUN device, in the order of the real servers. */
    private long[][] tunReceivedPerServer() {
        long[][] received = new long[lvs.realServers.size()][];
        for (int i = 0; i < received.length; i++) {
            String rs = lvs.realServers.get(i);
            String stats = lvs.lab.run(rs, "ip", "-s", "link", "show", cell.tunDevice()).stdout();
            Matcher rx = RX_COUNTERS.matcher(stats);
            assertTrue(rx.find(), "no RX counters for " + cell.tunDevice() + " in " + rs + ": " + stats);
            received[i] = new long[] {Long.parseLong(rx.group(1)), Long.parseLong(rx.group(2))};
        }
        return received;
    }

    /** A counter of ./jvs counters (0 when it is not printed, as zero counters are not). */
    private long counter(Pattern line) {
        Matcher found = line.matcher(director.counters());
        return found.find() ? Long.parseLong(found.group(1)) : 0;
    }

    /** InPkts of the UDP service on VIP:port, from jvsadm -L -n --stats --exact. */
    private long inPackets(int port) {
        String stats = director.jvsadm("-L", "-n", "--stats", "--exact").stdout();
        Matcher line = Pattern.compile("(?m)^UDP\\s+" + Pattern.quote(LvsLab.endpoint(lvs.vip, port)) + "\\s+\\d+\\s+(\\d+)")
                .matcher(stats);
        return line.find() ? Long.parseLong(line.group(1)) : -1;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", interrupted);
        }
    }

    private void assertThirtyHttpRequestsSpread(String scheduler, Map<String, Integer> expected, int... weights) {
        addService("-t", LvsLab.HTTP_PORT, scheduler, LvsLab.HTTP_PORT, weights);
        Map<String, Integer> counts = client.httpCounts(lvs.vip, LvsLab.HTTP_PORT, 30);
        assertEquals(expected, counts, "30 HTTP requests via " + cell + " " + scheduler + " "
                + Arrays.toString(weights) + "; director log: " + director.log());
    }

    /** The steady-UDP servers (started once per cell) behind a rr service on {@code port}. */
    private SteadyUdp steadyUdpService(int port) {
        steadyUdp.startServers();
        addService("-u", port, "rr", port, 1, 1, 1);
        return steadyUdp;
    }

    /**
     * -A the service on the VIP and -a the three real servers with the cell's method and the given weights; a full-NAT
     * service of a lab whose family needs them gets the lab's local addresses (-P -z).
     */
    private void addService(String protocolFlag, int port, String scheduler, int realPort, int... weights) {
        String virtual = LvsLab.endpoint(lvs.vip, port);
        director.jvsadm("-A", protocolFlag, virtual, "-s", scheduler);
        if (cell.method() == ForwardingMethod.FULLNAT) {
            for (String local : lvs.localAddresses) {
                director.jvsadm("-P", protocolFlag, virtual, "-z", local);
            }
        }
        for (int i = 0; i < weights.length; i++) {
            director.jvsadm(realServerCommand("-a", protocolFlag, virtual, LvsLab.endpoint(lvs.rips.get(i), realPort),
                    weights[i]));
        }
    }

    /** -a or -e of a real server with the cell's method (and tunnel) and a weight. */
    private String[] realServerCommand(String command, String protocolFlag, String virtual, String real, int weight) {
        List<String> arguments = new ArrayList<>(List.of(command, protocolFlag, virtual, "-r", real));
        arguments.addAll(cell.realServerOptions());
        arguments.addAll(List.of("-w", String.valueOf(weight)));
        return arguments.toArray(String[]::new);
    }

    private static String serverOf(CommandResult transfer) {
        for (String line : transfer.stdout().split("\n")) {
            if (line.startsWith("server ")) {
                return line.substring("server ".length()).strip();
            }
        }
        return "(none)";
    }
}
