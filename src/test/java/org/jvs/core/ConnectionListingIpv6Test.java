package org.jvs.core;

import java.util.ArrayList;
import java.util.List;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.IpAddress;
import org.jvs.conn.ConnectionTable;
import org.jvs.net.KernelBypass;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** -L -c and the REST listing take IPv6 entries with their IPv6 addresses, beside IPv4 ones, whole or paged. */
class ConnectionListingIpv6Test {
    private static final long S = 1_000_000_000L;
    private static final int TCP = Protocol.TCP;
    private static final Ipv6 VIP = Ipv6.parse("2001:db8::1");
    private static final Ipv6 CLIENT = Ipv6.parse("2001:db8:c::7");
    private static final Ipv6 NETWORK = Ipv6.parse("2001:db8:c::");
    private static final Ipv6 RIP = Ipv6.parse("2001:db8:5::11");
    private static final Ipv6 LIP = Ipv6.parse("2001:db8:1::1");
    private static final int VIP4 = 0xC0000201;
    private static final int CLIENT4 = 0xC6336407;

    private final InMemoryHost host = new InMemoryHost();
    private final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    private final DirectorConfig config = new DirectorConfig(director);
    private final RealServer server6 = new RealServer(RIP, 8080, ForwardingMethod.FULLNAT, 1);
    private final RealServer server4 = new RealServer(0xC0000211, 80, ForwardingMethod.MASQ, 1);

    private static IpAddress ip(Ipv6 address) {
        return IpAddress.ofIpv6(address);
    }

    /** An IPv4 NAT connection, an IPv6 full-NAT connection and an IPv6 template, in that order in the table. */
    private void enterBothFamilies() {
        ConnectionTable table = director.connections();
        long nowNs = director.nowNs();
        table.create(TCP, CLIENT4, 40000, VIP4, 80, server4, true, nowNs);
        int id = table.create6(TCP, CLIENT.hi(), CLIENT.lo(), 40001, VIP.hi(), VIP.lo(), 80, server6, 8080,
                LIP.hi(), LIP.lo(), 1024, true, nowNs);
        table.onTcpPacket(id, true, TcpHeader.SYN, nowNs);
        table.createTemplate6(TCP, NETWORK.hi(), NETWORK.lo(), VIP.hi(), VIP.lo(), 80, server6, 8080, 300, nowNs);
    }

    @Test
    void shouldListIpv6EntriesWithTheirIpv6AddressesBesideIpv4Ones() {
        enterBothFamilies();

        assertThat(config.connections()).containsExactly(
                new ConnectionSnapshot(TCP, CLIENT4, 40000, VIP4, 80, 0xC0000211, 80, "NONE", 3_000),
                new ConnectionSnapshot(TCP, ip(CLIENT), 40001, ip(VIP), 80, ip(RIP), 8080, "SYN_RECV", 60_000,
                        false),
                new ConnectionSnapshot(TCP, ip(NETWORK), 0, ip(VIP), 80, ip(RIP), 8080, "NONE", 300_000,
                        true));
    }

    @Test
    void shouldPageThroughBothFamiliesAsThroughOne() {
        enterBothFamilies();

        List<ConnectionSnapshot> paged = new ArrayList<>();
        int from = 0;
        while (from != DirectorConfig.ConnectionPage.DONE) {
            DirectorConfig.ConnectionPage page = config.connections(from, 1);
            paged.addAll(page.connections());
            from = page.nextId();
        }

        assertThat(paged).isEqualTo(config.connections()).hasSize(3);
        assertThat(paged).extracting(c -> c.clientAddress().family()).containsExactly(IpAddress.Family.IPV4,
                IpAddress.Family.IPV6, IpAddress.Family.IPV6);
    }

    @Test
    void shouldCountDownAnIpv6EntrysExpiry() {
        enterBothFamilies();
        director.now(director.nowNs() + 10 * S);

        assertThat(config.connections().getLast().expiresInMs()).isEqualTo(290_000);
    }
}
