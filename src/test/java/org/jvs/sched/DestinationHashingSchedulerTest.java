package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.service;

import org.jvs.service.Ipv4;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestinationHashingSchedulerTest {

    @ParameterizedTest(name = "{0} -> bucket {1} -> {2}")
    @CsvSource({
        // bucket = low 8 bits of address * 2654435761 (only the last octet matters); bucket i -> server i mod 3
        "192.0.2.1,     177, A",
        "192.0.2.2,      98, C",
        "192.0.2.3,      19, B",
        "203.0.113.1,   177, A",
    })
    void shouldMapDestinationThroughRoundRobinBuckets(String destination, int bucket, char expected) {
        int address = Ipv4.parse(destination);
        assertEquals(bucket, DestinationHashingScheduler.bucket(address));
        // weights play no part in dh
        VirtualService service = service(new DestinationHashingScheduler(), 1, 5, 2);
        assertEquals(get(service, expected), schedule(service, address, 1000));
        assertEquals(get(service, expected), schedule(service, address, 2000));
    }

    @Test
    void shouldKeepEveryDestinationOnItsServerWhileServersDoNotChange() {
        VirtualService service = service(new DestinationHashingScheduler(), 1, 1, 1, 1);
        for (int last = 0; last < 256; last++) {
            int destination = Ipv4.parse("198.18.7." + last);
            RealServer first = schedule(service, destination, 1);
            for (int client = 2; client < 20; client++) {
                assertEquals(first, schedule(service, destination, client), "destination " + last);
            }
            assertEquals(service.realServers().get(DestinationHashingScheduler.bucket(destination) % 4), first);
        }
    }

    @Test
    void shouldChooseNothingWhenTheHashedServerIsQuiescedOrOverloaded() {
        VirtualService service = service(new DestinationHashingScheduler(), 1, 1, 1);
        int toA = Ipv4.parse("192.0.2.1");
        int toB = Ipv4.parse("192.0.2.3");
        get(service, 'A').weight(0);
        service.realServerUpdated();
        assertNull(schedule(service, toA, 1));
        assertEquals(get(service, 'B'), schedule(service, toB, 1));
        get(service, 'B').upperThreshold(1);
        Servers.inactive(get(service, 'B'), 1);
        get(service, 'B').updateOverload();
        assertNull(schedule(service, toB, 1));
    }

    @Test
    void shouldRedealBucketsWhenServerIsRemoved() {
        VirtualService service = service(new DestinationHashingScheduler(), 1, 1, 1);
        service.removeRealServer(get(service, 'C'));
        // bucket 98 -> 98 mod 2 = A
        assertEquals(get(service, 'A'), schedule(service, Ipv4.parse("192.0.2.2"), 1));
        assertNull(schedule(service(new DestinationHashingScheduler()), Ipv4.parse("192.0.2.2"), 1));
    }

    private static RealServer schedule(VirtualService service, int destination, int client) {
        return service.scheduler().schedule(service, Ipv4.parse("198.51.100.1") + client, 40000, destination, 80);
    }
}
