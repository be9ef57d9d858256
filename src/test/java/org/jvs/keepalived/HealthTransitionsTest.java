package org.jvs.keepalived;

import static org.jvs.keepalived.TestConfigs.SERVICE;
import static org.jvs.keepalived.TestConfigs.checked;
import static org.jvs.keepalived.TestConfigs.config;
import static org.jvs.keepalived.TestConfigs.rs;
import static org.jvs.keepalived.TestConfigs.vs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.jvs.api.IpAddress;
import org.jvs.api.ServiceKey;
import org.jvs.check.HealthListener;
import org.jvs.keepalived.config.LocalAddressGroup;
import org.jvs.keepalived.config.VirtualServerGroup;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthTransitionsTest {
    private static final String TO = " to " + SERVICE;
    private static final String IN = " in " + SERVICE;
    private static final String FROM = " from " + SERVICE;

    @Test
    void shouldPutEveryRealServerInAndWatchItAtStart() {
        Harness h = new Harness();
        List<String> failures = h.manager.apply(config(vs().with(rs("192.0.2.11"), rs("192.0.2.12").weight(2))));

        assertEquals(List.of(), failures);
        assertEquals(List.of("addService " + SERVICE, "add 192.0.2.11:80 w1" + TO, "add 192.0.2.12:80 w2" + TO),
                h.calls());
        assertEquals(List.of("watch " + checked("192.0.2.11") + " up", "watch " + checked("192.0.2.12") + " up"),
                h.watcher.calls);
    }

    @ParameterizedTest
    @CsvSource({
        "false, delete 192.0.2.11:80" + " from TCP 203.0.113.10:80, add 192.0.2.11:80 w1 to TCP 203.0.113.10:80",
        "true,  edit 192.0.2.11:80 w0 in TCP 203.0.113.10:80,        edit 192.0.2.11:80 w1 in TCP 203.0.113.10:80",
    })
    void shouldRemoveFailedServerOrSetItToWeightZeroWithInhibitOnFailure(boolean inhibit, String onDown,
                                                                          String onUp) {
        TestConfigs.Rs failing = rs("192.0.2.11");
        if (inhibit) {
            failing.inhibit();
        }
        Harness h = new Harness().start(config(vs().with(failing, rs("192.0.2.12"))));

        h.down("192.0.2.11");
        assertEquals(List.of(onDown), h.calls());
        assertEquals(inhibit ? Map.of("192.0.2.11:80", 0, "192.0.2.12:80", 1) : Map.of("192.0.2.12:80", 1),
                h.director.servers(SERVICE));

        h.up("192.0.2.11");
        assertEquals(List.of(onUp), h.calls());
        assertEquals(Map.of("192.0.2.11:80", 1, "192.0.2.12:80", 1), h.director.servers(SERVICE));
    }

    @Test
    void shouldKeepAlphaServersOutUntilTheirChecksPass() {
        Harness h = new Harness();
        h.manager.apply(config(vs().alpha().with(rs("192.0.2.11"), rs("192.0.2.12").inhibit())));

        assertEquals(List.of("addService " + SERVICE, "add 192.0.2.12:80 w0" + TO), h.calls());
        assertEquals(List.of("watch " + checked("192.0.2.11") + " down", "watch " + checked("192.0.2.12") + " down"),
                h.watcher.calls);

        h.up("192.0.2.11");
        h.up("192.0.2.12");
        assertEquals(List.of("add 192.0.2.11:80 w1" + TO, "edit 192.0.2.12:80 w1" + IN), h.calls());
    }

    @Test
    void shouldCountServersWithoutCheckersAsUpEvenWithAlpha() {
        Harness h = new Harness();
        h.manager.apply(config(vs().alpha().with(rs("192.0.2.11").checkers())));

        assertEquals(List.of("addService " + SERVICE, "add 192.0.2.11:80 w1" + TO), h.calls());
        assertEquals(List.of(), h.watcher.calls);
    }

    @Test
    void shouldRunNotifyScriptsOnEachTransition() {
        Harness h = new Harness().start(config(vs().with(
                rs("192.0.2.11").notify("/etc/up.sh 11", "/etc/down.sh 11"), rs("192.0.2.12"))));

        h.down("192.0.2.11");
        h.down("192.0.2.11");
        h.up("192.0.2.11");

        assertEquals(List.of("/etc/down.sh 11", "/etc/up.sh 11"), h.scripts);
    }

    @Test
    void shouldPutSorryServerInWhenAllAreDownAndTakeItOutWhenOneComesBack() {
        Harness h = new Harness().start(config(vs().quorum(1, 0, "/q up", "/q down").sorry("192.0.2.99", false)
                .with(rs("192.0.2.11"), rs("192.0.2.12"))));

        h.down("192.0.2.11");
        assertEquals(List.of("delete 192.0.2.11:80" + FROM), h.calls());
        h.down("192.0.2.12");
        assertEquals(List.of("delete 192.0.2.12:80" + FROM, "add 192.0.2.99:80 w1" + TO), h.calls());
        assertEquals(List.of("/q down"), h.scripts);

        h.up("192.0.2.12");
        assertEquals(List.of("delete 192.0.2.99:80" + FROM, "add 192.0.2.12:80 w1" + TO), h.calls());
        assertEquals(List.of("/q down", "/q up"), h.scripts);
    }

    @Test
    void shouldKeepInhibitedSorryServerAtWeightZeroWhileNotNeeded() {
        Harness h = new Harness();
        h.manager.apply(config(vs().sorry("192.0.2.99", true).with(rs("192.0.2.11"))));
        assertEquals(List.of("addService " + SERVICE, "add 192.0.2.11:80 w1" + TO, "add 192.0.2.99:80 w0" + TO),
                h.calls());

        h.down("192.0.2.11");
        assertEquals(List.of("delete 192.0.2.11:80" + FROM, "edit 192.0.2.99:80 w1" + IN), h.calls());
        h.up("192.0.2.11");
        assertEquals(List.of("edit 192.0.2.99:80 w0" + IN, "add 192.0.2.11:80 w1" + TO), h.calls());
    }

    @Test
    void shouldStartWithSorryServerWhenAlphaLeavesNoServerUp() {
        Harness h = new Harness();
        h.manager.apply(config(vs().alpha().sorry("192.0.2.99", false).with(rs("192.0.2.11"))));

        assertEquals(List.of("addService " + SERVICE, "add 192.0.2.99:80 w1" + TO), h.calls());
    }

    @Test
    void shouldLoseAndRegainQuorumAtThresholdsAroundHysteresis() {
        Harness h = new Harness().start(config(vs().quorum(3, 1, "/q up", "/q down").with(
                rs("192.0.2.11"), rs("192.0.2.12"), rs("192.0.2.13"), rs("192.0.2.14"))));
        assertEquals(List.of(), h.scripts);

        h.down("192.0.2.11");   // 3 >= 3 - 1
        h.down("192.0.2.12");   // 2 >= 3 - 1
        assertEquals(List.of(), h.scripts);
        h.down("192.0.2.13");   // 1 < 2: lost
        assertEquals(List.of("/q down"), h.scripts);
        h.up("192.0.2.13");     // 2 < 3 + 1
        h.up("192.0.2.12");     // 3 < 4
        assertEquals(List.of("/q down"), h.scripts);
        h.up("192.0.2.11");     // 4 >= 4: gained
        assertEquals(List.of("/q down", "/q up"), h.scripts);
    }

    @Test
    void shouldRunQuorumUpAtStartWhenTheServersReachIt() {
        Harness h = new Harness();
        h.manager.apply(config(vs().quorum(2, 0, "/q up", "/q down").with(rs("192.0.2.11"), rs("192.0.2.12"))));

        assertEquals(List.of("/q up"), h.scripts);
    }

    @Test
    void shouldApplyMiscDynamicWeightAtOnceOrWhenTheServerComesBack() {
        Harness h = new Harness().start(config(vs().with(rs("192.0.2.11"), rs("192.0.2.12"))));

        h.watcher.listener.onWeightChange(checked("192.0.2.11"), 5);
        assertEquals(List.of("edit 192.0.2.11:80 w5" + IN), h.calls());

        h.down("192.0.2.12");
        h.calls();
        h.watcher.listener.onWeightChange(checked("192.0.2.12"), 7);
        assertEquals(List.of(), h.calls());
        h.up("192.0.2.12");
        assertEquals(List.of("add 192.0.2.12:80 w7" + TO), h.calls());
    }

    @Test
    void shouldRestoreTheConfiguredWeightWithOneEditWhenTheDynamicCheckGivesItBack() {
        Harness h = new Harness().start(config(vs().with(rs("192.0.2.11").weight(4))));

        h.watcher.listener.onWeightChange(checked("192.0.2.11"), 9);
        assertEquals(List.of("edit 192.0.2.11:80 w9" + IN), h.calls());
        h.watcher.listener.onWeightChange(checked("192.0.2.11"), HealthListener.CONFIGURED_WEIGHT);
        assertEquals(List.of("edit 192.0.2.11:80 w4" + IN), h.calls());
        assertEquals(Map.of("192.0.2.11:80", 4), h.director.servers(SERVICE));
    }

    @Test
    void shouldBringAServerBackAtItsConfiguredWeightWhenItsDynamicCheckFailed() {
        Harness h = new Harness().start(config(vs().with(rs("192.0.2.11").weight(4), rs("192.0.2.12"))));
        h.watcher.listener.onWeightChange(checked("192.0.2.11"), 9);
        h.calls();

        h.down("192.0.2.11");
        h.watcher.listener.onWeightChange(checked("192.0.2.11"), HealthListener.CONFIGURED_WEIGHT);
        assertEquals(List.of("delete 192.0.2.11:80" + FROM), h.calls(), "no edit for a server that is out");
        h.up("192.0.2.11");
        assertEquals(List.of("add 192.0.2.11:80 w4" + TO), h.calls());
    }

    @ParameterizedTest(name = "virtual server alpha {0}, real server alpha {1}: starts up {2}")
    @CsvSource({
        "false, ,      true",
        "false, true,  false",
        "true,  ,      false",
        "true,  false, true",
    })
    void shouldStartARealServerDownWhenItsOwnAlphaElseTheVirtualServersSaysSo(boolean vsAlpha, Boolean rsAlpha,
                                                                              boolean startsUp) {
        TestConfigs.Vs vs = vs();
        if (vsAlpha) {
            vs.alpha();
        }
        TestConfigs.Rs server = rs("192.0.2.11");
        if (rsAlpha != null) {
            server.alpha(rsAlpha);
        }
        Harness h = new Harness();
        h.manager.apply(config(vs.with(server)));

        assertEquals(startsUp ? List.of("addService " + SERVICE, "add 192.0.2.11:80 w1" + TO)
                : List.of("addService " + SERVICE), h.calls());
        assertEquals(List.of("watch " + checked("192.0.2.11") + (startsUp ? " up" : " down")), h.watcher.calls);
    }

    @Test
    void shouldRunNotifyDownWhenAnAlphaServersFirstCheckFailsThoughItNeverWasUp() {
        Harness h = new Harness().start(config(vs().alpha().with(
                rs("192.0.2.11").notify("/up 11", "/down 11")
                        .checkers(TestConfigs.tcpCheck(1), TestConfigs.tcpCheck(2)),
                rs("192.0.2.12").notify("/up 12", "/down 12"))));

        h.watcher.firstCheck(checked("192.0.2.11"), false);
        h.watcher.firstCheck(checked("192.0.2.11"), false);
        h.up("192.0.2.12");

        assertEquals(List.of("/down 11", "/down 11", "/up 12"), h.scripts, "once per checker, as keepalived");
        assertEquals(List.of("add 192.0.2.12:80 w1" + TO), h.calls());
    }

    @ParameterizedTest(name = "alpha {0}, first result up {1}: scripts {2}")
    @CsvSource({
        "true,  true,  /up",
        "true,  false, /down",
        "false, true,  ''",
        "false, false, ''",
    })
    void shouldRunTheNotifyScriptOfTheServersStateOnAFirstResultOnlyWithAlpha(boolean alpha, boolean up,
                                                                             String script) {
        // a reload gives an alive server new checkers (watched up) and a failed one new checkers (watched down)
        TestConfigs.Rs server = rs("192.0.2.11").alpha(alpha).notify("/up", "/down");
        Harness h = new Harness().start(config(vs().with(server)));
        h.watcher.health(checked("192.0.2.11"), up);
        h.scripts.clear();
        h.calls();

        h.watcher.firstCheck(checked("192.0.2.11"), up);

        assertEquals(script.isEmpty() ? List.of() : List.of(script), h.scripts);
        assertEquals(List.of(), h.calls());
    }

    @Test
    void shouldExpandVirtualServerGroupIntoOneServiceEachAndMoveThemTogether() {
        VirtualServerGroup web = new VirtualServerGroup(TestConfigs.HERE, "web", List.of(
                new VirtualServerGroup.Member(IpAddress.parse("203.0.113.10"), IpAddress.parse("203.0.113.12"), 80),
                new VirtualServerGroup.Member(IpAddress.parse("203.0.113.20"), IpAddress.parse("203.0.113.20"), 443)));
        Harness h = new Harness();
        h.manager.apply(config(Map.of("web", web), Map.of(), vs().group("web").with(rs("192.0.2.11"))));

        List<ServiceKey> keys = List.of(key("203.0.113.10", 80), key("203.0.113.11", 80), key("203.0.113.12", 80),
                key("203.0.113.20", 443));
        assertEquals(keys, List.copyOf(h.director.ipvs.keySet()));
        h.calls();

        h.watcher.health("TCP group web -> 192.0.2.11:80", false);
        assertEquals(keys.stream().map(k -> "delete 192.0.2.11:80 from " + k).toList(), h.calls());
    }

    @Test
    void shouldReportRefusedLocalAddresses() {
        LocalAddressGroup laddrs = new LocalAddressGroup(TestConfigs.HERE, "lips", List.of(
                new LocalAddressGroup.Member(Ipv4.parse("192.0.2.100"), Ipv4.parse("192.0.2.101"), "")));
        Harness h = new Harness();
        h.director.refuseLocalAddresses = true;

        List<String> failures = h.manager.apply(config(Map.of(), Map.of("lips", laddrs),
                vs().laddrGroup("lips").with(rs("192.0.2.11"))));

        assertEquals(2, failures.size());
        assertTrue(failures.get(0).contains("cannot add local address 192.0.2.100: Local addresses are not"),
                failures.get(0));
    }

    @Test
    void shouldIgnoreEventsForServersNoLongerWatched() {
        Harness h = new Harness().start(config(vs().with(rs("192.0.2.11"))));
        h.manager.apply(config(vs().with(rs("192.0.2.12"))));
        h.calls();

        h.down("192.0.2.11");

        assertEquals(List.of(), h.calls());
    }

    @Test
    void shouldRunDownScriptsAtShutdownOnlyWithOmega() {
        Harness plain = new Harness().start(config(vs().quorum(1, 0, "/q up", "/q down")
                .with(rs("192.0.2.11").notify("/up", "/down"))));
        plain.manager.close();
        assertEquals(List.of(), plain.scripts);
        assertTrue(plain.watcher.closed);

        Harness omega = new Harness().start(config(vs().omega().quorum(1, 0, "/q up", "/q down")
                .with(rs("192.0.2.11").notify("/up", "/down"))));
        omega.manager.close();
        assertEquals(List.of("/down", "/q down"), omega.scripts);
    }

    private static ServiceKey key(String vip, int port) {
        return new ServiceKey(Protocol.TCP, Ipv4.parse(vip), port);
    }

    @Test
    void shouldLogEachHealthChangeWithItsLevel() {
        Harness h = new Harness().start(config(vs().with(rs("192.0.2.11"))));
        java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
        h.manager.logHealthTo(org.jvs.log.Log.to(new java.io.PrintStream(lines, true,
                java.nio.charset.StandardCharsets.UTF_8), org.jvs.log.Log.Level.INFO, "keepalived"));

        h.down("192.0.2.11");
        h.up("192.0.2.11");

        assertEquals("WARNING keepalived: " + checked("192.0.2.11") + ": health check failed: connection refused\n"
                + "INFO keepalived: " + checked("192.0.2.11") + ": health check succeeded: connected\n",
                lines.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
