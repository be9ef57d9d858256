package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.ReturnPath;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/**
 * {@code ./jvs explain} and {@code ./jvs trace} against a running director carrying real HTTP requests, for each
 * forwarding method in one lab: the real servers run the TUN helper (VIP on lo, IPIP decapsulated), which DR and NAT
 * do not mind, and their default route is switched between the director (NAT) and the client's return segment.
 * The trace's pcap file is read back with tcpdump and must hold the client's packet as received and as sent on.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainTraceE2eTest {
    private static final String VIP = LvsLab.VIP;
    private static final String RS1 = LvsLab.RIPS.getFirst();
    private static final String LIP = "192.0.2.100";
    private static final Duration TRACE_TIMEOUT = Duration.ofSeconds(30);
    /** tcpdump -e -nn: "src-mac > dst-mac, ethertype IPv4 (0x0800), length N: a.b.c.d.p > e.f.g.h.q: ..." */
    private static final Pattern FRAME = Pattern.compile("(?m)^\\S+ (\\S+) > (\\S+), ethertype IPv4 \\(0x0800\\), "
            + "length \\d+: (.*)$");

    /** The TUN helper on the real servers serves every method; each test points their replies for its own. */
    @RegisterExtension
    static final LvsLabExtension LAB = LvsLabExtension.of(new LabCell("explain", ForwardingMethod.TUNNEL,
            AddressFamily.IPV4, VipPlacement.DIRECTOR_LO, List.of("--expire-nodest-conn", "--workers", "2")));

    LvsLab lvs;
    Director director;

    @ParameterizedTest
    @EnumSource(ForwardingMethod.class)
    void shouldExplainAndTraceAConnection(ForwardingMethod method) {
        lvs.routeReplies(method == ForwardingMethod.MASQ ? ReturnPath.VIA_DIRECTOR : ReturnPath.DIRECT);
        String virtual = VIP + ":" + LvsLab.HTTP_PORT;
        director.jvsadm("-A", "-t", virtual, "-s", "rr");
        director.jvsadm("-a", "-t", virtual, "-r", RS1 + ":" + LvsLab.HTTP_PORT, method.flag());
        if (method == ForwardingMethod.FULLNAT) {
            director.jvsadm("-P", "-t", virtual, "-z", LIP);
        }
        int clientPort = 41000 + method.ordinal();
        Path pcap = lvs.lab.workDir().resolve("trace-" + method + ".pcap");

        CommandResult before = lvs.lab.run(lvs.director, Launchers.JVS, "explain", "-t", virtual, "--client",
                LvsLab.CLIENT + ":" + clientPort);
        assertTrue(before.ok() && before.stdout().contains("no connection; a new one")
                        && before.stdout().contains("rr (exact):") && before.stdout().contains("-> " + RS1 + ":80"),
                "explain before the connection: " + before.describe() + "\n" + before.stdout());

        Background trace = lvs.lab.spawn(lvs.director, "trace-" + method, Launchers.JVS, "trace", "-t", virtual,
                "--client", LvsLab.CLIENT, "-w", pcap.toString(), "-c", "6", "--seconds", "20");
        assertTrue(trace.awaitLine("jvs trace: tracing", TRACE_TIMEOUT).isPresent(), "trace did not start: "
                + trace.tail(10));
        CommandResult request = lvs.lab.run(lvs.client, Duration.ofSeconds(15), "curl", "-sS", "--max-time", "5",
                "--local-port", String.valueOf(clientPort), "http://" + virtual + "/");
        assertTrue(request.ok() && request.stdout().strip().equals("rs1"), "HTTP via " + method + ": "
                + request.describe() + " [" + request.stdout() + "]; director log: " + director.log());

        CommandResult explained = lvs.lab.run(lvs.director, Launchers.JVS, "explain", "-t", virtual, "--client",
                LvsLab.CLIENT + ":" + clientPort);
        String text = explained.stdout();
        assertTrue(explained.ok() && text.contains("an existing connection")
                        && text.contains("real server " + RS1 + ":80, chosen when the connection opened")
                        && text.contains(methodLine(method)) && text.contains(" s left of "),
                "explain of the connection via " + method + ": " + explained.describe() + "\n" + text);

        assertEquals(0, trace.awaitExit(TRACE_TIMEOUT), "trace: " + trace.tail(10));
        CommandResult read = lvs.lab.run(lvs.director, "tcpdump", "-e", "-nn", "-r", pcap.toString());
        assertTrue(read.ok(), "tcpdump -r " + pcap + ": " + read.describe());
        String frames = read.stdout();
        String fromClient = LvsLab.CLIENT + "." + clientPort + " > " + VIP + ".80:";
        assertTrue(frames.contains(fromClient), "the client's packet as received, in:\n" + frames);
        String rewritten = switch (method) {
            case MASQ -> LvsLab.CLIENT + "." + clientPort + " > " + RS1 + ".80:";
            case FULLNAT -> " > " + RS1 + ".80:";
            case TUNNEL -> LvsLab.DIRECTOR_INSIDE + " > " + RS1 + ": " + fromClient;
            case ROUTE -> fromClient;
        };
        assertTrue(frames.contains(rewritten), "the packet as sent via " + method + " (" + rewritten + "), in:\n"
                + frames);
        if (method == ForwardingMethod.FULLNAT) {
            assertTrue(frames.contains(LIP + "."), "full NAT from the local address, in:\n" + frames);
        }
        if (method == ForwardingMethod.ROUTE) {
            // the same addresses and ports on both sides: only the Ethernet destination changed
            Set<String> destinations = new HashSet<>();
            Matcher frame = FRAME.matcher(frames);
            while (frame.find()) {
                if (frame.group(3).startsWith(fromClient)) {
                    destinations.add(frame.group(2));
                }
            }
            assertEquals(2, destinations.size(), "DR: the director's MAC and rs1's, in:\n" + frames);
        }
    }

    private static String methodLine(ForwardingMethod method) {
        return switch (method) {
            case MASQ -> "NAT (masquerading, -m)";
            case FULLNAT -> "full NAT (-b)";
            case ROUTE -> "direct routing (-g)";
            case TUNNEL -> "IPIP tunnel (-i)";
        };
    }
}
