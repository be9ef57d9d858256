package org.jvs.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.api.RealServerSpec;
import org.jvs.keepalived.config.ConfigException;
import org.jvs.keepalived.config.KeepalivedConfig;
import org.jvs.keepalived.config.KeepalivedConfigParser;
import org.jvs.keepalived.config.RealServerConfig;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;

/**
 * keepalived's tunnel options (check_parser.c svr_forwarding_handler): {@code lvs_method TUN type gue port N
 * [nocsum|csum|remcsum]} or {@code type gre [nocsum|csum]}, on a virtual server (its real servers' default) or a
 * real server, refused as keepalived refuses them, and handed to the director with each real server.
 */
class TunnelKeepalivedTest {
    private static final Tunnel GUE_REMCSUM = new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.REMCSUM);
    private static final Tunnel GRE_CSUM = new Tunnel(TunnelType.GRE, 0, TunnelChecksum.CSUM);

    @TempDir
    Path dir;

    private KeepalivedConfig parse(String text) throws IOException, ConfigException {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, text);
        return KeepalivedConfigParser.parse(file);
    }

    private static String config(String virtualMethod, String secondServerMethod) {
        return "virtual_server 192.0.2.1 80 {\n"
                + " lb_algo rr\n"
                + " " + virtualMethod + "\n"
                + " real_server 192.0.2.11 80 {\n }\n"
                + " real_server 192.0.2.12 80 {\n  " + secondServerMethod + "\n }\n"
                + " real_server 192.0.2.13 80 {\n  lvs_method TUN\n }\n"
                + "}\n";
    }

    @Test
    void shouldGiveRealServersTheVirtualServersTunnelUnlessTheirOwnLineSaysOtherwise() throws Exception {
        List<RealServerConfig> servers = parse(config("lvs_method TUN type gue port 6080 remcsum",
                "lvs_method TUN type gre csum")).virtualServers().getFirst().realServers();

        assertEquals(List.of(GUE_REMCSUM, GRE_CSUM, Tunnel.IPIP), servers.stream().map(RealServerConfig::tunnel).toList());
        assertEquals(ForwardingMethod.TUNNEL, servers.getFirst().method());
    }

    @Test
    void shouldTakeLbKindAndTheOptionsInAnyOrder() throws Exception {
        List<RealServerConfig> servers = parse(config("lb_kind TUN csum port 5555 type gue", "lvs_method DR"))
                .virtualServers().getFirst().realServers();

        assertEquals(new Tunnel(TunnelType.GUE, 5555, TunnelChecksum.CSUM), servers.getFirst().tunnel());
        assertEquals(ForwardingMethod.ROUTE, servers.get(1).method());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "lvs_method TUN type gue | 'TUN type gue' after 'lvs_method' is not valid: gue needs a tunnel port 1..65535",
        "lvs_method TUN type gre port 6080 | 'TUN type gre port 6080' after 'lvs_method' is not valid: a tunnel port is only for gue",
        "lvs_method TUN port 6080 | 'TUN port 6080' after 'lvs_method' is not valid: a tunnel port is only for gue",
        "lvs_method TUN csum | 'TUN csum' after 'lvs_method' is not valid: checksum options are only for gue and gre",
        "lvs_method TUN type gre remcsum | 'TUN type gre remcsum' after 'lvs_method' is not valid: remote checksum is only for gue",
        "lvs_method TUN type vxlan | 'vxlan' after 'lvs_method' is not valid; expected ipip, gue or gre after 'type'",
        "lvs_method TUN type | missing value after 'lvs_method'; expected ipip, gue or gre after 'type'",
        "lvs_method TUN type gue port 70000 | '70000' after 'lvs_method' is not valid; expected a whole number in 1..65535",
        "lvs_method TUN type gue port | expected a gue tunnel port 1..65535 after 'port'",
        "lvs_method TUN type gue port 6080 fast | 'fast' after 'lvs_method' is not valid; expected type ipip|gue|gre, port 1..65535, nocsum, csum or remcsum",
        "lvs_method DR type gre | 'type' after 'lvs_method' is not valid; expected nothing after DR (tunnel options are for TUN)",
    })
    void shouldRefuseInOneLocatedLineAsKeepalivedRefuses(String line, String message) throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "virtual_server 192.0.2.1 80 {\n " + line + "\n}\n");

        ConfigException e = assertThrows(ConfigException.class, () -> KeepalivedConfigParser.parse(file));

        assertEquals(2, e.where().line(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void shouldHandTheTunnelToTheDirectorAndEditItOnReload() throws Exception {
        Harness h = new Harness();
        List<String> refused = h.manager.apply(parse(config("lvs_method TUN type gue port 6080 remcsum",
                "lvs_method TUN type gre csum")));
        assertEquals(List.of(), refused);
        assertEquals(List.of(GUE_REMCSUM, GRE_CSUM, Tunnel.IPIP),
                h.director.realServerSpecs.stream().map(RealServerSpec::tunnel).toList());
        h.director.realServerSpecs.clear();
        h.calls();

        h.manager.apply(parse(config("lvs_method TUN type gue port 6080 remcsum", "lvs_method TUN type gre")));

        assertEquals(List.of("edit 192.0.2.12:80 w1 in TCP 192.0.2.1:80"), h.calls());
        assertEquals(new Tunnel(TunnelType.GRE, 0, TunnelChecksum.NOCSUM),
                h.director.realServerSpecs.getFirst().tunnel());
    }
}
