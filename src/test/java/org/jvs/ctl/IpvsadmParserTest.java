package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

class IpvsadmParserTest {
    static final NameResolver NAMES = HostsAndServices.parse(
            "192.0.2.10 www.example www # the web VIP\n198.51.100.2 rs1\n",
            "http 80/tcp www\nhttp 80/udp\ndomain 53/udp\n");
    private static final IpvsadmParser PARSER = new IpvsadmParser(IpvsadmParser.JVS_SCHEDULERS, NAMES);

    private static final ServiceKey WEB = tcp("192.0.2.1", 80);
    private static final ListFormat STATS_EXACT = new ListFormat(true, true, false, true, false, false, false, false);
    private static final ListFormat RATE = new ListFormat(true, false, true, false, false, false, false, false);

    static ServiceKey tcp(String address, int port) {
        return new ServiceKey(Protocol.TCP, Ipv4.parse(address), port);
    }

    static ServiceKey udp(String address, int port) {
        return new ServiceKey(Protocol.UDP, Ipv4.parse(address), port);
    }

    private static ServiceSpec spec(ServiceKey key, String scheduler, String flags, int persistenceS, String mask) {
        return new ServiceSpec(key, scheduler, flags, persistenceS, Ipv4.parse(mask));
    }

    private static RealServerSpec server(String address, int port, ForwardingMethod method, int weight, int upper,
                                         int lower) {
        return new RealServerSpec(Ipv4.parse(address), port, method, weight, upper, lower);
    }

