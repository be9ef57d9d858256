package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.jvs.e2e.LvsLab.AddressFamily;

/**
 * A keepalived.conf with an IPv6 virtual_server, run unmodified by {@code ./jvs director -f}: its IPv6 real servers
 * are checked over IPv6 (HTTP_GET, TCP_CHECK), an IPv6 client's requests are balanced over them through NAT66, and a
 * server whose nginx stops leaves the table and comes back as with IPv4.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeepalivedIpv6E2eTest {
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

    private KeepalivedCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = KeepalivedCluster.start("kaipv6", AddressFamily.IPV6, KeepalivedCluster.resource("ipv6.conf"));
        cluster.awaitEntries("the three IPv6 real servers in at weight 1", SETTLE_TIMEOUT,
                entries -> entries.keySet().equals(Set.of(endpoint(0), endpoint(1), endpoint(2)))
                        && entries.values().stream().allMatch(e -> e.weight() == 1 && e.method().equals("Masq")));
    }

    @AfterAll
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldBalanceAnIpv6ClientOverTheCheckedIpv6RealServers() {
        assertEquals(Map.of("rs1", 4, "rs2", 4, "rs3", 4),
                cluster.client.httpCounts(cluster.lvs.vip, LvsLab.HTTP_PORT, 12),
                "12 requests to [" + cluster.lvs.vip + "]:80, rr over three healthy IPv6 servers; director log: "
                        + cluster.director.log());
    }

    @Test
    void shouldTakeOutAServerWhoseTcpCheckFailsOverIpv6AndTakeItBack() {
        cluster.realServers.get(1).stop();
        cluster.awaitEntries("rs2 removed after its nginx stopped (TCP_CHECK over IPv6)", SETTLE_TIMEOUT,
                entries -> !entries.containsKey(endpoint(1)));
        assertEquals(Map.of("rs1", 5, "rs3", 5), cluster.client.httpCounts(cluster.lvs.vip, LvsLab.HTTP_PORT, 10),
                "10 requests while rs2 is out: none may fail or reach it; director log: " + cluster.director.log());

        cluster.realServers.get(1).start();
        cluster.awaitEntries("rs2 back after its nginx restarted", SETTLE_TIMEOUT,
                entries -> entries.containsKey(endpoint(1)) && entries.get(endpoint(1)).weight() == 1);
    }

    private String endpoint(int index) {
        return LvsLab.endpoint(cluster.lvs.rips.get(index), LvsLab.HTTP_PORT);
    }
}
