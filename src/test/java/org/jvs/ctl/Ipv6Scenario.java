package org.jvs.ctl;

import static org.jvs.ctl.Scenario.stats;

import java.util.ArrayList;
import java.util.List;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.Tunnel;
import org.jvs.stats.Stats;

/**
 * A dual-stack table for the IPv6 listings, added in an order ipvsadm's sorting has to undo: an IPv4 service last
 * (AF_INET sorts first), real servers in reverse, an IPv4 tunnel server under an IPv6 service, and names longer
 * than ipvsadm's 33 and 28 columns, which it cuts for IPv4 only.
 */
final class Ipv6Scenario {
    static final NameResolver NAMES = HostsAndServices.parse(
            "2001:db8::10 v6vip.example\n192.0.2.1 vip.example\n"
                    + "2001:db8:1234:5678:9abc:def0:1234:5678 a-long-v6-name.example\n",
            "http 80/tcp\nhttps 443/tcp\ndomain 53/udp\n");

    private Ipv6Scenario() {
    }

    static FakeDirector director() {
        FakeDirector director = new FakeDirector();
        ServiceSnapshot dns = service(Protocol.UDP, "2001:db8::10", 53, "rr", 0, 128, stats(19, 190, 0, 11400, 0));
        dns.realServers().add(server("2001:db8::3", 53, ForwardingMethod.ROUTE, 2, 0, 12, stats(12, 120, 0, 7200, 0)));
        dns.realServers().add(server("192.0.2.7", 53, ForwardingMethod.TUNNEL, 1, 0, 7, stats(7, 70, 0, 4200, 0)));
        ServiceSnapshot tls = service(Protocol.TCP, "2001:db8:1234:5678:9abc:def0:1234:5678", 443, "rr", 0, 128,
                stats(0, 0, 0, 0, 0));
        tls.realServers().add(server("2001:db8:1234:5678:9abc:def0:1234:5679", 443, ForwardingMethod.ROUTE, 1, 1, 0,
                stats(0, 0, 0, 0, 0)));
        ServiceSnapshot web = service(Protocol.TCP, "2001:db8::10", 80, "wlc", 360, 64,
                stats(123_456_789L, 5, 99_999_999L, 1_234_567_890_123L, 100_000_000_000_000L));
        web.stats().cpsScaled = 5L << 10;
        web.stats().inPpsScaled = 1000L << 10;
        web.stats().outPpsScaled = 999L << 10;
        web.stats().inBpsScaled = 123_456_789L << 5;
        web.stats().outBpsScaled = 42L << 5;
        web.realServers().add(server("2001:db8:0:1:ffff:ffff:ffff:fff1", 8080, ForwardingMethod.MASQ, 0, 0, 0,
                stats(0, 0, 0, 0, 0)));
        RealServerSnapshot busy = server("2001:db8::2", 8080, ForwardingMethod.MASQ, 3, 12, 40,
                stats(1_000_000_000L, 2, 3, 4, 5));
        busy.stats().cpsScaled = 3L << 10;
        busy.stats().inBpsScaled = 1_000_000_000L << 5;
        web.realServers().add(busy);
        web.localAddresses().add(new LocalAddressSpec(IpAddress.parse("2001:db8::100"), "eth1"));
        ServiceSnapshot v4 = service(Protocol.TCP, "192.0.2.1", 80, "rr", 0, -1, stats(0, 0, 0, 0, 0));
        v4.realServers().add(server("198.51.100.2", 80, ForwardingMethod.ROUTE, 1, 0, 0, stats(0, 0, 0, 0, 0)));
        director.services.addAll(List.of(dns, tls, web, v4));
        director.connections.add(connection(Protocol.TCP, "2001:db8::77", 51234, 80, "2001:db8::2", 8080,
                "ESTABLISHED", 899_999, false));
        director.connections.add(connection(Protocol.UDP, "2001:db8::78", 40000, 53, "192.0.2.7", 53, "UDP", 65_000,
                false));
        // a persistence template of the client's /64, as ip_vs_sched_persist enters it with -M 64
        director.connections.add(connection(Protocol.TCP, "2001:db8::", 0, 80, "2001:db8::2", 8080, "NONE", 359_000,
                true));
        return director;
    }

    private static ConnectionSnapshot connection(int protocol, String client, int clientPort, int virtualPort,
                                                 String real, int realPort, String state, long expiresMs,
                                                 boolean template) {
        return new ConnectionSnapshot(protocol, IpAddress.parse(client), clientPort, IpAddress.parse("2001:db8::10"),
                virtualPort, IpAddress.parse(real), realPort, state, expiresMs, template);
    }

    private static ServiceSnapshot service(int protocol, String address, int port, String scheduler, int persistenceS,
                                           int mask, Stats stats) {
        return new ServiceSnapshot(new ServiceKey(protocol, IpAddress.parse(address), port), scheduler, "",
                persistenceS, mask, false, ServiceSpec.PROXY_PROTOCOL_NONE, stats, new ArrayList<>(),
                new ArrayList<>());
    }

    private static RealServerSnapshot server(String address, int port, ForwardingMethod method, int weight, int active,
                                             int inactive, Stats stats) {
        return new RealServerSnapshot(IpAddress.parse(address), port, method, weight, 0, 0, active, inactive, 0, stats,
                Tunnel.IPIP);
    }
}
