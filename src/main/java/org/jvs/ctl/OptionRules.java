package org.jvs.ctl;

/**
 * ipvsadm's table of legal command/option combinations (commands_v_options) and the messages it prints
 * when a command line breaks it. '+' compulsory, 'x' illegal, '1' at most one of them, ' ' optional.
 */
final class OptionRules {
    static final int NUMERIC = 0;
    static final int CONNECTION = 1;
    static final int SERVICE = 2;
    static final int SCHEDULER = 3;
    static final int PERSISTENT = 4;
    static final int NETMASK = 5;
    static final int SERVER = 6;
    static final int FORWARD = 7;
    static final int WEIGHT = 8;
    static final int U_THRESHOLD = 9;
    static final int L_THRESHOLD = 10;
    static final int MCAST_INTERFACE = 11;
    static final int TIMEOUT = 12;
    static final int DAEMON = 13;
    static final int STATS = 14;
    static final int RATE = 15;
    static final int THRESHOLDS = 16;
    static final int PERSISTENT_CONN = 17;
    static final int NOSORT = 18;
    static final int SYNCID = 19;
    static final int EXACT = 20;
    static final int ONE_PACKET = 21;
    static final int SCHED_FLAGS = 23;
    static final int MCAST_GROUP = 24;
    static final int MCAST_PORT = 25;
    static final int MCAST_TTL = 26;
    static final int SYNC_MAXLEN = 27;
    static final int TUN_INFO = 28;
    static final int TUN_TYPE = 29;
    static final int TUN_PORT = 30;
    static final int TUN_NOCSUM = 31;
    static final int TUN_CSUM = 32;
    static final int TUN_REMCSUM = 33;
    static final int LOCAL_ADDRESS = 34;
    static final int IFNAME = 35;
    static final int PROXY_PROTOCOL = 36;

    private static final String[] OPTION_NAMES = {
        "numeric", "connection", "service-address", "scheduler", "persistent", "netmask", "real-server",
        "forwarding-method", "weight", "u-threshold", "l-threshold", "mcast-interface", "timeout", "daemon",
        "stats", "rate", "thresholds", "persistent-conn", "nosort", "syncid", "exact", "ops", "pe",
        "sched-flags", "mcast-group", "mcast-port", "mcast-ttl", "sync-maxlen", "tun-info", "tun-type",
        "tun-port", "tun-nocsum", "tun-csum", "tun-remcsum", "local-address", "ifname", "proxy-protocol",
    };

    /** How each column is typed, for saying what a command accepts; null for options JVS does not implement. */
    private static final String[] SPELLINGS = {
        "-n", "-c", "-t|-u", "-s", "-p", "-M", "-r", "-g|-i|-m|-b", "-w", "-x", "-y", "--mcast-interface",
        "--timeout", "--daemon", "--stats", "--rate", "--thresholds", "--persistent-conn", "--nosort", "--syncid",
        "--exact", "-o", null, "--sched-flags", "--mcast-group", "--mcast-port", "--mcast-ttl", "--sync-maxlen",
        "--tun-info", "--tun-type", "--tun-port", "--tun-nocsum", "--tun-csum", "--tun-remcsum", "-z", "-F", "--proxy-protocol",
    };

    static final int COLUMNS = OPTION_NAMES.length;

