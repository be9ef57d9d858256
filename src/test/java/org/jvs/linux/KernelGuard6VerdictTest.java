package org.jvs.linux;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.service.Ipv4;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The guard program's IPv6 paths, run by the kernel on hand-made frames (BPF_PROG_TEST_RUN), as
 * {@link KernelGuardVerdictTest} runs the IPv4 ones. The guard holds:
 * <pre>
 *   services      TCP [2001:db8:f::1]:80, UDP [2001:db8:f::2]:any; and TCP 203.0.113.1:80 (IPv4), which its
 *                 IPv4-mapped IPv6 address does not meet
 *   NAT66         TCP [2001:db8:2::2]:8080, TCP [2001:db8:2::3]:any
 *   full NAT      TCP [2001:db8:2::4]:80; LIP 2001:db8:d::100; ports 10000-19999
 *   host          2001:db8:d::1 (the director's own address)
 * </pre>
 */
@Tag("netns")
class KernelGuard6VerdictTest {
    private static final String DROP = "drop";
    private static final String NEXT = "next";
    private static final int NO_FRAGMENT = -1;
    private static final int ICMPV6 = 58;
    private static KernelGuard guard;

    @BeforeAll
    static void loadGuard() throws Exception {
        guard = KernelGuard.attach(new int[0], LocalPortRange.UNKNOWN);
        add(Protocol.TCP, "2001:db8:f::1", 80, guard::addService6);
        add(Protocol.UDP, "2001:db8:f::2", 0, guard::addService6);
        guard.addService(Protocol.TCP, Ipv4.parse("203.0.113.1"), 80);
        add(Protocol.TCP, "2001:db8:2::2", 8080, guard::addNatRealServer6);
        add(Protocol.TCP, "2001:db8:2::3", 0, guard::addNatRealServer6);
        add(Protocol.TCP, "2001:db8:2::4", 80, guard::addFullNatRealServer6);
        Ipv6 lip = Ipv6.parse("2001:db8:d::100");
        guard.addLocalAddress6(lip.hi(), lip.lo());
        guard.fullNatPorts(10000, 19999);
        guard.hostAddresses6(List.of(Ipv6.parse("2001:db8:d::1")));
    }

    private interface Entry {
        void add(int protocol, long hi, long lo, int port);
    }

    private static void add(int protocol, String address, int port, Entry entry) {
        Ipv6 parsed = Ipv6.parse(address);
        entry.add(protocol, parsed.hi(), parsed.lo(), port);
    }

    @AfterAll
    static void closeGuard() {
        if (guard != null) {
            guard.close();
        }
    }

    @ParameterizedTest(name = "{0}: proto {1} [{2}]:{3} -> [{4}]:{5} {6}")
    @CsvSource({
            "request to a service,                  6, 2001:db8:c::2, 40000, 2001:db8:f::1, 80, drop",
            "other port of the VIP,                 6, 2001:db8:c::2, 40000, 2001:db8:f::1, 81, next",
            "other protocol of the service,        17, 2001:db8:c::2, 40000, 2001:db8:f::1, 80, next",
            "port-zero service,                    17, 2001:db8:c::2, 40000, 2001:db8:f::2, 53, drop",
            "IPv4 service's address as IPv6,        6, 2001:db8:c::2, 40000, ::ffff:203.0.113.1, 80, next",
            "NAT66 reply to a client,               6, 2001:db8:2::2, 8080, 2001:db8:c::2, 40000, drop",
            "NAT66 real server answering the host,  6, 2001:db8:2::2, 8080, 2001:db8:d::1, 40000, next",
            "other port of the RIP,                 6, 2001:db8:2::2, 8081, 2001:db8:c::2, 40000, next",
            "any-port NAT66 reply,                  6, 2001:db8:2::3, 1234, 2001:db8:c::2, 40000, drop",
            "full-NAT reply in the port range,      6, 2001:db8:2::4, 80, 2001:db8:d::100, 10000, drop",
            "full-NAT reply above the range,        6, 2001:db8:2::4, 80, 2001:db8:d::100, 20000, next",
            "full-NAT RIP to a non-LIP,             6, 2001:db8:2::4, 80, 2001:db8:c::2, 15000, next",
            "ICMPv6 to a service's VIP,            58, 2001:db8:c::2, 0, 2001:db8:f::1, 0, next",
    })
    void shouldGiveVerdictForIpv6Packet(String why, int protocol, String saddr, int sport, String daddr, int dport,
                                        String expected) throws Exception {
        assertEquals(expected, verdict(frame(protocol, saddr, sport, daddr, dport, NO_FRAGMENT)), why);
    }

    /** Every IPv6 fragment, the first one too, is matched by the protocol its fragment header names and the address. */
    @ParameterizedTest(name = "{0}: proto {1} {2} -> {3} offset {4}")
    @CsvSource({
            "first fragment to a service,            6, 2001:db8:c::2, 2001:db8:f::1, 0, drop",
            "later fragment to a service,            6, 2001:db8:c::2, 2001:db8:f::1, 185, drop",
            "fragment to a port-zero service,       17, 2001:db8:c::2, 2001:db8:f::2, 185, drop",
            "fragment of another protocol,          17, 2001:db8:c::2, 2001:db8:f::1, 185, next",
            "fragmented ICMPv6 to a VIP,            58, 2001:db8:c::2, 2001:db8:f::1, 185, next",
            "fragment to an unknown address,         6, 2001:db8:c::2, 2001:db8:f::9, 185, next",
            "fragment of a NAT66 reply,              6, 2001:db8:2::2, 2001:db8:c::2, 185, drop",
            "NAT66 real server's fragment to host,   6, 2001:db8:2::2, 2001:db8:d::1, 185, next",
            "fragment of a full-NAT reply,           6, 2001:db8:2::4, 2001:db8:d::100, 185, drop",
            "full-NAT RIP's fragment to a non-LIP,   6, 2001:db8:2::4, 2001:db8:c::2, 185, next",
    })
    void shouldGiveVerdictForIpv6Fragment(String why, int protocol, String saddr, String daddr, int offset,
                                          String expected) throws Exception {
        assertEquals(expected, verdict(frame(protocol, saddr, 40000, daddr, 80, offset)), why);
    }

    @Test
    void shouldPassNeighbourSolicitationForAVip() throws Exception {
        byte[] solicitation = frame(ICMPV6, "2001:db8:c::2", 0, "ff02::1:ff00:1", 0, NO_FRAGMENT);
        solicitation[14 + 40] = (byte) 135;
        assertEquals(NEXT, verdict(solicitation));
    }

    @Test
    void shouldNotReadBeyondATruncatedHeader() throws Exception {
        byte[] whole = frame(Protocol.TCP, "2001:db8:c::2", 40000, "2001:db8:f::1", 80, NO_FRAGMENT);
        // (BPF_PROG_TEST_RUN itself refuses an IPv6 frame shorter than the fixed header)
        assertEquals(NEXT, verdict(java.util.Arrays.copyOf(whole, 14 + 40 + 2)), "ports cut off");
        byte[] fragment = frame(Protocol.TCP, "2001:db8:c::2", 40000, "2001:db8:f::1", 80, 185);
        assertEquals(NEXT, verdict(java.util.Arrays.copyOf(fragment, 14 + 40 + 4)), "fragment header cut off");
    }

    @Test
    void shouldStopDroppingOnceTheServiceIsRemoved() throws Exception {
        try (KernelGuard fresh = KernelGuard.attach(new int[0], LocalPortRange.UNKNOWN)) {
            Ipv6 vip = Ipv6.parse("2001:db8:f::7");
            byte[] served = frame(Protocol.UDP, "2001:db8:c::2", 40000, vip.toString(), 53, NO_FRAGMENT);
            byte[] fragment = frame(Protocol.UDP, "2001:db8:c::2", 40000, vip.toString(), 53, 185);
            fresh.addService6(Protocol.UDP, vip.hi(), vip.lo(), 53);
            fresh.addService6(Protocol.UDP, vip.hi(), vip.lo(), 54);
            assertEquals(List.of(DROP, DROP), List.of(verdict(fresh, served), verdict(fresh, fragment)));
            fresh.removeService6(Protocol.UDP, vip.hi(), vip.lo(), 53);
            assertEquals(List.of(NEXT, DROP), List.of(verdict(fresh, served), verdict(fresh, fragment)),
                    "the fragment key stays while port 54 is held");
            fresh.removeService6(Protocol.UDP, vip.hi(), vip.lo(), 54);
            assertEquals(NEXT, verdict(fresh, fragment));
            assertEquals(3, fresh.drops(), "the served frame once, the fragment twice");
        }
    }

    private static String verdict(byte[] frame) throws Exception {
        return verdict(guard, frame);
    }

    private static String verdict(KernelGuard guard, byte[] frame) throws Exception {
        int verdict = guard.verdict(frame);
        return verdict == GuardProgram.TCX_DROP ? DROP : verdict == GuardProgram.TCX_NEXT ? NEXT : "returned " + verdict;
    }

    /**
     * Ethernet + IPv6 + (a fragment header at offset in 8-byte units, or none for NO_FRAGMENT) + the first 8 bytes
     * of the upper layer, ports first.
     */
    private static byte[] frame(int protocol, String saddr, int sport, String daddr, int dport, int fragmentOffset) {
        int fragmentHeader = fragmentOffset == NO_FRAGMENT ? 0 : 8;
        ByteBuffer frame = ByteBuffer.allocate(14 + 40 + fragmentHeader + 8);
        frame.putLong(0x3333_0000_0001L << 16).putInt(0x0200_5e10).putShort((short) 0x86DD);
        Ipv6 source = Ipv6.parse(saddr);
        Ipv6 destination = Ipv6.parse(daddr);
        frame.putInt(0x6000_0000).putShort((short) (fragmentHeader + 8))
                .put((byte) (fragmentHeader == 0 ? protocol : 44)).put((byte) 64)
                .putLong(source.hi()).putLong(source.lo()).putLong(destination.hi()).putLong(destination.lo());
        if (fragmentHeader != 0) {
            frame.put((byte) protocol).put((byte) 0).putShort((short) (fragmentOffset << 3 | 1)).putInt(0x1234);
        }
        frame.putShort((short) sport).putShort((short) dport);
        return frame.array();
    }
}
