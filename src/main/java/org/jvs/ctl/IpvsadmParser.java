package org.jvs.ctl;

import java.util.List;
import java.util.OptionalInt;

import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.SchedulerFlagNames;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.api.SyncDaemonSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.ctl.OptionRules.CommandKind;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelType;

/**
 * Turns an ipvsadm command line (without the program name) into a {@link Command}, accepting and refusing
 * exactly what ipvsadm 1.31 does, in the same order of checks and with the same exit codes. A refusal is one
 * line that starts as ipvsadm's message and goes on to name the offending token and what was expected.
 * The one check ipvsadm leaves to the kernel that is made here is the scheduler name.
 */
public final class IpvsadmParser {
    /** The program name used in messages, as ipvsadm uses its argv[0]. */
    public static final String PROGRAM = "jvsadm";
    /** -p without a value: libipvs's IPVS_SVC_PERSISTENT_TIMEOUT (6*60); the man page's "300" is stale. */
    public static final int DEFAULT_PERSISTENCE_TIMEOUT_S = 360;
    static final String DEFAULT_SCHEDULER = "wlc";
    /** ipvsadm's MAX_TIMEOUT: 31 days. */
    private static final int MAX_TIMEOUT_S = 86400 * 31;
    /** IP_VS_SCHEDNAME_MAXLEN - 1: ipvsadm copies at most this much of -s. */
    private static final int SCHEDULER_NAME_MAX = 15;
    private static final int EXIT_USAGE = 2;
    private static final int EXIT_REFUSED = 255;
    private static final String COMMANDS =
            "-A -E -D -C -a -e -d -P -Q -G -L -Z -S -R --set --start-daemon --stop-daemon -h -v";

    private final List<String> schedulerNames;
    private final Endpoints endpoints;
    private final NameResolver names;
    private final DpvsValues dpvsValues;
    private final boolean checkSchedulers;

    public IpvsadmParser(List<String> schedulerNames, NameResolver names) {
        this(schedulerNames, names, true);
    }

    private IpvsadmParser(List<String> schedulerNames, NameResolver names, boolean checkSchedulers) {
        this.schedulerNames = List.copyOf(schedulerNames);
        this.endpoints = new Endpoints(names);
        this.names = names;
        this.dpvsValues = new DpvsValues(names);
        this.checkSchedulers = checkSchedulers;
    }

    /**
     * jvsadm's own check before it connects: leaves scheduler, host and service names to the director, which
     * parses the line again with its own registry and tables, so that this short-lived process reads no
     * files. Its {@link #schedulerNames()} is empty.
     */
    public static IpvsadmParser syntaxOnly() {
        return new IpvsadmParser(List.of(), NameResolver.acceptingAnyName(), false);
    }

    /** Resolves names from /etc/hosts and /etc/services. */
    public IpvsadmParser(List<String> schedulerNames) {
        this(schedulerNames, HostsAndServices.system());
    }

    /** The schedulers -s accepts, in the order the help text lists them. */
    public List<String> schedulerNames() {
        return schedulerNames;
    }

