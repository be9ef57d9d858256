package org.jvs.keepalived.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.jvs.api.IpAddress;
import org.jvs.check.SmtpCheckSpec;
import org.jvs.check.CheckCommon;
import org.jvs.check.HttpGetSpec;
import org.jvs.check.MiscCheckSpec;
import org.jvs.check.TcpCheckSpec;
import org.jvs.check.UrlSpec;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** keepalived's own sample configurations, as Debian's keepalived package installs them. */
class KeepalivedSamplesTest {
    static final Path SAMPLES = Path.of("/usr/share/doc/keepalived/samples");

    static List<Path> samples() throws IOException {
        if (!Files.isDirectory(SAMPLES)) {
            fail(SAMPLES + " is missing: install Debian's keepalived package (CI does)");
        }
        try (Stream<Path> files = Files.list(SAMPLES)) {
            List<Path> confs = files.filter(p -> p.getFileName().toString().startsWith("keepalived.conf"))
                    .sorted().toList();
            assertTrue(confs.size() >= 20, "expected keepalived's samples in " + SAMPLES + ", found " + confs);
            return confs;
        }
    }

    static Path sample(String suffix) throws IOException {
        samples();
        return SAMPLES.resolve("keepalived.conf." + suffix);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldLoadEverySampleNamingEachUnimplementedKeywordWithItsLine(Path sample) throws Exception {
        KeepalivedConfig config = KeepalivedConfigParser.parse(sample);
        for (ConfigWarning w : config.warnings()) {
            assertEquals(sample, w.where().file());
            assertTrue(w.where().line() > 0, w.toString());
            assertFalse(w.keyword().isEmpty(), w.toString());
        }
    }

    static VrrpInstanceConfig.VirtualIpAddress vip(int address) {
        return new VrrpInstanceConfig.VirtualIpAddress(address, 32, "eth0", "");
    }

    @Test
    void shouldReadTheVrrpSamplesInstancesWithAuthenticationGarpDelayAndLabels() throws Exception {
        KeepalivedConfig config = KeepalivedConfigParser.parse(sample("vrrp"));
        VrrpInstanceConfig first = config.vrrpInstances().getFirst();
        assertEquals("VI_1", first.name());
        assertTrue(first.wantMaster());
        assertEquals(51, first.virtualRouterId());
        assertEquals("1111", first.authPassword());
        assertEquals(10, first.garpMasterDelayS());
        assertEquals(new VrrpInstanceConfig.VirtualIpAddress(ip(192, 168, 200, 18), 32, "eth0", "eth0:1"),
                first.virtualAddresses().get(3));
        assertEquals(List.of("VI_1", "VI_2"), config.vrrpInstances().stream().map(VrrpInstanceConfig::name).limit(2)
                .toList());
        assertTrue(config.warnings().stream().anyMatch(w -> w.keyword().equals("smtp_alert")));
    }

    @Test
    void shouldReadTheMainSampleFieldByField() throws Exception {
        KeepalivedConfig config = KeepalivedConfigParser.parse(sample("sample"));
        assertEquals(new GlobalDefs("LVS_DEVEL", ""), config.globalDefs());
        assertEquals(List.of("notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout"),
                config.warnings().stream().map(ConfigWarning::keyword).toList());
        VrrpInstanceConfig vrrp = config.vrrpInstances().getFirst();
        assertEquals(13, vrrp.where().line());
        assertEquals(new VrrpInstanceConfig(vrrp.where(), "VI_1", false, "eth0", 50, 100, 100, "",
                List.of(vip(ip(192, 168, 200, 11)), vip(ip(192, 168, 200, 12)), vip(ip(192, 168, 200, 13))), List.of(),
                false, 0, null, List.of(), 2, 5, 5, VrrpInstanceConfig.Notify.NONE, List.of(), List.of(),
                IpAddress.Family.IPV4), vrrp);
        VirtualServerConfig vs = config.virtualServers().getFirst();
        assertEquals(26, vs.where().line());
        assertEquals(IpAddress.ofIpv4(ip(10, 10, 10, 2)), vs.address());
        assertEquals(1358, vs.port());
        assertEquals("", vs.group());
        assertEquals(Protocol.TCP, vs.protocol());
        assertEquals("rr", vs.scheduler());
        assertEquals(ForwardingMethod.MASQ, vs.method());
        assertEquals(50, vs.persistenceTimeoutS());
        assertEquals(-1, vs.persistenceNetmask());
        assertEquals(Duration.ofSeconds(6), vs.delayLoop());
        assertEquals(1, vs.quorum());
        RealServerConfig sorry = vs.sorryServer();
        assertEquals(IpAddress.ofIpv4(ip(192, 168, 200, 200)), sorry.address());
        assertEquals(1358, sorry.port());
        assertEquals(List.of(), sorry.checkers());
        assertFalse(vs.sorryServerInhibit());
        RealServerConfig rs = vs.realServers().getFirst();
        assertEquals(IpAddress.ofIpv4(ip(192, 168, 200, 2)), rs.address());
        assertEquals(1, rs.weight());
        assertEquals(ForwardingMethod.MASQ, rs.method());
        HttpGetSpec http = (HttpGetSpec) rs.checkers().getFirst();
        assertFalse(http.tls());
        assertEquals(List.of(new UrlSpec("/testurl3/test.jsp", "640205b7b0fc66c1ea91c463fac6334d", List.of(), "")),
                http.urls());
        // connect_timeout 3, retry 3, delay_before_retry 3; warmup defaults to the delay loop
        assertEquals(new CheckCommon(0, 0, 0, 0, Duration.ofSeconds(3), 3, Duration.ofSeconds(3),
                Duration.ofSeconds(6), Duration.ofSeconds(6)), http.common());
    }

    @Test
    void shouldReadVirtualServerGroupsWithRangesAndWarnAboutFwmarkMembers() throws Exception {
        KeepalivedConfig config = KeepalivedConfigParser.parse(sample("virtual_server_group"));
        VirtualServerGroup group = config.virtualServerGroups().get("VSG_1");
        assertEquals(List.of(new VirtualServerGroup.Member(IpAddress.ofIpv4(ip(10, 0, 0, 1)), IpAddress.ofIpv4(ip(10, 0, 0, 1)), 8080),
                new VirtualServerGroup.Member(IpAddress.ofIpv4(ip(10, 0, 0, 2)), IpAddress.ofIpv4(ip(10, 0, 0, 2)), 80),
                new VirtualServerGroup.Member(IpAddress.ofIpv4(ip(192, 168, 200, 1)), IpAddress.ofIpv4(ip(192, 168, 200, 1)), 1358),
                new VirtualServerGroup.Member(IpAddress.ofIpv4(ip(192, 168, 200, 3)), IpAddress.ofIpv4(ip(192, 168, 200, 10)), 80)), group.members());
        assertEquals(List.of(18, 19), config.warnings().stream().filter(w -> w.keyword().equals("fwmark"))
                .map(w -> w.where().line()).toList());
        VirtualServerConfig vs = config.virtualServers().getFirst();
        assertEquals("VSG_1", vs.group());
        assertEquals(IpAddress.ofIpv4(0), vs.address());
        assertEquals(2, vs.realServers().size());
    }

    @Test
    void shouldKeepInhibitOnFailureOfTheRealServer() throws Exception {
        VirtualServerConfig vs = KeepalivedConfigParser.parse(sample("inhibit")).virtualServers().getFirst();
        assertFalse(vs.inhibitOnFailure());
        assertTrue(vs.realServers().getFirst().inhibitOnFailure());
    }

    @Test
    void shouldReadQuorumHysteresisAlphaOmegaAndScripts() throws Exception {
        KeepalivedConfig config = KeepalivedConfigParser.parse(sample("quorum"));
        assertEquals(List.of(), config.warnings());
        VirtualServerConfig vs = config.virtualServers().getFirst();
        assertEquals("wrr", vs.scheduler());
        assertEquals(900, vs.persistenceTimeoutS());
        assertTrue(vs.alpha());
        assertTrue(vs.omega());
        assertEquals(7, vs.quorum());
        assertEquals(2, vs.hysteresis());
        assertEquals("/usr/local/sbin/quorum-up.sh", vs.quorumUp());
        assertEquals("/usr/local/sbin/quorum-down.sh", vs.quorumDown());
        assertEquals(10, vs.realServers().size());
        RealServerConfig last = vs.realServers().getLast();
        assertEquals(IpAddress.ofIpv4(ip(10, 0, 0, 10)), last.address());
        assertEquals(8080, last.port());
        TcpCheckSpec tcp = (TcpCheckSpec) last.checkers().getFirst();
        assertEquals(new CheckCommon(0, 80, 0, 0, Duration.ofSeconds(3), 1, Duration.ofSeconds(1),
                Duration.ofSeconds(6), Duration.ofSeconds(6)), tcp.common());
    }

    @Test
    void shouldReadMiscCheckPathAndArguments() throws Exception {
        MiscCheckSpec plain = (MiscCheckSpec) KeepalivedConfigParser.parse(sample("misc_check")).virtualServers()
                .getFirst().realServers().getFirst().checkers().getFirst();
        assertEquals(List.of("/usr/local/bin/script.sh"), plain.command());
        assertFalse(plain.dynamic());
        assertEquals(Duration.ofSeconds(6), plain.timeout());
        assertEquals(0, plain.common().retry());
        MiscCheckSpec args = (MiscCheckSpec) KeepalivedConfigParser.parse(sample("misc_check_arg")).virtualServers()
                .getFirst().realServers().getFirst().checkers().getFirst();
        assertEquals(List.of("/usr/local/bin/script.sh", "arg1", "arg2"), args.command());
    }

    @Test
    void shouldReadSslGetAndHttpGetUrls() throws Exception {
        List<VirtualServerConfig> vss = KeepalivedConfigParser.parse(sample("SSL_GET")).virtualServers();
        HttpGetSpec ssl = (HttpGetSpec) vss.get(0).realServers().getFirst().checkers().getFirst();
        assertTrue(ssl.tls());
        assertEquals("SSL_GET", ssl.kind());
        assertEquals(List.of(new UrlSpec("/", "ff20ad2481f97b1754ef3e12ecd3a9cc", List.of(), ""),
                new UrlSpec("/mrtg/", "9b3a0c85a887a256d6939da88aabd8cd", List.of(), "")), ssl.urls());
        HttpGetSpec http = (HttpGetSpec) vss.get(1).realServers().getFirst().checkers().getFirst();
        assertFalse(http.tls());
        assertEquals(80, vss.get(1).port());
    }

    @Test
    void shouldReadStatusCodeRanges() throws Exception {
        HttpGetSpec ssl = (HttpGetSpec) KeepalivedConfigParser.parse(sample("status_code")).virtualServers()
                .getFirst().realServers().getFirst().checkers().getFirst();
        assertEquals(List.of(new UrlSpec.StatusRange(200, 299), new UrlSpec.StatusRange(400, 499),
                new UrlSpec.StatusRange(503, 503), new UrlSpec.StatusRange(505, 505)), ssl.urls().get(0).statusCodes());
        assertEquals(new UrlSpec("/mrtg/", "9b3a0c85a887a256d6939da88aabd8cd",
                List.of(new UrlSpec.StatusRange(200, 200)), ""), ssl.urls().get(1));
    }

    @Test
    void shouldReadTheIpv6SampleWithItsChecker() throws Exception {
        KeepalivedConfig config = KeepalivedConfigParser.parse(sample("IPv6"));
        VirtualServerConfig vs = config.virtualServers().getFirst();
        assertEquals(13, vs.where().line());
        assertEquals(IpAddress.parse("ae00::1"), vs.address());
        assertEquals(80, vs.port());
        assertEquals(50, vs.persistenceTimeoutS());
        RealServerConfig rs = vs.realServers().getFirst();
        assertEquals(IpAddress.parse("ae00::10"), rs.address());
        assertEquals(25, rs.port());
        assertEquals(1, rs.checkers().size());
        assertEquals(SmtpCheckSpec.class, rs.checkers().getFirst().getClass());
        assertEquals(List.of(new VirtualServerGroup.Member(IpAddress.parse("ae00::2"), IpAddress.parse("ae00::9"), 80),
                new VirtualServerGroup.Member(IpAddress.parse("ae00::1"), IpAddress.parse("ae00::1"), 80)),
                config.virtualServerGroups().get("IPv6_group").members());
        assertEquals(List.of(), config.warnings());
    }

    static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }
}
