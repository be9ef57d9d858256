package org.jvs.ctl;

/**
 * ipvsadm's popt option table: every long and short spelling it accepts, whether it takes an argument, and
 * the column it occupies in the table of legal command/option combinations ({@link OptionRules}).
 * Options JVS does not implement (fwmark, SCTP, persistence engines) are still listed so that
 * they are refused by name instead of as unknown.
 */
enum IpvsadmOption {
    ADD_SERVICE("add-service", 'A', Argument.NONE, -1),
    EDIT_SERVICE("edit-service", 'E', Argument.NONE, -1),
    DELETE_SERVICE("delete-service", 'D', Argument.NONE, -1),
    CLEAR("clear", 'C', Argument.NONE, -1),
    LIST("list", 'L', Argument.NONE, -1),
    LIST_LOWER("list", 'l', Argument.NONE, -1),
    ZERO("zero", 'Z', Argument.NONE, -1),
    ADD_SERVER("add-server", 'a', Argument.NONE, -1),
    EDIT_SERVER("edit-server", 'e', Argument.NONE, -1),
    DELETE_SERVER("delete-server", 'd', Argument.NONE, -1),
    SET("set", '\0', Argument.NONE, -1),
    /** JVS extension: IPVS's /proc/sys/net/ipv4/vs switches, as NAME=VALUE. */
    SYSCTL("sysctl", '\0', Argument.REQUIRED, -1),
    HELP("help", 'h', Argument.NONE, -1),
    VERSION("version", 'v', Argument.NONE, -1),
    RESTORE("restore", 'R', Argument.NONE, -1),
    SAVE("save", 'S', Argument.NONE, -1),
    /** DPVS's local-address commands for full NAT. */
    ADD_LADDR("add-laddr", 'P', Argument.NONE, -1),
    DEL_LADDR("del-laddr", 'Q', Argument.NONE, -1),
    GET_LADDR("get-laddr", 'G', Argument.NONE, -1),
    START_DAEMON("start-daemon", '\0', Argument.REQUIRED, -1),
    STOP_DAEMON("stop-daemon", '\0', Argument.REQUIRED, -1),
    TCP_SERVICE("tcp-service", 't', Argument.REQUIRED, OptionRules.SERVICE),
    UDP_SERVICE("udp-service", 'u', Argument.REQUIRED, OptionRules.SERVICE),
    SCTP_SERVICE("sctp-service", '\0', Argument.REQUIRED, OptionRules.SERVICE),
    FWMARK_SERVICE("fwmark-service", 'f', Argument.REQUIRED, OptionRules.SERVICE),
    SCHEDULER("scheduler", 's', Argument.REQUIRED, OptionRules.SCHEDULER),
    PERSISTENT("persistent", 'p', Argument.OPTIONAL, OptionRules.PERSISTENT),
    NETMASK("netmask", 'M', Argument.REQUIRED, OptionRules.NETMASK),
    REAL_SERVER("real-server", 'r', Argument.REQUIRED, OptionRules.SERVER),
    MASQUERADING("masquerading", 'm', Argument.NONE, OptionRules.FORWARD),
    IPIP("ipip", 'i', Argument.NONE, OptionRules.FORWARD),
    GATEWAYING("gatewaying", 'g', Argument.NONE, OptionRules.FORWARD),
    /** DPVS's spelling: -b is full NAT there, so scheduler flags keep only their long name. */
    FULLNAT("fullnat", 'b', Argument.NONE, OptionRules.FORWARD),
    WEIGHT("weight", 'w', Argument.REQUIRED, OptionRules.WEIGHT),
    U_THRESHOLD("u-threshold", 'x', Argument.REQUIRED, OptionRules.U_THRESHOLD),
    L_THRESHOLD("l-threshold", 'y', Argument.REQUIRED, OptionRules.L_THRESHOLD),
    NUMERIC("numeric", 'n', Argument.NONE, OptionRules.NUMERIC),
    CONNECTION("connection", 'c', Argument.NONE, OptionRules.CONNECTION),
    MCAST_INTERFACE("mcast-interface", '\0', Argument.REQUIRED, OptionRules.MCAST_INTERFACE),
    SYNCID("syncid", '\0', Argument.REQUIRED, OptionRules.SYNCID),
    TIMEOUT("timeout", '\0', Argument.NONE, OptionRules.TIMEOUT),
    DAEMON("daemon", '\0', Argument.NONE, OptionRules.DAEMON),
    STATS("stats", '\0', Argument.NONE, OptionRules.STATS),
    RATE("rate", '\0', Argument.NONE, OptionRules.RATE),
    THRESHOLDS("thresholds", '\0', Argument.NONE, OptionRules.THRESHOLDS),
    PERSISTENT_CONN("persistent-conn", '\0', Argument.NONE, OptionRules.PERSISTENT_CONN),
    NOSORT("nosort", '\0', Argument.NONE, OptionRules.NOSORT),
    SORT("sort", '\0', Argument.NONE, -1),
    EXACT("exact", 'X', Argument.NONE, OptionRules.EXACT),
    IPV6("ipv6", '6', Argument.NONE, -1),
    OPS("ops", 'o', Argument.NONE, OptionRules.ONE_PACKET),
    PE("pe", '\0', Argument.REQUIRED, 22),
    SCHED_FLAGS("sched-flags", '\0', Argument.REQUIRED, OptionRules.SCHED_FLAGS),
    MCAST_GROUP("mcast-group", '\0', Argument.REQUIRED, OptionRules.MCAST_GROUP),
    MCAST_PORT("mcast-port", '\0', Argument.REQUIRED, OptionRules.MCAST_PORT),
    MCAST_TTL("mcast-ttl", '\0', Argument.REQUIRED, OptionRules.MCAST_TTL),
    SYNC_MAXLEN("sync-maxlen", '\0', Argument.REQUIRED, OptionRules.SYNC_MAXLEN),
    TUN_INFO("tun-info", '\0', Argument.NONE, OptionRules.TUN_INFO),
    TUN_TYPE("tun-type", '\0', Argument.REQUIRED, OptionRules.TUN_TYPE),
    TUN_PORT("tun-port", '\0', Argument.REQUIRED, OptionRules.TUN_PORT),
    TUN_NOCSUM("tun-nocsum", '\0', Argument.NONE, OptionRules.TUN_NOCSUM),
    TUN_CSUM("tun-csum", '\0', Argument.NONE, OptionRules.TUN_CSUM),
    TUN_REMCSUM("tun-remcsum", '\0', Argument.NONE, OptionRules.TUN_REMCSUM),
    LADDR("laddr", 'z', Argument.REQUIRED, OptionRules.LOCAL_ADDRESS),
    IFNAME("ifname", 'F', Argument.REQUIRED, OptionRules.IFNAME),
    /** DPVS's --proxy-protocol disable|v1|v2 on -A/-E. */
    PROXY_PROTOCOL("proxy-protocol", '\0', Argument.REQUIRED, OptionRules.PROXY_PROTOCOL);

