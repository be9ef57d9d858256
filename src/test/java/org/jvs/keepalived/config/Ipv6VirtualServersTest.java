package org.jvs.keepalived.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.api.IpAddress;

/** keepalived.conf's IPv6 virtual servers, real servers and virtual_server_group members (check_data.c). */
class Ipv6VirtualServersTest {
    @TempDir
    Path dir;

    KeepalivedConfig parse(String text) throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, text);
        return KeepalivedConfigParser.parse(file);
    }

    @Test
    void shouldReadAnIpv6VirtualServerWithItsPrefixLengthGranularity() throws Exception {
        VirtualServerConfig vs = parse("""
                virtual_server 2001:db8::10 80 {
                    lb_kind DR
                    persistence_timeout 300
                    persistence_granularity 64
                    real_server 2001:db8::2 80 {
                        weight 3
                    }
                    real_server 192.0.2.7 80 {
                        lvs_method TUN
                    }
                    sorry_server 2001:db8::99 80
                }
                """).virtualServers().getFirst();

        assertEquals(IpAddress.parse("2001:db8::10"), vs.address());
        assertEquals(64, vs.persistenceNetmask());
        assertEquals(List.of(IpAddress.parse("2001:db8::2"), IpAddress.parse("192.0.2.7")),
                vs.realServers().stream().map(RealServerConfig::address).toList());
        assertEquals(3, vs.realServers().getFirst().weight());
        assertEquals(IpAddress.parse("2001:db8::99"), vs.sorryServer().address());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // inet_stor: the range ends in the last group, read as hex
        "2001:db8::1-a             | 2001:db8::1   | 2001:db8::a",
        "2001:db8::1:fff0-ffff     | 2001:db8::1:fff0 | 2001:db8::1:ffff",
        "2001:db8::1-2001:db8::1f  | 2001:db8::1   | 2001:db8::1f",
        "2001:db8::/126            | 2001:db8::    | 2001:db8::3",
        "2001:db8::/64             | 2001:db8::    | 2001:db8::ffff:ffff:ffff:ffff",
        "2001:db8::5               | 2001:db8::5   | 2001:db8::5",
    })
    void shouldReadIpv6GroupMembersAndRanges(String member, String first, String last) throws Exception {
        VirtualServerGroup group = parse("virtual_server_group web {\n    " + member + " 80\n}\n")
                .virtualServerGroups().get("web");

        assertEquals(List.of(new VirtualServerGroup.Member(IpAddress.parse(first), IpAddress.parse(last), 80)),
                group.members());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "2001:db8::5-1      | whose end is not below its start",
        "2001:db8::1-10000  | (2001:db8::1, 2001:db8::1-a, 2001:db8::1-2001:db8::a or 2001:db8::/len)",
        "2001:db8::1-xyz    | (2001:db8::1, 2001:db8::1-a, 2001:db8::1-2001:db8::a or 2001:db8::/len)",
        "2001:db8::1/64     | with no host bits set",
        "2001:db8::/129     | (2001:db8::1, 2001:db8::1-a, 2001:db8::1-2001:db8::a or 2001:db8::/len)",
        "2001:db8:::1       | is not an IPv6 address",
    })
    void shouldRefuseAMalformedIpv6MemberNamingIt(String member, String expected) throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "virtual_server_group web {\n    " + member + " 80\n}\n");

        ConfigException e = assertThrows(ConfigException.class, () -> KeepalivedConfigParser.parse(file));

        assertEquals(true, e.getMessage().contains("'" + member + "' is not valid in a group")
                && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void shouldRefuseAnIpv4NetmaskAsTheGranularityOfAnIpv6VirtualServer() throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "virtual_server 2001:db8::10 80 {\n persistence_granularity 255.255.255.0\n}\n");

        ConfigException e = assertThrows(ConfigException.class, () -> KeepalivedConfigParser.parse(file));

        assertEquals(true, e.getMessage().contains("255.255.255.0"), e.getMessage());
    }
}