    public Command parse(List<String> args) throws CommandLineException {
        if (args.isEmpty()) {
            return new Command.ListServices(null, ListFormat.PLAIN);
        }
        PoptScanner scanner = new PoptScanner(args);
        PoptScanner.Occurrence first = next(scanner);
        if (first == null) {
            // where ipvsadm only says "Try `ipvsadm -h'", the command word is missing or wrong
            throw new CommandLineException(scanner.leftovers().isEmpty() ? "no command given (expected one of "
                    + COMMANDS + ")" : "'" + scanner.leftovers().getFirst() + "' is not a command (expected one of "
                    + COMMANDS + " first)", EXIT_REFUSED);
        }
        if (first.option() == IpvsadmOption.HELP) {
            return new Command.Help();
        }
        if (first.option() == IpvsadmOption.SYSCTL) {
            return setting(first, scanner);
        }
        if (first.option() == IpvsadmOption.VERSION) {
            return new Command.Version();
        }
        CommandKind kind = switch (first.option()) {
            case ADD_SERVICE -> CommandKind.ADD;
            case EDIT_SERVICE -> CommandKind.EDIT;
            case DELETE_SERVICE -> CommandKind.DELETE;
            case CLEAR -> CommandKind.FLUSH;
            case LIST, LIST_LOWER -> CommandKind.LIST;
            case ZERO -> CommandKind.ZERO;
            case ADD_SERVER -> CommandKind.ADD_SERVER;
            case EDIT_SERVER -> CommandKind.EDIT_SERVER;
            case DELETE_SERVER -> CommandKind.DELETE_SERVER;
            case SET -> CommandKind.SET;
            case RESTORE -> CommandKind.RESTORE;
            case SAVE -> CommandKind.SAVE;
            case ADD_LADDR -> CommandKind.ADD_LADDR;
            case DEL_LADDR -> CommandKind.DELETE_LADDR;
            case GET_LADDR -> CommandKind.GET_LADDR;
            case START_DAEMON -> CommandKind.START_DAEMON;
            case STOP_DAEMON -> CommandKind.STOP_DAEMON;
            default -> throw new CommandLineException("'" + first.spelling() + "' is not a command (expected one of "
                    + COMMANDS + " first)", EXIT_REFUSED);
        };
        CommandEntry line = new CommandEntry(kind, first.spelling());
        if (kind == CommandKind.START_DAEMON || kind == CommandKind.STOP_DAEMON) {
            // ipvsadm reads the role with the command, before any option
            line.daemonRole = SyncDaemonValues.role(first);
        }
        for (PoptScanner.Occurrence occurrence = next(scanner); occurrence != null; occurrence = next(scanner)) {
            apply(line, occurrence);
        }
        if ((kind == CommandKind.ADD || kind == CommandKind.EDIT) && line.method == ForwardingMethod.FULLNAT) {
            // say what a bare -b is instead of a bare "illegal"
            throw usage("illegal '" + line.given(OptionRules.FORWARD) + "' with '" + line.command + "': a bare -b is "
                    + "--fullnat, a forwarding method for -a/-e as in DPVS (expected -b FLAGS or --sched-flags FLAGS "
                    + "for scheduler flags)");
        }
        List<String> leftovers = scanner.leftovers();
        int used = 0;
        if (kind == CommandKind.SET) {
            if (leftovers.size() < 3) {
                throw usage("--set option requires 3 timeout values: got "
                        + (leftovers.isEmpty() ? "none" : "'" + String.join(" ", leftovers) + "'")
                        + " (expected --set TCP TCPFIN UDP in seconds)");
            }
            line.timeouts = new TimeoutsSpec(timeout(leftovers.get(0), 0), timeout(leftovers.get(1), 0),
                    timeout(leftovers.get(2), 0));
            used = 3;
        }
        if (leftovers.size() > used) {
            throw usage("unexpected argument '" + leftovers.get(used) + "' (expected "
                    + (kind == CommandKind.SET ? "exactly 3 values after --set)" : "options only; values follow their option)"));
        }
        if (line.schedulerFlagsArgument != null && !line.schedulerFlagsArgument.isEmpty()) {
            try {
                line.schedulerFlags = SchedulerFlagNames.canonical(
                        line.scheduler.isEmpty() ? DEFAULT_SCHEDULER : line.scheduler, line.schedulerFlagsArgument);
            } catch (IllegalArgumentException refused) {
                throw usage(refused.getMessage());
            }
        }
        OptionRules.check(line);
        return build(line);
    }

    /** The IPVS sysctls a director takes through {@code --sysctl NAME=VALUE}. */
    static final List<String> SETTINGS = List.of("expire_nodest_conn", "expire_quiescent_template");

