package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.sched.SchedulerRegistry;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;

/**
 * ipvsadm 1.31's IPv6 forms: parse_service's [address]:port and bare addresses, -M as a prefix length, -6, the
 * family rule of process_options, and the listings of print_service_entry and print_conn for IPv6 entries.
 * <p>
 * The golden files under src/test/resources/ctl/ipv6-*.txt are worked from ipvsadm.c's formats:
 * addrport_to_anyname "%s%s%s:%u" with "[" "]" around a non-AF_INET address; the service name "%-4s %s", cut at
 * svc_name[33] only when not AF_INET6; the real server "  -> %-28s %-7s %-6d %-10u %-10u\n", dname cut at [28]
 * only when not AF_INET6 (so an IPv6 row pushes its columns right); --stats/--rate "%-33s" then print_largenum's
 * "%9llu"/"%8lluK".. per column, a real server's rate "  -> %-28s %8llu %8llu %8llu"; the persistence mask " mask %i"
 * and " -M %i" when an AF_INET6 netmask is not 128; print_conn "%-3s %-6s %-11s %-18s %-18s %s\n"; the order
 * ipvs_cmp_services (af, protocol, then each 32-bit word subtracted) and ipvs_cmp_dests.
 */
class Ipv6CommandsTest {
    private static final IpvsadmParser PARSER = new IpvsadmParser(SchedulerRegistry.names(), Ipv6Scenario.NAMES);
    private static final IpAddress VIP6 = IpAddress.parse("2001:db8::10");
    private static final ServiceKey WEB6 = new ServiceKey(Protocol.TCP, VIP6, 80);

    private static CommandRunner runner(FakeDirector director) {
        return new CommandRunner(director, PARSER, new IpvsadmFormatter(Ipv6Scenario.NAMES));
    }

    private static RealServerSpec server(String address, int port, ForwardingMethod method) {
        return new RealServerSpec(IpAddress.parse(address), port, method, 1, 0, 0);
    }

