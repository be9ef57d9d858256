package org.jvs.ctl;

import org.jvs.api.IpAddress;
import org.jvs.api.ServiceSpec;
import org.jvs.api.SyncDaemonSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.ctl.OptionRules.CommandKind;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;

/** What one command line said so far: ipvsadm's ipvs_command_entry, starting from its defaults. */
final class CommandEntry {
    final CommandKind kind;
    /** The command as typed ("-a", "--add-server"), for messages. */
    final String command;
    long options;
    /** Each option as typed ("-w 5"), by column, for messages. */
    private final String[] given = new String[OptionRules.COLUMNS];
    int protocol;
    IpAddress address = IpAddress.ofIpv4(0);
    int port;
    String scheduler = "";
    String schedulerFlagsArgument;
    String schedulerFlags = "";
    boolean persistent;
    int persistenceTimeoutS;
    /** An IPv4 mask, or for an IPv6 service its prefix length (parse_service sets 128). */
    int netmask = 0xFFFFFFFF;
    boolean onePacket;
    IpAddress serverAddress = IpAddress.ofIpv4(0);
    int serverPort;
    ForwardingMethod method = ForwardingMethod.ROUTE;
    TunnelType tunnelType = TunnelType.IPIP;
    /** 0: none given (ipvsadm's default). */
    int tunnelPort;
    TunnelChecksum tunnelChecksum = TunnelChecksum.NOCSUM;
    int weight = 1;
    int upperThreshold;
    int lowerThreshold;
    TimeoutsSpec timeouts;
    IpAddress localAddress = IpAddress.ofIpv4(0);
    String interfaceName = "";
    int proxyProtocol = ServiceSpec.PROXY_PROTOCOL_NONE;
    SyncDaemonSpec.Role daemonRole;
    String mcastInterface = "";
    int syncId;
    /** 0: the daemon takes it from the interface's MTU, as the kernel does when ipvsadm sends none. */
    int syncMaxLength;
    IpAddress mcastGroup = SyncDaemonSpec.DEFAULT_GROUP;
    int mcastPort = SyncDaemonSpec.DEFAULT_PORT;
    int mcastTtl = SyncDaemonSpec.DEFAULT_TTL;

    CommandEntry(CommandKind kind, String command) {
        this.kind = kind;
        this.command = command;
    }

    /** ipvsadm's set_option(): each option at most once. */
    void set(int column, PoptScanner.Occurrence occurrence) throws CommandLineException {
        if (has(column)) {
            throw IpvsadmParser.usage("multiple '" + OptionRules.optionName(column) + "' options specified: '"
                    + occurrence.given() + "' after '" + given[column] + "' (expected "
                    + (column == OptionRules.FORWARD ? "only one of -g -i -m -b)" : "it once)"));
        }
        options |= 1L << column;
        given[column] = occurrence.given();
    }

    /** The option of {@code column} as typed, null when it was not. */
    String given(int column) {
        return given[column];
    }

    boolean has(int column) {
        return (options & (1L << column)) != 0;
    }

    void forward(ForwardingMethod forwardingMethod, PoptScanner.Occurrence occurrence) throws CommandLineException {
        set(OptionRules.FORWARD, occurrence);
        method = forwardingMethod;
    }

    ListFormat format() {
        return new ListFormat(has(OptionRules.NUMERIC), has(OptionRules.STATS), has(OptionRules.RATE),
                has(OptionRules.EXACT), has(OptionRules.THRESHOLDS), has(OptionRules.PERSISTENT_CONN),
                has(OptionRules.NOSORT), has(OptionRules.TUN_INFO));
    }
}
