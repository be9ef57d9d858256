package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.jvs.api.IpAddress;
import org.jvs.api.ControlException;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.sched.SchedulerRegistry;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;

/** DPVS's ipvsadm additions: -b full NAT, -P/-Q/-G local addresses and --proxy-protocol. */
class FullNatCommandsTest {
    private static final IpvsadmParser PARSER = new IpvsadmParser(SchedulerRegistry.names(), IpvsadmParserTest.NAMES);
    private static final ServiceKey WEB = IpvsadmParserTest.tcp("192.0.2.1", 80);
    private static final String TABLE = """
            -A -t 192.0.2.1:80 -s rr --proxy-protocol v2
            -a -t 192.0.2.1:80 -r 198.51.100.2:8080 -b -w 2
            -a -t 192.0.2.1:80 -r 198.51.100.3:8080 -m
            -P -t 192.0.2.1:80 -z 198.51.100.254 -F eth1
            --add-laddr --tcp-service 192.0.2.1:80 --laddr 198.51.100.253
            -A -t 192.0.2.2:443 -s wlc --proxy-protocol=V1
            -P -t 192.0.2.2:443 -z 198.51.100.250
            """;

    private static CommandRunner runner(FakeDirector director) {
        return new CommandRunner(director, PARSER, new IpvsadmFormatter(IpvsadmParserTest.NAMES));
    }

    private static FakeDirector table() throws ControlException {
        FakeDirector director = new FakeDirector();
        RestoreScript.apply(TABLE, "table", director, PARSER);
        return director;
    }

