package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.jvs.api.IpAddress;
import org.jvs.api.SyncDaemonSpec;
import org.jvs.api.SyncDaemonSpec.Role;
import org.jvs.sched.SchedulerRegistry;

/** ipvsadm 1.31's --start-daemon, --stop-daemon and -L --daemon: what it accepts, refuses and prints. */
class SyncDaemonCommandsTest {
    private static final IpvsadmParser PARSER = new IpvsadmParser(SchedulerRegistry.names(), IpvsadmParserTest.NAMES);
    private static final String START_OPTIONS =
            "--mcast-interface --syncid --mcast-group --mcast-port --mcast-ttl --sync-maxlen";

    private final FakeSyncDaemons daemons = new FakeSyncDaemons("eth0", "eth1", "eth2");
    private final CommandRunner runner = new CommandRunner(new FakeDirector(), daemons, PARSER,
            new IpvsadmFormatter(IpvsadmParserTest.NAMES));

    private static SyncDaemonSpec daemon(Role role, String iface, int syncId, int maxLength, String group, int port,
                                         int ttl) {
        return new SyncDaemonSpec(role, iface, syncId, maxLength, IpAddress.parse(group), port, ttl);
    }

    static Stream<Arguments> goodCommands() {
        return Stream.of(
                // ipvsadm's defaults: eth0, syncid 0 (its help's "255" is not what it sends), the kernel's group
                Arguments.of("--start-daemon master", new Command.StartDaemon(SyncDaemonSpec.of(Role.MASTER, "eth0", 0))),
                Arguments.of("--start-daemon backup --mcast-interface eth1 --syncid 7",
                        new Command.StartDaemon(SyncDaemonSpec.of(Role.BACKUP, "eth1", 7))),
                Arguments.of("--start-daemon=master --mcast-interface=eth1 --syncid=255 --sync-maxlen 1400 "
                                + "--mcast-group 239.255.0.1 --mcast-port 8849 --mcast-ttl 2",
                        new Command.StartDaemon(daemon(Role.MASTER, "eth1", 255, 1400, "239.255.0.1", 8849, 2))),
                Arguments.of("--start-daemon master --sync-maxlen 65507 --mcast-group 224.0.0.0 --mcast-port 65535 "
                                + "--mcast-ttl 255 --syncid 0",
                        new Command.StartDaemon(daemon(Role.MASTER, "eth0", 0, 65507, "224.0.0.0", 65535, 255))),
                // an IPv6 group: the daemon syncs over IPv6 (the kernel's mcast_af AF_INET6)
                Arguments.of("--start-daemon master --mcast-group ff02::8848 --mcast-port 9000",
                        new Command.StartDaemon(daemon(Role.MASTER, "eth0", 0, 0, "ff02::8848", 9000, 1))),
                Arguments.of("--start-daemon backup --mcast-group 239.255.255.255 --sync-maxlen 1 --mcast-ttl 1",
                        new Command.StartDaemon(daemon(Role.BACKUP, "eth0", 0, 1, "239.255.255.255", 8848, 1))),
                // ipvsadm copies an empty name, then puts eth0 in; a long one is cut to IFNAMSIZ - 1
                Arguments.of("--start-daemon master --mcast-interface=",
                        new Command.StartDaemon(SyncDaemonSpec.of(Role.MASTER, "eth0", 0))),
                Arguments.of("--start-daemon master --mcast-interface a-very-long-interface",
                        new Command.StartDaemon(SyncDaemonSpec.of(Role.MASTER, "a-very-long-int", 0))),
                Arguments.of("--start-daemon master --syncid +9", new Command.StartDaemon(SyncDaemonSpec.of(Role.MASTER, "eth0", 9))),
                Arguments.of("--stop-daemon master", new Command.StopDaemon(Role.MASTER)),
                Arguments.of("--stop-daemon=backup --syncid 9", new Command.StopDaemon(Role.BACKUP)),
                Arguments.of("-L --daemon", new Command.ListDaemons()),
                Arguments.of("-l --daemon", new Command.ListDaemons()),
                Arguments.of("--list -n --daemon", new Command.ListDaemons()),
                // ipvsadm's table lets -L take --syncid, which then changes nothing
                Arguments.of("-L --syncid 3", new Command.ListServices(null, ListFormat.PLAIN)));
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @MethodSource("goodCommands")
    void shouldParseWhatIpvsadmAccepts(String commandLine, Command expected) throws CommandLineException {
        assertEquals(expected, PARSER.parse(IpvsadmParserTest.words(commandLine)));
    }

    static Stream<Arguments> badCommands() {
        String start = "--start-daemon master";
        return Stream.of(
                // the role, read with the command before any option; case matters as in ipvsadm's strcmp
                Arguments.of("--start-daemon Master", "illegal start-daemon parameter specified: 'Master' "
                        + "(expected --start-daemon master or --start-daemon backup)", 2),
                Arguments.of("--start-daemon both --syncid 999", "illegal start-daemon parameter specified: 'both' "
                        + "(expected --start-daemon master or --start-daemon backup)", 2),
                Arguments.of("--stop-daemon slave", "illegal start_daemon specified: 'slave' "
                        + "(expected --stop-daemon master or --stop-daemon backup)", 2),
                Arguments.of("--start-daemon", "missing argument for '--start-daemon' (expected master or backup)", 255),
                Arguments.of("--stop-daemon", "missing argument for '--stop-daemon' (expected master or backup)", 255),
                // values
                Arguments.of(start + " --syncid 256", "illegal syncid specified: '256' (expected an integer 0..255)", 2),
                Arguments.of(start + " --syncid -1", "illegal syncid specified: '-1' (expected an integer 0..255)", 2),
                Arguments.of("--stop-daemon backup --syncid x", "illegal syncid specified: 'x' (expected an integer 0..255)", 2),
                Arguments.of(start + " --sync-maxlen 0",
                        "illegal sync-maxlen specified: '0' (expected an integer 1..65507)", 2),
                Arguments.of(start + " --sync-maxlen 65508",
                        "illegal sync-maxlen specified: '65508' (expected an integer 1..65507)", 2),
                Arguments.of(start + " --mcast-port 0", "illegal mcast-port specified: '0' (expected a port 1..65535)", 2),
                Arguments.of(start + " --mcast-port 65536",
                        "illegal mcast-port specified: '65536' (expected a port 1..65535)", 2),
                Arguments.of(start + " --mcast-ttl 0", "illegal mcast-ttl specified: '0' (expected an integer 1..255)", 2),
                Arguments.of(start + " --mcast-ttl 256", "illegal mcast-ttl specified: '256' (expected an integer 1..255)", 2),
                Arguments.of(start + " --mcast-group 192.0.2.1", "invalid IPv4 mcast-group `192.0.2.1' (expected an "
                        + "IPv4 multicast address such as 224.0.0.81, 224.0.0.0 to 239.255.255.255)", 2),
                Arguments.of(start + " --mcast-group 240.0.0.1", "invalid IPv4 mcast-group `240.0.0.1' (expected an "
                        + "IPv4 multicast address such as 224.0.0.81, 224.0.0.0 to 239.255.255.255)", 2),
                Arguments.of(start + " --mcast-group 239.1.1.01", "invalid IPv4 mcast-group `239.1.1.01' (expected an "
                        + "IPv4 multicast address such as 224.0.0.81, 224.0.0.0 to 239.255.255.255)", 2),
                Arguments.of(start + " --mcast-group 239.1", "invalid IPv4 mcast-group `239.1' (expected an "
                        + "IPv4 multicast address such as 224.0.0.81, 224.0.0.0 to 239.255.255.255)", 2),
                Arguments.of(start + " --mcast-group www", "invalid IPv4 mcast-group `www' (expected an "
                        + "IPv4 multicast address such as 224.0.0.81, 224.0.0.0 to 239.255.255.255)", 2),
                Arguments.of(start + " --mcast-group 2001:db8::1", "invalid IPv6 mcast-group `2001:db8::1' (expected an "
                        + "IPv6 multicast address, ff00::/8, such as ff02::81)", 2),
                Arguments.of(start + " --mcast-group ff02::1%eth0", "invalid IPv6 mcast-group `ff02::1%eth0' (expected "
                        + "an IPv6 multicast address, ff00::/8, such as ff02::81)", 2),
                Arguments.of(start + " --syncid 1 --syncid 2",
                        "multiple 'syncid' options specified: '--syncid 2' after '--syncid 1' (expected it once)", 2),
                // ipvsadm's table of legal command/option combinations
                Arguments.of("--stop-daemon master --mcast-interface eth0", "Illegal 'mcast-interface' option with the "
                        + "'stop-daemon' command: '--mcast-interface eth0' ('--stop-daemon' takes only --syncid)", 2),
                Arguments.of("--stop-daemon master --mcast-ttl 2", "Illegal 'mcast-ttl' option with the "
                        + "'stop-daemon' command: '--mcast-ttl 2' ('--stop-daemon' takes only --syncid)", 2),
                Arguments.of(start + " -n", "Illegal 'numeric' option with the 'start-daemon' command: '-n' "
                        + "('--start-daemon' takes only " + START_OPTIONS + ")", 2),
                Arguments.of(start + " -t 192.0.2.1:80", "Illegal 'service-address' option with the 'start-daemon' "
                        + "command: '-t 192.0.2.1:80' ('--start-daemon' takes only " + START_OPTIONS + ")", 2),
                Arguments.of("-A -t 192.0.2.1:80 --syncid 1", "Illegal 'syncid' option with the 'add-service' command: "
                        + "'--syncid 1' ('-A' takes only -t|-u -s -p -M -o --sched-flags --proxy-protocol)", 2),
                Arguments.of("-L --mcast-interface eth0", "Illegal 'mcast-interface' option with the 'list' command: "
                        + "'--mcast-interface eth0' ('-L' takes only -n -c -t|-u --timeout --daemon --stats --rate "
                        + "--thresholds --persistent-conn --nosort --syncid --exact --tun-info)", 2),
                Arguments.of(start + " --stop-daemon backup", "invalid option '--stop-daemon': a second command after "
                        + "'--start-daemon' (expected one command per line)", 2),
                Arguments.of(start + " eth0", "unexpected argument 'eth0' (expected options only; values follow their "
                        + "option)", 2),
                // -L --daemon with what ipvsadm lists only otherwise
                Arguments.of("-L --daemon -c", "The option 'daemon' conflicts with the 'connection' option in the "
                        + "'list' command: '--daemon' with '-c' (expected at most one of -c -t|-u --timeout --daemon)", 2),
                Arguments.of("-L --daemon --stats", "options conflicts in the list command: '--stats' with '--daemon' "
                        + "(expected --stats, --rate and --thresholds only for a service listing)", 2),
                Arguments.of("-L --daemon --persistent-conn", "options conflicts in the list command: "
                        + "'--persistent-conn' with '--daemon' (expected --persistent-conn only with a service or -c "
                        + "listing)", 2));
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @MethodSource("badCommands")
    void shouldRefuseInOneLineNamingTheTokenWithIpvsadmStatus(String commandLine, String message, int exitCode) {
        CommandLineException e = assertThrows(CommandLineException.class,
                () -> PARSER.parse(IpvsadmParserTest.words(commandLine)));
        assertEquals(message, e.getMessage());
        assertEquals(exitCode, e.exitCode());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "master | -L --daemon",
        "backup | -l --daemon",
        "both   | -L -n --daemon",
    })
    void shouldListDaemonsByteForByteAsIpvsadm(String running, String listing) throws IOException {
        if (!running.equals("backup")) {
            run("--start-daemon master --mcast-interface eth1 --syncid 7 --sync-maxlen 1472");
        }
        if (!running.equals("master")) {
            run("--start-daemon backup --mcast-interface eth2 --mcast-group 239.1.2.3 --mcast-port 9000 --mcast-ttl 4");
        }
        assertEquals(new Reply(0, IpvsadmFormatterTest.golden("daemon-" + running + ".txt"), ""), run(listing));
    }

    @Test
    void shouldListAnIpv6GroupAsInetNtopPrintsIt() {
        run("--start-daemon backup --mcast-interface eth2 --mcast-group FF02:0:0::8848 --mcast-port 9000");
        assertEquals(new Reply(0, "backup sync daemon (mcast=eth2, syncid=0, group=ff02::8848, port=9000, ttl=1)\n",
                ""), run("-L --daemon"));
    }

    @Test
    void shouldListNothingWhenNoDaemonRuns() {
        assertEquals(new Reply(0, "", ""), run("-L --daemon"));
    }

    @Test
    void shouldStopADaemonByItsRoleAlone() {
        run("--start-daemon master --mcast-interface eth1");
        run("--start-daemon backup --mcast-interface eth2");
        assertEquals(new Reply(0, "", ""), run("--stop-daemon master --syncid 200"));
        assertEquals(new Reply(0, "backup sync daemon (mcast=eth2, syncid=0, group=224.0.0.81, port=8848, ttl=1)\n",
                ""), run("-L --daemon"));
    }

    @Test
    void shouldRefuseWhatTheKernelRefusesWithLibipvsMessagesAndStatus255() {
        assertEquals(Reply.error(255, "No such device"), run("--start-daemon master --mcast-interface eth9"));
        assertEquals(Reply.error(255, "No daemon is running"), run("--stop-daemon master"));
        assertEquals(new Reply(0, "", ""), run("--start-daemon master"));
        assertEquals(Reply.error(255, "Daemon has already run"), run("--start-daemon master --mcast-interface eth1"));
    }

    @Test
    void shouldFailTheListingWithStatus1AsIpvsadm() {
        daemons.listingFailure = "Memory allocation problem";
        assertEquals(Reply.error(1, "Memory allocation problem"), run("-L --daemon"));
    }

    @Test
    void shouldRefuseStartAndStopAndListNothingWithoutConnectionSync() {
        CommandRunner withoutSync = new CommandRunner(new FakeDirector(), PARSER,
                new IpvsadmFormatter(IpvsadmParserTest.NAMES));
        assertEquals(Reply.error(255, "'--start-daemon backup' refused: this director runs without connection "
                + "sync (expected a director started with a sync daemon)"),
                withoutSync.run(IpvsadmParserTest.words("--start-daemon backup --syncid 3"), null));
        assertEquals(Reply.error(255, "'--stop-daemon master' refused: this director runs without connection "
                + "sync (expected a director started with a sync daemon)"),
                withoutSync.run(IpvsadmParserTest.words("--stop-daemon master"), null));
        assertEquals(new Reply(0, "", ""), withoutSync.run(IpvsadmParserTest.words("-L --daemon"), null));
        assertEquals(runner.run(IpvsadmParserTest.words("--start-daemon master"), null),
                withoutSync.withSyncDaemons(daemons).run(IpvsadmParserTest.words("--start-daemon backup"), null));
    }

    @Test
    void shouldKeepDaemonCommandsOutOfARestoreScript() {
        assertEquals(Reply.error(2, "stdin:1: only -A -E -D -C -a -e -d -P -Q -Z and --set belong in a restore "
                + "script, not `--start-daemon master'"), runner.run(IpvsadmParserTest.words("-R"), "--start-daemon master\n"));
        assertEquals(new Reply(0, "", ""), run("-L --daemon"));
    }

    private Reply run(String commandLine) {
        return runner.run(IpvsadmParserTest.words(commandLine), null);
    }
}
