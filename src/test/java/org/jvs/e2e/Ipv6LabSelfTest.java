package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.ReturnPath;
import org.jvs.e2e.LvsLab.VipPlacement;

/**
 * The lab's IPv6 wiring, proven with the director's kernel routing IPv6 (no JVS), as {@link LabSelfTest} proves the
 * IPv4 one: if these fail, an IPv6 cell's failure says nothing about the director.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ipv6LabSelfTest {
    private LvsLab lvs;
    private Client client;

    @BeforeAll
    void buildLab() {
        lvs = LvsLab.build("v6self", AddressFamily.IPV6, VipPlacement.DIRECTOR_LO, ReturnPath.VIA_DIRECTOR);
        lvs.startServers();
        client = new Client(lvs);
    }

    @AfterAll
    void tearDown() {
        if (lvs != null) {
            lvs.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReturnPath.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void shouldReachEveryRealServerOverHttpAtItsIpv6Address(ReturnPath returnPath) {
        lvs.routeReplies(returnPath);
        for (int i = 0; i < lvs.rips.size(); i++) {
            Map<String, Integer> counts = client.httpCounts(lvs.rips.get(i), LvsLab.HTTP_PORT, 2);
            assertEquals(Map.of(LvsLab.NAMES.get(i), 2), counts, "HTTP to " + LvsLab.endpoint(lvs.rips.get(i), 80));
        }
        assertEquals(Map.of("rs2:8080", 1), client.httpCounts(lvs.rips.get(1), LvsLab.MAPPED_HTTP_PORT, 1));
    }

    @Test
    void shouldMoveTenMebibytesIntactBothWaysOverIpv6() {
        lvs.routeReplies(ReturnPath.VIA_DIRECTOR);
        CommandResult transfer = client.transfer(lvs.rips.get(2), LvsLab.ECHO_PORT, 10L << 20);
        assertTrue(transfer.ok(), transfer.describe());
        assertTrue(transfer.stdout().contains("ok rs3 10485760"), transfer.stdout());
    }

    @ParameterizedTest
    @EnumSource(value = ReturnPath.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void shouldAnswerUdpRequestsFromTheIpv6AddressAsked(ReturnPath returnPath) {
        lvs.routeReplies(returnPath);
        assertEquals(List.of("rs1 req-1", "rs1 req-2"), client.udpRequests(lvs.rips.getFirst(), LvsLab.UDP_PORT, 2));
    }

    /** SteadyUdp counts what the real servers' IPv6 UDP layers took in (/proc/net/snmp6), every datagram of it. */
    @Test
    void shouldCountEveryIpv6DatagramAtTheRealServers() {
        lvs.routeReplies(ReturnPath.VIA_DIRECTOR);
        SteadyUdp udp = new SteadyUdp(lvs, org.jvs.service.Tunnel.IPIP);
        udp.startServers();
        long before = udp.arrivals();
        CommandResult sent = lvs.lab.run(lvs.client, java.time.Duration.ofSeconds(30), LvsLab.PYTHON,
                lvs.script("/e2e/udppace.py").toString(), "send", lvs.rips.getFirst(), String.valueOf(SteadyUdp.SINK_PORT),
                "1000", "500", "4");
        assertTrue(sent.ok() && sent.stdout().contains("sent=500"), sent.describe());
        long arrived = 0;
        for (int attempt = 0; attempt < 40 && arrived < 500; attempt++) {
            Background.sleep(50);
            arrived = udp.arrivals() - before;
        }
        assertEquals(500, arrived, "datagrams counted by the real servers' Udp6 counters");
    }

    /** The VIP is the director's: the client's kernel routes to it over IPv6 and the director's kernel answers. */
    @Test
    void shouldReachTheVipOnTheDirectorsLo() {
        CommandResult ping = lvs.lab.run(lvs.client, "ping", "-6", "-c", "1", "-W", "2", lvs.vip);
        assertTrue(ping.ok(), ping.describe());
    }

    @Test
    void shouldWireNat64WithAnIpv6ClientSideAndIpv4RealServers() {
        try (LvsLab nat64 = LvsLab.build("v6selfnat64", AddressFamily.NAT64, VipPlacement.DIRECTOR_LO, ReturnPath.NONE)) {
            CommandResult toVip = nat64.lab.run(nat64.client, "ping", "-6", "-c", "1", "-W", "2", nat64.vip);
            assertTrue(toVip.ok(), "client to the VIP over IPv6: " + toVip.describe());
            CommandResult toDirector = nat64.lab.run(nat64.realServers.getFirst(), "ping", "-4", "-c", "1", "-W", "2",
                    nat64.directorInside);
            assertTrue(toDirector.ok(), "rs1 to the director over IPv4: " + toDirector.describe());
            assertEquals(List.of(LvsLab.LIP_NAT64), nat64.localAddresses);
        }
    }
}
