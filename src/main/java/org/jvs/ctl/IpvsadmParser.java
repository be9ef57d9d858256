package org.jvs.ctl;

import java.util.List;
import java.util.OptionalInt;

import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.ctl.OptionRules.CommandKind;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;

/**
 * Turns an ipvsadm command line (without the program name) into a {@link Command}, accepting and refusing
 * exactly what ipvsadm 1.31 does, in the same order of checks and with the same messages and exit codes.
 * The one check ipvsadm leaves to the kernel that is made here is the scheduler name.
 */
public final class IpvsadmParser {
    /** The program name used in messages, as ipvsadm uses its argv[0]. */
    public static final String PROGRAM = "jvsadm";
    /** The schedulers JVS implements today; the daemon should pass its registry's names instead. */
    public static final List<String> JVS_SCHEDULERS = List.of("rr", "wrr", "lc", "wlc");
    /** -p without a value: libipvs's IPVS_SVC_PERSISTENT_TIMEOUT (6*60); the man page's "300" is stale. */
    public static final int DEFAULT_PERSISTENCE_TIMEOUT_S = 360;
    static final String DEFAULT_SCHEDULER = "wlc";
    /** ipvsadm's MAX_TIMEOUT: 31 days. */
    private static final int MAX_TIMEOUT_S = 86400 * 31;
    /** IP_VS_SCHEDNAME_MAXLEN - 1: ipvsadm copies at most this much of -s. */
    private static final int SCHEDULER_NAME_MAX = 15;
    private static final int EXIT_USAGE = 2;
    private static final int EXIT_REFUSED = 255;

    private final List<String> schedulerNames;
    private final NameResolver names;
    private final boolean checkSchedulers;

    public IpvsadmParser(List<String> schedulerNames, NameResolver names) {
        this(schedulerNames, names, true);
    }

    private IpvsadmParser(List<String> schedulerNames, NameResolver names, boolean checkSchedulers) {
        this.schedulerNames = List.copyOf(schedulerNames);
        this.names = names;
        this.checkSchedulers = checkSchedulers;
    }

    /**
     * A parser that leaves scheduler names to the director, for jvsadm's own check before it connects: the
     * director may know schedulers this process does not. {@code schedulerNames} only feed the help text.
     */
    public static IpvsadmParser syntaxOnly(List<String> schedulerNames) {
        return new IpvsadmParser(schedulerNames, HostsAndServices.system(), false);
    }

    /** Resolves names from /etc/hosts and /etc/services. */
    public IpvsadmParser(List<String> schedulerNames) {
        this(schedulerNames, HostsAndServices.system());
    }

    public List<String> schedulerNames() {
        return schedulerNames;
    }

    /** The line ipvsadm prints when the command word itself is missing or wrong. */
    static CommandLineException tryHelp() {
        return new CommandLineException("Try `" + PROGRAM + " -h' or '" + PROGRAM + " --help' for more information.",
                EXIT_REFUSED);
    }

    public Command parse(List<String> args) throws CommandLineException {
        if (args.isEmpty()) {
            return new Command.ListServices(null, ListFormat.PLAIN);
        }
        PoptScanner scanner = new PoptScanner(args);
        PoptScanner.Occurrence first;
        try {
            first = scanner.next();
        } catch (PoptScanner.PoptError e) {
            throw tryHelp();
        }
        if (first == null) {
            throw tryHelp();
        }
        if (first.option() == IpvsadmOption.HELP) {
            return new Command.Help();
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
            case START_DAEMON, STOP_DAEMON -> throw unsupported(first.token());
            default -> throw tryHelp();
        };
        CommandEntry line = new CommandEntry(kind);
        while (true) {
            PoptScanner.Occurrence occurrence;
            try {
                occurrence = scanner.next();
            } catch (PoptScanner.PoptError e) {
                throw new CommandLineException(e.token() + ": " + e.getMessage(), EXIT_REFUSED);
            }
            if (occurrence == null) {
                break;
            }
            apply(line, occurrence);
        }
        List<String> leftovers = scanner.leftovers();
        int used = 0;
        if (kind == CommandKind.SET) {
            if (leftovers.size() < 3) {
                throw usage("--set option requires 3 timeout values");
            }
            line.timeouts = new TimeoutsSpec(timeout(leftovers.get(0), 0), timeout(leftovers.get(1), 0),
                    timeout(leftovers.get(2), 0));
            used = 3;
        }
        if (leftovers.size() > used) {
            throw usage("unexpected argument " + leftovers.get(used));
        }
        if (line.schedulerFlagsArgument != null && !line.schedulerFlagsArgument.isEmpty()) {
            line.schedulerFlags = SchedulerFlags.canonical(
                    line.scheduler.isEmpty() ? DEFAULT_SCHEDULER : line.scheduler, line.schedulerFlagsArgument);
        }
        OptionRules.check(kind, line.options);
        return build(line);
    }

