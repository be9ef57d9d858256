package org.jvs.linux;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard against the real kernel. Director namespace A (VIP on lo, ip_forward=1) sits between client B and NAT
 * real server R, which routes everything through A:
 * <pre>
 *   B jvstgb-a 198.18.0.2 --- 198.18.0.1 jvstga-b  A  jvstga-r 198.19.0.1 --- 198.19.0.2 jvstgr-a R
 * </pre>
 * A's address 198.19.0.1 also serves as the full-NAT local address (LIP), as it does when no LIP is configured.
 */
@Tag("netns")
class KernelGuardNetnsTest {
    private static final String A = "jvst-ga";
    private static final String B = "jvst-gb";
    private static final String R = "jvst-gr";
    private static final String VIP = "203.0.113.1";
    private static final String CLIENT = "198.18.0.2";
    private static final String RIP = "198.19.0.2";
    private static final String DIRECTOR_INSIDE = "198.19.0.1";
    private static final String RS_PORT = "8080";
    private static final int FULL_NAT_LOWEST = 10000;
    private static final int FULL_NAT_HIGHEST = 19999;

    /** Prints refused, timeout or connected for a TCP connect to argv[1]:argv[2] (IPv4 or IPv6) within argv[3] seconds. */
    static final String CONNECT = """
            import socket, sys
            s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
            s.settimeout(float(sys.argv[3]))
            try:
                s.connect((sys.argv[1], int(sys.argv[2])))
                print("connected")
            except ConnectionRefusedError:
                print("refused")
            except (socket.timeout, TimeoutError):
                print("timeout")
            """;

    /** Like CONNECT, from source address argv[4] and port argv[5] (0: an ephemeral port). */
    private static final String CONNECT_FROM = """
            import socket, sys
            s = socket.socket()
            s.settimeout(float(sys.argv[3]))
            s.bind((sys.argv[4], int(sys.argv[5])))
            try:
                s.connect((sys.argv[1], int(sys.argv[2])))
                print("connected")
            except ConnectionRefusedError:
                print("refused")
            except (socket.timeout, TimeoutError):
                print("timeout")
            """;

    /** A TCP listener on argv[1]:argv[2] that accepts and closes connections for argv[3] seconds; prints ready. */
    private static final String LISTEN = """
            import socket, sys, time
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], int(sys.argv[2])))
            s.listen(64)
            s.settimeout(0.2)
            print("ready")
            end = time.time() + float(sys.argv[3])
            while time.time() < end:
                try:
                    s.accept()[0].close()
                except (socket.timeout, TimeoutError):
                    pass
            """;

    /** On ETH_P_ALL (as JVS listens), prints ready, then syn once a received TCP SYN to argv[2]:argv[3] shows up. */
    private static final String SYN_TAP = """
            import socket, struct, sys, select, time
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
            s.bind((sys.argv[1], 0))
            vip, port = socket.inet_aton(sys.argv[2]), int(sys.argv[3])
            print("ready")
            end = time.time() + float(sys.argv[4])
            while time.time() < end:
                if not select.select([s], [], [], max(0, end - time.time()))[0]:
                    break
                frame, address = s.recvfrom(65535)
                if address[2] == socket.PACKET_OUTGOING or frame[12:14] != b"\\x08\\x00":
                    continue
                ip = frame[14:]
                ihl = (ip[0] & 15) * 4
                if ip[9] == 6 and ip[16:20] == vip and struct.unpack("!H", ip[ihl + 2:ihl + 4])[0] == port and ip[ihl + 13] & 2:
                    print("syn")
                    sys.exit(0)
            print("none")
            """;

    /**
     * Prints ready, then the source ports of the UDP datagrams reaching argv[1]:argv[2] (IPv4 or IPv6), up to and
     * including the first from port argv[3] (the marker), e.g. "8080 8081"; "timeout" if the marker never comes.
     */
    static final String UDP_SINK = """
            import socket, sys
            s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((sys.argv[1], int(sys.argv[2])))
            s.settimeout(10)
            print("ready")
            ports = []
            try:
                while not ports or ports[-1] != int(sys.argv[3]):
                    ports.append(s.recvfrom(2048)[1][1])
                print(" ".join(map(str, ports)))
            except (socket.timeout, TimeoutError):
                print("timeout")
            """;

