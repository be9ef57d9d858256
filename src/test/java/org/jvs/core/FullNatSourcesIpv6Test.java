package org.jvs.core;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.conn.ConnectionTable;
import org.jvs.conn.LocalPorts;
import org.jvs.conn.Timeouts;
import org.jvs.sched.RoundRobinScheduler;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Full NAT's IPv6 sources: the service's IPv6 local addresses in turn, each with a port free towards RIP:RPORT. */
class FullNatSourcesIpv6Test {
    private static final int TCP = Protocol.TCP;
    private static final Ipv6 VIP = Ipv6.parse("2001:db8::1");
    private static final Ipv6 CLIENT = Ipv6.parse("2001:db8:c::7");
    private static final Ipv6 LIP1 = Ipv6.parse("2001:db8:1::1");
    private static final Ipv6 LIP2 = Ipv6.parse("2001:db8:1::2");

    private final ConnectionTable table = new ConnectionTable(256, new Timeouts());
    private final LocalPorts ports = new LocalPorts(table);
    private final LocalAddresses localAddresses = new LocalAddresses();
    private final FullNatSources sources = new FullNatSources(new InMemoryHost(), localAddresses, ports);
    private final VirtualService service = new VirtualService(TCP, VIP, 80, new RoundRobinScheduler());
    private final RealServer server = new RealServer(Ipv6.parse("2001:db8:5::11"), 80, ForwardingMethod.FULLNAT, 1);

    FullNatSourcesIpv6Test() {
        service.addRealServer(server);
    }

    private void addLocal(Ipv6 address) throws ControlException {
        localAddresses.add(service, new LocalAddressSpec(IpAddress.ofIpv6(address), ""));
    }

    private int choose() {
        return sources.choose6(service, TCP, server.addressHi(), server.addressLo(), 80);
    }

    /** Enters the chosen source as the director would, so its port is taken towards the server. */
    private void enter(int clientPort) {
        int id = table.create6(TCP, CLIENT.hi(), CLIENT.lo(), clientPort, VIP.hi(), VIP.lo(), 80, server, 80,
                sources.addressHi(), sources.addressLo(), sources.port(), true, 0);
        assertThat(id).isNotEqualTo(ConnectionTable.NONE);
    }

    @Test
    void shouldTakeTheServicesIpv6LocalAddressesInTurn() throws ControlException {
        addLocal(LIP1);
        addLocal(LIP2);

        assertThat(choose()).isEqualTo(FullNatSources.CHOSEN);
        assertThat(new Ipv6(sources.addressHi(), sources.addressLo())).isEqualTo(LIP1);
        assertThat(sources.port()).isEqualTo(LocalPorts.DEFAULT_LOWEST);
        enter(40000);
        assertThat(choose()).isEqualTo(FullNatSources.CHOSEN);
        assertThat(new Ipv6(sources.addressHi(), sources.addressLo())).isEqualTo(LIP2);
        enter(40001);
        assertThat(choose()).isEqualTo(FullNatSources.CHOSEN);
        assertThat(new Ipv6(sources.addressHi(), sources.addressLo())).isEqualTo(LIP1);
        assertThat(sources.port()).as("its first port is taken").isEqualTo(LocalPorts.DEFAULT_LOWEST + 1);
    }

    @Test
    void shouldMoveToTheNextLocalAddressWhenOneIsOutOfPorts() throws ControlException {
        addLocal(LIP1);
        addLocal(LIP2);
        ports.range(2000, 2000);
        assertThat(choose()).isEqualTo(FullNatSources.CHOSEN);
        enter(40000);

        assertThat(choose()).isEqualTo(FullNatSources.CHOSEN);
        assertThat(new Ipv6(sources.addressHi(), sources.addressLo())).isEqualTo(LIP2);
        enter(40001);
        assertThat(choose()).as("both out of ports").isEqualTo(Counter.DROP_LOCAL_PORTS_EXHAUSTED.ordinal());
    }

    @Test
    void shouldTakeTheDirectorsOwnAddressTowardsTheServerWithoutIpv6LocalAddresses() throws ControlException {
        localAddresses.add(service, new LocalAddressSpec(0xC0000201, ""));

        assertThat(choose()).isEqualTo(FullNatSources.CHOSEN);
        assertThat(new Ipv6(sources.addressHi(), sources.addressLo())).isEqualTo(Ipv6.parse("2001:db8:5::1"));
        Ipv6 unrouted = Ipv6.parse("2001:db8:99::11");
        assertThat(sources.choose6(service, TCP, unrouted.hi(), unrouted.lo(), 80))
                .isEqualTo(Counter.DROP_NO_ROUTE.ordinal());
    }

    @Test
    void shouldKeepEachFamilysRoundRobinApartAndTheIpv4AddressesForArp() throws ControlException {
        int lip4 = 0xC0000201;
        localAddresses.add(service, new LocalAddressSpec(lip4, "s0"));
        addLocal(LIP1);
        addLocal(LIP2);
        localAddresses.add(service, new LocalAddressSpec(lip4 + 1, ""));

        assertThat(localAddresses.count(service)).isEqualTo(2);
        assertThat(localAddresses.count6(service)).isEqualTo(2);
        assertThat(localAddresses.next(service)).isEqualTo(lip4);
        int slot = localAddresses.next6(service);
        assertThat(new Ipv6(localAddresses.hi(service, slot), localAddresses.lo(service, slot))).isEqualTo(LIP1);
        assertThat(localAddresses.next(service)).isEqualTo(lip4 + 1);
        assertThat(localAddresses.usedOn(lip4, "s0")).isTrue();

        localAddresses.delete(service, IpAddress.ofIpv6(LIP1));
        slot = localAddresses.next6(service);
        assertThat(new Ipv6(localAddresses.hi(service, slot), localAddresses.lo(service, slot))).isEqualTo(LIP2);
        assertThat(localAddresses.count6(service)).isEqualTo(1);
        assertThat(localAddresses.remove(service)).hasSize(3);
        assertThat(localAddresses.next6(service)).isEqualTo(LocalAddresses.NO_SLOT);
        assertThat(localAddresses.usedOn(lip4, "s0")).isFalse();
    }
}
