package org.jvs.linux;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The guard's IPv6 rules against the real kernel, as {@link KernelGuardNetnsTest} checks the IPv4 ones (with its
 * scripts, which take either family). Director
 * namespace A (VIP on lo, IPv6 forwarding on) sits between client B and NAT66 real server R:
 * <pre>
 *   B v6gb-a 2001:db8:b::2 --- 2001:db8:b::1 v6ga-b  A  v6ga-r 2001:db8:e::1 --- 2001:db8:e::2 v6gr-a R
 * </pre>
 */
@Tag("netns")
class KernelGuard6NetnsTest {
    private static final String A = "v6-ga";
    private static final String B = "v6-gb";
    private static final String R = "v6-gr";
    private static final String VIP = "2001:db8:f::1";
    private static final String CLIENT = "2001:db8:b::2";
    private static final String RIP = "2001:db8:e::2";
    private static final String DIRECTOR_INSIDE = "2001:db8:e::1";

    @BeforeAll
    static void createNetwork() throws Exception {
        try {
            KernelGuardNetns.create(A, B, R);
            KernelGuardNetns.ip(
                    "link add v6ga-b netns " + A + " type veth peer name v6gb-a netns " + B,
                    "link add v6ga-r netns " + A + " type veth peer name v6gr-a netns " + R,
                    "-n " + A + " addr add 2001:db8:b::1/64 dev v6ga-b nodad",
                    "-n " + A + " addr add " + DIRECTOR_INSIDE + "/64 dev v6ga-r nodad",
                    "-n " + A + " addr add " + VIP + "/128 dev lo",
                    "-n " + A + " link set lo up",
                    "-n " + A + " link set v6ga-b up",
                    "-n " + A + " link set v6ga-r up",
                    "-n " + B + " addr add " + CLIENT + "/64 dev v6gb-a nodad",
                    "-n " + B + " link set v6gb-a up",
                    "-n " + B + " -6 route add " + VIP + "/128 via 2001:db8:b::1",
                    "-n " + B + " -6 route add 2001:db8:e::/64 via 2001:db8:b::1",
                    "-n " + R + " addr add " + RIP + "/64 dev v6gr-a nodad",
                    "-n " + R + " link set v6gr-a up",
                    "-n " + R + " -6 route add default via " + DIRECTOR_INSIDE);
            KernelGuardNetns.run("ip", "netns", "exec", A, "sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1");
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
    void shouldSilenceKernelForGuardedIpv6ServiceAndStillAnswerNeighbourDiscovery() throws Exception {
        assertEquals("refused", connectToVip(80), "without the guard A's kernel must reset the connection");
        KernelGuard guard = attachInA("v6ga-b");
        try {
            Ipv6 vip = Ipv6.parse(VIP);
            guard.addService6(Protocol.TCP, vip.hi(), vip.lo(), 80);
            KernelGuardNetns.ip("-n " + B + " neigh flush dev v6gb-a");
            assertEquals("refused", connectToVip(81), "ND (and the other port) must still pass the guard");
            assertEquals("timeout", connectToVip(80), "the guarded SYN must not reach A's TCP stack");
            guard.removeService6(Protocol.TCP, vip.hi(), vip.lo(), 80);
            assertEquals("refused", connectToVip(80), "removing the service must give the kernel the SYN back");
        } finally {
            guard.close();
        }
    }

    @Test
    void shouldKeepNat66RepliesFromForwardingButPassThoseToTheHost() throws Exception {
        KernelGuard guard = attachInA("v6ga-r");
        try {
            Ipv6 rip = Ipv6.parse(RIP);
            guard.addNatRealServer6(Protocol.UDP, rip.hi(), rip.lo(), 8080);
            assertEquals("8081", repliesReaching(B, CLIENT), "the guarded reply must not be forwarded to the client");
            guard.hostAddresses6(List.of(Ipv6.parse(DIRECTOR_INSIDE)));
            assertEquals("8080 8081", repliesReaching(A, DIRECTOR_INSIDE), "a reply to the host is the host's");
        } finally {
            guard.close();
        }
    }

    private static String repliesReaching(String namespace, String address) throws Exception {
        try (KernelGuardNetns.Script sink = KernelGuardNetns.python(namespace, KernelGuardNetnsTest.UDP_SINK, address,
                "7000", "8081")) {
            assertEquals("ready", sink.readLine(10_000));
            assertEquals("sent", KernelGuardNetns.pythonResult(R, KernelGuardNetnsTest.UDP_SEND, RIP, "8080", "8081", address, "7000"));
            return sink.readLine(15_000);
        }
    }

    private static KernelGuard attachInA(String iface) throws Exception {
        AtomicReference<KernelGuard> guard = new AtomicReference<>();
        KernelGuardNetns.inNamespace(A, () -> {
            guard.set(KernelGuard.attach(new int[] {Native.ifNameToIndex(iface)}));
            return null;
        });
        return guard.get();
    }

    private static String connectToVip(int port) throws Exception {
        return KernelGuardNetns.pythonResult(B, KernelGuardNetnsTest.CONNECT, VIP, Integer.toString(port), "1.5");
    }
}