    /**
     * Sends one UDP datagram from argv[1] to argv[4]:argv[5] (IPv4 or IPv6) from each source port argv[2] and argv[3],
     * in order.
     */
    static final String UDP_SEND = """
            import socket, sys
            for port in (sys.argv[2], sys.argv[3]):
                s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET, socket.SOCK_DGRAM)
                s.bind((sys.argv[1], int(port)))
                s.sendto(b"reply from the real server", (sys.argv[4], int(sys.argv[5])))
            print("sent")
            """;

    @BeforeAll
    static void createNetwork() throws Exception {
        try {
            KernelGuardNetns.create(A, B, R);
            KernelGuardNetns.ip(
                    "link add jvstga-b netns " + A + " type veth peer name jvstgb-a netns " + B,
                    "link add jvstga-r netns " + A + " type veth peer name jvstgr-a netns " + R,
                    "-n " + A + " addr add 198.18.0.1/24 dev jvstga-b",
                    "-n " + A + " addr add 198.19.0.1/24 dev jvstga-r",
                    "-n " + A + " addr add " + VIP + "/32 dev lo",
                    "-n " + A + " link set jvstga-b up",
                    "-n " + A + " link set jvstga-r up",
                    "-n " + B + " addr add " + CLIENT + "/24 dev jvstgb-a",
                    "-n " + B + " link set jvstgb-a up",
                    "-n " + B + " route add " + VIP + "/32 via 198.18.0.1",
                    "-n " + B + " route add 198.19.0.0/24 via 198.18.0.1",
                    "-n " + R + " addr add " + RIP + "/24 dev jvstgr-a",
                    "-n " + R + " link set jvstgr-a up",
                    "-n " + R + " route add default via 198.19.0.1");
            KernelGuardNetns.run("ip", "netns", "exec", A, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        } catch (Exception e) {
            deleteNetwork();
            throw e;
        }
    }

    @AfterAll
    static void deleteNetwork() {
        KernelGuardNetns.delete(A, B, R);
    }

    @Test
    void shouldSilenceKernelForGuardedServiceWhilePacketSocketStillSeesSyn() throws Exception {
        assertEquals("refused", connectToVip(80), "without the guard A's kernel must reset the connection");
        KernelGuard guard = attachInA("jvstga-b");
        try {
            guard.addService(Protocol.TCP, Ipv4.parse(VIP), 80);
            try (KernelGuardNetns.Script tap = KernelGuardNetns.python(A, SYN_TAP, "jvstga-b", VIP, "80", "6")) {
                assertEquals("ready", tap.readLine(10_000));
                assertEquals("timeout", connectToVip(80), "the guarded SYN must not reach A's TCP stack");
                assertEquals("syn", tap.readLine(10_000), "AF_PACKET in A must still receive the SYN");
            }
            guard.removeService(Protocol.TCP, Ipv4.parse(VIP), 80);
            assertEquals("refused", connectToVip(80), "removing the service must give the kernel the SYN back");
        } finally {
            guard.close();
        }
    }

    @Test
    void shouldSilenceEveryPortOfAPortZeroService() throws Exception {
        KernelGuard guard = attachInA("jvstga-b");
        try {
            guard.addService(Protocol.TCP, Ipv4.parse(VIP), 0);
            assertEquals("timeout", connectToVip(80), "a port-zero service covers port 80");
            assertEquals("timeout", connectToVip(81), "and every other port");
        } finally {
            guard.close();
        }
        assertEquals("refused", connectToVip(81), "closing the guard gives the kernel its packets back");
    }

    @ParameterizedTest(name = "guarding protocol {0} {1}:{2} leaves TCP 203.0.113.1:80 alone")
    @CsvSource({
            "6, 203.0.113.1, 81",
            "17, 203.0.113.1, 80",
            "6, 203.0.113.2, 80",
    })
    void shouldPassPacketsOfUnguardedServices(int protocol, String vip, int port) throws Exception {
        KernelGuard guard = attachInA("jvstga-b");
        try {
            guard.addService(protocol, Ipv4.parse(vip), port);
            assertEquals("refused", connectToVip(80));
        } finally {
            guard.close();
        }
    }

    @Test
    void shouldStopForwardingRepliesOfNatRealServerOnInterfaceAttachedLater() throws Exception {
        assertEquals("8080 8081", repliesReachingClient(), "with ip_forward=1 A forwards the real server's replies");
        KernelGuard guard = attachInA();
        try {
            KernelGuardNetns.inNamespace(A, () -> {
                guard.attachInterface(Native.ifNameToIndex("jvstga-r"));
                return null;
            });
            guard.addNatRealServer(Protocol.UDP, Ipv4.parse(RIP), 8080);
            assertTrue(guard.holds(false, Protocol.UDP, Ipv4.parse(RIP), 8080));
            assertEquals("8081", repliesReachingClient(), "a guarded reply must not be forwarded un-NATed, others must");
            guard.removeNatRealServer(Protocol.UDP, Ipv4.parse(RIP), 8080);
            assertEquals("8080 8081", repliesReachingClient(), "removing the real server must restore forwarding");
        } finally {
            guard.close();
        }
    }

    @Test
    void shouldPassNatRealServerRepliesToTheHostItselfAndDropThoseToClients() throws Exception {
        try (KernelGuardNetns.Script server = KernelGuardNetns.python(R, LISTEN, RIP, RS_PORT, "30")) {
            assertEquals("ready", server.readLine(10_000));
            assertEquals("connected", connectFromB(), "without the guard A forwards between client and real server");
            KernelGuard guard = attachInA("jvstga-r");
            try {
                guard.addNatRealServer(Protocol.TCP, Ipv4.parse(RIP), Integer.parseInt(RS_PORT));
                assertEquals("timeout", connectFromA(DIRECTOR_INSIDE, 0), "a guard unaware of A's addresses drops all");
                LinuxHostNetwork network = KernelGuardNetns.inNamespace(A, LinuxHostNetwork::open);
                try {
                    guard.hostAddresses(network.localAddresses());
                    assertEquals("connected", connectFromA(DIRECTOR_INSIDE, 0), "A's own connection: a health check");
                    assertEquals("timeout", connectFromB(), "the reply to client B must not be forwarded un-NATed");

                    KernelGuardNetns.ip("-n " + A + " addr add 198.19.0.10/24 dev jvstga-r");
                    assertTrue(awaitChange(network), "rtnetlink must announce the new address");
                    guard.hostAddresses(network.localAddresses());
                    assertEquals("connected", connectFromA("198.19.0.10", 0), "an address added later is followed");
                    KernelGuardNetns.ip("-n " + A + " addr del 198.19.0.10/24 dev jvstga-r");
                } finally {
                    network.close();
                }
            } finally {
                guard.close();
            }
        }
    }

    @Test
    void shouldDropFullNatRepliesToLocalAddressOnlyWithinThePortRange() throws Exception {
        String kernelRange = KernelGuardNetns.run("ip", "netns", "exec", A, "sysctl", "-n", "net.ipv4.ip_local_port_range");
        assertNull(LocalPortRange.parse(kernelRange).overlapWarning(FULL_NAT_LOWEST, FULL_NAT_HIGHEST),
                "the test's ephemeral connections must stay outside the full-NAT range");
        try (KernelGuardNetns.Script server = KernelGuardNetns.python(R, LISTEN, RIP, RS_PORT, "30")) {
            assertEquals("ready", server.readLine(10_000));
            KernelGuard guard = attachInA("jvstga-r");
            try {
                guard.addFullNatRealServer(Protocol.TCP, Ipv4.parse(RIP), Integer.parseInt(RS_PORT));
                guard.addLocalAddress(Ipv4.parse(DIRECTOR_INSIDE));
                guard.fullNatPorts(FULL_NAT_LOWEST, FULL_NAT_HIGHEST);
                assertEquals("timeout", connectFromA(DIRECTOR_INSIDE, FULL_NAT_LOWEST), "lowest port of the range");
                assertEquals("timeout", connectFromA(DIRECTOR_INSIDE, FULL_NAT_HIGHEST), "highest port of the range");
                assertEquals("connected", connectFromA(DIRECTOR_INSIDE, FULL_NAT_HIGHEST + 1), "above the range");
                assertEquals("connected", connectFromA(DIRECTOR_INSIDE, FULL_NAT_LOWEST - 1), "below the range");
                assertEquals("connected", connectFromA(DIRECTOR_INSIDE, 0), "a health check's ephemeral port");
                guard.removeLocalAddress(Ipv4.parse(DIRECTOR_INSIDE));
                assertEquals("connected", connectFromA(DIRECTOR_INSIDE, FULL_NAT_LOWEST + 1), "no longer a LIP");
            } finally {
                guard.close();
            }
        }
    }

    @Test
    void shouldDetachFromInterfacesOnClose() throws Exception {
        KernelGuard guard = attachInA("jvstga-b");
        guard.addService(Protocol.TCP, Ipv4.parse(VIP), 80);
        assertEquals("timeout", connectToVip(80));
        guard.close();
        assertEquals("refused", connectToVip(80), "closing the guard must detach it");
    }

    @Test
    void shouldCarryVerifierLogWhenProgramIsRejected() {
        BpfAssembler asm = new BpfAssembler();
        asm.exit();
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> BpfProgram.load(BpfProgram.TYPE_SCHED_CLS, "jvs_bad", asm.assemble()));
        assertTrue(e.getMessage().startsWith("bpf(BPF_PROG_LOAD jvs_bad): "), e.getMessage());
        assertTrue(e.getMessage().contains("verifier log:\n") && e.getMessage().contains("R0 !read_ok"), e.getMessage());
    }

