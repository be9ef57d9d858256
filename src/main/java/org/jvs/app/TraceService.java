package org.jvs.app;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.jvs.api.ControlException;
import org.jvs.core.TraceTap;
import org.jvs.ctl.NamedCommand;
import org.jvs.ctl.Reply;

/**
 * The director's half of {@code ./jvs trace}, on its control socket: {@code trace start FLOW --seconds N} puts a
 * {@link TraceTap} on every worker (replacing a trace whose reader stopped asking), {@code trace poll ID} hands
 * over what they recorded, {@code trace stop ID} removes them. One trace at a time. Each frame is one line:
 * {@code F epochNs interface in|out originalLength hex}; a last line {@code L lost} counts frames the rings had
 * no room for. A tap ends by itself {@link #GRACE_S} s after the trace's time, so a reader that died leaves none.
 */
final class TraceService implements NamedCommand {
    static final String NAME = "trace";
    static final int SNAP_LENGTH = 2048;
    /** Each worker's ring: about 500 full-sized frames between two polls. */
    private static final int RING_BYTES = 1 << 20;
    private static final int MAX_SECONDS = 3600;
    private static final long GRACE_S = 5;
    /** A trace not polled for this long has lost its reader: another may replace it. */
    private static final long ABANDONED_NS = TimeUnit.SECONDS.toNanos(5);
    private static final int POLL_LIMIT = 512;
    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;

    /** The workers' side: install taps, remove them. */
    interface Taps {
        List<TraceTap> start(IntFunction<TraceTap> taps) throws ControlException;

        void stop() throws ControlException;
    }

    private final Taps workers;
    private final IntFunction<String> interfaceNames;
    private List<TraceTap> taps;
    private long traceId;
    private long lastPollNs;
    private long epochOffsetNs;

    TraceService(Taps workers, IntFunction<String> interfaceNames) {
        this.workers = workers;
        this.interfaceNames = interfaceNames;
    }

    @Override
    public synchronized Reply run(List<String> args) {
        if (args.isEmpty()) {
            return usage("expected start, poll or stop");
        }
        try {
            return switch (args.getFirst()) {
                case "start" -> start(args.subList(1, args.size()));
                case "poll" -> poll(args.subList(1, args.size()));
                case "stop" -> stop(args.subList(1, args.size()));
                default -> usage("unknown '" + args.getFirst() + "' (expected start, poll or stop)");
            };
        } catch (IllegalArgumentException bad) {
            return usage(bad.getMessage());
        } catch (ControlException failed) {
            return new Reply(EXIT_FAILED, "", "jvs trace: " + failed.getMessage() + "\n");
        }
    }

    private Reply start(List<String> args) throws ControlException {
        FlowSelector flow = FlowSelector.parse(args, false);
        List<String> rest = flow.rest();
        if (rest.size() != 2 || !rest.getFirst().equals("--seconds")) {
            throw new IllegalArgumentException("expected FLOW --seconds N");
        }
        int seconds = Integer.parseInt(rest.get(1));
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("--seconds " + seconds + ": expected 1 to " + MAX_SECONDS);
        }
        long nowNs = System.nanoTime();
        if (taps != null && nowNs - lastPollNs < ABANDONED_NS) {
            return new Reply(EXIT_FAILED, "", "jvs trace: another trace is running (trace " + traceId
                    + "); one at a time\n");
        }
        long expiresAtNs = nowNs + TimeUnit.SECONDS.toNanos(seconds + GRACE_S);
        taps = workers.start(worker -> new TraceTap(flow.protocol(), flow.vip(), flow.vport(), flow.client(),
                expiresAtNs, SNAP_LENGTH, RING_BYTES));
        traceId++;
        lastPollNs = nowNs;
        epochOffsetNs = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        return new Reply(0, traceId + "\n", "");
    }

    private Reply poll(List<String> args) {
        if (!current(args)) {
            return new Reply(EXIT_FAILED, "", "jvs trace: no such trace (it ended or another replaced it)\n");
        }
        lastPollNs = System.nanoTime();
        List<TraceTap.Frame> frames = new ArrayList<>();
        long lost = 0;
        for (TraceTap tap : taps) {
            tap.drain(frames::add, POLL_LIMIT);
            lost += tap.lost();
        }
        frames.sort(java.util.Comparator.comparingLong(TraceTap.Frame::nowNs)); // workers' frames, in time order
        StringBuilder text = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (TraceTap.Frame frame : frames) {
            text.append("F ").append(frame.nowNs() + epochOffsetNs).append(' ')
                    .append(interfaceNames.apply(frame.ifindex())).append(' ')
                    .append(frame.direction() == TraceTap.SENT ? "out" : "in").append(' ')
                    .append(frame.originalLength()).append(' ').append(hex.formatHex(frame.bytes())).append('\n');
        }
        text.append("L ").append(lost).append('\n');
        return new Reply(0, text.toString(), "");
    }

    private Reply stop(List<String> args) throws ControlException {
        if (current(args)) {
            workers.stop();
            taps = null;
        }
        return new Reply(0, "", "");
    }

    private boolean current(List<String> args) {
        return taps != null && args.size() == 1 && args.getFirst().equals(Long.toString(traceId));
    }

    private static Reply usage(String message) {
        return new Reply(EXIT_USAGE, "", "jvs trace: " + message + "\n");
    }
}
