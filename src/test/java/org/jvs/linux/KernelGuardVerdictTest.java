package org.jvs.linux;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every path of the guard program, run by the kernel itself on hand-made frames (BPF_PROG_TEST_RUN): no interface,
 * no namespace, but root for bpf(2), hence the tag. The guard holds:
 * <pre>
 *   services      TCP 203.0.113.1:80, UDP 203.0.113.2:any
 *   NAT           TCP 198.19.0.2:8080, TCP 198.19.0.3:any, TCP 198.19.0.5:80 (also full NAT)
 *   full NAT      TCP 198.19.0.4:80, TCP 198.19.0.5:80; LIPs 198.19.0.100 and 198.19.0.1; ports 10000-19999
 *   host          198.19.0.1 (the director's own address, here also a LIP)
 * </pre>
 */
@Tag("netns")
class KernelGuardVerdictTest {
    private static final String DROP = "drop";
    private static final String NEXT = "next";
    private static KernelGuard guard;

    @BeforeAll
    static void loadGuard() throws Exception {
        guard = KernelGuard.attach(new int[0], LocalPortRange.UNKNOWN);
        guard.addService(Protocol.TCP, Ipv4.parse("203.0.113.1"), 80);
        guard.addService(Protocol.UDP, Ipv4.parse("203.0.113.2"), 0);
        guard.addNatRealServer(Protocol.TCP, Ipv4.parse("198.19.0.2"), 8080);
        guard.addNatRealServer(Protocol.TCP, Ipv4.parse("198.19.0.3"), 0);
        guard.addNatRealServer(Protocol.TCP, Ipv4.parse("198.19.0.5"), 80);
        guard.addFullNatRealServer(Protocol.TCP, Ipv4.parse("198.19.0.4"), 80);
        guard.addFullNatRealServer(Protocol.TCP, Ipv4.parse("198.19.0.5"), 80);
        guard.addLocalAddress(Ipv4.parse("198.19.0.100"));
        guard.addLocalAddress(Ipv4.parse("198.19.0.1"));
        guard.fullNatPorts(10000, 19999);
        guard.hostAddresses(Ipv4.parse("198.19.0.1"), Ipv4.parse("198.18.0.1"));
    }

    @AfterAll
    static void closeGuard() {
        if (guard != null) {
            guard.close();
        }
    }

    @ParameterizedTest(name = "{0}: proto {1} {2}:{3} -> {4}:{5} {6}")
    @CsvSource({
            "request to a service,                 6, 198.18.0.2, 40000, 203.0.113.1, 80, drop",
            "other port of the VIP,                6, 198.18.0.2, 40000, 203.0.113.1, 81, next",
            "other protocol of the service,       17, 198.18.0.2, 40000, 203.0.113.1, 80, next",
            "port-zero service,                   17, 198.18.0.2, 40000, 203.0.113.2, 53, drop",
            "NAT reply to a client,                6, 198.19.0.2, 8080, 198.18.0.2, 40000, drop",
            "NAT real server answering the host,   6, 198.19.0.2, 8080, 198.19.0.1, 40000, next",
            "NAT real server answering host addr,  6, 198.19.0.2, 8080, 198.18.0.1, 40000, next",
            "other port of the RIP,                6, 198.19.0.2, 8081, 198.18.0.2, 40000, next",
            "any-port NAT reply to a client,       6, 198.19.0.3, 1234, 198.18.0.2, 40000, drop",
            "any-port NAT server answering host,   6, 198.19.0.3, 1234, 198.19.0.1, 40000, next",
            "full-NAT reply at lowest port,        6, 198.19.0.4, 80, 198.19.0.100, 10000, drop",
            "full-NAT reply at highest port,       6, 198.19.0.4, 80, 198.19.0.100, 19999, drop",
            "full-NAT RIP below the range,         6, 198.19.0.4, 80, 198.19.0.100, 9999, next",
            "full-NAT RIP above the range,         6, 198.19.0.4, 80, 198.19.0.100, 20000, next",
            "port whose wire bytes read in range,  6, 198.19.0.4, 80, 198.19.0.100, 4135, next",
            "full-NAT RIP to a non-LIP,            6, 198.19.0.4, 80, 198.18.0.2, 15000, next",
            "other port of the full-NAT RIP,       6, 198.19.0.4, 81, 198.19.0.100, 15000, next",
            "other protocol of the full-NAT RIP,  17, 198.19.0.4, 80, 198.19.0.100, 15000, next",
            "full-NAT reply to a host-held LIP,    6, 198.19.0.5, 80, 198.19.0.1, 15000, drop",
            "health check of a NAT+FNAT server,    6, 198.19.0.5, 80, 198.19.0.1, 40000, next",
            "NAT reply of a NAT+FNAT server,       6, 198.19.0.5, 80, 198.18.0.2, 40000, drop",
    })
    void shouldGiveVerdictForPacket(String why, int protocol, String saddr, int sport, String daddr, int dport,
                                    String expected) throws Exception {
        byte[] frame = frame(protocol, Ipv4.parse(saddr), sport, Ipv4.parse(daddr), dport, 5, 0);
        assertEquals(expected, verdict(guard, frame), why);
    }

    @Test
    void shouldMatchPortsBehindIpOptions() throws Exception {
        byte[] frame = frame(Protocol.TCP, Ipv4.parse("198.18.0.2"), 40000, Ipv4.parse("203.0.113.1"), 80, 6, 0);
        assertEquals(DROP, verdict(guard, frame));
    }

    /** A later fragment has no ports: matched by protocol and address, as any port of the address would be. */
    @ParameterizedTest(name = "{0}: proto {1} {2} -> {3} fragment {4}")
    @CsvSource({
            "later fragment to a service's VIP,     6, 198.18.0.2, 203.0.113.1, 185, drop",
            "later fragment to a port-zero service, 17, 198.18.0.2, 203.0.113.2, 185, drop",
            "first fragment to a service (ports),   6, 198.18.0.2, 203.0.113.1, 8192, drop",
            "later fragment of another protocol,   17, 198.18.0.2, 203.0.113.1, 185, next",
            "later fragment to an unknown address,  6, 198.18.0.2, 203.0.113.9, 185, next",
            "later fragment of a NAT reply,         6, 198.19.0.2, 198.18.0.2, 185, drop",
            "NAT real server's fragment to host,    6, 198.19.0.2, 198.18.0.1, 185, next",
            "later fragment of a full-NAT reply,    6, 198.19.0.4, 198.19.0.100, 185, drop",
            "full-NAT RIP's fragment to a non-LIP,  6, 198.19.0.4, 198.18.0.2, 185, next",
    })
    void shouldGiveVerdictForFragment(String why, int protocol, String saddr, String daddr, int fragmentField,
                                      String expected) throws Exception {
        byte[] frame = frame(protocol, Ipv4.parse(saddr), 40000, Ipv4.parse(daddr), 80, 5, fragmentField);
        assertEquals(expected, verdict(guard, frame), why);
    }

    /** Every frame the guard keeps from the kernel is counted, and nothing it lets through. */
    @Test
    void shouldCountEveryFrameItDrops() throws Exception {
        try (KernelGuard fresh = KernelGuard.attach(new int[0], LocalPortRange.UNKNOWN)) {
            int vip = Ipv4.parse("203.0.113.7");
            fresh.addService(Protocol.UDP, vip, 53);
            byte[] served = frame(Protocol.UDP, Ipv4.parse("198.18.0.2"), 40000, vip, 53, 5, 0);
            byte[] other = frame(Protocol.UDP, Ipv4.parse("198.18.0.2"), 40000, vip, 54, 5, 0);
            for (int i = 0; i < 3; i++) {
                assertEquals(DROP, verdict(fresh, served));
                assertEquals(NEXT, verdict(fresh, other));
            }
            assertEquals(3, fresh.drops());
        }
    }

    @Test
    void shouldKeepAnAddressesFragmentKeyWhileAnyOfItsPortsIsGuarded() throws Exception {
        try (KernelGuard fresh = KernelGuard.attach(new int[0], LocalPortRange.UNKNOWN)) {
            int vip = Ipv4.parse("203.0.113.7");
            byte[] fragment = frame(Protocol.TCP, Ipv4.parse("198.18.0.2"), 40000, vip, 80, 5, 185);
            fresh.addService(Protocol.TCP, vip, 80);
            fresh.addService(Protocol.TCP, vip, 443);
            fresh.removeService(Protocol.TCP, vip, 80);
            assertEquals(DROP, verdict(fresh, fragment), "port 443 still served");
            fresh.removeService(Protocol.TCP, vip, 443);
            assertEquals(NEXT, verdict(fresh, fragment), "no port of the VIP left");
        }
    }

    @Test
    void shouldPassEveryFullNatReplyUntilThePortRangeIsSet() throws Exception {
        try (KernelGuard fresh = KernelGuard.attach(new int[0], LocalPortRange.UNKNOWN)) {
            fresh.addFullNatRealServer(Protocol.TCP, Ipv4.parse("198.19.0.4"), 80);
            fresh.addLocalAddress(Ipv4.parse("198.19.0.100"));
            for (int port : new int[] {0, 1, 15000, 65535}) {
                byte[] frame = frame(Protocol.TCP, Ipv4.parse("198.19.0.4"), 80, Ipv4.parse("198.19.0.100"), port, 5, 0);
                assertEquals(NEXT, verdict(fresh, frame), "port " + port);
            }
            fresh.fullNatPorts(1, 65535);
            byte[] frame = frame(Protocol.TCP, Ipv4.parse("198.19.0.4"), 80, Ipv4.parse("198.19.0.100"), 65535, 5, 0);
            assertEquals(DROP, verdict(fresh, frame), "the whole range covers 65535");
            fresh.removeLocalAddress(Ipv4.parse("198.19.0.100"));
            assertEquals(NEXT, verdict(fresh, frame), "no longer a LIP");
        }
    }

    @Test
    void shouldReplaceHostAddressesSoARemovedOneNoLongerPassesNatReplies() throws Exception {
        try (KernelGuard fresh = KernelGuard.attach(new int[0], LocalPortRange.UNKNOWN)) {
            int host = Ipv4.parse("198.19.0.1");
            int other = Ipv4.parse("198.19.0.9");
            fresh.addNatRealServer(Protocol.TCP, Ipv4.parse("198.19.0.2"), 8080);
            byte[] frame = frame(Protocol.TCP, Ipv4.parse("198.19.0.2"), 8080, host, 40000, 5, 0);
            assertEquals(DROP, verdict(fresh, frame), "before the guard knows the host's addresses");
            fresh.hostAddresses(host, other);
            assertEquals(NEXT, verdict(fresh, frame));
            fresh.hostAddresses(other);
            assertEquals(DROP, verdict(fresh, frame), "the address left the host");
            assertFalse(fresh.holdsHostAddress(host));
            assertTrue(fresh.holdsHostAddress(other));
        }
    }

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource({"0, 100", "100, 99", "1, 65536"})
    void shouldRefuseInvalidPortRange(int lowest, int highest) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> guard.fullNatPorts(lowest, highest));
        assertEquals("full-NAT port range " + lowest + "-" + highest
                + " is not valid (expected 1 <= lowest <= highest <= 65535)", e.getMessage());
    }

    private static String verdict(KernelGuard guard, byte[] frame) throws Exception {
        int verdict = guard.verdict(frame);
        return verdict == GuardProgram.TCX_DROP ? DROP : verdict == GuardProgram.TCX_NEXT ? NEXT : "returned " + verdict;
    }

    /**
     * Ethernet + IPv4 (ihl words, the flags-and-fragment-offset field as given: offset in 8-byte units, 0x2000 MF)
     * + the first 8 bytes of TCP or UDP, padded.
     */
    private static byte[] frame(int protocol, int saddr, int sport, int daddr, int dport, int ihl, int fragmentOffset) {
        ByteBuffer frame = ByteBuffer.allocate(14 + ihl * 4 + 20 + 8);
        frame.putLong(0x0200_5e10_0001L << 16).putInt(0x0200_5e10).putShort((short) 0x0800);
        frame.put((byte) (0x40 | ihl)).put((byte) 0).putShort((short) (frame.capacity() - 14))
                .putShort((short) 1).putShort((short) fragmentOffset)
                .put((byte) 64).put((byte) protocol).putShort((short) 0)
                .putInt(saddr).putInt(daddr);
        frame.position(14 + ihl * 4);
        frame.putShort((short) sport).putShort((short) dport);
        return frame.array();
    }
}
