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

import org.jvs.api.IpAddress;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.sched.SchedulerRegistry;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

class IpvsadmParserTest {
    static final NameResolver NAMES = HostsAndServices.parse(
            "192.0.2.10 www.example www # the web VIP\n198.51.100.2 rs1\n",
            "http 80/tcp www\nhttp 80/udp\ndomain 53/udp\n");
    private static final IpvsadmParser PARSER = new IpvsadmParser(SchedulerRegistry.names(), NAMES);

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
                Arguments.of("-E -t 192.0.2.1:80 -s lc --sched-flags flag-3,flag-1",
                        new Command.EditService(spec(WEB, "lc", "flag-1,flag-3", 0, all))),
                Arguments.of("-E -t 192.0.2.1:80 -s lc -b flag-3,flag-1",
                        new Command.EditService(spec(WEB, "lc", "flag-1,flag-3", 0, all))),
                Arguments.of("-A -u 192.0.2.1:53 -s rr -o", new Command.AddService(new ServiceSpec(udp("192.0.2.1", 53),
                        "rr", "", 0, -1, true))),
                Arguments.of("--edit-service --udp-service 192.0.2.1:53 --ops -p 60", new Command.EditService(
                        new ServiceSpec(udp("192.0.2.1", 53), "wlc", "", 60, -1, true))),
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
                        new Command.DeleteRealServer(WEB, IpAddress.parse("198.51.100.2"), 8080)),
                Arguments.of("-d -t 192.0.2.1:80 -r 198.51.100.2",
                        new Command.DeleteRealServer(WEB, IpAddress.parse("198.51.100.2"), 80)),
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
                Arguments.of("--sysctl expire_nodest_conn=1", new Command.SetSetting("expire_nodest_conn", 1)),
                Arguments.of("--sysctl expire_quiescent_template=0",
                        new Command.SetSetting("expire_quiescent_template", 0)),
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

    /** Every refusal of the parser: the command line, the one line printed and the exit status ipvsadm gives. */
    static Stream<Arguments> badCommands() {
        String commands = "-A -E -D -C -a -e -d -P -Q -G -L -Z -S -R --set --start-daemon --stop-daemon -h -v";
        String rs = "-a -t 192.0.2.1:80 -r 198.51.100.2";
        return Stream.of(
                // the command word (ipvsadm: "Try `ipvsadm -h' ...")
                Arguments.of("-t 192.0.2.1:80", "'-t' is not a command (expected one of " + commands + " first)", 255),
                Arguments.of("-n -L", "'-n' is not a command (expected one of " + commands + " first)", 255),
                Arguments.of("foo", "'foo' is not a command (expected one of " + commands + " first)", 255),
                Arguments.of("--", "no command given (expected one of " + commands + ")", 255),
                Arguments.of("--bogus", "unknown option '--bogus' (expected an option listed by jvsadm -h)", 255),
                Arguments.of("-L -A", "invalid option '-A': a second command after '-L' (expected one command per line)", 2),
                Arguments.of("--list --help",
                        "invalid option '--help': a second command after '--list' (expected one command per line)", 2),
                // popt
                Arguments.of("-L --bogus", "unknown option '--bogus' (expected an option listed by jvsadm -h)", 255),
                Arguments.of(rs + " --wieght 5", "unknown option '--wieght' (expected --weight)", 255),
                Arguments.of("-Lq", "unknown option '-q' in '-Lq' (expected an option listed by jvsadm -h)", 255),
                Arguments.of("-L -q", "unknown option '-q' (expected an option listed by jvsadm -h)", 255),
                Arguments.of("-A -t", "missing argument for '-t' (expected host[:port])", 255),
                Arguments.of(rs + " --weight", "missing argument for '--weight' (expected an integer 0..65535)", 255),
                Arguments.of("-L --numeric=1", "option does not take an argument: '--numeric=1' (expected --numeric alone)", 255),
                // addresses
                Arguments.of("-A -t 80", "illegal virtual server address[:port] specified: '80' "
                        + "(expected host[:port], not a bare number)", 2),
                Arguments.of("-A -t 192.0.2.300:80", "illegal virtual server address[:port] specified: '192.0.2.300:80' "
                        + "(expected an IPv4 address or a host name from /etc/hosts before ':')", 2),
                Arguments.of("-A -t nosuch -p", "illegal virtual server address[:port] specified: 'nosuch' "
                        + "(expected an IPv4 address or a host name from /etc/hosts)", 2),
                Arguments.of("-A -u 192.0.2.1:nosuch", "illegal virtual server address[:port] specified: "
                        + "'192.0.2.1:nosuch' (expected a port 0..65535 or a service name from /etc/services after ':')", 2),
                Arguments.of("-A -t 192.0.2.1:", "illegal virtual server address[:port] specified: '192.0.2.1:' "
                        + "(expected a port 0..65535 or a service name from /etc/services after ':')", 2),
                Arguments.of("-a -t 192.0.2.1:80 -r 198.51.100.2:99999", "illegal real server address[:port] specified: "
                        + "'198.51.100.2:99999' (expected a port 0..65535 or a service name from /etc/services after ':')", 2),
                Arguments.of("-A -t [2001:db8::1]80", "illegal virtual server address[:port] specified: "
                        + "'[2001:db8::1]80' (expected [IPv6 address]:port)", 2),
                Arguments.of("-a -t 192.0.2.1:80 -r 2001:db8::2", "Different address family is allowed only for "
                        + "tunneling servers: '-r 2001:db8::2' under '-t 192.0.2.1:80' (expected an IPv4 real server, "
                        + "or -i)", 2),
                Arguments.of("-A -t 192.0.2.1:80 -o", "One-Packet Scheduling is only for UDP virtual services: "
                        + "'-o' with '-t 192.0.2.1:80' (expected -u)", 2),
                Arguments.of("-a -u 192.0.2.1:53 -r 198.51.100.2 -o", "Illegal 'ops' option with the 'add-server' "
                        + "command: '-o' ('-a' takes only -t|-u -r -g|-i|-m|-b -w -x -y --tun-type --tun-port --tun-nocsum --tun-csum --tun-remcsum)", 2),
                Arguments.of("-A -t 192.0.2.1", "Zero port specified for non-persistent service: '-t 192.0.2.1' "
                        + "(expected host:port, or -p for a persistent service)", 2),
                // service options
                Arguments.of("-A -t 192.0.2.1:80 -s fastest",
                        "-s 'fastest': Scheduler or persistence engine not found (known: rr wrr lc wlc lblc lblcr dh sh "
                                + "sed nq fo ovf mh twos)", 255),
                Arguments.of("-A -t 192.0.2.1:80 -s rr -s wrr",
                        "multiple 'scheduler' options specified: '-s wrr' after '-s rr' (expected it once)", 2),
                Arguments.of("-A -t 192.0.2.1:80 -p 0", "invalid timeout value '0' specified (expected seconds 1..2678400)", 2),
                Arguments.of("-A -t 192.0.2.1:80 -p abc", "invalid timeout value 'abc' specified (expected seconds 1..2678400)", 2),
                Arguments.of("-A -t 192.0.2.1:80 -p 2678401",
                        "invalid timeout value '2678401' specified (expected seconds 1..2678400)", 2),
                Arguments.of("-A -t 192.0.2.1:80 -M 255.255.255.256", "illegal virtual server persistent mask specified: "
                        + "'255.255.255.256' (expected a netmask such as 255.255.255.0)", 2),
                Arguments.of("-A -t 192.0.2.1:80 --sched-flags flag-9", "invalid scheduler flag 'flag-9' "
                        + "(expected flag-1,flag-2,flag-3 or, with -s sh|mh, sh-fallback,sh-port|mh-fallback,mh-port)", 2),
                Arguments.of("-A -t 192.0.2.1:80 --sched-flags sh-port", "incompatible scheduler flag 'sh-port' (expected with -s sh, not wlc)", 2),
                Arguments.of("-A -t 192.0.2.1:80 -s sh --sched-flags mh-port",
                        "incompatible scheduler flag 'mh-port' (expected with -s mh, not sh)", 2),
                // real server options
                Arguments.of(rs + " -w 65536", "illegal weight specified: '65536' (expected an integer 0..65535)", 2),
                Arguments.of(rs + " -w -1", "illegal weight specified: '-1' (expected an integer 0..65535)", 2),
                Arguments.of(rs + " -w abc", "illegal weight specified: 'abc' (expected an integer 0..65535)", 2),
                Arguments.of(rs + " -x abc", "illegal u_threshold specified: 'abc' (expected an integer 0..2147483647)", 2),
                Arguments.of(rs + " -y 2147483648",
                        "illegal l_threshold specified: '2147483648' (expected an integer 0..2147483647)", 2),
                Arguments.of(rs + " -m -g",
                        "multiple 'forwarding-method' options specified: '-g' after '-m' (expected only one of -g -i -m -b)", 2),
                Arguments.of(rs + " -m --tun-type ipip",
                        "Tunnel options conflict with forward method: '--tun-type ipip' with '-m' (expected -i)", 2),
                Arguments.of(rs + " --tun-type ipip",
                        "Tunnel options conflict with forward method: '--tun-type ipip' with the default -g (expected -i)", 2),
                Arguments.of(rs + " -i --tun-type foo", "illegal tunnel type specified: 'foo' (expected ipip, gue or gre)",
                        2),
                // ipvsadm's table of legal command/option combinations
                Arguments.of("-A -t 192.0.2.1:80 -r 198.51.100.2",
                        "Illegal 'real-server' option with the 'add-service' command: '-r 198.51.100.2' "
                                + "('-A' takes only -t|-u -s -p -M -o --sched-flags --proxy-protocol)", 2),
                Arguments.of("-A", "You need to supply the 'service-address' option for the 'add-service' command: "
                        + "'-A' needs -t|-u host[:port]", 2),
                Arguments.of("-a -t 192.0.2.1:80", "You need to supply the 'real-server' option for the 'add-server' "
                        + "command: '-a' needs -r host[:port]", 2),
                Arguments.of("-d -t 192.0.2.1:80 -r 198.51.100.2 -w 2",
                        "Illegal 'weight' option with the 'delete-server' command: '-w 2' ('-d' takes only -t|-u -r)", 2),
                Arguments.of("-C -n", "Illegal 'numeric' option with the 'flush' command: '-n' ('-C' takes no options)", 2),
                Arguments.of("-S -c", "Illegal 'connection' option with the 'save' command: '-c' ('-S' takes only -n)", 2),
                Arguments.of("-L -s rr", "Illegal 'scheduler' option with the 'list' command: '-s rr' ('-L' takes only "
                        + "-n -c -t|-u --timeout --daemon --stats --rate --thresholds --persistent-conn --nosort "
                        + "--syncid --exact --tun-info)", 2),
                Arguments.of("-L -c -t 192.0.2.1:80", "The option 'service-address' conflicts with the 'connection' "
                        + "option in the 'list' command: '-t 192.0.2.1:80' with '-c' "
                        + "(expected at most one of -c -t|-u --timeout --daemon)", 2),
                // listing combinations ipvsadm checks itself
                Arguments.of("-L -c --stats", "options conflicts in the list command: '--stats' with '-c' "
                        + "(expected --stats, --rate and --thresholds only for a service listing)", 2),
                Arguments.of("-L --timeout --persistent-conn", "options conflicts in the list command: "
                        + "'--persistent-conn' with '--timeout' (expected --persistent-conn only with a service or -c listing)", 2),
                // --sysctl (JVS extension)
                Arguments.of("--sysctl expire_nodest=1", "unknown setting 'expire_nodest' in '--sysctl expire_nodest=1' "
                        + "(expected one of expire_nodest_conn, expire_quiescent_template)", 2),
                Arguments.of("--sysctl expire_nodest_conn=yes", "illegal value 'yes' in '--sysctl expire_nodest_conn=yes' "
                        + "(expected expire_nodest_conn=0 or expire_nodest_conn=1)", 2),
                Arguments.of("--sysctl expire_nodest_conn", "illegal value '' in '--sysctl expire_nodest_conn' "
                        + "(expected expire_nodest_conn=0 or expire_nodest_conn=1)", 2),
                Arguments.of("--sysctl expire_nodest_conn=1 -n", "unexpected argument '-n' after "
                        + "'--sysctl expire_nodest_conn=1' (expected --sysctl NAME=VALUE alone)", 2),
                // leftover words and --set
                Arguments.of("--set 1 2", "--set option requires 3 timeout values: got '1 2' "
                        + "(expected --set TCP TCPFIN UDP in seconds)", 2),
                Arguments.of("--set", "--set option requires 3 timeout values: got none "
                        + "(expected --set TCP TCPFIN UDP in seconds)", 2),
                Arguments.of("--set 1 2 x", "invalid timeout value 'x' specified (expected seconds 0..2678400)", 2),
                Arguments.of("--set 1 2 3 4", "unexpected argument '4' (expected exactly 3 values after --set)", 2),
                Arguments.of("-L extra", "unexpected argument 'extra' (expected options only; values follow their option)", 2),
                // what ipvsadm knows and JVS does not implement
                Arguments.of("-A -f 1", "option '-f' is not supported by JVS (expected -t or -u)", 2),
                Arguments.of("-A -t 192.0.2.1:80 --pe sip", "option '--pe' is not supported by JVS "
                        + "(JVS has no persistence engines)", 2));
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @MethodSource("badCommands")
    void shouldRefuseInOneLineNamingTheTokenWithIpvsadmStatus(String commandLine, String message, int exitCode) {
        CommandLineException e = assertThrows(CommandLineException.class, () -> PARSER.parse(words(commandLine)));
        assertEquals(message, e.getMessage());
        assertEquals(exitCode, e.exitCode());
    }

    @Test
    void shouldLeaveSchedulerNamesToTheDirectorWhenCheckingSyntaxOnly() throws CommandLineException {
        Command command = IpvsadmParser.syntaxOnly().parse(words("-A -t 192.0.2.1:80 -s mh"));
        assertEquals("mh", ((Command.AddService) command).spec().scheduler());
    }

    @Test
    void shouldLeaveHostAndServiceNamesToTheDirectorWhenCheckingSyntaxOnly() throws CommandLineException {
        Command command = IpvsadmParser.syntaxOnly().parse(words("-a -t vip.example:http -r rs1:www -m"));
        assertEquals(Command.AddRealServer.class, command.getClass());
    }

    static List<String> words(String commandLine) {
        return commandLine.isEmpty() ? List.of() : Arrays.asList(commandLine.split(" "));
    }
}
