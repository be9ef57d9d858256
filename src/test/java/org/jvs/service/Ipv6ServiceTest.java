package org.jvs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.jvs.sched.RoundRobinScheduler;

/** IPv6 virtual services and real servers beside IPv4 ones. */
class Ipv6ServiceTest {
    private static final Ipv6 VIP = Ipv6.parse("2001:db8:f::1");
    private static final Ipv6 RIP = Ipv6.parse("2001:db8:5::10");

    @Test
    void shouldHoldAnIpv6RealServersAddress() {
        RealServer server = new RealServer(RIP, 8080, ForwardingMethod.MASQ, 3);

        assertTrue(server.ipv6());
        assertEquals(RIP, new Ipv6(server.addressHi(), server.addressLo()));
        assertEquals(Ipv6.fold(RIP.hi(), RIP.lo()), server.address());
        assertTrue(server.isAt6(RIP.hi(), RIP.lo()));
        assertFalse(server.isAt6(RIP.hi(), RIP.lo() + 1));
        assertEquals("[2001:db8:5::10]:8080", server.toString());
    }

    @Test
    void shouldHoldAnIpv4RealServersAddressAlsoInItsMappedForm() {
        RealServer server = new RealServer(Ipv4.parse("192.0.2.11"), 80, ForwardingMethod.ROUTE, 1);

        assertFalse(server.ipv6());
        assertEquals(Ipv6.parse("::ffff:192.0.2.11"), new Ipv6(server.addressHi(), server.addressLo()));
        assertFalse(server.isAt6(server.addressHi(), server.addressLo()), "an IPv4 server is at no IPv6 address");
        assertEquals("192.0.2.11:80", server.toString());
    }

    @Test
    void shouldFindRealServersOnlyInTheirFamily() {
        VirtualService service = new VirtualService(Protocol.TCP, VIP, 80, new RoundRobinScheduler());
        RealServer six = new RealServer(RIP, 8080, ForwardingMethod.MASQ, 1);
        RealServer four = new RealServer(Ipv6.fold(RIP.hi(), RIP.lo()), 8080, ForwardingMethod.MASQ, 1);
        service.addRealServer(six);
        service.addRealServer(four);

        assertSame(six, service.findRealServer6(RIP.hi(), RIP.lo(), 8080));
        assertNull(service.findRealServer6(RIP.hi(), RIP.lo(), 8081));
        assertSame(four, service.findRealServer(four.address(), 8080));
        assertTrue(service.ipv6());
        assertEquals(VIP, new Ipv6(service.addressHi(), service.addressLo()));
        assertEquals("TCP [2001:db8:f::1]:80", service.toString());
    }

    @Test
    void shouldTakeAnIpv6PersistencePrefixLengthOf1To128() {
        VirtualService service = new VirtualService(Protocol.TCP, VIP, 80, new RoundRobinScheduler());
        assertEquals(128, service.persistencePrefixLength());
        service.persistencePrefixLength(64);
        assertEquals(64, service.persistencePrefixLength());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> service.persistencePrefixLength(129));
        assertEquals("IPv6 persistence prefix length 129 is out of range (expected 1..128)", refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> service.persistencePrefixLength(0));
    }
}