    private static Command setting(PoptScanner.Occurrence first, PoptScanner scanner) throws CommandLineException {
        PoptScanner.Occurrence extra = next(scanner);
        if (extra != null || !scanner.leftovers().isEmpty()) {
            String token = extra != null ? extra.spelling() : scanner.leftovers().getFirst();
            throw usage("unexpected argument '" + token + "' after '" + first.spelling() + " " + first.argument()
                    + "' (expected --sysctl NAME=VALUE alone)");
        }
        String text = first.argument();
        int equals = text.indexOf('=');
        String name = equals < 0 ? text : text.substring(0, equals);
        if (!SETTINGS.contains(name)) {
            throw usage("unknown setting '" + name + "' in '--sysctl " + text + "' (expected one of "
                    + String.join(", ", SETTINGS) + ")");
        }
        String value = equals < 0 ? "" : text.substring(equals + 1);
        if (!value.equals("0") && !value.equals("1")) {
            throw usage("illegal value '" + value + "' in '--sysctl " + text + "' (expected " + name + "=0 or "
                    + name + "=1)");
        }
        return new Command.SetSetting(name, Integer.parseInt(value));
    }

    /** The next option, null at the end; popt's errors exit with ipvsadm's 255. */
    private static PoptScanner.Occurrence next(PoptScanner scanner) throws CommandLineException {
        try {
            return scanner.next();
        } catch (PoptScanner.PoptError e) {
            throw new CommandLineException(e.getMessage(), EXIT_REFUSED);
        }
    }