    enum Argument { NONE, REQUIRED, OPTIONAL }

    private final String longName;
    private final char shortName;
    private final Argument argument;
    private final int column;

    IpvsadmOption(String longName, char shortName, Argument argument, int column) {
        this.longName = longName;
        this.shortName = shortName;
        this.argument = argument;
        this.column = column;
    }

    String longName() {
        return longName;
    }

    Argument argument() {
        return argument;
    }

    /** What the argument should look like, for messages about a missing or malformed one. */
    String expectedArgument() {
        return switch (this) {
            case TCP_SERVICE, UDP_SERVICE, REAL_SERVER -> "host[:port]";
            case SCHEDULER -> "a scheduler name";
            case PERSISTENT -> "a timeout in seconds";
            case NETMASK -> "a netmask such as 255.255.255.0";
            case WEIGHT -> "an integer 0..65535";
            case U_THRESHOLD, L_THRESHOLD -> "an integer 0..2147483647";
            case SCHED_FLAGS -> "comma-separated scheduler flags";
            case TUN_TYPE -> "ipip, gue or gre";
            case TUN_PORT -> "a port 1..65535";
            case LADDR -> "a local IPv4 address";
            case IFNAME -> "an interface name";
            case PROXY_PROTOCOL -> "disable, v1 or v2";
            case START_DAEMON, STOP_DAEMON -> "master or backup";
            case MCAST_INTERFACE -> "an interface name";
            case SYNCID -> "an integer 0..255";
            case SYNC_MAXLEN -> "an integer 1..65507";
            case MCAST_GROUP -> "an IPv4 multicast address such as 224.0.0.81";
            case MCAST_PORT -> "a port 1..65535";
            case MCAST_TTL -> "an integer 1..255";
            default -> "a value";
        };
    }

    /** Why JVS refuses an option ipvsadm knows, or null when JVS implements it. */
    String unsupportedReason() {
        return switch (this) {
            case SCTP_SERVICE, FWMARK_SERVICE -> "expected -t or -u";
            case PE -> "JVS has no persistence engines";
            default -> null;
        };
    }

    /** Column in {@link OptionRules}, or -1 for commands and options outside the table. */
    int column() {
        return column;
    }

    /** popt matches the first table entry with that long name, so "--list" is -L. */
    static IpvsadmOption byLongName(String name) {
        for (IpvsadmOption option : values()) {
            if (option.longName.equals(name)) {
                return option;
            }
        }
        return null;
    }

    /** The long name a mistyped one most likely meant (at most two edits away), or null. */
    static String nearestLongName(String typed) {
        String nearest = null;
        int best = 3;
        for (IpvsadmOption option : values()) {
            int distance = editDistance(typed, option.longName);
            if (distance < best) {
                best = distance;
                nearest = option.longName;
            }
        }
        return nearest;
    }

    /** Optimal string alignment distance: a swapped pair of letters ("wieght") counts as one edit. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    static IpvsadmOption byShortName(char name) {
        for (IpvsadmOption option : values()) {
            if (option.shortName == name && name != '\0') {
                return option;
            }
        }
        return null;
    }
}
