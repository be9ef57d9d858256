package org.jvs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.jvs.sched.RoundRobinScheduler;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

class ServiceTableIpv6Test {
    private static final int TCP = Protocol.TCP;
    private static final int UDP = Protocol.UDP;
    private static final Ipv6 VIP = Ipv6.parse("2001:db8:f::1");
    private static final Ipv6 OTHER_VIP = Ipv6.parse("2001:db8:f::2");
    /** ::192.0.2.1 folds to 192.0.2.1. */
    private static final Ipv6 FOLDS_TO_IPV4_VIP = Ipv6.parse("::192.0.2.1");
    private static final int IPV4_VIP = (192 << 24) | (2 << 8) | 1;

    private final ServiceTable table = new ServiceTable();

    private VirtualService ipv6(int protocol, Ipv6 vip, int port) {
        VirtualService service = new VirtualService(protocol, vip, port, new RoundRobinScheduler());
        table.add(service);
        return service;
    }

    private VirtualService match(int protocol, Ipv6 vip, int port) {
        return table.match6(protocol, vip.hi(), vip.lo(), port);
    }

    @Test
    void shouldMatchAnIpv6ServiceByProtocolVipAndPort() {
        VirtualService web = ipv6(TCP, VIP, 80);
        VirtualService dns = ipv6(UDP, VIP, 53);
        VirtualService other = ipv6(TCP, OTHER_VIP, 80);

        assertSame(web, match(TCP, VIP, 80));
        assertSame(dns, match(UDP, VIP, 53));
        assertSame(other, match(TCP, OTHER_VIP, 80));
        assertNull(match(UDP, VIP, 80));
        assertNull(match(TCP, VIP, 443));
        assertNull(match(TCP, Ipv6.parse("2001:db8:f::3"), 80));
        assertSame(web, table.find6(TCP, VIP.hi(), VIP.lo(), 80));
    }

    @Test
    void shouldFallBackToTheVipsPortZeroServiceAsIpVsServiceFind() {
        VirtualService web = ipv6(TCP, VIP, 80);
        VirtualService all = ipv6(TCP, VIP, 0);

        assertSame(web, match(TCP, VIP, 80));
        assertSame(all, match(TCP, VIP, 8443));
        assertNull(match(UDP, VIP, 8443));
        assertNull(table.find6(TCP, VIP.hi(), VIP.lo(), 8443));

        table.remove(all);
        assertNull(match(TCP, VIP, 8443));
        assertSame(web, match(TCP, VIP, 80));
    }

    @Test
    void shouldForgetARemovedServiceAndKeepTheVipsOthers() {
        VirtualService web = ipv6(TCP, VIP, 80);
        VirtualService tls = ipv6(TCP, VIP, 443);

        table.remove(web);
        assertNull(match(TCP, VIP, 80));
        assertSame(tls, match(TCP, VIP, 443));
        assertTrue(table.isVirtualAddress6(VIP.hi(), VIP.lo()));
        table.remove(tls);
        assertFalse(table.isVirtualAddress6(VIP.hi(), VIP.lo()));
        assertTrue(table.all().isEmpty());
    }

    @Test
    void shouldNeverMatchAcrossFamilies() {
        VirtualService six = ipv6(TCP, FOLDS_TO_IPV4_VIP, 80);
        assertNull(table.match(TCP, IPV4_VIP, 80));
        assertNull(table.find(TCP, IPV4_VIP, 80));
        assertFalse(table.isVirtualAddress(IPV4_VIP));

        VirtualService four = new VirtualService(TCP, IPV4_VIP, 80, new RoundRobinScheduler());
        table.add(four);
        assertSame(four, table.match(TCP, IPV4_VIP, 80));
        assertSame(six, match(TCP, FOLDS_TO_IPV4_VIP, 80));
        assertNull(match(TCP, Ipv6.parse("::ffff:192.0.2.1"), 80));
    }

    @Test
    void shouldMatchNothingOfAVipOnStandbyUnlessAskedEvenOnStandby() {
        VirtualService web = ipv6(TCP, VIP, 80);
        ipv6(TCP, OTHER_VIP, 80);

        table.standby6(VIP.hi(), VIP.lo(), true);
        assertNull(match(TCP, VIP, 80));
        assertSame(web, table.matchEvenOnStandby6(TCP, VIP.hi(), VIP.lo(), 80));
        assertTrue(table.onStandby6(VIP.hi(), VIP.lo()));
        assertFalse(table.isVirtualAddress6(VIP.hi(), VIP.lo()));
        assertTrue(table.isVirtualAddress6(OTHER_VIP.hi(), OTHER_VIP.lo()));
        assertFalse(table.onStandby(Ipv6.fold(VIP.hi(), VIP.lo())), "IPv4 standby knows nothing of it");

        table.standby6(VIP.hi(), VIP.lo(), false);
        assertSame(web, match(TCP, VIP, 80));
        assertTrue(table.isVirtualAddress6(VIP.hi(), VIP.lo()));
    }

    @Test
    void shouldKnowTranslatedIpv6RealServers() {
        Ipv6 nat = Ipv6.parse("2001:db8:5::10");
        Ipv6 direct = Ipv6.parse("2001:db8:5::11");
        VirtualService web = ipv6(TCP, VIP, 80);
        web.addRealServer(new RealServer(nat, 80, ForwardingMethod.MASQ, 1));
        web.addRealServer(new RealServer(direct, 80, ForwardingMethod.ROUTE, 1));

        assertTrue(table.isTranslatedRealServer6(nat.hi(), nat.lo()));
        assertFalse(table.isTranslatedRealServer6(direct.hi(), direct.lo()));
        assertFalse(table.isTranslatedRealServer(Ipv6.fold(nat.hi(), nat.lo())));
    }
}
