package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.service;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.jvs.service.Ipv4;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceHashingSchedulerTest {

    @ParameterizedTest(name = "{0} -> bucket {1} -> {2}")
    @CsvSource({
        // weights 1,2,1 deal the buckets A B B C A B B C ...; bucket = (address * 0x61C88647) >>> 24
        "198.51.100.1,  96, A",
        "198.51.100.2, 194, B",
        "198.51.100.3,  35, C",
        "198.51.100.4, 133, B",
        "203.0.113.9,   64, A",
    })
    void shouldMapClientThroughWeightedBuckets(String client, int bucket, char expected) {
        int address = Ipv4.parse(client);
        assertEquals(bucket, SourceHashingScheduler.bucket(address, 0, 0));
        VirtualService service = service(new SourceHashingScheduler(), 1, 2, 1);
        assertEquals(get(service, expected), schedule(service, address, 1024));
        assertEquals(get(service, expected), schedule(service, address, 1025));
    }

    @Test
    void shouldHashClientPortWithShPort() {
        VirtualService service = service(new SourceHashingScheduler(), 1, 2, 1);
        service.schedulerFlags("sh-port");
        int client = Ipv4.parse("198.51.100.1");
        // address + port: bucket 130 (B) for port 1024, 228 (A) for 1025
        assertEquals(get(service, 'B'), schedule(service, client, 1024));
        assertEquals(get(service, 'A'), schedule(service, client, 1025));
        service.schedulerFlags("");
        assertEquals(get(service, 'A'), schedule(service, client, 1024));
    }

    @Test
    void shouldChooseNothingForClientsOfOverloadedServerWithoutFallback() {
        VirtualService service = service(new SourceHashingScheduler(), 1, 2, 1);
        overload(get(service, 'B'));
        assertNull(schedule(service, Ipv4.parse("198.51.100.2"), 1));
        assertEquals(get(service, 'A'), schedule(service, Ipv4.parse("198.51.100.1"), 1));
    }

    @Test
    void shouldMoveOnlyClientsOfUnavailableServerWithFallback() {
        VirtualService service = service(new SourceHashingScheduler(), 1, 2, 1);
        service.schedulerFlags("sh-fallback");
        RealServer[] before = new RealServer[2000];
        for (int i = 0; i < before.length; i++) {
            before[i] = schedule(service, client(i), 1);
        }
        overload(get(service, 'B'));
        // 198.51.100.2: bucket 194 is B; the first retry, bucket (194 + 194) mod 256 = 132, is A
        assertEquals(get(service, 'A'), schedule(service, Ipv4.parse("198.51.100.2"), 1));
        for (int i = 0; i < before.length; i++) {
            RealServer now = schedule(service, client(i), 1);
            if (before[i] == get(service, 'B')) {
                assertTrue(now == get(service, 'A') || now == get(service, 'C'), "client " + i + " went to " + now);
            } else {
                assertEquals(before[i], now, "client " + i);
            }
        }
    }

    @Test
    void shouldGiveQuiescedServerOneBucketPerRoundAndNoClients() {
        // ip_vs_sh_reassign moves on once a server has weight buckets, so weight 0 still takes one: A B C A B C
        VirtualService service = service(new SourceHashingScheduler(), 1, 2, 1);
        get(service, 'B').weight(0);
        service.realServerUpdated();
        // 198.51.100.3: bucket 35, 35 mod 3 = 2 -> C; 198.51.100.1: bucket 96 -> A; 198.51.100.4: 133 -> B, quiesced
        assertEquals(get(service, 'C'), schedule(service, Ipv4.parse("198.51.100.3"), 1));
        assertEquals(get(service, 'A'), schedule(service, Ipv4.parse("198.51.100.1"), 1));
        assertNull(schedule(service, Ipv4.parse("198.51.100.4"), 1));
        assertNull(schedule(service(new SourceHashingScheduler()), Ipv4.parse("198.51.100.4"), 1));
    }

    @Property(tries = 100)
    void shouldDealBucketsInWeightProportion(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 40) Integer> weights) {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        int sum = weights.stream().mapToInt(Integer::intValue).sum();
        VirtualService service = service(new SourceHashingScheduler(), w);
        int[] buckets = new int[w.length];
        // 65536 clients: every bucket is hit 256 times, since the top 8 bits of address * odd cover all
        for (int i = 0; i < 65536; i++) {
            buckets[service.realServers().indexOf(schedule(service, i << 16, 1))]++;
        }
        for (int i = 0; i < w.length; i++) {
            double share = 256.0 * w[i] / sum;
            // whole rounds of sum buckets each, then a partial round that gives a server at most its weight
            assertTrue(Math.abs(buckets[i] / 256.0 - share) <= w[i],
                    "server " + i + " has " + buckets[i] / 256 + " buckets, share " + share + ", weights " + weights);
        }
    }

    private static void overload(RealServer server) {
        server.upperThreshold(1);
        Servers.inactive(server, 1);
        server.updateOverload();
    }

    private static int client(int i) {
        return Ipv4.parse("198.18.0.0") + i * 7919;
    }

    private static RealServer schedule(VirtualService service, int client, int port) {
        return service.scheduler().schedule(service, client, port, Servers.VIP, 80);
    }
}