    private void apply(CommandEntry line, PoptScanner.Occurrence occurrence) throws CommandLineException {
        String argument = occurrence.argument();
        switch (occurrence.option()) {
            case TCP_SERVICE, UDP_SERVICE -> {
                line.set(OptionRules.SERVICE, occurrence);
                line.protocol = occurrence.option() == IpvsadmOption.TCP_SERVICE ? Protocol.TCP : Protocol.UDP;
                Endpoints.Endpoint endpoint = endpoints.parse(argument, line.protocol, "virtual server");
                line.address = endpoint.address();
                if (endpoint.hasPort()) {
                    line.port = endpoint.port();
                }
                if (!line.address.isIpv4()) {
                    // parse_service: an IPv6 service's persistence granularity starts as /128, whatever -M came before
                    line.netmask = IpAddress.Family.IPV6.bits();
                }
            }
            case SCHEDULER -> {
                line.set(OptionRules.SCHEDULER, occurrence);
                line.scheduler = argument.length() > SCHEDULER_NAME_MAX
                        ? argument.substring(0, SCHEDULER_NAME_MAX) : argument;
            }
            case PERSISTENT -> {
                line.set(OptionRules.PERSISTENT, occurrence);
                line.persistent = true;
                line.persistenceTimeoutS = argument == null ? DEFAULT_PERSISTENCE_TIMEOUT_S : timeout(argument, 1);
            }
            case NETMASK -> {
                line.set(OptionRules.NETMASK, occurrence);
                if (!line.address.isIpv4()) {
                    line.netmask = prefixLength(occurrence);
                    return;
                }
                long mask = CNumbers.inetAton(argument);
                if (mask < 0) {
                    OptionalInt named = names.address(argument);
                    if (named.isEmpty()) {
                        throw usage("illegal virtual server persistent mask specified: '" + argument + "' (expected "
                                + occurrence.option().expectedArgument() + ")");
                    }
                    mask = named.getAsInt() & 0xFFFFFFFFL;
                }
                line.netmask = (int) mask;
            }
            case REAL_SERVER -> {
                line.set(OptionRules.SERVER, occurrence);
                Endpoints.Endpoint endpoint = endpoints.parse(argument, line.protocol, "real server");
                line.serverAddress = endpoint.address();
                // ipvsadm copies the service port as it is at this point of the command line
                line.serverPort = endpoint.hasPort() ? endpoint.port() : line.port;
            }
            case MASQUERADING -> line.forward(ForwardingMethod.MASQ, occurrence);
            case IPIP -> line.forward(ForwardingMethod.TUNNEL, occurrence);
            case GATEWAYING -> line.forward(ForwardingMethod.ROUTE, occurrence);
            case FULLNAT -> line.forward(ForwardingMethod.FULLNAT, occurrence);
            case LADDR -> {
                line.set(OptionRules.LOCAL_ADDRESS, occurrence);
                line.localAddress = dpvsValues.localAddress(argument);
            }
            case IFNAME -> {
                line.set(OptionRules.IFNAME, occurrence);
                line.interfaceName = DpvsValues.interfaceName(argument);
            }
            case PROXY_PROTOCOL -> {
                line.set(OptionRules.PROXY_PROTOCOL, occurrence);
                line.proxyProtocol = DpvsValues.proxyProtocol(argument);
            }
            case WEIGHT -> {
                line.set(OptionRules.WEIGHT, occurrence);
                line.weight = number(occurrence, 0, 65535, "illegal weight specified");
            }
            case U_THRESHOLD -> {
                line.set(OptionRules.U_THRESHOLD, occurrence);
                line.upperThreshold = number(occurrence, 0, Integer.MAX_VALUE, "illegal u_threshold specified");
            }
            case L_THRESHOLD -> {
                line.set(OptionRules.L_THRESHOLD, occurrence);
                line.lowerThreshold = number(occurrence, 0, Integer.MAX_VALUE, "illegal l_threshold specified");
            }
            case CONNECTION, NUMERIC, TIMEOUT, DAEMON, STATS, RATE, THRESHOLDS, PERSISTENT_CONN, NOSORT, EXACT,
                 TUN_INFO -> line.set(occurrence.option().column(), occurrence);
            case SORT -> {
                // sorting is the default; ipvsadm keeps --sort as a no-op
            }
            case SCHED_FLAGS -> {
                line.set(OptionRules.SCHED_FLAGS, occurrence);
                line.schedulerFlagsArgument = argument;
            }
            case TUN_TYPE -> {
                line.set(OptionRules.TUN_TYPE, occurrence);
                line.tunnelType = TunnelType.byName(argument);
                if (line.tunnelType == null) {
                    throw usage("illegal tunnel type specified: '" + argument + "' (expected "
                            + occurrence.option().expectedArgument() + ")");
                }
            }
            case TUN_PORT -> {
                line.set(OptionRules.TUN_PORT, occurrence);
                line.tunnelPort = number(occurrence, 1, 65535, "illegal tunnel port specified");
            }
            case TUN_NOCSUM, TUN_CSUM, TUN_REMCSUM -> {
                line.set(occurrence.option().column(), occurrence);
                line.tunnelChecksum = TunnelOptions.checksum(occurrence.option());
            }
            case OPS -> {
                line.set(OptionRules.ONE_PACKET, occurrence);
                line.onePacket = true;
            }
            case MCAST_INTERFACE -> {
                line.set(OptionRules.MCAST_INTERFACE, occurrence);
                line.mcastInterface = SyncDaemonValues.interfaceName(argument);
            }
            case SYNCID -> {
                line.set(OptionRules.SYNCID, occurrence);
                line.syncId = number(occurrence, 0, 255, "illegal syncid specified");
            }
            case SYNC_MAXLEN -> {
                line.set(OptionRules.SYNC_MAXLEN, occurrence);
                // the largest UDP payload in an IPv4 datagram: 65535 less the IP and UDP headers
                line.syncMaxLength = number(occurrence, 1, 65535 - 20 - 8, "illegal sync-maxlen specified");
            }
            case MCAST_GROUP -> {
                line.set(OptionRules.MCAST_GROUP, occurrence);
                line.mcastGroup = SyncDaemonValues.group(argument);
            }
            case MCAST_PORT -> {
                line.set(OptionRules.MCAST_PORT, occurrence);
                line.mcastPort = number(occurrence, 1, 65535, "illegal mcast-port specified");
            }
            case MCAST_TTL -> {
                line.set(OptionRules.MCAST_TTL, occurrence);
                line.mcastTtl = number(occurrence, 1, 255, "illegal mcast-ttl specified");
            }
            case IPV6 -> throw usage("-6 used before -f: '" + occurrence.spelling() + "' (expected -f MARK -6 for an "
                    + "IPv6 fwmark service, which JVS does not have; IPv6 services are -t|-u [ADDRESS]:PORT)");
            case SCTP_SERVICE, FWMARK_SERVICE, PE ->
                    throw unsupported(occurrence);
            // what is left are commands: ipvsadm takes one per line
            default -> throw usage("invalid option '" + occurrence.spelling() + "': a second command after '"
                    + line.command + "' (expected one command per line)");
        }
    }

