package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.stats.Stats;

class ListingOrderTest {

    private static ServiceSnapshot service(int protocol, String address, int port) {
        return new ServiceSnapshot(new ServiceKey(protocol, Ipv4.parse(address), port), "wlc", "", 0, -1, new Stats(),
                new ArrayList<>());
    }

    private static List<String> names(List<ServiceSnapshot> services) {
        return services.stream().map(s -> s.key().toString()).toList();
    }

    @Test
    void shouldListTcpBeforeUdpThenByAddressThenPort() {
        List<ServiceSnapshot> services = List.of(service(Protocol.UDP, "192.0.2.1", 53),
                service(Protocol.TCP, "192.0.2.2", 80), service(Protocol.TCP, "192.0.2.1", 443),
                service(Protocol.TCP, "192.0.2.1", 80));
        assertEquals(List.of("TCP 192.0.2.1:80", "TCP 192.0.2.1:443", "TCP 192.0.2.2:80", "UDP 192.0.2.1:53"),
                names(ListingOrder.sorted(services, ListingOrder.SERVICES)));
    }

    @Test
    void shouldKeepIpvsadmsWrappingAddressComparisonForAddressesFarApart() {
        // libipvs subtracts the addresses as 32-bit values: 10.0.0.1 - 198.51.100.1 wraps to a positive int
        List<ServiceSnapshot> services = List.of(service(Protocol.TCP, "10.0.0.1", 80),
                service(Protocol.TCP, "198.51.100.1", 80));
        assertEquals(List.of("TCP 198.51.100.1:80", "TCP 10.0.0.1:80"),
                names(ListingOrder.sorted(services, ListingOrder.SERVICES)));
    }

    @Test
    void shouldSortWithoutFailingWhenTheComparisonIsNotTransitive() {
        // 0.0.0.1 < 96.0.0.1 < 192.0.0.1 < 0.0.0.1 under the wrapping comparison. glibc's msort splits
        // [192, 96, 0] into [192] and [96, 0] -> [0, 96], then merges: 192 "<" 0, so 192 comes first
        List<ServiceSnapshot> services = List.of(service(Protocol.TCP, "192.0.0.1", 80),
                service(Protocol.TCP, "96.0.0.1", 80), service(Protocol.TCP, "0.0.0.1", 80));
        assertEquals(List.of("TCP 192.0.0.1:80", "TCP 0.0.0.1:80", "TCP 96.0.0.1:80"),
                names(ListingOrder.sorted(services, ListingOrder.SERVICES)));
    }
}