    private void apply(CommandEntry line, PoptScanner.Occurrence occurrence) throws CommandLineException {
        String argument = occurrence.argument();
        switch (occurrence.option()) {
            case TCP_SERVICE, UDP_SERVICE -> {
                line.set(OptionRules.SERVICE);
                line.protocol = occurrence.option() == IpvsadmOption.TCP_SERVICE ? Protocol.TCP : Protocol.UDP;
                Endpoint endpoint = endpoint(argument, line.protocol);
                if (endpoint == null) {
                    throw usage("illegal virtual server address[:port] specified");
                }
                line.address = endpoint.address;
                if (endpoint.hasPort) {
                    line.port = endpoint.port;
                }
            }
            case SCHEDULER -> {
                line.set(OptionRules.SCHEDULER);
                line.scheduler = argument.length() > SCHEDULER_NAME_MAX
                        ? argument.substring(0, SCHEDULER_NAME_MAX) : argument;
            }
            case PERSISTENT -> {
                line.set(OptionRules.PERSISTENT);
                line.persistent = true;
                line.persistenceTimeoutS = argument == null ? DEFAULT_PERSISTENCE_TIMEOUT_S : timeout(argument, 1);
            }
            case NETMASK -> {
                line.set(OptionRules.NETMASK);
                long mask = CNumbers.inetAton(argument);
                if (mask < 0) {
                    OptionalInt named = names.address(argument);
                    if (named.isEmpty()) {
                        throw usage("illegal virtual server persistent mask specified");
                    }
                    mask = named.getAsInt() & 0xFFFFFFFFL;
                }
                line.netmask = (int) mask;
            }
            case REAL_SERVER -> {
                line.set(OptionRules.SERVER);
                Endpoint endpoint = endpoint(argument, line.protocol);
                if (endpoint == null) {
                    throw usage("illegal real server address[:port] specified");
                }
                line.serverAddress = endpoint.address;
                // ipvsadm copies the service port as it is at this point of the command line
                line.serverPort = endpoint.hasPort ? endpoint.port : line.port;
            }
            case MASQUERADING -> line.forward(ForwardingMethod.MASQ);
            case IPIP -> line.forward(ForwardingMethod.TUNNEL);
            case GATEWAYING -> line.forward(ForwardingMethod.ROUTE);
            case WEIGHT -> {
                line.set(OptionRules.WEIGHT);
                line.weight = number(argument, 65535, "illegal weight specified");
            }
            case U_THRESHOLD -> {
                line.set(OptionRules.U_THRESHOLD);
                line.upperThreshold = number(argument, Integer.MAX_VALUE, "illegal u_threshold specified");
            }
            case L_THRESHOLD -> {
                line.set(OptionRules.L_THRESHOLD);
                line.lowerThreshold = number(argument, Integer.MAX_VALUE, "illegal l_threshold specified");
            }
            case CONNECTION -> line.set(OptionRules.CONNECTION);
            case NUMERIC -> line.set(OptionRules.NUMERIC);
            case TIMEOUT -> line.set(OptionRules.TIMEOUT);
            case DAEMON -> line.set(OptionRules.DAEMON);
            case STATS -> line.set(OptionRules.STATS);
            case RATE -> line.set(OptionRules.RATE);
            case THRESHOLDS -> line.set(OptionRules.THRESHOLDS);
            case PERSISTENT_CONN -> line.set(OptionRules.PERSISTENT_CONN);
            case NOSORT -> line.set(OptionRules.NOSORT);
            case SORT -> {
                // sorting is the default; ipvsadm keeps --sort as a no-op
            }
            case EXACT -> line.set(OptionRules.EXACT);
            case SCHED_FLAGS -> {
                line.set(OptionRules.SCHED_FLAGS);
                line.schedulerFlagsArgument = argument;
            }
            case TUN_INFO -> line.set(OptionRules.TUN_INFO);
            case TUN_TYPE -> {
                line.set(OptionRules.TUN_TYPE);
                switch (argument) {
                    case "ipip" -> line.tunnelTypeGiven = true;
                    case "gue", "gre" -> throw new CommandLineException(
                            "tunnel type `" + argument + "' is not supported by JVS (only ipip)", EXIT_USAGE);
                    default -> throw usage("illegal tunnel type specified");
                }
            }
            case SCTP_SERVICE, FWMARK_SERVICE, IPV6, OPS, PE, MCAST_INTERFACE, SYNCID, MCAST_GROUP, MCAST_PORT,
                 MCAST_TTL, SYNC_MAXLEN, TUN_PORT, TUN_NOCSUM, TUN_CSUM, TUN_REMCSUM -> throw unsupported(occurrence.token());
            default -> throw usage("invalid option `" + occurrence.token() + "'");
        }
    }

