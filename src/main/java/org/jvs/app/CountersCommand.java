package org.jvs.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvs.api.ControlException;
import org.jvs.core.Counter;
import org.jvs.core.Counters;
import org.jvs.ctl.NamedCommand;
import org.jvs.ctl.Reply;
import org.jvs.net.PortCounter;

/**
 * {@code ./jvs counters}: every non-zero data-plane counter of the running director as {@code name value} lines,
 * in the counters' fixed order, so a user sees why packets were dropped (e.g. drop_local_ports_exhausted); then
 * each attached port's driver counters as {@code name[interface] value} (e.g. {@code rx_ring_drops[d0] 12}): the
 * frames lost below the director, which its own counters never see; then what the kernel guard and the fast path dropped.
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

    /** Where the ports' values come from: each attached interface's name and its {@link PortCounter}. */
    @FunctionalInterface
    interface PortSource {
        Map<String, long[]> portCounters() throws ControlException;
    }

    /** Frames JVS's programs in the kernel dropped (read from their BPF maps): the guard's, the fast path's. */
    @FunctionalInterface
    interface KernelDropSource {
        /** Frames the kernel guard kept from the host's stack. */
        long drops() throws java.io.IOException;

        /** Frames the kernel fast path took from JVS but had to drop (0 without a fast path). */
        default long fastPathDrops() throws java.io.IOException {
            return 0;
        }
    }

    private final Source source;
    private final PortSource ports;
    private final KernelDropSource kernel;
    /** {@code name value} lines of the sync daemons (see {@link SyncDaemons#counterLines()}). */
    private final java.util.function.Supplier<List<String>> daemons;

    CountersCommand(Source source, PortSource ports, KernelDropSource kernel,
                    java.util.function.Supplier<List<String>> daemons) {
        this.source = source;
        this.ports = ports;
        this.kernel = kernel;
        this.daemons = daemons;
    }

    /** A director without ports or guard of its own (tests of the director's counters alone). */
    CountersCommand(Source source) {
        this(source, LinkedHashMap::new, () -> 0, List::of);
    }

    @Override
    public Reply run(List<String> args) {
        if (!args.isEmpty()) {
            return new Reply(EXIT_USAGE, "", "jvs counters: unexpected argument '" + args.getFirst()
                    + "' (expected none)\n");
        }
        long[] values;
        Map<String, long[]> portValues;
        long guardDrops;
        long fastPathDrops;
        try {
            values = source.counters();
            portValues = ports.portCounters();
            guardDrops = kernel.drops();
            fastPathDrops = kernel.fastPathDrops();
        } catch (ControlException | java.io.IOException e) {
            return new Reply(EXIT_FAILED, "", "jvs counters: " + e.getMessage() + "\n");
        }
        StringBuilder daemonLines = new StringBuilder();
        for (String line : daemons.get()) {
            daemonLines.append(line).append('\n');
        }
        return new Reply(0, format(values) + formatPorts(portValues) + formatGuard(guardDrops)
                + (fastPathDrops == 0 ? "" : "fast_path_drops " + fastPathDrops + "\n") + daemonLines, "");
    }

    /**
     * {@code guard_drops N} (and {@code fast_path_drops N}, frames the kernel fast path took but could not forward):
     * frames the kernel guard dropped at tc ingress so the host's stack would not answer or
     * forward them; AF_PACKET handed each to JVS first, so beside frames_in and rx_ring_drops it shows whether
     * any frame reached neither.
     */
    static String formatGuard(long drops) {
        return drops == 0 ? "" : "guard_drops " + drops + "\n";
    }

    static String formatPorts(Map<String, long[]> portValues) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, long[]> port : portValues.entrySet()) {
            long[] values = port.getValue();
            for (int counter = 0; counter < values.length && counter < PortCounter.COUNT; counter++) {
                if (values[counter] != 0) {
                    text.append(PortCounter.of(counter).label()).append('[').append(port.getKey()).append("] ")
                            .append(values[counter]).append('\n');
                }
            }
        }
        return text.toString();
    }

    static String format(long[] values) {
        StringBuilder text = new StringBuilder();
        for (int counter = 0; counter < values.length && counter < Counter.COUNT; counter++) {
            if (values[counter] != 0) {
                text.append(Counter.of(counter).label()).append(' ').append(values[counter]).append('\n');
            }
        }
        return text.toString();
    }
}
