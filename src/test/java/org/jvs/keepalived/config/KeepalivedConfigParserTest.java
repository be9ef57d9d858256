package org.jvs.keepalived.config;

import static org.jvs.keepalived.config.KeepalivedSamplesTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jvs.api.IpAddress;
import org.jvs.check.CheckCommon;
import org.jvs.check.DnsCheckSpec;
import org.jvs.check.HttpGetSpec;
import org.jvs.check.SmtpCheckSpec;
import org.jvs.check.UdpCheckSpec;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeepalivedConfigParserTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    KeepalivedConfig parse(String text) throws Exception {
        return KeepalivedConfigParser.parse(write("keepalived.conf", text));
    }

    ConfigException error(String text) throws IOException {
        Path file = write("bad.conf", text);
        return assertThrows(ConfigException.class, () -> KeepalivedConfigParser.parse(file));
    }

    @Test
    void shouldResolveKeepalivedDefaults() throws Exception {
        VirtualServerConfig vs = parse("virtual_server 192.0.2.1 80 {\n real_server 198.51.100.1 8080 {\n"
                + "  TCP_CHECK {\n  }\n }\n}\n").virtualServers().getFirst();
        assertEquals(Protocol.TCP, vs.protocol());
        assertEquals("wlc", vs.scheduler());
        assertEquals(ForwardingMethod.MASQ, vs.method());
        assertEquals(Duration.ofSeconds(60), vs.delayLoop());
        assertEquals(0, vs.persistenceTimeoutS());
        assertEquals(1, vs.quorum());
        assertEquals(0, vs.proxyProtocol());
        RealServerConfig rs = vs.realServers().getFirst();
        assertEquals(1, rs.weight());
        assertEquals(new CheckCommon(0, 0, 0, 0, Duration.ofSeconds(5), 1, Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(60)), rs.checkers().getFirst().common());
    }

    @Test
    void shouldLetRealServerAndCheckerSettingsOverrideTheVirtualServersWhereverTheyStand() throws Exception {
        VirtualServerConfig vs = parse("""
                virtual_server 192.0.2.1 80 {
                    real_server 198.51.100.1 80 {
                        retry 4
                        HTTP_GET {
                            url { path /health }
                            delay_loop 2.5
                        }
                        warmup 7
                    }
                    delay_loop 1.5
                    connect_timeout 0.25
                    delay_before_retry 9
                    weight 3
                    virtualhost vs.example
                    lb_kind DR
                }
                """).virtualServers().getFirst();
        assertEquals(Duration.ofMillis(1500), vs.delayLoop());
        RealServerConfig rs = vs.realServers().getFirst();
        assertEquals(3, rs.weight());
        assertEquals(ForwardingMethod.ROUTE, rs.method());
        HttpGetSpec http = (HttpGetSpec) rs.checkers().getFirst();
        assertEquals("vs.example", http.virtualhost());
        assertEquals(new CheckCommon(0, 0, 0, 0, Duration.ofMillis(250), 4, Duration.ofSeconds(9),
                Duration.ofSeconds(7), Duration.ofMillis(2500)), http.common());
    }

    @ParameterizedTest(name = "virtual server {0}, real server {1}: alpha {2}")
    @CsvSource({
        "'',     '',          false",
        "alpha,  '',          true",
        "'',     alpha,       true",
        "'',     alpha yes,   true",
        "alpha,  alpha false, false",
        "alpha,  alpha off,   false",
    })
    void shouldTakeTheRealServersOwnAlphaElseTheVirtualServers(String vsLine, String rsLine, boolean alpha)
            throws Exception {
        KeepalivedConfig config = parse("virtual_server 192.0.2.1 80 {\n real_server 198.51.100.1 80 {\n  "
                + rsLine + "\n  TCP_CHECK {\n  }\n }\n real_server 198.51.100.2 80 {\n }\n " + vsLine + "\n}\n");
        VirtualServerConfig vs = config.virtualServers().getFirst();
        assertEquals(alpha, vs.realServers().get(0).alpha());
        assertEquals(!vsLine.isEmpty(), vs.realServers().get(1).alpha(), "the other real server keeps the VS's");
        assertEquals(List.of(), config.warnings());
    }

    @ParameterizedTest
    @CsvSource({"NAT, MASQ", "DR, ROUTE", "TUN, TUNNEL", "FNAT, FULLNAT"})
    void shouldMapLbKindToForwardingMethod(String kind, ForwardingMethod method) throws Exception {
        assertEquals(method, parse("virtual_server 192.0.2.1 80 {\n lb_kind " + kind + "\n}\n").virtualServers()
                .getFirst().method());
    }

    @Test
    void shouldReadDpvsFullNatWithLocalAddressGroupAndProxyProtocol() throws Exception {
        KeepalivedConfig config = parse("""
                local_address_group laddr_g1 {
                    192.0.2.100-103 dpdk0
                    192.0.2.200 dpdk1
                }
                virtual_server 203.0.113.1 443 {
                    lb_algo rr
                    lb_kind FNAT
                    protocol UDP
                    laddr_group_name laddr_g1
                    proxy_protocol v2
                    persistence_granularity 255.255.255.0
                    sorry_server 198.51.100.9 443
                    sorry_server_inhibit
                }
                """);
        assertEquals(List.of(new LocalAddressGroup.Member(ip(192, 0, 2, 100), ip(192, 0, 2, 103), "dpdk0"),
                        new LocalAddressGroup.Member(ip(192, 0, 2, 200), ip(192, 0, 2, 200), "dpdk1")),
                config.localAddressGroups().get("laddr_g1").members());
        VirtualServerConfig vs = config.virtualServers().getFirst();
        assertEquals(ForwardingMethod.FULLNAT, vs.method());
        assertEquals(Protocol.UDP, vs.protocol());
        assertEquals("laddr_g1", vs.laddrGroupName());
        assertEquals(2, vs.proxyProtocol());
        assertEquals(0xffffff00, vs.persistenceNetmask());
        assertEquals(360, vs.persistenceTimeoutS());
        assertEquals(ForwardingMethod.FULLNAT, vs.sorryServer().method());
        assertTrue(vs.sorryServerInhibit());
    }

    @Test
    void shouldExpandIncludeGlobsRelativeToTheIncludingFile() throws Exception {
        write("conf.d/b.conf", "virtual_server 192.0.2.2 80 {\n}\n");
        write("conf.d/a.conf", "virtual_server 192.0.2.1 80 {\n  include ../rs/*.conf\n}\n");
        write("conf.d/skip.txt", "this is not read\n");
        write("rs/one.conf", "real_server 198.51.100.1 80 {\n weight 5\n}\n");
        KeepalivedConfig config = parse("global_defs {\n router_id r1\n}\ninclude conf.d/*.conf\n");
        assertEquals(List.of(IpAddress.ofIpv4(ip(192, 0, 2, 1)), IpAddress.ofIpv4(ip(192, 0, 2, 2))),
                config.virtualServers().stream().map(VirtualServerConfig::address).toList());
        RealServerConfig rs = config.virtualServers().getFirst().realServers().getFirst();
        assertEquals(5, rs.weight());
        assertEquals(dir.resolve("rs/one.conf"), rs.where().file());
        assertEquals(1, rs.where().line());
    }

    @Test
    void shouldStopAnIncludeLoopWithALocatedError() throws Exception {
        write("loop.conf", "include keepalived.conf\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> KeepalivedConfigParser.parse(write("keepalived.conf", "include loop.conf\n")));
        assertEquals(dir.resolve("loop.conf"), e.where().file());
        assertEquals(1, e.where().line());
    }

    @Test
    void shouldHonourCommentsQuotesBracesOnOneLineConditionalsAndDefinitions() throws Exception {
        Path file = write("keepalived.conf", """
                ! a comment
                $VIP=192.0.2.7   # trailing comment
                $PORT=8080
                virtual_server ${VIP} 80 { lb_algo sh ; sh-port ! keepalived has no ';' either
                  @lab quorum 3
                  @^lab quorum 2
                  real_server 198.51.100.1 $PORT { notify_up "/bin/echo up # not a comment" }
                }
                """.replace(" ; ", " \n "));
        VirtualServerConfig vs = KeepalivedConfigParser.parse(file).virtualServers().getFirst();
        assertEquals(IpAddress.ofIpv4(ip(192, 0, 2, 7)), vs.address());
        assertEquals("sh-port", vs.schedulerFlags());
        assertEquals(2, vs.quorum());
        assertEquals(8080, vs.realServers().getFirst().port());
        assertEquals("/bin/echo up # not a comment", vs.realServers().getFirst().notifyUp());
        assertEquals(3, KeepalivedConfigParser.parse(file, "lab").virtualServers().getFirst().quorum());
    }

    @Test
    void shouldReadUdpDnsAndSmtpCheckers() throws Exception {
        List<org.jvs.check.CheckSpec> checks = parse("""
                virtual_server 192.0.2.1 53 {
                  protocol UDP
                  real_server 198.51.100.1 53 {
                    UDP_CHECK { payload 0a 1B2c
                      require_reply
                      min_reply_length 2
                      max_reply_length 512 }
                    DNS_CHECK { type a
                      name example.org }
                    SMTP_CHECK { connect_ip 198.51.100.2
                      connect_port 25
                      bindto 198.51.100.3
                      bind_port 2525 }
                  }
                }
                """).virtualServers().getFirst().realServers().getFirst().checkers();
        assertEquals(new UdpCheckSpec(checks.get(0).common(), "0a1b2c", true, 2, 512), checks.get(0));
        DnsCheckSpec dns = (DnsCheckSpec) checks.get(1);
        assertEquals("A", dns.type());
        assertEquals("example.org", dns.name());
        assertEquals(3, dns.common().retry());
        assertEquals(Duration.ofSeconds(60), dns.common().delayBeforeRetry());
        SmtpCheckSpec smtp = (SmtpCheckSpec) checks.get(2);
        assertEquals("smtpchecker.keepalived.org", smtp.heloName());
        assertEquals(ip(198, 51, 100, 2), smtp.common().connectIp());
        assertEquals(25, smtp.common().connectPort());
        assertEquals(ip(198, 51, 100, 3), smtp.common().bindTo());
        assertEquals(2525, smtp.common().bindPort());
    }

    @Test
    void shouldWarnOncePerUnimplementedKeywordAndSkipItsBlock() throws Exception {
        KeepalivedConfig config = parse("""
                static_ipaddress {
                  192.0.2.9/24 dev eth0
                  nonsense_inside_skipped_block { x }
                }
                static_ipaddress {
                }
                virtual_server 192.0.2.1 80 {
                  ha_suspend
                  real_server 198.51.100.1 80 { FILE_CHECK { track_file f } }
                }
                virtual_server fwmark 1 {
                }
                """);
        assertEquals(List.of("static_ipaddress:1", "ha_suspend:8", "FILE_CHECK:9", "fwmark:11"),
                config.warnings().stream().map(w -> w.keyword() + ":" + w.where().line()).toList());
        assertEquals(List.of(), config.virtualServers().getFirst().realServers().getFirst().checkers());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "virtual_server 192.0.2.1 80 {\\n real_server 198.51.100.1 80 {\\n weigth 2\\n }\\n}|3|'weigth' is not a real_server keyword; expected one of weight,",
            "virtual_server 192.0.2.1 80 {\\n delay_loop\\n}|2|missing value after 'delay_loop'",
            "virtual_server 192.0.2.1 80 {\\n delay_loop 1.2345678\\n}|2|'1.2345678' after 'delay_loop' is not valid",
            "virtual_server 192.0.2.300 80 {\\n}|1|'192.0.2.300' after 'virtual_server' is not valid; expected an IPv4 address",
            "virtual_server www.example.com 80 {\\n}|1|host names are not accepted",
            "virtual_server 192.0.2.1 80 {\\n real_server 198.51.100.1 80 {\\n}|1|block 'virtual_server' opened here is never closed",
            "global_defs {\\n}\\n}|3|unexpected '}'",
            "vrrp_instnace VI {\\n}|1|'vrrp_instnace' is not a top-level keyword; expected one of vrrp_instance,",
            "virtual_server 192.0.2.1 80 {\\n lb_algo wrrr\\n}|2|expected a scheduler: wrr,",
            "virtual_server 192.0.2.1 80 {\\n weight 0\\n}|2|expected a whole number in 1..2147483647",
            "virtual_server group NOPE {\\n}|1|virtual_server group 'NOPE' is not defined",
            "virtual_server 192.0.2.1 80 {\\n real_server 198.51.100.1 80 {\\n MISC_CHECK {\\n connect_ip 192.0.2.9\\n }\\n }\\n}|4|'connect_ip' is not a MISC_CHECK keyword",
            "virtual_server 192.0.2.1 80 {\\n notify_up \"/bin/x\\n}|2|unterminated quote",
            "virtual_server 192.0.2.1 80 {\\n real_server 198.51.100.1 80 {\\n alpha maybe\\n }\\n}|3|'maybe' after 'alpha' is not valid; expected true/on/yes or false/off/no",
    })
    void shouldFailWithOneLocatedLineNamingTheTokenAndWhatWasExpected(String text, int line, String message)
            throws Exception {
        ConfigException e = error(text.replace("\\n", "\n"));
        assertEquals(line, e.where().line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve("bad.conf") + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void shouldReadAVrrpInstanceWithKeepalivedsDefaultsAndVersionFromGlobalDefs() throws Exception {
        KeepalivedConfig config = parse("""
                vrrp_instance VI_2 {
                  interface d1
                  virtual_router_id 7
                  advert_int 0.5
                  nopreempt
                  preempt_delay 30
                  unicast_src_ip 192.0.2.1
                  unicast_peer {
                    192.0.2.2
                  }
                  virtual_ipaddress {
                    203.0.113.10/24 dev d0 label d0:vip
                  }
                  virtual_ipaddress_excluded {
                    203.0.113.11
                  }
                  notify_master "/etc/jvs/up.sh VI_2"
                  track_script {
                    chk
                    chk_nginx weight -30
                  }
                  track_interface {
                    d2
                    d3 weight -20
                  }
                }
                global_defs {
                  vrrp_version 3
                }
                vrrp_script chk {
                  script "/usr/bin/test -f /run/healthy"
                  interval 2
                  weight 10
                  fall 3
                  user nobody
                }
                vrrp_script chk_nginx {
                  script "pidof nginx"
                }
                """);
        VrrpInstanceConfig vrrp = config.vrrpInstances().getFirst();
        assertEquals(3, vrrp.version());
        assertEquals(50, vrrp.advertIntervalCentis());
        assertEquals(100, vrrp.priority());
        assertFalse(vrrp.wantMaster());
        assertFalse(vrrp.preempt());
        assertEquals(30, vrrp.preemptDelayS());
        assertEquals(IpAddress.ofIpv4(ip(192, 0, 2, 1)), vrrp.unicastSource());
        assertEquals(List.of(IpAddress.ofIpv4(ip(192, 0, 2, 2))), vrrp.unicastPeers());
        assertEquals(List.of(new VrrpInstanceConfig.VirtualIpAddress(ip(203, 0, 113, 10), 24, "d0", "d0:vip"),
                new VrrpInstanceConfig.VirtualIpAddress(ip(203, 0, 113, 11), 32, "d1", "")), vrrp.allAddresses());
        assertEquals("/etc/jvs/up.sh VI_2", vrrp.notifyScripts().master());
        assertEquals(List.of(new VrrpInstanceConfig.TrackedScript("chk", null),
                new VrrpInstanceConfig.TrackedScript("chk_nginx", -30)), vrrp.trackScripts());
        assertEquals(new VrrpScriptConfig(config.vrrpScripts().get("chk").where(), "chk",
                "/usr/bin/test -f /run/healthy", Duration.ofSeconds(2), Duration.ofSeconds(2), 10, 1, 3, false),
                config.vrrpScripts().get("chk"));
        assertEquals(Duration.ofSeconds(1), config.vrrpScripts().get("chk_nginx").interval());
        assertEquals(List.of(new VrrpInstanceConfig.TrackedInterface("d2", 0),
                new VrrpInstanceConfig.TrackedInterface("d3", -20)), vrrp.trackInterfaces());
        assertEquals(List.of("user:35"),
                config.warnings().stream().map(w -> w.keyword() + ":" + w.where().line()).toList());
    }

    @Test
    void shouldReadSyncGroupsAndRefuseAnInstanceInTwo() throws Exception {
        String instances = """
                vrrp_instance VI_1 {
                  interface d0
                  virtual_router_id 1
                }
                vrrp_instance VI_2 {
                  interface d1
                  virtual_router_id 2
                }
                """;
        KeepalivedConfig config = parse(instances + """
                vrrp_sync_group VG_1 {
                  group {
                    VI_1
                    VI_2 VI_3
                  }
                  smtp_alert
                }
                """);
        assertEquals(List.of("VI_1", "VI_2"), config.vrrpSyncGroups().getFirst().members());
        assertEquals(VrrpInstanceConfig.Notify.NONE, config.vrrpSyncGroups().getFirst().notifyScripts());
        assertEquals(List.of("vrrp_sync_group:12", "smtp_alert:14"),
                config.warnings().stream().map(w -> w.keyword() + ":" + w.where().line()).toList());
        ConfigException twice = error(instances + "vrrp_sync_group A {\n group {\n VI_1\n }\n}\n"
                + "vrrp_sync_group B {\n group {\n VI_1\n }\n}\n");
        assertTrue(twice.getMessage().contains("vrrp_instance VI_1 is already in vrrp_sync_group A"), twice.getMessage());
    }

    @Test
    void shouldReadASyncGroupsOwnNotifyScriptsAsAnInstancesAreRead() throws Exception {
        KeepalivedConfig config = parse("""
                vrrp_instance VI_1 {
                  interface d0
                  virtual_router_id 1
                }
                vrrp_sync_group VG_1 {
                  group {
                    VI_1
                  }
                  notify_master "/etc/jvs/group.sh master"
                  notify_backup /etc/jvs/group.sh backup
                  notify_fault /etc/jvs/fault.sh
                  notify_stop /etc/jvs/stop.sh
                  notify /etc/jvs/any.sh
                }
                """);
        assertEquals(new VrrpInstanceConfig.Notify("/etc/jvs/group.sh master", "/etc/jvs/group.sh backup",
                "/etc/jvs/fault.sh", "/etc/jvs/stop.sh", "/etc/jvs/any.sh"),
                config.vrrpSyncGroups().getFirst().notifyScripts());
        assertEquals(List.of(), config.warnings());
        ConfigException empty = error("vrrp_sync_group VG { notify_master }");
        assertTrue(empty.getMessage().contains("a command"), empty.getMessage());
    }

    @Test
    void shouldWarnAndIgnoreAScriptlessVrrpScriptAndTracksOfUndefinedScriptsAsKeepalivedDoes() throws Exception {
        KeepalivedConfig config = parse("""
                vrrp_script empty {
                  interval 1
                }
                vrrp_instance V {
                  interface d0
                  virtual_router_id 1
                  track_script {
                    empty
                  }
                }
                """);
        assertEquals(List.of(), config.vrrpInstances().getFirst().trackScripts());
        assertEquals(List.of("vrrp_script:1", "track_script:4"),
                config.warnings().stream().map(w -> w.keyword() + ":" + w.where().line()).toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "vrrp_instance V { virtual_router_id 1 }|vrrp_instance V has no interface; expected 'interface NAME'",
        "vrrp_instance V { interface d0 }|vrrp_instance V has no virtual_router_id",
        "vrrp_instance V { interface d0\\nvirtual_router_id 256 }|'256'",
        "vrrp_instance V { interface d0\\nvirtual_router_id 1\\nstate PRIMARY }|'PRIMARY'",
        "vrrp_instance V { interface d0\\nvirtual_router_id 1\\nadvert_int 0.5 }|whole seconds with VRRP version 2",
        "vrrp_instance V { interface d0\\nvirtual_router_id 1 }\\nvrrp_instance W { interface d0\\nvirtual_router_id 1 }"
                + "|uses virtual_router_id 1 on d0 as V does",

    })
    void shouldRefuseAVrrpInstanceKeepalivedWouldNotRun(String text, String message) throws Exception {
        ConfigException e = error(text.replace("\\n", "\n"));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void shouldRejectDeepNestingWithoutOverflowingTheStack() throws Exception {
        ConfigException e = error("vrrp_instance x " + "{ a ".repeat(100_000) + "}".repeat(100_000));
        assertEquals(1, e.where().line());
    }
}
