package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/**
 * Persistent services (-p, and -p on port 0) through a real director: one client stays on one real server. The VIP
 * is reached by ARP alone, so the kernel (VIP not local, ip_forward=0) ignores the port-zero service's traffic
 * without a kernel guard entry for every port.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersistenceE2eTest {
    private static final String VIP = LvsLab.VIP;
    private static final int REQUESTS = 20;
    /** An -L -c -n line of a template: the client's address with port 0, state NONE. */
    private static final Pattern TEMPLATE_LINE =
            Pattern.compile("(?m)^TCP \\d\\d:\\d\\d  NONE +" + Pattern.quote(LvsLab.CLIENT) + ":0 ");

    @RegisterExtension
    static final LvsLabExtension LAB = LvsLabExtension.of(new LabCell("persist", ForwardingMethod.MASQ,
            AddressFamily.IPV4, VipPlacement.ARP_ONLY, List.of()));

    private Director director;
    private Client client;

    @Test
    void shouldKeepAClientOnOneRealServerAcrossNewConnectionsWhereRoundRobinSpreadsThem() {
        addNatService(LvsLab.HTTP_PORT, "");
        Map<String, Integer> spread = client.httpCounts(VIP, LvsLab.HTTP_PORT, 6);
        assertEquals(Map.of("rs1", 2, "rs2", 2, "rs3", 2), spread, "rr without -p; director log: " + director.log());

        director.jvsadm("-E", "-t", VIP + ":" + LvsLab.HTTP_PORT, "-s", "rr", "-p", "360");
        Map<String, Integer> kept = client.httpCounts(VIP, LvsLab.HTTP_PORT, REQUESTS);

        assertEquals(1, kept.size(), "rr -p 360 over " + REQUESTS + " connections: " + kept);
        assertEquals(REQUESTS, kept.values().iterator().next(), "no request failed: " + kept);
        String listing = director.jvsadm("-L", "-c", "-n").stdout();
        assertTrue(TEMPLATE_LINE.matcher(listing).find(), "one template for the client in:\n" + listing);
        String persistent = director.jvsadm("-L", "-n", "--persistent-conn").stdout();
        assertTrue(persistent.matches("(?s).*->\\s+\\S+\\s+1\\s+1\\s.*"), "PersistConn 1 on its server in:\n" + persistent);
    }

    @Test
    void shouldKeepAClientOnOneRealServerAcrossPortsOfAPortZeroService() {
        addNatService(0, "360");

        Map<String, Integer> web = client.httpCounts(VIP, LvsLab.HTTP_PORT, 3);
        Map<String, Integer> mapped = client.httpCounts(VIP, LvsLab.MAPPED_HTTP_PORT, 3);

        assertEquals(1, web.size(), "port 80 via VIP:0: " + web + "; director log: " + director.log());
        String server = web.keySet().iterator().next();
        assertEquals(Map.of(server, 3), web);
        assertEquals(Map.of(server + ":8080", 3), mapped, "port 8080 goes to the same server as port 80");
    }

    /** -A the NAT service (persistent when {@code persistenceS} is not empty) and -a the three real servers. */
    private void addNatService(int port, String persistenceS) {
        String virtual = VIP + ":" + port;
        if (persistenceS.isEmpty()) {
            director.jvsadm("-A", "-t", virtual, "-s", "rr");
        } else {
            director.jvsadm("-A", "-t", virtual, "-s", "rr", "-p", persistenceS);
        }
        for (String rip : LvsLab.RIPS) {
            director.jvsadm("-a", "-t", virtual, "-r", port == 0 ? rip : rip + ":" + port, "-m", "-w", "1");
        }
    }
}
