package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.sched.SchedulerRegistry;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;

/** ipvsadm 1.31's tunnel types: --tun-type ipip|gue|gre, --tun-port, the checksum options, --tun-info, -S and -R. */
class TunnelTypeCommandsTest {
    private static final IpvsadmParser PARSER = new IpvsadmParser(SchedulerRegistry.names(), IpvsadmParserTest.NAMES);
    private static final ServiceKey WEB = IpvsadmParserTest.tcp("192.0.2.1", 80);
    private static final String RS = "-a -t 192.0.2.1:80 -r 198.51.100.2";
    private static final String TABLE = """
            -A -t 192.0.2.1:80 -s rr
            -a -t 192.0.2.1:80 -r 198.51.100.6 -m
            -a -t 192.0.2.1:80 -r 198.51.100.2 -i --tun-type gue --tun-port 6080 --tun-remcsum
            -a -t 192.0.2.1:80 -r 198.51.100.3 -i -w 2 --tun-type gre --tun-csum
            -a -t 192.0.2.1:80 -r 198.51.100.4 -i
            -a -t 192.0.2.1:80 -r 198.51.100.5 --ipip --tun-type=gue --tun-port=5555
            -A -u 192.0.2.1:53 -s wlc
            -a -u 192.0.2.1:53 -r 198.51.100.8 -i --tun-type gue --tun-port 65535 --tun-csum
            -a -u 192.0.2.1:53 -r 198.51.100.7 -i --tun-type gre --tun-nocsum
            """;

    private static CommandRunner runner(FakeDirector director) {
        return new CommandRunner(director, PARSER, new IpvsadmFormatter(IpvsadmParserTest.NAMES));
    }

    private static FakeDirector table(String script) throws ControlException {
        FakeDirector director = new FakeDirector();
        RestoreScript.apply(script, "table", director, PARSER);
        return director;
    }

    private static RealServerSpec tunnelServer(Tunnel tunnel) {
        return new RealServerSpec(Ipv4.parse("198.51.100.2"), 80, ForwardingMethod.TUNNEL, 1, 0, 0, tunnel);
    }

