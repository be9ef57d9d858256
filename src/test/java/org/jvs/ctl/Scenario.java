package org.jvs.ctl;

import java.util.ArrayList;
import java.util.List;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.stats.Stats;

/** A director table for listing tests, added in an order ipvsadm's sorting has to undo. */
final class Scenario {
    /** Names for the listings without -n; two of them too long for ipvsadm's columns. */
    static final NameResolver NAMES = HostsAndServices.parse(
            "192.0.2.1 vip.example vip\n"
                    + "192.0.2.10 a-rather-long-virtual-host.example\n"
                    + "198.51.100.11 a-very-long-real-server-name.example.com\n",
            "http 80/tcp www\nhttps 443/tcp\ndomain 53/udp\ndomain 53/tcp\n");

    private Scenario() {
    }

    static FakeDirector director() {
        FakeDirector director = new FakeDirector();
        ServiceSnapshot dns = service(new ServiceKey(Protocol.UDP, Ipv4.parse("192.0.2.10"), 53), "rr", "", 0, -1,
                stats(0, 0, 0, 0, 0));
        dns.realServers().add(server("198.51.100.2", 53, ForwardingMethod.ROUTE, 1, 0, 0, 0, 7, 0, stats(7, 70, 0, 4200, 0)));
        dns.realServers().add(server("198.51.100.1", 53, ForwardingMethod.ROUTE, 2, 0, 0, 0, 12, 0, stats(12, 120, 0, 7200, 0)));
        ServiceSnapshot web = service(new ServiceKey(Protocol.TCP, Ipv4.parse("192.0.2.1"), 80), "wlc", "", 360,
                Ipv4.parse("255.255.255.0"), stats(123_456_789L, 5, 99_999_999L, 1_234_567_890_123L, 100_000_000_000_000L));
        web.stats().cpsScaled = (5 << 10) + 513;
        web.stats().inPpsScaled = 1000L << 10;
        web.stats().outPpsScaled = (999L << 10) + 512;
        web.stats().inBpsScaled = (123_456_789L << 5) + 15;
        web.stats().outBpsScaled = (42L << 5) + 17;
        web.realServers().add(server("198.51.100.12", 8080, ForwardingMethod.MASQ, 3, 100, 75, 12, 40, 5,
                stats(1_000_000_000L, 2, 3, 4, 5)));
        web.realServers().add(server("198.51.100.11", 8080, ForwardingMethod.MASQ, 0, 0, 0, 0, 0, 0, stats(0, 0, 0, 0, 0)));
        web.realServers().getFirst().stats().cpsScaled = 3 << 10;
        web.realServers().getFirst().stats().inBpsScaled = 1_000_000_000L << 5;
        ServiceSnapshot tls = service(new ServiceKey(Protocol.TCP, Ipv4.parse("192.0.2.1"), 443), "wrr", "flag-1,flag-2",
                0, -1, stats(0, 0, 0, 0, 0));
        tls.realServers().add(server("203.0.113.5", 443, ForwardingMethod.TUNNEL, 1, 0, 0, 1, 0, 0, stats(0, 0, 0, 0, 0)));
        director.services.add(dns);
        director.services.add(tls);
        director.services.add(web);
        director.connections.add(new ConnectionSnapshot(Protocol.TCP, Ipv4.parse("203.0.113.77"), 51234,
                Ipv4.parse("192.0.2.1"), 80, Ipv4.parse("198.51.100.12"), 8080, "ESTABLISHED", 899_999));
        director.connections.add(new ConnectionSnapshot(Protocol.UDP, Ipv4.parse("203.0.113.78"), 40000,
                Ipv4.parse("192.0.2.10"), 53, Ipv4.parse("198.51.100.1"), 53, "UDP", 65_000));
        director.connections.add(new ConnectionSnapshot(Protocol.TCP, Ipv4.parse("203.0.113.77"), 51235,
                Ipv4.parse("192.0.2.1"), 443, Ipv4.parse("203.0.113.5"), 443, "FIN_WAIT", 500));
        // a persistence template of a /24 client network, as ip_vs_sched_persist enters it
        director.connections.add(new ConnectionSnapshot(Protocol.TCP, Ipv4.parse("203.0.113.0"), 0,
                Ipv4.parse("192.0.2.1"), 80, Ipv4.parse("198.51.100.12"), 8080, "NONE", 359_000, true));
        return director;
    }

    private static ServiceSnapshot service(ServiceKey key, String scheduler, String flags, int persistenceS, int mask,
                                           Stats stats) {
        return new ServiceSnapshot(key, scheduler, flags, persistenceS, mask, false, ServiceSpec.PROXY_PROTOCOL_NONE,
                stats, new ArrayList<>(), new ArrayList<>());
    }

    private static RealServerSnapshot server(String address, int port, ForwardingMethod method, int weight, int upper,
                                             int lower, int active, int inactive, int persistent, Stats stats) {
        return new RealServerSnapshot(Ipv4.parse(address), port, method, weight, upper, lower, active, inactive,
                persistent, stats);
    }

    static Stats stats(long connections, long inPackets, long outPackets, long inBytes, long outBytes) {
        Stats stats = new Stats();
        stats.connections = connections;
        stats.inPackets = inPackets;
        stats.outPackets = outPackets;
        stats.inBytes = inBytes;
        stats.outBytes = outBytes;
        return stats;
    }

    static List<String> words(String commandLine) {
        return IpvsadmParserTest.words(commandLine);
    }
}
