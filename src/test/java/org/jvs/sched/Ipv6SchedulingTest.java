package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * The hashing schedulers' choices for IPv6 clients and destinations, each derived here from the kernel's own
 * formula: ip_vs_sh_hashkey, ip_vs_dh_hashkey, ip_vs_mh_hashkey and ip_vs_lblc(r)_hashkey fold an AF_INET6 address
 * to addr->ip6[0] ^ ip6[1] ^ ip6[2] ^ ip6[3] and go on as for AF_INET with ntohl of that fold.
 */
class Ipv6SchedulingTest {
    private static final Ipv6 VIP = Ipv6.parse("2001:db8:f::1");
    private static final Ipv6 CLIENT = Ipv6.parse("2001:db8:c::7");
    private long nowNs = 1_000_000_000L;

    /** An IPv6 TCP service on [2001:db8:f::1]:80 with servers 2001:db8:5::1, ::2 ... of these weights. */
    private static VirtualService service(Scheduler scheduler, int... weights) {
        VirtualService service = new VirtualService(Protocol.TCP, VIP, 80, new RoundRobinScheduler());
        for (int i = 0; i < weights.length; i++) {
            service.addRealServer(new RealServer(Ipv6.parse("2001:db8:5::" + (i + 1)), 80, ForwardingMethod.ROUTE,
                    weights[i]));
        }
        service.scheduler(scheduler);
        return service;
    }

    private static RealServer schedule(VirtualService service, Ipv6 client, int clientPort, Ipv6 vip) {
        return service.scheduler().schedule6(service, client.hi(), client.lo(), clientPort, vip.hi(), vip.lo(), 80);
    }

    /** addr_fold in host order, read from the address's bytes as the kernel's four __be32 words. */
    private static long fold(Ipv6 address) {
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(address.hi()).putLong(address.lo()).flip();
        return (bytes.getInt() ^ bytes.getInt() ^ bytes.getInt() ^ bytes.getInt()) & 0xFFFF_FFFFL;
    }