    static Stream<Arguments> goodCommands() {
        return Stream.of(
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2:8080 -b", new Command.AddRealServer(WEB,
                        new RealServerSpec(Ipv4.parse("198.51.100.2"), 8080, ForwardingMethod.FULLNAT, 1, 0, 0))),
                Arguments.of("--edit-server -t 192.0.2.1:80 -r 198.51.100.2 --fullnat -w 0", new Command.EditRealServer(
                        WEB, new RealServerSpec(Ipv4.parse("198.51.100.2"), 80, ForwardingMethod.FULLNAT, 0, 0, 0))),
                Arguments.of("-P -t 192.0.2.1:80 -z 198.51.100.254 -F eth1", new Command.AddLocalAddress(WEB,
                        new LocalAddressSpec(Ipv4.parse("198.51.100.254"), "eth1"))),
                Arguments.of("-P -t 192.0.2.1:80 -z rs1", new Command.AddLocalAddress(WEB,
                        new LocalAddressSpec(Ipv4.parse("198.51.100.2"), ""))),
                Arguments.of("--del-laddr -t 192.0.2.1:80 --laddr 198.51.100.254 --ifname eth1",
                        new Command.DeleteLocalAddress(WEB, IpAddress.parse("198.51.100.254"))),
                Arguments.of("-Q -t 192.0.2.1:80 -z 198.51.100.254",
                        new Command.DeleteLocalAddress(WEB, IpAddress.parse("198.51.100.254"))),
                Arguments.of("-G", new Command.ListLocalAddresses(null)),
                Arguments.of("--get-laddr -t 192.0.2.1:80", new Command.ListLocalAddresses(WEB)),
                Arguments.of("-A -t 192.0.2.1:80 --proxy-protocol v1",
                        new Command.AddService(new ServiceSpec(WEB, "wlc", "", 0, -1, false, 1))),
                Arguments.of("-E -t 192.0.2.1:80 --proxy-protocol disable",
                        new Command.EditService(new ServiceSpec(WEB, "wlc", "", 0, -1, false, 0))),
                Arguments.of("-A -u 192.0.2.1:53 --proxy-protocol disable", new Command.AddService(
                        new ServiceSpec(IpvsadmParserTest.udp("192.0.2.1", 53), "wlc", "", 0, -1, false, 0))),
                Arguments.of("-A -t 192.0.2.1:80 -s sh --sched-flags sh-port",
                        new Command.AddService(new ServiceSpec(WEB, "sh", "sh-port", 0, -1, false, 0))),
                // upstream ipvsadm's -b FLAGS keeps working beside DPVS's bare -b
                Arguments.of("-A -t 192.0.2.1:80 -s sh -b sh-port",
                        new Command.AddService(new ServiceSpec(WEB, "sh", "sh-port", 0, -1, false, 0))),
                Arguments.of("-A -t 192.0.2.1:80 -s sh -bsh-port,sh-fallback",
                        new Command.AddService(new ServiceSpec(WEB, "sh", "sh-fallback,sh-port", 0, -1, false, 0))),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2:8080 -b -w 2", new Command.AddRealServer(WEB,
                        new RealServerSpec(Ipv4.parse("198.51.100.2"), 8080, ForwardingMethod.FULLNAT, 2, 0, 0))));
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @MethodSource("goodCommands")
    void shouldParseDpvsSpellings(String commandLine, Command expected) throws CommandLineException {
        assertEquals(expected, PARSER.parse(IpvsadmParserTest.words(commandLine)));
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @CsvSource(delimiterString = " => ", value = {
        "-A -t 192.0.2.1:80 -s sh -b => illegal '-b' with '-A': a bare -b is --fullnat, a forwarding method for -a/-e "
                + "as in DPVS (expected -b FLAGS or --sched-flags FLAGS for scheduler flags)",
        "-E -t 192.0.2.1:80 --fullnat => illegal '--fullnat' with '-E': a bare -b is --fullnat, a forwarding method "
                + "for -a/-e as in DPVS (expected -b FLAGS or --sched-flags FLAGS for scheduler flags)",
        "-a -t 192.0.2.1:80 -r 198.51.100.2 -m -b => multiple 'forwarding-method' options specified: '-b' after '-m' "
                + "(expected only one of -g -i -m -b)",
        "-P -t 192.0.2.1:80 => You need to supply the 'local-address' option for the 'add-laddr' command: "
                + "'-P' needs -z LIP",
        "-Q -z 198.51.100.254 => You need to supply the 'service-address' option for the 'del-laddr' command: "
                + "'-Q' needs -t|-u host[:port]",
        "-P -t 192.0.2.1:80 -z 198.51.100.254:80 => illegal local address specified: '198.51.100.254:80' "
                + "(expected an IPv4 address or a host name from /etc/hosts, without a port)",
        "-P -t 192.0.2.1:80 -z nosuch => illegal local address specified: 'nosuch' "
                + "(expected an IPv4 address or a host name from /etc/hosts, without a port)",
        "-P -t 192.0.2.1:80 -z 198.51.100.254 -F a/b => illegal interface name specified: 'a/b' "
                + "(expected 1..15 characters without '/', ':' or blanks)",
        "-P -t 192.0.2.1:80 -z 198.51.100.254 -F sixteen-chars-xx => illegal interface name specified: "
                + "'sixteen-chars-xx' (expected 1..15 characters without '/', ':' or blanks)",
        "-P -t 192.0.2.1:80 -z 198.51.100.254 -w 2 => Illegal 'weight' option with the 'add-laddr' command: '-w 2' "
                + "('-P' takes only -t|-u -z -F)",
        "-G -z 198.51.100.254 => Illegal 'local-address' option with the 'get-laddr' command: '-z 198.51.100.254' "
                + "('-G' takes only -t|-u)",
        "-a -t 192.0.2.1:80 -r 198.51.100.2 -z 198.51.100.254 => Illegal 'local-address' option with the 'add-server' "
                + "command: '-z 198.51.100.254' ('-a' takes only -t|-u -r -g|-i|-m|-b -w -x -y --tun-type --tun-port --tun-nocsum --tun-csum --tun-remcsum)",
        "-A -t 192.0.2.1:80 --proxy-protocol v3 => illegal proxy protocol specified: 'v3' (expected disable, v1 or v2)",
        "-A -t 192.0.2.1:80 --proxy-protocol v2-insecure => proxy protocol 'v2-insecure' is not supported by JVS "
                + "(expected disable, v1 or v2: JVS writes the header and never accepts one from clients)",
        "-A -u 192.0.2.1:53 --proxy-protocol v2 => PROXY protocol is only for TCP virtual services: "
                + "'--proxy-protocol v2' with '-u 192.0.2.1:53' (expected -t)",
        "-a -t 192.0.2.1:80 -r 198.51.100.2 --proxy-protocol v1 => Illegal 'proxy-protocol' option with the "
                + "'add-server' command: '--proxy-protocol v1' "
                + "('-a' takes only -t|-u -r -g|-i|-m|-b -w -x -y --tun-type --tun-port --tun-nocsum --tun-csum --tun-remcsum)",
    })
    void shouldRefuseInOneLineNamingTheToken(String commandLine, String message) {
        CommandLineException e = assertThrows(CommandLineException.class,
                () -> PARSER.parse(IpvsadmParserTest.words(commandLine)));
        assertEquals(message, e.getMessage());
        assertEquals(2, e.exitCode());
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @CsvSource(delimiter = '|', value = {
        "-L -n                 | fullnat-list.txt",
        "-S -n                 | fullnat-save.txt",
        "-G                    | fullnat-laddrs.txt",
        "-G -t 192.0.2.2:443   | fullnat-laddrs-one.txt",
    })
    void shouldShowFullNatLocalAddressesAndProxyProtocolAsDpvs(String commandLine, String golden) throws Exception {
        assertEquals(new Reply(0, IpvsadmFormatterTest.golden(golden), ""),
                runner(table()).run(IpvsadmParserTest.words(commandLine), null));
    }

    @Test
    void shouldPrintNothingForGetLaddrOnAnEmptyTableAsDpvs() {
        assertEquals(new Reply(0, "", ""), runner(new FakeDirector()).run(List.of("-G"), null));
    }

    @Test
    void shouldFailGetLaddrOfAnUnknownServiceAsAListing() {
        assertEquals(new Reply(1, "", "No such service\n"),
                runner(new FakeDirector()).run(IpvsadmParserTest.words("-G -t 192.0.2.9:80"), null));
    }

    @Test
    void shouldRebuildLocalAddressesAndProxyProtocolFromSaveOutput() throws Exception {
        String saved = runner(table()).run(List.of("-S", "-n"), null).stdout();
        FakeDirector restored = new FakeDirector();
        assertEquals(new Reply(0, "", ""), runner(restored).run(List.of("-R"), saved));
        assertEquals(saved, runner(restored).run(List.of("-S", "-n"), null).stdout());
        assertEquals(IpvsadmFormatterTest.golden("fullnat-save.txt"), saved);
    }

    @Test
    void shouldDeleteOneLocalAddressAndReportTheDirectorsRefusal() throws Exception {
        FakeDirector director = table();
        CommandRunner runner = runner(director);
        assertEquals(new Reply(0, "", ""), runner.run(IpvsadmParserTest.words(
                "-Q -t 192.0.2.1:80 -z 198.51.100.254 -F eth1"), null));
        assertEquals(List.of(new LocalAddressSpec(Ipv4.parse("198.51.100.253"), "")),
                director.services(WEB).getFirst().localAddresses());
        assertEquals(new Reply(255, "", "No such local address\n"), runner.run(IpvsadmParserTest.words(
                "-Q -t 192.0.2.1:80 -z 198.51.100.254"), null));
    }

    @Test
    void shouldKeepLocalAddressesWhenTheServiceIsEdited() throws Exception {
        FakeDirector director = table();
        runner(director).run(IpvsadmParserTest.words("-E -t 192.0.2.1:80 -s wrr"), null);
        assertEquals(2, director.services(WEB).getFirst().localAddresses().size());
        assertEquals(0, director.services(WEB).getFirst().proxyProtocol());
    }

    @Test
    void shouldDocumentTheDpvsOptionsInHelp() {
        String help = runner(new FakeDirector()).run(List.of("-h"), null).stdout();
        for (String option : List.of("--add-laddr       -P", "--del-laddr       -Q", "--get-laddr       -G",
                "--fullnat      -b", "--laddr        -z", "--ifname       -F", "--proxy-protocol", "--sched-flags")) {
            assertTrue(help.contains(option), option);
        }
    }
}
