package org.jvs.app;

import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.core.Counters;
import org.jvs.ctl.NamedCommand;
import org.jvs.ctl.Reply;

/**
 * {@code ./jvs counters}: every non-zero data-plane counter of the running director as {@code name value} lines,
 * in the counters' fixed order, so a user sees why packets were dropped (e.g. drop_local_ports_exhausted).
 */
final class CountersCommand implements NamedCommand {
    static final String NAME = "counters";
    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;

    /** Where the values come from: the data-plane thread's counters, indexed by {@link Counters}' constants. */
    @FunctionalInterface
    interface Source {
        long[] counters() throws ControlException;
    }

    private final Source source;

    CountersCommand(Source source) {
        this.source = source;
    }

    @Override
    public Reply run(List<String> args) {
        if (!args.isEmpty()) {
            return new Reply(EXIT_USAGE, "", "jvs counters: unexpected argument '" + args.getFirst()
                    + "' (expected none)\n");
        }
        long[] values;
        try {
            values = source.counters();
        } catch (ControlException e) {
            return new Reply(EXIT_FAILED, "", "jvs counters: " + e.getMessage() + "\n");
        }
        return new Reply(0, format(values), "");
    }

    static String format(long[] values) {
        StringBuilder text = new StringBuilder();
        for (int counter = 0; counter < values.length && counter < Counters.COUNT; counter++) {
            if (values[counter] != 0) {
                text.append(Counters.name(counter)).append(' ').append(values[counter]).append('\n');
            }
        }
        return text.toString();
    }
}
