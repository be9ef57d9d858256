package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvs.e2e.LvsLab.ReturnPath;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/**
 * The core end-to-end cases every forwarding method and VIP placement must pass: byte-exact TCP both ways, UDP
 * request/response and round-robin over three real servers. One lab and one director per concrete class; every test
 * starts from an empty service table.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ForwardingCases {
    static final String VIP = LvsLab.VIP;
    private static final Pattern STATS_LINE = Pattern.compile("^[ \\t]*->[ \\t]*(\\S+)[ \\t]+(\\d+)", Pattern.MULTILINE);

    LvsLab lvs;
    Director director;
    Client client;

    /** Namespace prefix part: 1-12 of [a-z0-9]. */
    abstract String labName();

    abstract ForwardingMethod method();

    abstract VipPlacement placement();

    @BeforeAll
    void startLabAndDirector() {
        ReturnPath returnPath = method() == ForwardingMethod.MASQ ? ReturnPath.VIA_DIRECTOR : ReturnPath.DIRECT;
        lvs = LvsLab.build(labName(), placement(), returnPath);
        lvs.startServers();
        RealServerSetup.prepare(lvs, method());
        client = new Client(lvs);
        director = new Director(lvs.lab, lvs.director);
        // every test reuses the VIP's ports after -C: a client port the kernel hands out again must not follow
        // an earlier test's connection (a DR one stays in FIN_WAIT for two minutes) to a real server -C deleted
        director.start("--expire-nodest-conn");
    }

    @AfterAll
    void tearDown() {
        if (lvs != null) {
            lvs.close();
        }
    }

    @BeforeEach
    void emptyServiceTable() {
        if (!director.running()) {
            fail("the director died: " + director.log());
        }
        director.jvsadm("-C");
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {1_000, 10L << 20})
    void shouldTransferRandomDataIntactBothWays(long bytes) {
        addService("-t", LvsLab.ECHO_PORT, "rr", LvsLab.ECHO_PORT, 1, 1, 1);
        CommandResult transfer = client.transfer(VIP, LvsLab.ECHO_PORT, bytes);
        assertTrue(transfer.ok() && transfer.stdout().matches("(?sm).*^ok rs\\d " + bytes + "$.*"),
                "transfer via " + method() + ": " + transfer.describe() + " [" + transfer.stdout().strip()
                        + "]; director log: " + director.log());
    }

    @Test
    void shouldAnswerUdpRequestsRoundRobin() {
        addService("-u", LvsLab.UDP_PORT, "rr", LvsLab.UDP_PORT, 1, 1, 1);
        List<String> answers = client.udpRequests(VIP, LvsLab.UDP_PORT, 6);
        Map<String, Integer> perServer = new HashMap<>();
        for (int i = 0; i < answers.size(); i++) {
            String answer = answers.get(i);
            assertTrue(answer.matches("rs\\d req-" + (i + 1)), "UDP request " + (i + 1) + " via " + method()
                    + " answered '" + answer + "' (all: " + answers + "); director log: " + director.log());
            perServer.merge(answer.substring(0, 3), 1, Integer::sum);
        }
        assertEquals(Map.of("rs1", 2, "rs2", 2, "rs3", 2), perServer, "rr over 6 UDP requests");
    }

    @Test
    void shouldSpreadHttpRequestsRoundRobin() {
        addService("-t", LvsLab.HTTP_PORT, "rr", LvsLab.HTTP_PORT, 1, 1, 1);
        Map<String, Integer> counts = client.httpCounts(VIP, LvsLab.HTTP_PORT, 30);
        assertEquals(Map.of("rs1", 10, "rs2", 10, "rs3", 10), counts,
                "30 HTTP requests via " + method() + " rr; director log: " + director.log());
    }

    @Test
    void shouldCountConnectionsPerRealServerInStats() {
        addService("-t", LvsLab.HTTP_PORT, "rr", LvsLab.HTTP_PORT, 1, 1, 1);
        Map<String, Integer> counts = client.httpCounts(VIP, LvsLab.HTTP_PORT, 6);
        assertEquals(Map.of("rs1", 2, "rs2", 2, "rs3", 2), counts, "6 HTTP requests via " + method());
        String stats = director.jvsadm("-L", "-n", "--stats").stdout();
        Map<String, Integer> connections = new HashMap<>();
        Matcher line = STATS_LINE.matcher(stats);
        while (line.find()) {
            connections.put(line.group(1), Integer.parseInt(line.group(2)));
        }
        Map<String, Integer> expected = new HashMap<>();
        for (String rip : LvsLab.RIPS) {
            expected.put(rip + ":" + LvsLab.HTTP_PORT, 2);
        }
        assertEquals(expected, connections, "Conns per real server in:\n" + stats);
    }

    /** -A the service on the VIP and -a the three real servers with this class's method and the given weights. */
    void addService(String protocolFlag, int port, String scheduler, int realPort, int... weights) {
        String virtual = VIP + ":" + port;
        director.jvsadm("-A", protocolFlag, virtual, "-s", scheduler);
        for (int i = 0; i < weights.length; i++) {
            director.jvsadm("-a", protocolFlag, virtual, "-r", LvsLab.RIPS.get(i) + ":" + realPort,
                    method().flag(), "-w", String.valueOf(weights[i]));
        }
    }
}