    private Command build(CommandEntry line) throws CommandLineException {
        ServiceKey key = new ServiceKey(line.protocol, line.address, line.port);
        switch (line.kind) {
            case ADD, EDIT -> {
                if (line.port == 0 && !line.persistent) {
                    throw usage("Zero port specified for non-persistent service: '" + line.given(OptionRules.SERVICE)
                            + "' (expected host:port, or -p for a persistent service)");
                }
                if (line.onePacket && line.protocol != Protocol.UDP) {
                    throw usage("One-Packet Scheduling is only for UDP virtual services: '"
                            + line.given(OptionRules.ONE_PACKET) + "' with '" + line.given(OptionRules.SERVICE)
                            + "' (expected -u)");
                }
                String scheduler = line.scheduler.isEmpty() ? DEFAULT_SCHEDULER : line.scheduler;
                if (line.proxyProtocol != ServiceSpec.PROXY_PROTOCOL_NONE && line.protocol != Protocol.TCP) {
                    throw usage("PROXY protocol is only for TCP virtual services: '"
                            + line.given(OptionRules.PROXY_PROTOCOL) + "' with '" + line.given(OptionRules.SERVICE)
                            + "' (expected -t)");
                }
                ServiceSpec spec = new ServiceSpec(key, scheduler, line.schedulerFlags,
                        line.persistent ? line.persistenceTimeoutS : 0, line.netmask, line.onePacket,
                        line.proxyProtocol);
                if (checkSchedulers && !schedulerNames.contains(scheduler)) {
                    // the kernel's answer (ENOENT) to an unknown scheduler, as ipvsadm words it
                    throw new CommandLineException("-s '" + scheduler + "': Scheduler or persistence engine not "
                            + "found (known: " + String.join(" ", schedulerNames) + ")", EXIT_REFUSED);
                }
                return line.kind == CommandKind.ADD ? new Command.AddService(spec) : new Command.EditService(spec);
            }
            case DELETE -> {
                return new Command.DeleteService(key);
            }
            case FLUSH -> {
                return new Command.Clear();
            }
            case ADD_SERVER, EDIT_SERVER -> {
                // only the NATs rewrite the port: tunnel and direct routing keep the service port
                int port = line.method.translatesReplies() ? line.serverPort : line.port;
                // as core.AddressFamilies: a tunnel of either family, and JVS's NAT64 (an IPv4 -b server of an IPv6 service)
                boolean nat64 = line.method == ForwardingMethod.FULLNAT && !line.address.isIpv4()
                        && line.serverAddress.isIpv4();
                if (line.serverAddress.family() != line.address.family() && line.method != ForwardingMethod.TUNNEL
                        && !nat64) {
                    throw usage("Different address family is allowed only for tunneling servers: '"
                            + line.given(OptionRules.SERVER) + "' under '" + line.given(OptionRules.SERVICE)
                            + "' (expected an " + line.address.family() + " real server, or -i"
                            + (line.address.isIpv4() ? ")" : ", or -b for NAT64)"));
                }
                Tunnel tunnel = TunnelOptions.check(line);
                RealServerSpec server = new RealServerSpec(line.serverAddress, port, line.method, line.weight,
                        line.upperThreshold, line.lowerThreshold, tunnel);
                return line.kind == CommandKind.ADD_SERVER
                        ? new Command.AddRealServer(key, server) : new Command.EditRealServer(key, server);
            }
            case DELETE_SERVER -> {
                return new Command.DeleteRealServer(key, line.serverAddress, line.serverPort);
            }
            case LIST -> {
                OptionRules.checkListConflicts(line);
                ListFormat format = line.format();
                if (line.has(OptionRules.CONNECTION)) {
                    return new Command.ListConnections(format);
                } else if (line.has(OptionRules.SERVICE)) {
                    return new Command.ListServices(key, format);
                } else if (line.has(OptionRules.TIMEOUT)) {
                    return new Command.ListTimeouts();
                } else if (line.has(OptionRules.DAEMON)) {
                    return new Command.ListDaemons();
                }
                return new Command.ListServices(null, format);
            }
            case SET -> {
                return new Command.SetTimeouts(line.timeouts);
            }
            case START_DAEMON -> {
                String iface = line.mcastInterface.isEmpty() ? SyncDaemonValues.DEFAULT_INTERFACE : line.mcastInterface;
                return new Command.StartDaemon(new SyncDaemonSpec(line.daemonRole, iface, line.syncId,
                        line.syncMaxLength, line.mcastGroup, line.mcastPort, line.mcastTtl));
            }
            case STOP_DAEMON -> {
                // the kernel stops a daemon by its role alone; a --syncid given here is checked and unused
                return new Command.StopDaemon(line.daemonRole);
            }
            case ADD_LADDR -> {
                return new Command.AddLocalAddress(key, new LocalAddressSpec(line.localAddress, line.interfaceName));
            }
            case DELETE_LADDR -> {
                // DPVS requires -F here too; the address alone names the entry, so -F is accepted and not needed
                return new Command.DeleteLocalAddress(key, line.localAddress);
            }
            case GET_LADDR -> {
                return new Command.ListLocalAddresses(line.has(OptionRules.SERVICE) ? key : null);
            }
            case RESTORE -> {
                return new Command.Restore();
            }
            case SAVE -> {
                return new Command.Save(line.format());
            }
            case ZERO -> {
                return new Command.Zero(line.has(OptionRules.SERVICE) ? key : null);
            }
            default -> throw new IllegalStateException("unhandled command " + line.kind);
        }
    }


