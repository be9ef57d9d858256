package org.jvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.VIP;

import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.net.KernelBypass;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IPv6 services, real servers and local addresses are taken; a real server of the other family than its service's
 * is refused as ip_vs_ctl.c refuses it (but for tunnels, and JVS's NAT64 under full NAT), one line naming it, with
 * nothing changed.
 */
class AddressFamiliesTest {
    static final ServiceKey V4 = new ServiceKey(Protocol.TCP, VIP, 80);
    static final ServiceKey V6 = new ServiceKey(Protocol.TCP, IpAddress.parse("2001:db8::10"), 80);
    static final IpAddress RIP6 = IpAddress.parse("2001:db8::2");

    DirectorControl config;

    @BeforeEach
    void director() throws ControlException {
        InMemoryHost host = new InMemoryHost();
        config = new DirectorConfig(new Director(host, host, KernelBypass.NONE, 1024, 40000, 40999));
        config.addService(new ServiceSpec(V4, "rr", "", 0, -1));
        config.addRealServer(V4, new RealServerSpec(RS1, 8080, ForwardingMethod.FULLNAT, 1, 0, 0));
    }

    /** The services and their real servers, without the counters' identities. */
    String table() throws ControlException {
        StringBuilder text = new StringBuilder();
        for (ServiceSnapshot service : config.services(null)) {
            text.append(service.key()).append(service.realServers().stream().map(RealServerSnapshot::address).toList())
                    .append(service.localAddresses()).append('\n');
        }
        return text.toString();
    }

    @Test
    void shouldTakeAnIpv6ServiceWithItsRealServersAndLocalAddresses() throws ControlException {
        config.addService(new ServiceSpec(V6, "rr", "", 300, 64));
        config.addRealServer(V6, new RealServerSpec(RIP6, 8080, ForwardingMethod.MASQ, 1, 0, 0));
        config.addRealServer(V6, new RealServerSpec(IpAddress.parse("2001:db8::3"), 8080, ForwardingMethod.FULLNAT,
                1, 0, 0));
        config.addLocalAddress(V6, new LocalAddressSpec(IpAddress.parse("2001:db8::100"), ""));

        ServiceSnapshot service = config.services(V6).getFirst();
        assertThat(service.key()).isEqualTo(V6);
        assertThat(service.persistenceNetmask()).isEqualTo(64);
        assertThat(service.realServers()).extracting(RealServerSnapshot::address)
                .containsExactly(RIP6, IpAddress.parse("2001:db8::3"));
        assertThat(service.localAddresses()).extracting(LocalAddressSpec::address)
                .containsExactly(IpAddress.parse("2001:db8::100"));

        config.editRealServer(V6, new RealServerSpec(RIP6, 8080, ForwardingMethod.MASQ, 5, 0, 0));
        assertThat(config.services(V6).getFirst().realServers().getFirst().weight()).isEqualTo(5);
        config.deleteRealServer(V6, RIP6, 8080);
        config.deleteLocalAddress(V6, IpAddress.parse("2001:db8::100"));
        config.deleteService(V6);
        assertThatThrownBy(() -> config.services(V6)).hasMessage("No such service");
    }

    @Test
    void shouldRefuseAnIpv6RealServerOfAnIpv4ServiceButForTunnels() throws ControlException {
        String before = table();
        assertThatThrownBy(() -> config.addRealServer(V4, new RealServerSpec(RIP6, 8080, ForwardingMethod.MASQ, 1,
                0, 0))).isInstanceOf(ControlException.class).hasMessage("[2001:db8::2]:8080: an IPv6 real server of an "
                        + "IPv4 service mixes address families (allowed for tunnels, -i, only)");
        assertThatThrownBy(() -> config.addRealServer(V4, new RealServerSpec(RIP6, 80, ForwardingMethod.ROUTE, 1,
                0, 0))).hasMessageContaining("mixes address families");
        assertThatThrownBy(() -> config.addRealServer(V4, new RealServerSpec(RIP6, 8080, ForwardingMethod.FULLNAT, 1,
                0, 0))).hasMessageContaining("mixes address families");
        assertThat(table()).isEqualTo(before);

        config.addRealServer(V4, new RealServerSpec(RIP6, 80, ForwardingMethod.TUNNEL, 1, 0, 0));
        assertThat(config.services(V4).getFirst().realServers()).extracting(RealServerSnapshot::address)
                .contains(RIP6);
    }

    @Test
    void shouldTakeAnIpv4RealServerOfAnIpv6ServiceOnlyToTunnelOrForNat64() throws ControlException {
        config.addService(new ServiceSpec(V6, "rr", "", 0, 128));
        String before = table();
        assertThatThrownBy(() -> config.addRealServer(V6, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 1, 0,
                0))).hasMessage("192.0.2.11:8080: an IPv4 real server of an IPv6 service mixes address families "
                        + "(allowed for tunnels, -i, and full NAT's NAT64, -b, only)");
        assertThat(table()).isEqualTo(before);

        config.addRealServer(V6, new RealServerSpec(RS1, 8080, ForwardingMethod.FULLNAT, 1, 0, 0));
        config.addRealServer(V6, new RealServerSpec(IpAddress.ofIpv4(RS1 + 1), 80, ForwardingMethod.TUNNEL, 1, 0,
                0));
        config.addLocalAddress(V6, new LocalAddressSpec(IpAddress.parse("192.0.2.100"), ""));
        assertThat(config.services(V6).getFirst().localAddresses()).hasSize(1);
    }

    @Test
    void shouldRefuseWhatIpv6DoesNotCarryYet() throws ControlException {
        assertThatThrownBy(() -> config.addService(new ServiceSpec(V6, "rr", "", 0, 129)))
                .hasMessage("IPv6 persistence prefix length 129 is out of range (expected 1..128)");
        config.addService(new ServiceSpec(V6, "rr", "", 0, 128));
        Tunnel gue = new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.NOCSUM);
        assertThatThrownBy(() -> config.addRealServer(V6, new RealServerSpec(RIP6, 80, ForwardingMethod.TUNNEL, 1,
                0, 0, gue))).hasMessageStartingWith("[2001:db8::2]:80: ")
                .hasMessageContaining("tunnels carry IPv4 in IPv4 only");
        assertThat(config.services(V6).getFirst().realServers()).isEmpty();
    }

    @Test
    void shouldRefuseAnIpv6LocalAddressOfAnIpv4Service() throws ControlException {
        assertThatThrownBy(() -> config.addLocalAddress(V4, new LocalAddressSpec(IpAddress.parse("2001:db8::100"),
                ""))).hasMessageStartingWith("2001:db8::100: an IPv6 local address of an IPv4 service mixes address "
                        + "families");
        assertThatThrownBy(() -> config.deleteLocalAddress(V4, IpAddress.parse("2001:db8::100")))
                .hasMessage("No such local address");
        assertThat(config.services(V4).getFirst().localAddresses()).isEmpty();
    }

    @Test
    void shouldStillTakeIpv4ThroughTheFamilyAwareApi() throws ControlException {
        config.deleteRealServer(V4, IpAddress.ofIpv4(RS1), 8080);
        assertThat(config.services(V4).getFirst().realServers()).isEmpty();
    }
}
