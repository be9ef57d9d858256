package org.jvs.ctl;

import org.jvs.api.TimeoutsSpec;
import org.jvs.ctl.OptionRules.CommandKind;
import org.jvs.service.ForwardingMethod;

/** What one command line said so far: ipvsadm's ipvs_command_entry, starting from its defaults. */
final class CommandEntry {
    final CommandKind kind;
    long options;
    int protocol;
    int address;
    int port;
    String scheduler = "";
    String schedulerFlagsArgument;
    String schedulerFlags = "";
    boolean persistent;
    int persistenceTimeoutS;
    int netmask = 0xFFFFFFFF;
    int serverAddress;
    int serverPort;
    ForwardingMethod method = ForwardingMethod.ROUTE;
    boolean tunnelTypeGiven;
    int weight = 1;
    int upperThreshold;
    int lowerThreshold;
    TimeoutsSpec timeouts;

    CommandEntry(CommandKind kind) {
        this.kind = kind;
    }

    /** ipvsadm's set_option(): each option at most once. */
    void set(int column) throws CommandLineException {
        if (has(column)) {
            throw IpvsadmParser.usage("multiple '" + OptionRules.optionName(column) + "' options specified");
        }
        options |= 1L << column;
    }

    boolean has(int column) {
        return (options & (1L << column)) != 0;
    }

    void forward(ForwardingMethod forwardingMethod) throws CommandLineException {
        set(OptionRules.FORWARD);
        method = forwardingMethod;
    }

    ListFormat format() {
        return new ListFormat(has(OptionRules.NUMERIC), has(OptionRules.STATS), has(OptionRules.RATE),
                has(OptionRules.EXACT), has(OptionRules.THRESHOLDS), has(OptionRules.PERSISTENT_CONN),
                has(OptionRules.NOSORT), has(OptionRules.TUN_INFO));
    }
}