    static Stream<Arguments> goodCommands() {
        String all = "255.255.255.255";
        return Stream.of(
                Arguments.of("-A -t 192.0.2.1:80", new Command.AddService(spec(WEB, "wlc", "", 0, all))),
                Arguments.of("-A -u 192.0.2.1:53 -s rr -p",
                        new Command.AddService(spec(udp("192.0.2.1", 53), "rr", "", 360, all))),
                Arguments.of("-A -t 192.0.2.1:80 -p -s rr", new Command.AddService(spec(WEB, "rr", "", 360, all))),
                Arguments.of("-A -t 192.0.2.1:0 -p 600 -M 255.255.255.0",
                        new Command.AddService(spec(tcp("192.0.2.1", 0), "wlc", "", 600, "255.255.255.0"))),
                Arguments.of("--add-service --tcp-service=192.0.2.1:http --scheduler=wrr --persistent=30",
                        new Command.AddService(spec(WEB, "wrr", "", 30, all))),
                Arguments.of("-At www:www -p3600",
                        new Command.AddService(spec(tcp("192.0.2.10", 80), "wlc", "", 3600, all))),
                Arguments.of("-A -t 198.18.1:+80", new Command.AddService(spec(tcp("198.18.0.1", 80), "wlc", "", 0, all))),
                Arguments.of("-E -t 192.0.2.1:80 -s lc -b flag-3,flag-1",
                        new Command.EditService(spec(WEB, "lc", "flag-1,flag-3", 0, all))),
                Arguments.of("-D -t 192.0.2.1:80", new Command.DeleteService(WEB)),
                Arguments.of("--delete-service -u www:http", new Command.DeleteService(udp("192.0.2.10", 80))),
                Arguments.of("-C", new Command.Clear()),
                Arguments.of("--clear", new Command.Clear()),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2",
                        new Command.AddRealServer(WEB, server("198.51.100.2", 80, ForwardingMethod.ROUTE, 1, 0, 0))),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2:8080 -m -w 5 -x 100 -y 50",
                        new Command.AddRealServer(WEB, server("198.51.100.2", 8080, ForwardingMethod.MASQ, 5, 100, 50))),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2:8080 -g",
                        new Command.AddRealServer(WEB, server("198.51.100.2", 80, ForwardingMethod.ROUTE, 1, 0, 0))),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2:8080 -i --tun-type ipip",
                        new Command.AddRealServer(WEB, server("198.51.100.2", 80, ForwardingMethod.TUNNEL, 1, 0, 0))),
                Arguments.of("-a -r 198.51.100.2 -t 192.0.2.1:80 -m",
                        new Command.AddRealServer(WEB, server("198.51.100.2", 0, ForwardingMethod.MASQ, 1, 0, 0))),
                Arguments.of("--add-server --tcp-service 192.0.2.1:80 --real-server rs1:http --masquerading --weight 0",
                        new Command.AddRealServer(WEB, server("198.51.100.2", 80, ForwardingMethod.MASQ, 0, 0, 0))),
                Arguments.of("-e -u 192.0.2.1:53 -r rs1 -w 0",
                        new Command.EditRealServer(udp("192.0.2.1", 53), server("198.51.100.2", 53, ForwardingMethod.ROUTE, 0, 0, 0))),
                Arguments.of("-d -t 192.0.2.1:80 -r 198.51.100.2:8080",
                        new Command.DeleteRealServer(WEB, Ipv4.parse("198.51.100.2"), 8080)),
                Arguments.of("-d -t 192.0.2.1:80 -r 198.51.100.2",
                        new Command.DeleteRealServer(WEB, Ipv4.parse("198.51.100.2"), 80)),
                Arguments.of("", new Command.ListServices(null, ListFormat.PLAIN)),
                Arguments.of("-L", new Command.ListServices(null, ListFormat.PLAIN)),
                Arguments.of("-Ln", new Command.ListServices(null, ListFormat.NUMERIC)),
                Arguments.of("-l --numeric --sort", new Command.ListServices(null, ListFormat.NUMERIC)),
                Arguments.of("--list -n --stats --exact", new Command.ListServices(null, STATS_EXACT)),
                Arguments.of("-L -n --rate -t 192.0.2.1:80", new Command.ListServices(WEB, RATE)),
                Arguments.of("-L -c -n", new Command.ListConnections(ListFormat.NUMERIC)),
                Arguments.of("-L --connection", new Command.ListConnections(ListFormat.PLAIN)),
                Arguments.of("-L --timeout", new Command.ListTimeouts()),
                Arguments.of("-L --daemon", new Command.ListDaemons()),
                Arguments.of("-Z", new Command.Zero(null)),
                Arguments.of("--zero -t 192.0.2.1:80", new Command.Zero(WEB)),
                Arguments.of("--set 900 120 300", new Command.SetTimeouts(new TimeoutsSpec(900, 120, 300))),
                Arguments.of("--set 0 0 60", new Command.SetTimeouts(new TimeoutsSpec(0, 0, 60))),
                Arguments.of("-S", new Command.Save(ListFormat.PLAIN)),
                Arguments.of("--save -n", new Command.Save(ListFormat.NUMERIC)),
                Arguments.of("-R", new Command.Restore()),
                Arguments.of("-h", new Command.Help()),
                Arguments.of("--help", new Command.Help()),
                Arguments.of("-v", new Command.Version()));
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @MethodSource("goodCommands")
    void shouldParseWhatIpvsadmAccepts(String commandLine, Command expected) throws CommandLineException {
        assertEquals(expected, PARSER.parse(words(commandLine)));
    }

    static Stream<Arguments> badCommands() {
        String tryHelp = "Try `jvsadm -h' or 'jvsadm --help' for more information.";
        return Stream.of(
                Arguments.of("-t 192.0.2.1:80", tryHelp, 255),
                Arguments.of("-n -L", tryHelp, 255),
                Arguments.of("--bogus", tryHelp, 255),
                Arguments.of("foo", tryHelp, 255),
                Arguments.of("-L --bogus", "--bogus: unknown option", 255),
                Arguments.of("-Lq", "-Lq: unknown option", 255),
                Arguments.of("-A -t", "-t: missing argument", 255),
                Arguments.of("-L --numeric=1", "--numeric=1: option does not take an argument", 255),
                Arguments.of("-L -A", "invalid option `-A'", 2),
                Arguments.of("-A -t 80", "illegal virtual server address[:port] specified", 2),
                Arguments.of("-A -t 192.0.2.300:80", "illegal virtual server address[:port] specified", 2),
                Arguments.of("-A -u 192.0.2.1:nosuch", "illegal virtual server address[:port] specified", 2),
                Arguments.of("-A -t 192.0.2.1:", "illegal virtual server address[:port] specified", 2),
                Arguments.of("-A -t 192.0.2.1", "Zero port specified for non-persistent service", 2),
                Arguments.of("-A -t 192.0.2.1:80 -s sh", "Scheduler or persistence engine not found", 255),
                Arguments.of("-A -t 192.0.2.1:80 -s rr -s wrr", "multiple 'scheduler' options specified", 2),
                Arguments.of("-A -t 192.0.2.1:80 -p 0", "invalid timeout value `0' specified", 2),
                Arguments.of("-A -t 192.0.2.1:80 -p abc", "invalid timeout value `abc' specified", 2),
                Arguments.of("-A -t 192.0.2.1:80 -p 2678401", "invalid timeout value `2678401' specified", 2),
                Arguments.of("-A -t 192.0.2.1:80 -M 255.255.255.256", "illegal virtual server persistent mask specified", 2),
                Arguments.of("-A -t 192.0.2.1:80 -b flag-9", "invalid scheduler flag `flag-9'", 2),
                Arguments.of("-A -t 192.0.2.1:80 -b sh-port", "incompatible scheduler flag `sh-port'", 2),
                Arguments.of("-A -t 192.0.2.1:80 -r 198.51.100.2",
                        "Illegal 'real-server' option with the 'add-service' command", 2),
                Arguments.of("-A", "You need to supply the 'service-address' option for the 'add-service' command", 2),
                Arguments.of("-a -t 192.0.2.1:80", "You need to supply the 'real-server' option for the 'add-server' command", 2),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2 -w 65536", "illegal weight specified", 2),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2 -w -1", "illegal weight specified", 2),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2 -x abc", "illegal u_threshold specified", 2),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2 -y 2147483648", "illegal l_threshold specified", 2),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2:99999", "illegal real server address[:port] specified", 2),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2 -m -g", "multiple 'forwarding-method' options specified", 2),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2 -m --tun-type ipip",
                        "Tunnel options conflict with forward method", 2),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2 -i --tun-type foo", "illegal tunnel type specified", 2),
                Arguments.of("-d -t 192.0.2.1:80 -r 198.51.100.2 -w 2",
                        "Illegal 'weight' option with the 'delete-server' command", 2),
                Arguments.of("-L -c -t 192.0.2.1:80",
                        "The option 'service-address' conflicts with the 'connection' option in the 'list' command", 2),
                Arguments.of("-L -c --stats", "options conflicts in the list command", 2),
                Arguments.of("-L --timeout --persistent-conn", "options conflicts in the list command", 2),
                Arguments.of("-L -s rr", "Illegal 'scheduler' option with the 'list' command", 2),
                Arguments.of("--set 1 2", "--set option requires 3 timeout values", 2),
                Arguments.of("--set 1 2 x", "invalid timeout value `x' specified", 2),
                Arguments.of("--set 1 2 3 4", "unexpected argument 4", 2),
                Arguments.of("-L extra", "unexpected argument extra", 2),
                Arguments.of("-C -n", "Illegal 'numeric' option with the 'flush' command", 2),
                Arguments.of("-S -c", "Illegal 'connection' option with the 'save' command", 2),
                Arguments.of("-A -t [2001:db8::1]:80", "IPv6 address `[2001:db8::1]:80' is not supported by JVS", 2),
                Arguments.of("-A -f 1", "option `-f' is not supported by JVS", 2),
                Arguments.of("--start-daemon master", "option `--start-daemon' is not supported by JVS", 2),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2 -i --tun-type gue",
                        "tunnel type `gue' is not supported by JVS (only ipip)", 2));
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @MethodSource("badCommands")
    void shouldRefuseWithIpvsadmMessageAndStatus(String commandLine, String message, int exitCode) {
        CommandLineException e = assertThrows(CommandLineException.class, () -> PARSER.parse(words(commandLine)));
        assertEquals(message, e.getMessage());
        assertEquals(exitCode, e.exitCode());
    }

    @Test
    void shouldLeaveSchedulerNamesToTheDirectorWhenCheckingSyntaxOnly() throws CommandLineException {
        Command command = IpvsadmParser.syntaxOnly(List.of("rr")).parse(words("-A -t 192.0.2.1:80 -s mh"));
        assertEquals("mh", ((Command.AddService) command).spec().scheduler());
    }

    static List<String> words(String commandLine) {
        return commandLine.isEmpty() ? List.of() : Arrays.asList(commandLine.split(" "));
    }
}