    /** The commands in ipvsadm's CMD_* order, with their names and rows. */
    enum CommandKind {
        ADD("add-service", "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxxxx "),
        EDIT("edit-service", "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxxxx "),
        DELETE("delete-service", "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        FLUSH("flush", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        LIST("list", " 11xxxxxxxxx11       xxxxxxx xxxxxxxx"),
        ADD_SERVER("add-server", "xx+xxx+    xxxxxxxxxxxxxxxxxx     xxx"),
        DELETE_SERVER("delete-server", "xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        EDIT_SERVER("edit-server", "xx+xxx+    xxxxxxxxxxxxxxxxxx     xxx"),
        SET("set", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        START_DAEMON("start-daemon", "xxxxxxxxxxx xxxxxxx xxxx    xxxxxxxxx"),
        STOP_DAEMON("stop-daemon", "xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxx"),
        RESTORE("restore", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        SAVE("save", " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        ZERO("zero", "xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        // DPVS's rows, except that -F is optional: without it the local address is used on any interface
        ADD_LADDR("add-laddr", "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx+ x"),
        DELETE_LADDR("del-laddr", "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx+ x"),
        GET_LADDR("get-laddr", "xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

        private final String ipvsadmName;
        private final String row;

        CommandKind(String ipvsadmName, String row) {
            this.ipvsadmName = ipvsadmName;
            this.row = row;
        }
    }

    private OptionRules() {
    }

    static String optionName(int column) {
        return OPTION_NAMES[column];
    }

    /**
     * ipvsadm's generic_opt_check(): the first column in table order that breaks the rules decides. Its message
     * is followed by the tokens at fault and what the command accepts.
     */
    static void check(CommandEntry line) throws CommandLineException {
        CommandKind command = line.kind;
        int count = 0;
        int last = 0;
        for (int column = 0; column < OPTION_NAMES.length; column++) {
            char rule = command.row.charAt(column);
            if (!line.has(column)) {
                if (rule == '+') {
                    String argument = column == SERVICE || column == SERVER ? " host[:port]"
                            : column == LOCAL_ADDRESS ? " LIP" : "";
                    throw new CommandLineException("You need to supply the '" + OPTION_NAMES[column]
                            + "' option for the '" + command.ipvsadmName + "' command: '" + line.command + "' needs "
                            + SPELLINGS[column] + argument, 2);
                }
            } else if (rule == 'x') {
                String accepted = accepted(command, "+1 ");
                throw new CommandLineException("Illegal '" + OPTION_NAMES[column] + "' option with the '"
                        + command.ipvsadmName + "' command: '" + line.given(column) + "' ('" + line.command
                        + (accepted.isEmpty() ? "' takes no options)" : "' takes only " + accepted + ")"), 2);
            } else if (rule == '1') {
                count++;
                if (count == 1) {
                    last = column;
                } else {
                    throw new CommandLineException("The option '" + OPTION_NAMES[column]
                            + "' conflicts with the '" + OPTION_NAMES[last] + "' option in the '"
                            + command.ipvsadmName + "' command: '" + line.given(column) + "' with '"
                            + line.given(last) + "' (expected at most one of " + accepted(command, "1") + ")", 2);
                }
            }
        }
    }

    /**
     * ipvsadm's check that -c, --timeout and --daemon list something without counters, and that --timeout and
     * --daemon show no persistent connections.
     */
    static void checkListConflicts(CommandEntry line) throws CommandLineException {
        String table = firstGiven(line, OptionRules.CONNECTION, OptionRules.TIMEOUT, OptionRules.DAEMON);
        String counters = firstGiven(line, OptionRules.STATS, OptionRules.RATE, OptionRules.THRESHOLDS);
        String timeoutsOrDaemon = firstGiven(line, OptionRules.TIMEOUT, OptionRules.DAEMON);
        if (table != null && counters != null) {
            throw IpvsadmParser.usage("options conflicts in the list command: '" + counters + "' with '" + table
                    + "' (expected --stats, --rate and --thresholds only for a service listing)");
        }
        if (timeoutsOrDaemon != null && line.has(OptionRules.PERSISTENT_CONN)) {
            throw IpvsadmParser.usage("options conflicts in the list command: '" + line.given(OptionRules.PERSISTENT_CONN)
                    + "' with '" + timeoutsOrDaemon + "' (expected --persistent-conn only with a service or -c listing)");
        }
    }

    private static String firstGiven(CommandEntry line, int... columns) {
        for (int column : columns) {
            if (line.has(column)) {
                return line.given(column);
            }
        }
        return null;
    }

    /** The implemented options whose rule for {@code command} is one of {@code rules}, as typed. */
    private static String accepted(CommandKind command, String rules) {
        StringBuilder text = new StringBuilder();
        for (int column = 0; column < SPELLINGS.length; column++) {
            if (SPELLINGS[column] != null && rules.indexOf(command.row.charAt(column)) >= 0) {
                text.append(text.isEmpty() ? "" : " ").append(SPELLINGS[column]);
            }
        }
        return text.toString();
    }
}