    private static KernelGuard attachInA(String... interfaces) throws Exception {
        AtomicReference<KernelGuard> guard = new AtomicReference<>();
        KernelGuardNetns.inNamespace(A, () -> {
            int[] ifindexes = new int[interfaces.length];
            for (int i = 0; i < interfaces.length; i++) {
                ifindexes[i] = Native.ifNameToIndex(interfaces[i]);
                assertTrue(ifindexes[i] > 0, interfaces[i] + " must exist in " + A);
            }
            guard.set(KernelGuard.attach(ifindexes));
            return null;
        });
        return guard.get();
    }

    private static String connectFromA(String source, int sourcePort) throws Exception {
        return KernelGuardNetns.pythonResult(A, CONNECT_FROM, RIP, RS_PORT, "1.5", source, Integer.toString(sourcePort));
    }

    private static String connectFromB() throws Exception {
        return KernelGuardNetns.pythonResult(B, CONNECT, RIP, RS_PORT, "1.5");
    }

    /** Polls A's rtnetlink notifications for up to 5 s; true once a change has been seen and taken in. */
    private static boolean awaitChange(LinuxHostNetwork network) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            if (network.pollChanges()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static String connectToVip(int port) throws Exception {
        return KernelGuardNetns.pythonResult(B, CONNECT, VIP, Integer.toString(port), "1.5");
    }

    /** Source ports of R's replies from RIP:8080 and then RIP:8081 (unguarded marker) that B receives. */
    private static String repliesReachingClient() throws Exception {
        try (KernelGuardNetns.Script sink = KernelGuardNetns.python(B, UDP_SINK, CLIENT, "7000", "8081")) {
            assertEquals("ready", sink.readLine(10_000));
            assertEquals("sent", KernelGuardNetns.pythonResult(R, UDP_SEND, RIP, "8080", "8081", CLIENT, "7000"));
            return sink.readLine(15_000);
        }
    }
}
