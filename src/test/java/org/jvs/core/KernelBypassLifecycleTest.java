package org.jvs.core;

import java.util.ArrayList;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.DirectorTest.WEB;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;

/** The kernel is kept off a service's and a NAT server's packets until their last connection has drained. */
class KernelBypassLifecycleTest {
    static final long S = 1_000_000_000L;

    final List<String> entries = new ArrayList<>();
    final KernelBypass recording = new KernelBypass() {
        @Override
        public void addService(int protocol, int address, int port) {
            entries.add("service " + port);
        }

        @Override
        public void removeService(int protocol, int address, int port) {
            entries.remove("service " + port);
        }

        @Override
        public void addNatRealServer(int protocol, int address, int port) {
            entries.add("nat " + port);
        }

        @Override
        public void removeNatRealServer(int protocol, int address, int port) {
            entries.remove("nat " + port);
        }

        @Override
        public void addFullNatRealServer(int protocol, int address, int port) {
            entries.add("fullnat " + port);
        }

        @Override
        public void removeFullNatRealServer(int protocol, int address, int port) {
            entries.remove("fullnat " + port);
        }

        @Override
        public void addLocalAddress(int address) {
            entries.add("laddr " + address);
        }

        @Override
        public void removeLocalAddress(int address) {
            entries.remove("laddr " + address);
        }

        @Override
        public void fullNatPorts(int lowest, int highest) {
        }

        @Override
        public void addService6(int protocol, long hi, long lo, int port) {
            entries.add("service6 " + Ipv6.toString(hi, lo) + " " + port);
        }

        @Override
        public void removeService6(int protocol, long hi, long lo, int port) {
            entries.remove("service6 " + Ipv6.toString(hi, lo) + " " + port);
        }

        @Override
        public void addNatRealServer6(int protocol, long hi, long lo, int port) {
            entries.add("nat6 " + Ipv6.toString(hi, lo) + " " + port);
        }

        @Override
        public void removeNatRealServer6(int protocol, long hi, long lo, int port) {
            entries.remove("nat6 " + Ipv6.toString(hi, lo) + " " + port);
        }

        @Override
        public void addFullNatRealServer6(int protocol, long hi, long lo, int port) {
            entries.add("fullnat6 " + Ipv6.toString(hi, lo) + " " + port);
        }

        @Override
        public void removeFullNatRealServer6(int protocol, long hi, long lo, int port) {
            entries.remove("fullnat6 " + Ipv6.toString(hi, lo) + " " + port);
        }

        @Override
        public void addLocalAddress6(long hi, long lo) {
            entries.add("laddr6 " + Ipv6.toString(hi, lo));
        }

        @Override
        public void removeLocalAddress6(long hi, long lo) {
            entries.remove("laddr6 " + Ipv6.toString(hi, lo));
        }
    };
    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, recording, 64);
    final DirectorConfig config = new DirectorConfig(director);

    void openConnection() {
        director.now(S);
        byte[] arp = Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP);
        director.onFrame(SERVER_SIDE, Frames.nativeCopy(arp), 0, arp.length, 0);
        byte[] syn = Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 80)
                .tcpFlags(TcpHeader.SYN).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);
        director.onFrame(CLIENT_SIDE, Frames.nativeCopy(syn), 0, syn.length, 0);
        assertThat(director.connections().size()).isEqualTo(1);
    }

    void expireEverything() {
        director.now(3600 * S);
        director.expire(100);
        config.sweep();
    }

    @Test
    void shouldKeepTheNatEntryOfADeletedServerUntilItsConnectionsExpire() throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 1, 0, 0));
        openConnection();

        config.deleteRealServer(WEB, RS1, 8080);
        config.sweep();
        assertThat(entries).containsExactlyInAnyOrder("service 80", "nat 8080");

        expireEverything();
        assertThat(entries).containsExactly("service 80");
    }

    @Test
    void shouldKeepTheEntriesOfADeletedServiceUntilItsConnectionsExpire() throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 1, 0, 0));
        openConnection();

        config.deleteService(WEB);
        assertThat(entries).containsExactlyInAnyOrder("service 80", "nat 8080");

        expireEverything();
        assertThat(entries).isEmpty();
    }

    @Test
    void shouldDropEntriesAtOnceWhenNothingIsConnected() throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 1, 0, 0));

        config.clear();

        assertThat(entries).isEmpty();
    }

    @Test
    void shouldShareAnEntryBetweenServicesUsingTheSameRealServer() throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        var other = new org.jvs.api.ServiceKey(WEB.protocol(), VIP + 1, 80);
        config.addService(new ServiceSpec(other, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 1, 0, 0));
        config.addRealServer(other, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 1, 0, 0));

        config.deleteRealServer(WEB, RS1, 8080);

        assertThat(entries).contains("nat 8080");
    }

    @Test
    void shouldKeepFullNatEntriesAndLocalAddressesUntilTheirConnectionsExpire() throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.FULLNAT, 1, 0, 0));
        int lip = org.jvs.packet.Reference.ip(192, 0, 2, 100);
        config.addLocalAddress(WEB, new org.jvs.api.LocalAddressSpec(lip, ""));
        assertThat(entries).containsExactlyInAnyOrder("service 80", "fullnat 8080",
                "laddr " + InMemoryHost.DIRECTOR_SERVER_IP, "laddr " + lip);
        openConnection();

        config.deleteService(WEB);
        assertThat(entries).containsExactlyInAnyOrder("service 80", "fullnat 8080",
                "laddr " + InMemoryHost.DIRECTOR_SERVER_IP, "laddr " + lip);

        expireEverything();
        assertThat(entries).isEmpty();
    }

    @Test
    void shouldReleaseADeletedLocalAddressAtOnceWhenNothingIsConnected() throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        int lip = org.jvs.packet.Reference.ip(192, 0, 2, 100);
        config.addLocalAddress(WEB, new org.jvs.api.LocalAddressSpec(lip, ""));

        config.deleteLocalAddress(WEB, lip);

        assertThat(entries).containsExactly("service 80");
    }

    @Test
    void shouldAnnounceTheFullNatPortRangeOnceAtStart() {
        List<String> ranges = new ArrayList<>();
        KernelBypass announcing = new KernelBypass() {
            @Override public void addService(int protocol, int address, int port) { }
            @Override public void removeService(int protocol, int address, int port) { }
            @Override public void addNatRealServer(int protocol, int address, int port) { }
            @Override public void removeNatRealServer(int protocol, int address, int port) { }
            @Override public void addFullNatRealServer(int protocol, int address, int port) { }
            @Override public void removeFullNatRealServer(int protocol, int address, int port) { }
            @Override public void addLocalAddress(int address) { }
            @Override public void removeLocalAddress(int address) { }
            @Override public void fullNatPorts(int lowest, int highest) {
                ranges.add(lowest + "-" + highest);
            }
        };

        new Director(host, host, announcing, 64, 2000, 2999);

        assertThat(ranges).containsExactly("2000-2999");
    }

    @Test
    void shouldHoldAnIpv6ServicesEntriesAndReleaseThemWithIt() throws ControlException {
        ServiceKey key = new ServiceKey(Protocol.TCP, IpAddress.parse("2001:db8::10"), 80);
        config.addService(new ServiceSpec(key, "rr", "", 0, 128));
        config.addRealServer(key, new RealServerSpec(IpAddress.parse("2001:db8::2"), 8080, ForwardingMethod.MASQ, 1,
                0, 0));
        config.addRealServer(key, new RealServerSpec(IpAddress.parse("2001:db8::3"), 8080, ForwardingMethod.FULLNAT,
                1, 0, 0));
        config.addLocalAddress(key, new LocalAddressSpec(IpAddress.parse("2001:db8::100"), ""));

        assertThat(entries).containsExactly("service6 2001:db8::10 80", "nat6 2001:db8::2 8080",
                "fullnat6 2001:db8::3 8080", "laddr6 2001:db8::100");

        config.deleteService(key);
        config.sweep();
        assertThat(entries).isEmpty();
    }
}