    /** hash_32(value, bits): value * GOLDEN_RATIO_32 (0x61C88647) mod 2^32, its top bits. */
    private static int hash32(long value, int bits) {
        return (int) ((value * 0x61C88647L & 0xFFFF_FFFFL) >>> (32 - bits));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2001:db8:c::7", "2001:db8:c::8", "fe80::1", "2001:db8:ffff:1:2:3:4:5", "::ffff:198.51.100.1"})
    void shouldMapAnIpv6ClientThroughShsWeightedBucketsByItsFold(String text) {
        Ipv6 client = Ipv6.parse(text);
        VirtualService service = service(new SourceHashingScheduler(), 1, 2, 1);
        // ip_vs_sh_reassign with weights 1, 2, 1 deals the 256 buckets A B B C A B B C ...
        int bucket = hash32(fold(client), 8);
        RealServer expected = service.realServers().get(new int[] {0, 1, 1, 2}[bucket % 4]);

        assertSame(expected, schedule(service, client, 1024, VIP));
        assertSame(expected, schedule(service, client, 1025, VIP));

        service.schedulerFlags("sh-port");
        int withPort = hash32(1024 + fold(client), 8);
        assertSame(service.realServers().get(new int[] {0, 1, 1, 2}[withPort % 4]),
                schedule(service, client, 1024, VIP));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2001:db8:f::1", "2001:db8:f::2", "2001:db8:f::3", "2001:db8:100::80", "::ffff:192.0.2.1"})
    void shouldMapAnIpv6DestinationThroughDhsBucketsByItsFold(String text) {
        Ipv6 vip = Ipv6.parse(text);
        VirtualService service = service(new DestinationHashingScheduler(), 1, 1, 1);
        // ip_vs_dh_hashkey: (ntohl(addr_fold) * 2654435761) & 255; ip_vs_dh_assign deals bucket i to server i % 3
        int bucket = (int) (fold(vip) * 2654435761L & 0xFF);

        assertSame(service.realServers().get(bucket % 3), schedule(service, CLIENT, 1024, vip));
    }

    /**
     * ip_vs_mh_hashkey folds an AF_INET6 address (a client's, and a server's when the lookup table is built) and
     * hashes as for AF_INET: an IPv6 service chooses for every client what an IPv4 service whose servers sit at the
     * IPv6 servers' folds chooses for the client's fold.
     */
    @Test
    void shouldHashAnIpv6ClientAndServersThroughMaglevByTheirFolds() {
        int[] weights = {1, 2, 3, 1};
        VirtualService six = service(new MaglevHashingScheduler(), weights);
        VirtualService four = new VirtualService(Protocol.TCP, (int) fold(VIP), 80, new RoundRobinScheduler());
        for (int i = 0; i < weights.length; i++) {
            RealServer server = six.realServers().get(i);
            four.addRealServer(new RealServer((int) fold(new Ipv6(server.addressHi(), server.addressLo())), 80,
                    ForwardingMethod.ROUTE, weights[i]));
        }
        four.scheduler(new MaglevHashingScheduler());

        Set<RealServer> chosen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Ipv6 client = new Ipv6(0x2001_0db8_0000_0000L + i * 0x1_0000L, 0x1234_5678_0000_0000L + i * 977L);
            RealServer server = schedule(six, client, 1024, VIP);
            int index = six.realServers().indexOf(server);
            assertEquals(index, four.realServers().indexOf(four.scheduler().schedule(four, (int) fold(client), 1024,
                    (int) fold(VIP), 80)), client.toString());
            assertSame(server, schedule(six, client, 1024, VIP), "deterministic");
            chosen.add(server);
        }
        assertEquals(4, chosen.size(), "200 clients spread over every server");
    }

    /** ip_vs_lblc_get hashes by the fold but compares the whole address: destinations of one fold stay apart. */
    @Test
    void shouldKeepIpv6DestinationsOfOneFoldApartInLblc() {
        Ipv6 first = Ipv6.parse("2001:db8::1");
        Ipv6 second = Ipv6.parse("2001:db9::");
        assertEquals(fold(first), fold(second));
        VirtualService service = service(new LocalityBasedLeastConnectionScheduler(() -> nowNs,
                LocalityTable.DEFAULT_EXPIRATION_NS), 1, 1);
        RealServer a = service.realServers().get(0);

        assertSame(a, schedule(service, CLIENT, 1024, first), "wlc: the first of equals");
        a.countConnections(0, 1);
        RealServer b = schedule(service, CLIENT, 1025, second);
        assertNotSame(a, b, "a new destination: the wlc choice, not the first one's server");
        b.countConnections(0, 5);
        assertSame(a, schedule(service, CLIENT, 1026, first), "kept whatever the load");
        assertSame(b, schedule(service, CLIENT, 1027, second), "kept whatever the load");
        assertEquals(b, service.realServers().get(1));
        assertEquals(2, ((LocalityBasedLeastConnectionScheduler) service.scheduler()).entries());

        int ipv4 = (int) fold(first);
        assertSame(a, service.scheduler().schedule(service, 1, 1, ipv4, 80), "an IPv4 destination of that fold: wlc");
        assertEquals(3, ((LocalityBasedLeastConnectionScheduler) service.scheduler()).entries());
    }

    @Test
    void shouldKeepIpv6DestinationSetsOfOneFoldApartInLblcr() {
        Ipv6 first = Ipv6.parse("2001:db8::1");
        Ipv6 second = Ipv6.parse("2001:db9::");
        VirtualService service = service(new LocalityBasedLeastConnectionReplicationScheduler(() -> nowNs,
                LocalityTable.DEFAULT_EXPIRATION_NS), 1, 1);
        RealServer a = service.realServers().get(0);
        RealServer b = service.realServers().get(1);
        LocalityBasedLeastConnectionReplicationScheduler lblcr =
                (LocalityBasedLeastConnectionReplicationScheduler) service.scheduler();

        assertSame(a, schedule(service, CLIENT, 1024, first));
        a.countConnections(0, 1);
        assertSame(b, schedule(service, CLIENT, 1025, second));
        b.countConnections(0, 5);
        assertSame(a, schedule(service, CLIENT, 1026, first));
        assertSame(b, schedule(service, CLIENT, 1027, second), "its set holds b alone");
        assertEquals(2, lblcr.entries());
        assertEquals(0, lblcr.replicas((int) fold(first)), "no IPv4 destination of that fold");
    }

    @Test
    void shouldScheduleIpv6ClientsWithSchedulersThatReadNoAddress() {
        VirtualService rr = service(new RoundRobinScheduler(), 1, 1, 1);
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            order.append((char) ('A' + rr.realServers().indexOf(schedule(rr, CLIENT, 1024 + i, VIP))));
        }
        assertEquals("ABCABC", order.toString());

        VirtualService wlc = service(new WeightedLeastConnectionScheduler(), 1, 3);
        wlc.realServers().get(1).countConnections(2, 0);
        assertSame(wlc.realServers().get(0), schedule(wlc, CLIENT, 1024, VIP));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "sh,    sh: hash_32(client address 2001:db8:c::7 (folded: 200d0dbf)) = bucket",
        "dh,    dh: destination 2001:db8:f::1 (folded: 200e0db9) * 2654435761 = bucket",
        "mh,    mh: hsiphash(client address 2001:db8:c::7 (folded: 200d0dbf)) = slot",
        "lblc,  lblc: destination 2001:db8:f::1 has no server yet",
        "lblcr, lblcr: destination 2001:db8:f::1 has no set yet",
    })
    void shouldExplainAnIpv6ChoiceNamingTheAddressAndAgreeWithTheChoice(String name, String firstReason) {
        Scheduler scheduler = SchedulerRegistry.create(name);
        VirtualService service = service(scheduler, 1, 2, 1);

        SchedulerChoice choice = scheduler.explain(service, ExplainedFlow.ipv6(CLIENT.hi(), CLIENT.lo(), 1024, VIP.hi(), VIP.lo(), 80));

        assertTrue(choice.reasons().get(0).startsWith(firstReason), choice.reasons().toString());
        assertTrue(choice.reasons().get(choice.reasons().size() - 1).startsWith("-> [2001:db8:5::"),
                choice.reasons().toString());
        assertSame(choice.server(), schedule(service, CLIENT, 1024, VIP));
    }
}
