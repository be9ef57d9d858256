package org.jvs.keepalived;

import static org.jvs.keepalived.TestConfigs.SERVICE;
import static org.jvs.keepalived.TestConfigs.checked;
import static org.jvs.keepalived.TestConfigs.config;
import static org.jvs.keepalived.TestConfigs.rs;
import static org.jvs.keepalived.TestConfigs.tcpCheck;
import static org.jvs.keepalived.TestConfigs.vs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.jvs.api.ServiceKey;
import org.jvs.keepalived.config.ConfigException;
import org.jvs.keepalived.config.KeepalivedConfig;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.junit.jupiter.api.Test;

class ReloadTest {
    private static final String TO = " to " + SERVICE;
    private static final String IN = " in " + SERVICE;

    private static KeepalivedConfig twoServers(int secondWeight) {
        return config(vs().with(rs("192.0.2.11"), rs("192.0.2.12").weight(secondWeight)));
    }

    @Test
    void shouldTouchNothingWhenTheConfigurationIsUnchanged() {
        Harness h = new Harness().start(twoServers(1));
        h.down("192.0.2.12");
        h.calls();

        assertEquals(List.of(), h.manager.apply(twoServers(1)));

        assertEquals(List.of(), h.calls());
        assertEquals(List.of(), h.watcher.calls);
        assertEquals(Map.of("192.0.2.11:80", 1), h.director.servers(SERVICE), "the failed server stays out");
    }

    @Test
    void shouldEditOnlyTheServerWhoseWeightChanged() {
        Harness h = new Harness().start(twoServers(1));

        h.manager.apply(twoServers(3));

        assertEquals(List.of("edit 192.0.2.12:80 w3" + IN), h.calls());
        assertEquals(List.of(), h.watcher.calls);
    }

    @Test
    void shouldApplyNewWeightOfAFailedServerOnlyWhenItComesBack() {
        Harness h = new Harness().start(twoServers(1));
        h.down("192.0.2.12");
        h.calls();

        h.manager.apply(twoServers(3));
        assertEquals(List.of(), h.calls());

        h.up("192.0.2.12");
        assertEquals(List.of("add 192.0.2.12:80 w3" + TO), h.calls());
    }

    @Test
    void shouldRemoveGoneServersAndAddNewOnes() {
        Harness h = new Harness().start(twoServers(1));

        h.manager.apply(config(vs().with(rs("192.0.2.11"), rs("192.0.2.13").weight(2))));

        assertEquals(List.of("delete 192.0.2.12:80 from " + SERVICE, "add 192.0.2.13:80 w2" + TO), h.calls());
        assertEquals(List.of("unwatch " + checked("192.0.2.12"), "watch " + checked("192.0.2.13") + " up"),
                h.watcher.calls);
    }

    @Test
    void shouldStartNewServersDownWithAlpha() {
        Harness h = new Harness().start(config(vs().alpha().with(rs("192.0.2.11").checkers())));

        h.manager.apply(config(vs().alpha().with(rs("192.0.2.11").checkers(), rs("192.0.2.12"))));

        assertEquals(List.of(), h.calls());
        assertEquals(List.of("watch " + checked("192.0.2.12") + " down"), h.watcher.calls);
    }

    @Test
    void shouldRewatchOnlyTheServerWhoseCheckersChangedKeepingItsState() {
        Harness h = new Harness().start(twoServers(1));
        h.down("192.0.2.12");
        h.calls();

        h.manager.apply(config(vs().with(rs("192.0.2.11"), rs("192.0.2.12").checkers(tcpCheck(3)))));

        assertEquals(List.of(), h.calls());
        assertEquals(List.of("unwatch " + checked("192.0.2.12"), "watch " + checked("192.0.2.12") + " down"),
                h.watcher.calls);
    }

    @Test
    void shouldEditTheServiceWhenItsSchedulerChanged() {
        Harness h = new Harness().start(twoServers(1));

        h.manager.apply(config(vs().scheduler("rr").with(rs("192.0.2.11"), rs("192.0.2.12"))));

        assertEquals(List.of("editService " + SERVICE), h.calls());
        assertEquals("rr", h.director.specs.get(SERVICE).scheduler());
    }

    @Test
    void shouldDeleteGoneServicesAndAddNewOnes() {
        Harness h = new Harness().start(twoServers(1));
        TestConfigs.Vs other = vs().with(rs("192.0.2.21"));
        other.port = 443;
        ServiceKey otherKey = new ServiceKey(Protocol.TCP, Ipv4.parse(TestConfigs.VIP), 443);

        h.manager.apply(config(other));

        assertEquals(List.of("deleteService " + SERVICE, "addService " + otherKey,
                "add 192.0.2.21:80 w1 to " + otherKey), h.calls());
        assertEquals(List.of(otherKey), List.copyOf(h.director.ipvs.keySet()));
    }

    @Test
    void shouldPutAFailedServerAtWeightZeroWhenInhibitOnFailureIsAdded() {
        Harness h = new Harness().start(twoServers(1));
        h.down("192.0.2.12");
        h.calls();

        h.manager.apply(config(vs().with(rs("192.0.2.11"), rs("192.0.2.12").inhibit())));

        assertEquals(List.of("add 192.0.2.12:80 w0" + TO), h.calls());
    }

    @Test
    void shouldReinstateServersWhenTheSorryServerInUseIsRemoved() {
        Harness h = new Harness().start(config(vs().sorry("192.0.2.99", false).with(rs("192.0.2.11"))));
        h.down("192.0.2.11");
        h.calls();

        h.manager.apply(config(vs().with(rs("192.0.2.11"))));

        assertEquals(List.of("delete 192.0.2.99:80 from " + SERVICE), h.calls());
    }

    @Test
    void shouldChangeNothingWhenTheNewFileHasAnError() {
        Harness h = new Harness().start(twoServers(1));
        ConfigReloader reloader = new ConfigReloader(() -> {
            throw new ConfigException(TestConfigs.HERE, "'weigth' is not a real_server keyword");
        }, h.manager);

        ConfigReloader.Outcome outcome = reloader.reload();

        assertFalse(outcome.applied());
        assertEquals(List.of("keepalived.conf:1: 'weigth' is not a real_server keyword"), outcome.errors());
        assertEquals(List.of(), h.calls());
        assertEquals(List.of(), h.watcher.calls);
    }

    @Test
    void shouldReportAnUnreadableFileAsAnError() {
        Harness h = new Harness().start(twoServers(1));
        ConfigReloader reloader = new ConfigReloader(() -> {
            throw new IOException("keepalived.conf: No such file or directory");
        }, h.manager);

        assertEquals(List.of("keepalived.conf: No such file or directory"), reloader.reload().errors());
        assertEquals(List.of(), h.calls());
    }
}