    /**
     * -M after an IPv6 -t|-u: atoi() of the text, 1..128 (ipvsadm reads "64abc" as 64). Before the service, -M is
     * read as an IPv4 mask, as ipvsadm reads it with the family it knows at that point.
     */
    private static int prefixLength(PoptScanner.Occurrence occurrence) throws CommandLineException {
        String text = occurrence.argument();
        int i = 0;
        while (i < text.length() && " \t\n\u000B\f\r".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = i < text.length() && text.charAt(i) == '-';
        if (i < text.length() && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            i++;
        }
        long value = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9' && value <= 128) {
            value = value * 10 + (text.charAt(i++) - '0');
        }
        if (negative || value < 1 || value > IpAddress.Family.IPV6.bits()) {
            throw usage("illegal ipv6 netmask specified: '" + text + "' (expected a prefix length 1..128 after an "
                    + "IPv6 service)");
        }
        return (int) value;
    }

    private static int timeout(String text, int min) throws CommandLineException {
        long value = CNumbers.stringToNumber(text, min, MAX_TIMEOUT_S);
        if (value < 0) {
            throw usage("invalid timeout value '" + text + "' specified (expected seconds " + min + ".." + MAX_TIMEOUT_S
                    + ")");
        }
        return (int) value;
    }

    private static int number(PoptScanner.Occurrence occurrence, int min, int max, String message)
            throws CommandLineException {
        long value = CNumbers.stringToNumber(occurrence.argument(), min, max);
        if (value < 0) {
            throw usage(message + ": '" + occurrence.argument() + "' (expected "
                    + occurrence.option().expectedArgument() + ")");
        }
        return (int) value;
    }

    static CommandLineException usage(String message) {
        return new CommandLineException(message, EXIT_USAGE);
    }

    private static CommandLineException unsupported(PoptScanner.Occurrence occurrence) {
        return usage("option '" + occurrence.spelling() + "' is not supported by JVS ("
                + occurrence.option().unsupportedReason() + ")");
    }
}
