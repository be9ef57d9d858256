package org.jvs.keepalived;

import static org.jvs.keepalived.TestConfigs.config;
import static org.jvs.keepalived.TestConfigs.rs;
import static org.jvs.keepalived.TestConfigs.vs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatusReportTest {

    @Test
    void shouldListEveryRealServerWithItsCheckersQuorumAndSorryServer() {
        Harness h = new Harness().start(config(vs().sorry("192.0.2.99", false)
                .with(rs("192.0.2.11"), rs("192.0.2.12").inhibit(), rs("192.0.2.13").checkers())));
        h.down("192.0.2.12");

        assertEquals("""
                Virtual server TCP 203.0.113.10:80 wlc Masq: quorum up (live weight 2, quorum 1, hysteresis 0), \
                sorry server 192.0.2.99:80 out
                  -> 192.0.2.11:80 up since 2025-01-01T00:00:00Z, in IPVS with weight 1
                    TCP_CHECK up since 2025-01-01T00:00:00Z: connected
                  -> 192.0.2.12:80 down since 2025-01-01T00:00:00Z, in IPVS with weight 0: connection refused
                    TCP_CHECK up since 2025-01-01T00:00:00Z: connected
                  -> 192.0.2.13:80 up since 2025-01-01T00:00:00Z, in IPVS with weight 1
                    no checker: always up
                """, h.manager.status());
    }

    @Test
    void shouldSayWhenNothingIsConfigured() {
        assertEquals("No virtual servers configured\n", new Harness().manager.status());
    }
}