    private Command build(CommandEntry line) throws CommandLineException {
        ServiceKey key = new ServiceKey(line.protocol, line.address, line.port);
        switch (line.kind) {
            case ADD, EDIT -> {
                if (line.port == 0 && !line.persistent) {
                    throw usage("Zero port specified for non-persistent service");
                }
                String scheduler = line.scheduler.isEmpty() ? DEFAULT_SCHEDULER : line.scheduler;
                ServiceSpec spec = new ServiceSpec(key, scheduler, line.schedulerFlags,
                        line.persistent ? line.persistenceTimeoutS : 0, line.netmask);
                if (checkSchedulers && !schedulerNames.contains(scheduler)) {
                    // the kernel's answer (ENOENT) to an unknown scheduler, as ipvsadm words it
                    throw new CommandLineException("Scheduler or persistence engine not found", EXIT_REFUSED);
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
                // IPVS only rewrites the port for masquerading: tunnel and direct routing keep the service port
                int port = line.method == ForwardingMethod.MASQ ? line.serverPort : line.port;
                if (line.tunnelTypeGiven && line.method != ForwardingMethod.TUNNEL) {
                    throw usage("Tunnel options conflict with forward method");
                }
                RealServerSpec server = new RealServerSpec(line.serverAddress, port, line.method, line.weight,
                        line.upperThreshold, line.lowerThreshold);
                return line.kind == CommandKind.ADD_SERVER
                        ? new Command.AddRealServer(key, server) : new Command.EditRealServer(key, server);
            }
            case DELETE_SERVER -> {
                return new Command.DeleteRealServer(key, line.serverAddress, line.serverPort);
            }
            case LIST -> {
                boolean connectionsOrTimeouts = line.has(OptionRules.CONNECTION) || line.has(OptionRules.TIMEOUT)
                        || line.has(OptionRules.DAEMON);
                boolean counters = line.has(OptionRules.STATS) || line.has(OptionRules.RATE)
                        || line.has(OptionRules.THRESHOLDS);
                boolean timeoutsOrDaemon = line.has(OptionRules.TIMEOUT) || line.has(OptionRules.DAEMON);
                if ((connectionsOrTimeouts && counters) || (timeoutsOrDaemon && line.has(OptionRules.PERSISTENT_CONN))) {
                    throw usage("options conflicts in the list command");
                }
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

    private record Endpoint(int address, int port, boolean hasPort) {
    }

    /** ipvsadm's parse_service() for IPv4: host[:port], names from the local tables; null when malformed. */
    private Endpoint endpoint(String text, int protocol) throws CommandLineException {
        if (CNumbers.allDigits(text)) {
            return null;
        }
        if (text.startsWith("[") || text.indexOf(':') != text.lastIndexOf(':')) {
            throw new CommandLineException("IPv6 address `" + text + "' is not supported by JVS", EXIT_USAGE);
        }
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? text : text.substring(0, colon);
        long address = CNumbers.inetAton(host);
        if (address < 0) {
            OptionalInt named = names.address(host);
            if (named.isEmpty()) {
                return null;
            }
            address = named.getAsInt() & 0xFFFFFFFFL;
        }
        if (colon < 0) {
            return new Endpoint((int) address, 0, false);
        }
        String portText = text.substring(colon + 1);
        long port = CNumbers.stringToNumber(portText, 0, 65535);
        if (port < 0) {
            OptionalInt named = names.port(portText, protocol);
            if (named.isEmpty()) {
                return null;
            }
            port = named.getAsInt();
        }
        return new Endpoint((int) address, (int) port, true);
    }

    private static int timeout(String text, int min) throws CommandLineException {
        long value = CNumbers.stringToNumber(text, min, MAX_TIMEOUT_S);
        if (value < 0) {
            throw usage("invalid timeout value `" + text + "' specified");
        }
        return (int) value;
    }

    private static int number(String text, int max, String message) throws CommandLineException {
        long value = CNumbers.stringToNumber(text, 0, max);
        if (value < 0) {
            throw usage(message);
        }
        return (int) value;
    }

    static CommandLineException usage(String message) {
        return new CommandLineException(message, EXIT_USAGE);
    }

    private static CommandLineException unsupported(String token) {
        return new CommandLineException("option `" + token + "' is not supported by JVS", EXIT_USAGE);
    }
}