    static Stream<Arguments> goodCommands() {
        return Stream.of(
                Arguments.of("-A -t [2001:db8::10]:80 -s rr", new Command.AddService(new ServiceSpec(WEB6, "rr", "",
                        0, 128))),
                Arguments.of("-A -t [2001:DB8:0::10]:http", new Command.AddService(new ServiceSpec(WEB6, "wlc", "",
                        0, 128))),
                Arguments.of("-E -u [2001:db8::10]:53 -p 300 -M 64", new Command.EditService(new ServiceSpec(
                        new ServiceKey(Protocol.UDP, VIP6, 53), "wlc", "", 300, 64))),
                // a bare IPv6 address is all address: no port, so persistent only
                Arguments.of("-A -t 2001:db8::10 -p", new Command.AddService(new ServiceSpec(
                        new ServiceKey(Protocol.TCP, VIP6, 0), "wlc", "", IpvsadmParser.DEFAULT_PERSISTENCE_TIMEOUT_S,
                        128))),
                // -M before the service is read as an IPv4 mask; the IPv6 service then sets /128 again
                Arguments.of("-A -M 64 -t [2001:db8::10]:80 -p 60", new Command.AddService(new ServiceSpec(WEB6,
                        "wlc", "", 60, 128))),
                // atoi()
                Arguments.of("-A -t [2001:db8::10]:80 -p 60 -M 48bits", new Command.AddService(new ServiceSpec(WEB6,
                        "wlc", "", 60, 48))),
                Arguments.of("-A -t [2001:db8::10]:80 -p 60 -M 128", new Command.AddService(new ServiceSpec(WEB6,
                        "wlc", "", 60, 128))),
                Arguments.of("-a -t [2001:db8::10]:80 -r [2001:db8::2]:8080 -m", new Command.AddRealServer(WEB6,
                        server("2001:db8::2", 8080, ForwardingMethod.MASQ))),
                Arguments.of("-e -t [2001:db8::10]:80 -r 2001:db8::2 -g", new Command.EditRealServer(WEB6,
                        server("2001:db8::2", 80, ForwardingMethod.ROUTE))),
                Arguments.of("-a -t [2001:db8::10]:80 -r [2001:db8::2]:8080 -b", new Command.AddRealServer(WEB6,
                        server("2001:db8::2", 8080, ForwardingMethod.FULLNAT))),
                // tunnelling allows another family (process_options), either way round
                Arguments.of("-a -t [2001:db8::10]:80 -r 192.0.2.7 -i", new Command.AddRealServer(WEB6,
                        server("192.0.2.7", 80, ForwardingMethod.TUNNEL))),
                // and JVS's NAT64: an IPv4 full-NAT server of an IPv6 service, as core.AddressFamilies allows
                Arguments.of("-a -t [2001:db8::10]:80 -r 192.0.2.7:8080 -b", new Command.AddRealServer(WEB6,
                        server("192.0.2.7", 8080, ForwardingMethod.FULLNAT))),
                Arguments.of("-a -t 192.0.2.1:80 -r [2001:db8::2]:80 -i", new Command.AddRealServer(
                        new ServiceKey(Protocol.TCP, IpAddress.parse("192.0.2.1"), 80),
                        server("2001:db8::2", 80, ForwardingMethod.TUNNEL))),
                Arguments.of("-d -t [2001:db8::10]:80 -r [2001:db8::2]:8080", new Command.DeleteRealServer(WEB6,
                        IpAddress.parse("2001:db8::2"), 8080)),
                Arguments.of("-D -t [2001:db8::10]:80", new Command.DeleteService(WEB6)),
                Arguments.of("-P -t [2001:db8::10]:80 -z 2001:db8::100 -F eth1", new Command.AddLocalAddress(WEB6,
                        new LocalAddressSpec(IpAddress.parse("2001:db8::100"), "eth1"))),
                Arguments.of("-Q -t [2001:db8::10]:80 -z 2001:db8::100", new Command.DeleteLocalAddress(WEB6,
                        IpAddress.parse("2001:db8::100"))),
                Arguments.of("-Z -t [2001:db8::10]:80", new Command.Zero(WEB6)));
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @MethodSource("goodCommands")
    void shouldParseIpv6FormsAsIpvsadm(String commandLine, Command expected) throws CommandLineException {
        assertEquals(expected, PARSER.parse(IpvsadmParserTest.words(commandLine)));
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @CsvSource(delimiterString = " => ", value = {
        "-A -t [2001:db8::10]80 => illegal virtual server address[:port] specified: '[2001:db8::10]80' (expected "
                + "[IPv6 address]:port)",
        "-A -t [2001:db8::10 => illegal virtual server address[:port] specified: '[2001:db8::10' (expected [IPv6 "
                + "address]:port)",
        "-A -t [2001:db8::10]: => illegal virtual server address[:port] specified: '[2001:db8::10]:' (expected a "
                + "port 0..65535 or a service name from /etc/services after ':')",
        "-A -t [2001:db8::10]:65536 => illegal virtual server address[:port] specified: '[2001:db8::10]:65536' "
                + "(expected a port 0..65535 or a service name from /etc/services after ':')",
        "-A -t [2001:db8:::10]:80 => illegal virtual server address[:port] specified: '[2001:db8:::10]:80' "
                + "(expected [IPv6 address]:port: '2001:db8:::10' is not an IPv6 address (unexpected ':'))",
        "-A -t 2001:db8::g => illegal virtual server address[:port] specified: '2001:db8::g' (expected [IPv6 "
                + "address]:port: '2001:db8::g' is not an IPv6 address (unexpected 'g'))",
        "-A -t [v6vip.example]:80 => illegal virtual server address[:port] specified: '[v6vip.example]:80' "
                + "(expected an IPv4 address or a host name from /etc/hosts)",
        "-a -t [2001:db8::10]:80 -r [2001:db8::2] -m => illegal real server address[:port] specified: "
                + "'[2001:db8::2]' (expected [IPv6 address]:port)",
        // parse_service: inside brackets only IPv6 keeps its port, so an IPv4 one is a service on port 0
        "-A -t [192.0.2.1]:80 => Zero port specified for non-persistent service: '-t [192.0.2.1]:80' (expected "
                + "host:port, or -p for a persistent service)",
        "-A -t [2001:db8::10]:80 -p -M 129 => illegal ipv6 netmask specified: '129' (expected a prefix length "
                + "1..128 after an IPv6 service)",
        "-A -t [2001:db8::10]:80 -p -M 0 => illegal ipv6 netmask specified: '0' (expected a prefix length 1..128 "
                + "after an IPv6 service)",
        "-A -t [2001:db8::10]:80 -p -M ffff:ffff:ffff:ffff:: => illegal ipv6 netmask specified: "
                + "'ffff:ffff:ffff:ffff::' (expected a prefix length 1..128 after an IPv6 service)",
        "-A -t [2001:db8::10]:80 -6 => -6 used before -f: '-6' (expected -f MARK -6 for an IPv6 fwmark service, "
                + "which JVS does not have; IPv6 services are -t|-u [ADDRESS]:PORT)",
        "-a -t [2001:db8::10]:80 -r 192.0.2.7 -m => Different address family is allowed only for tunneling "
                + "servers: '-r 192.0.2.7' under '-t [2001:db8::10]:80' (expected an IPv6 real server, or -i, or -b "
                + "for NAT64)",
        "-a -t 192.0.2.1:80 -r [2001:db8::2]:80 -b => Different address family is allowed only for tunneling "
                + "servers: '-r [2001:db8::2]:80' under '-t 192.0.2.1:80' (expected an IPv4 real server, or -i)",
        "-e -t [2001:db8::10]:80 -r 192.0.2.7 => Different address family is allowed only for tunneling "
                + "servers: '-r 192.0.2.7' under '-t [2001:db8::10]:80' (expected an IPv6 real server, or -i, or -b "
                + "for NAT64)",
        "-P -t [2001:db8::10]:80 -z [2001:db8::100] => illegal local address specified: '[2001:db8::100]' "
                + "(expected an IPv6 address without brackets or port)",
    })
    void shouldRefuseInOneLineNamingTheTokenAndChangeNothing(String commandLine, String message)
            throws ControlException {
        CommandLineException e = assertThrows(CommandLineException.class,
                () -> PARSER.parse(IpvsadmParserTest.words(commandLine)));
        assertEquals(message, e.getMessage());
        assertEquals(2, e.exitCode());
        FakeDirector director = new FakeDirector();
        RestoreScript.apply("-A -t [2001:db8::10]:80 -s rr\n", "table", director, PARSER);
        director.calls.clear();
        assertEquals(2, runner(director).run(IpvsadmParserTest.words(commandLine), null).exitCode());
        assertEquals(List.of(), director.calls, "nothing reached the director");
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @CsvSource(delimiter = '|', value = {
        "-L -n                          | ipv6-list-numeric.txt",
        "-L                             | ipv6-list-names.txt",
        "-L -n --stats                  | ipv6-list-stats.txt",
        "-L -n --stats --exact          | ipv6-list-stats-exact.txt",
        "-L -n --rate                   | ipv6-list-rate.txt",
        "-L -n -t [2001:db8::10]:80     | ipv6-list-service.txt",
        "-S -n                          | ipv6-save.txt",
        "-L -c -n                       | ipv6-connections.txt",
    })
    void shouldPrintIpv6ListingsByteForByteAsIpvsadm(String commandLine, String golden) throws IOException {
        assertEquals(new Reply(0, IpvsadmFormatterTest.golden(golden), ""),
                runner(Ipv6Scenario.director()).run(IpvsadmParserTest.words(commandLine), null));
    }

    @Test
    void shouldRestoreWhatItSavedToTheSameTable() throws Exception {
        String saved = runner(Ipv6Scenario.director()).run(IpvsadmParserTest.words("-S -n"), null).stdout();
        FakeDirector restored = new FakeDirector();

        RestoreScript.apply(saved, "saved", restored, PARSER);

        assertEquals(saved, runner(restored).run(IpvsadmParserTest.words("-S -n"), null).stdout());
        assertEquals(IpvsadmFormatterTest.golden("ipv6-save.txt"), saved);
    }
}