    static Stream<Arguments> goodCommands() {
        return Stream.of(
                Arguments.of(RS + " -i", tunnelServer(Tunnel.IPIP)),
                Arguments.of(RS + " -i --tun-type ipip", tunnelServer(Tunnel.IPIP)),
                Arguments.of(RS + " -i --tun-type gue --tun-port 6080",
                        tunnelServer(new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.NOCSUM))),
                Arguments.of(RS + " -i --tun-type gue --tun-port 6080 --tun-nocsum",
                        tunnelServer(new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.NOCSUM))),
                Arguments.of(RS + " --tun-port 1 --tun-csum -i --tun-type gue",
                        tunnelServer(new Tunnel(TunnelType.GUE, 1, TunnelChecksum.CSUM))),
                Arguments.of(RS + " -i --tun-type gue --tun-port 65535 --tun-remcsum",
                        tunnelServer(new Tunnel(TunnelType.GUE, 65535, TunnelChecksum.REMCSUM))),
                Arguments.of(RS + " -i --tun-type gre", tunnelServer(new Tunnel(TunnelType.GRE, 0, TunnelChecksum.NOCSUM))),
                Arguments.of(RS + " -i --tun-type gre --tun-csum",
                        tunnelServer(new Tunnel(TunnelType.GRE, 0, TunnelChecksum.CSUM))));
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @MethodSource("goodCommands")
    void shouldParseTunnelOptions(String commandLine, RealServerSpec expected) throws CommandLineException {
        assertEquals(new Command.AddRealServer(WEB, expected), PARSER.parse(IpvsadmParserTest.words(commandLine)));
    }

    @Test
    void shouldGiveAnEditedServerTheTunnelItsLineSaysAsIpvsadm() throws CommandLineException {
        assertEquals(new Command.EditRealServer(WEB, tunnelServer(new Tunnel(TunnelType.GRE, 0, TunnelChecksum.CSUM))),
                PARSER.parse(IpvsadmParserTest.words("-e -t 192.0.2.1:80 -r 198.51.100.2 -i --tun-type gre --tun-csum")));
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @CsvSource(delimiterString = " => ", value = {
        RS + " -i --tun-type gue => You need to supply the 'tun-port' option for the 'gue' tunnel type: "
                + "'--tun-type gue' needs --tun-port PORT (expected 1..65535)",
        RS + " -i --tun-type gue --tun-csum => You need to supply the 'tun-port' option for the 'gue' tunnel type: "
                + "'--tun-type gue' needs --tun-port PORT (expected 1..65535)",
        RS + " -i --tun-port 6080 => Illegal 'tun-port' option with the 'ipip' tunnel type: '--tun-port 6080' "
                + "(ipip takes no tunnel options; expected --tun-type gue or gre for them)",
        RS + " -i --tun-type ipip --tun-csum => Illegal 'tun-csum' option with the 'ipip' tunnel type: '--tun-csum' "
                + "(ipip takes no tunnel options; expected --tun-type gue or gre for them)",
        RS + " -i --tun-nocsum => Illegal 'tun-nocsum' option with the 'ipip' tunnel type: '--tun-nocsum' "
                + "(ipip takes no tunnel options; expected --tun-type gue or gre for them)",
        RS + " -i --tun-type gre --tun-port 6080 => Illegal 'tun-port' option with the 'gre' tunnel type: "
                + "'--tun-port 6080' (gre takes one of --tun-nocsum --tun-csum)",
        RS + " -i --tun-type gre --tun-remcsum => Illegal 'tun-remcsum' option with the 'gre' tunnel type: "
                + "'--tun-remcsum' (gre takes one of --tun-nocsum --tun-csum)",
        RS + " -i --tun-type gue --tun-port 6080 --tun-csum --tun-nocsum => The option 'tun-csum' conflicts with "
                + "the 'tun-nocsum' option in the 'gue' tunnel type: '--tun-csum' with '--tun-nocsum' "
                + "(expected at most one of --tun-nocsum --tun-csum --tun-remcsum)",
        RS + " -i --tun-type gre --tun-csum --tun-nocsum => The option 'tun-csum' conflicts with the 'tun-nocsum' "
                + "option in the 'gre' tunnel type: '--tun-csum' with '--tun-nocsum' "
                + "(expected at most one of --tun-nocsum --tun-csum)",
        RS + " -m --tun-type gue --tun-port 6080 => Tunnel options conflict with forward method: '--tun-type gue' "
                + "with '-m' (expected -i)",
        RS + " --tun-port 6080 => Tunnel options conflict with forward method: '--tun-port 6080' with the default -g "
                + "(expected -i)",
        RS + " -b --tun-csum => Tunnel options conflict with forward method: '--tun-csum' with '-b' (expected -i)",
        RS + " -i --tun-type gue --tun-port 0 => illegal tunnel port specified: '0' (expected a port 1..65535)",
        RS + " -i --tun-type gue --tun-port 65536 => illegal tunnel port specified: '65536' (expected a port 1..65535)",
        RS + " -i --tun-type vxlan => illegal tunnel type specified: 'vxlan' (expected ipip, gue or gre)",
        RS + " -i --tun-type gue --tun-port 1 --tun-port 2 => multiple 'tun-port' options specified: "
                + "'--tun-port 2' after '--tun-port 1' (expected it once)",
        "-A -t 192.0.2.1:80 --tun-type gre => Illegal 'tun-type' option with the 'add-service' command: "
                + "'--tun-type gre' ('-A' takes only -t|-u -s -p -M -o --sched-flags --proxy-protocol)",
    })
    void shouldRefuseAsIpvsadmInOneLineNamingTheTokenAndChangeNothing(String commandLine, String message)
            throws ControlException {
        CommandLineException e = assertThrows(CommandLineException.class,
                () -> PARSER.parse(IpvsadmParserTest.words(commandLine)));
        assertEquals(message, e.getMessage());
        assertEquals(2, e.exitCode());
        FakeDirector director = table("-A -t 192.0.2.1:80 -s rr\n");
        director.calls.clear();
        Reply reply = runner(director).run(IpvsadmParserTest.words(commandLine), null);
        assertEquals(2, reply.exitCode());
        assertEquals(List.of(), director.calls, "nothing reached the director");
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @CsvSource(delimiter = '|', value = {
        "-L -n --tun-info      | tun-types-list.txt",
        "-S -n                 | tun-types-save.txt",
    })
    void shouldListAndSaveTunnelsAsIpvsadm(String commandLine, String golden) throws Exception {
        assertEquals(new Reply(0, IpvsadmFormatterTest.golden(golden), ""),
                runner(table(TABLE)).run(IpvsadmParserTest.words(commandLine), null));
    }

    @Test
    void shouldRestoreWhatItSavedToTheSameTable() throws Exception {
        String saved = runner(table(TABLE)).run(IpvsadmParserTest.words("-S -n"), null).stdout();

        FakeDirector restored = table(saved);

        assertEquals(saved, runner(restored).run(IpvsadmParserTest.words("-S -n"), null).stdout());
        assertEquals(IpvsadmFormatterTest.golden("tun-types-list.txt"),
                runner(restored).run(IpvsadmParserTest.words("-L -n --tun-info"), null).stdout());
    }
}
