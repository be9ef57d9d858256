package org.jvs.keepalived.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.api.IpAddress;

/**
 * vrrp_instances for IPv6 as keepalived 2.2.7 reads them (vrrp_parser.c, vrrp_data.c alloc_vrrp_vip): the family of
 * the first of unicast_src_ip, unicast_peer and virtual_ipaddress; another family there reported and skipped with
 * keepalived's words; virtual_ipaddress_excluded of either family; VRRPv3 whatever else is said.
 */
class VrrpIpv6InstancesTest {
    @TempDir
    Path dir;

    KeepalivedConfig parse(String text) throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, text);
        return KeepalivedConfigParser.parse(file);
    }

    private static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    @Test
    void shouldReadAnIpv6InstanceAsVrrpV3WithItsAddresses() throws Exception {
        KeepalivedConfig config = parse("""
                global_defs {
                  vrrp_version 2
                }
                vrrp_instance VI6 {
                  state MASTER
                  interface eth0
                  virtual_router_id 61
                  priority 150
                  advert_int 0.5
                  virtual_ipaddress {
                    2001:db8::10/64
                    2001:db8::11 dev eth1
                  }
                  virtual_ipaddress_excluded {
                    192.0.2.10/24
                  }
                }
                """);
        VrrpInstanceConfig vrrp = config.vrrpInstances().getFirst();
        assertEquals(IpAddress.Family.IPV6, vrrp.family());
        assertTrue(vrrp.ipv6());
        assertEquals(3, vrrp.version(), "IPv6 forces version 3 over the global vrrp_version");
        assertEquals(50, vrrp.advertIntervalCentis());
        assertNull(vrrp.unicastSource());
        assertEquals(List.of(new VrrpInstanceConfig.VirtualIpAddress(ip("2001:db8::10"), 64, "eth0", ""),
                new VrrpInstanceConfig.VirtualIpAddress(ip("2001:db8::11"), 128, "eth1", ""),
                new VrrpInstanceConfig.VirtualIpAddress(ip("192.0.2.10"), 24, "eth0", "")), vrrp.allAddresses());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void shouldTakeTheFamilyFromUnicastAddressesAndReadIpv6Peers() throws Exception {
        VrrpInstanceConfig vrrp = parse("""
                vrrp_instance VI6 {
                  interface eth0
                  virtual_router_id 61
                  unicast_src_ip 2001:db8:1::1
                  unicast_peer {
                    2001:db8:1::2
                    fe80::2
                  }
                  virtual_ipaddress {
                    2001:db8::10
                  }
                }
                """).vrrpInstances().getFirst();
        assertEquals(ip("2001:db8:1::1"), vrrp.unicastSource());
        assertEquals(List.of(ip("2001:db8:1::2"), ip("fe80::2")), vrrp.unicastPeers());
        assertEquals(3, vrrp.version());
    }

    @Test
    void shouldSkipAVirtualAddressOfTheOtherFamilyWithKeepalivedsWords() throws Exception {
        KeepalivedConfig config = parse("""
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 51
                  virtual_ipaddress {
                    192.0.2.10
                    2001:db8::10
                    192.0.2.11
                  }
                  virtual_ipaddress_excluded {
                    2001:db8::11
                  }
                }
                """);
        VrrpInstanceConfig vrrp = config.vrrpInstances().getFirst();
        assertEquals(IpAddress.Family.IPV4, vrrp.family());
        assertEquals(List.of(ip("192.0.2.10"), ip("192.0.2.11")),
                vrrp.virtualAddresses().stream().map(VrrpInstanceConfig.VirtualIpAddress::address).toList());
        assertEquals(List.of(ip("2001:db8::11")),
                vrrp.excludedAddresses().stream().map(VrrpInstanceConfig.VirtualIpAddress::address).toList());
        assertEquals(1, config.warnings().size(), config.warnings().toString());
        ConfigWarning warning = config.warnings().getFirst();
        assertEquals(6, warning.where().line());
        assertEquals("(VI_1): address family must match VRRP instance [2001:db8::10] - ignoring: the instance is IPv4"
                + " (from 192.0.2.10), as keepalived skips it; virtual_ipaddress_excluded takes either family",
                warning.message());
        assertFalse(warning.message().contains("\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "unicast_src_ip 192.0.2.1|unicast_src_ip|5",
        "unicast_peer {\\n 2001:db8::2\\n 192.0.2.2\\n }|unicast_peer|7",
    })
    void shouldSkipAUnicastAddressOfTheOtherFamily(String line, String keyword, int warningLine) throws Exception {
        KeepalivedConfig config = parse(("""
                vrrp_instance VI6 {
                  virtual_ipaddress {
                    2001:db8::10
                  }
                  %s
                  interface eth0
                  virtual_router_id 61
                }
                """).formatted(line.replace("\\n", "\n")));
        VrrpInstanceConfig vrrp = config.vrrpInstances().getFirst();
        assertTrue(vrrp.ipv6());
        assertNull(vrrp.unicastSource());
        assertTrue(vrrp.unicastPeers().stream().noneMatch(IpAddress::isIpv4), vrrp.unicastPeers().toString());
        assertEquals(List.of(keyword + ":" + warningLine),
                config.warnings().stream().map(w -> w.keyword() + ":" + w.where().line()).toList());
        assertTrue(config.warnings().getFirst().message().startsWith("(VI6): address family must match VRRP"
                + " instance [192.0.2."), config.warnings().getFirst().message());
    }

    @Test
    void shouldReportAVersion2OnAnIpv6InstanceAndSpeakVersion3() throws Exception {
        KeepalivedConfig config = parse("""
                vrrp_instance VI6 {
                  interface eth0
                  virtual_router_id 61
                  version 2
                  virtual_ipaddress {
                    2001:db8::10
                  }
                }
                """);
        assertEquals(3, config.vrrpInstances().getFirst().version());
        assertEquals(List.of("(VI6) vrrp_version 2 conflicts with configured or deduced version 3; ignoring (VRRP"
                + " over IPv6 is version 3)"), config.warnings().stream().map(ConfigWarning::message).toList());
    }

    @Test
    void shouldRefuseAnIpv6AddressThatIsNone() throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n"
                + "  2001:db8::zz/64\n }\n}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> KeepalivedConfigParser.parse(file));
        assertEquals(5, e.where().line());
        assertTrue(e.getMessage().contains("'2001:db8::zz/64'"), e.getMessage());
        Files.writeString(file, "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n"
                + "  2001:db8::1/129\n }\n}\n");
        assertThrows(ConfigException.class, () -> KeepalivedConfigParser.parse(file));
    }

    @Test
    void shouldTellTheSameRouterApartByFamily() throws Exception {
        List<VrrpInstanceConfig> both = parse("""
                vrrp_instance VI4 {
                  interface eth0
                  virtual_router_id 51
                  virtual_ipaddress {
                    192.0.2.10
                  }
                }
                vrrp_instance VI6 {
                  interface eth0
                  virtual_router_id 51
                  virtual_ipaddress {
                    2001:db8::10
                  }
                }
                """).vrrpInstances();
        assertEquals(List.of(IpAddress.Family.IPV4, IpAddress.Family.IPV6),
                both.stream().map(VrrpInstanceConfig::family).toList(), "the same VRID is allowed once per family");
        assertFalse(both.get(0).sameRouterAs(both.get(1)));
    }
}
