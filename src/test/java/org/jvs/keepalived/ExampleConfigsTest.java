package org.jvs.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvs.api.ServiceKey;
import org.jvs.keepalived.config.KeepalivedConfig;
import org.jvs.keepalived.config.KeepalivedConfigParser;
import org.jvs.keepalived.config.RealServerConfig;
import org.jvs.keepalived.config.VirtualServerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The README's example configurations, parsed by the real parser, become IPVS state without a refusal. */
class ExampleConfigsTest {

    @ParameterizedTest
    @ValueSource(strings = {"nat.conf", "dr.conf", "tun.conf", "fnat.conf"})
    void shouldApplyEveryExampleWithEveryRealServerInAndReloadItWithoutACall(String name) throws Exception {
        KeepalivedConfig config = KeepalivedConfigParser.parse(Path.of("examples/keepalived", name));
        Harness h = new Harness();

        assertEquals(List.of(), h.manager.apply(config));

        for (VirtualServerConfig vs : config.virtualServers()) {
            ServiceKey key = new ServiceKey(vs.protocol(), vs.address(), vs.port());
            Map<String, Integer> expected = new LinkedHashMap<>();
            for (RealServerConfig rs : vs.realServers()) {
                int port = rs.method().translatesReplies() ? rs.port() : vs.port();
                expected.put(rs.address().withPort(port), rs.weight());
            }
            assertEquals(expected, h.director.servers(key), name);
        }
        h.director.takeCalls();
        assertEquals(List.of(), h.manager.apply(config), "reloading the same file");
        assertEquals(List.of(), h.director.takeCalls(), "reloading the same file");
    }
}
