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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The core takes IPv6 from the api and refuses it, one line naming it, with nothing changed. */
class Ipv6RefusalTest {
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
    void shouldRefuseAnIpv6ServiceNamingIt() throws ControlException {
        String before = table();
        assertThatThrownBy(() -> config.addService(new ServiceSpec(V6, "rr", "", 0, 128)))
                .isInstanceOf(ControlException.class)
                .hasMessage("[2001:db8::10]:80: IPv6 virtual services are not forwarded yet (JVS's data plane is "
                        + "IPv4-only)");
        assertThatThrownBy(() -> config.editService(new ServiceSpec(V6, "rr", "", 0, 128)))
                .hasMessageStartingWith("[2001:db8::10]:80: IPv6 virtual services are not forwarded yet");
        assertThat(table()).isEqualTo(before);
    }

    @Test
    void shouldFindNoIpv6ServiceToChange() {
        assertThatThrownBy(() -> config.deleteService(V6)).hasMessage("No such service");
        assertThatThrownBy(() -> config.services(V6)).hasMessage("No such service");
        assertThatThrownBy(() -> config.addRealServer(V6, new RealServerSpec(RIP6, 80, ForwardingMethod.TUNNEL, 1,
                0, 0))).hasMessage("Service not defined");
    }

    @Test
    void shouldRefuseAnIpv6RealServerUnderAnIpv4Service() throws ControlException {
        String before = table();
        assertThatThrownBy(() -> config.addRealServer(V4, new RealServerSpec(RIP6, 8080, ForwardingMethod.TUNNEL, 1,
                0, 0))).hasMessage("[2001:db8::2]:8080: IPv6 real servers are not forwarded yet (JVS's data plane "
                        + "is IPv4-only)");
        assertThatThrownBy(() -> config.editRealServer(V4, new RealServerSpec(RIP6, 8080, ForwardingMethod.TUNNEL,
                1, 0, 0))).hasMessageStartingWith("[2001:db8::2]:8080: IPv6 real servers are not forwarded yet");
        assertThatThrownBy(() -> config.deleteRealServer(V4, RIP6, 8080)).hasMessage("No such destination");
        assertThat(table()).isEqualTo(before);
    }

    @Test
    void shouldRefuseAnIpv6LocalAddress() throws ControlException {
        assertThatThrownBy(() -> config.addLocalAddress(V4, new LocalAddressSpec(IpAddress.parse("2001:db8::100"),
                ""))).hasMessage("2001:db8::100: IPv6 local addresses are not forwarded yet (JVS's data plane is "
                        + "IPv4-only)");
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
