package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvs.service.Tunnel;
import org.jvs.service.TunnelType;

/**
 * Steady UDP through a director with exact counts, the load TCP's retransmissions cannot hide: a paced sender
 * ({@code udppace.py}: never more than a few datagrams ahead of its clock, so the offered load is steady, not
 * line-rate bursts) in the client, a sink or an echo server on every real server, and the real servers' own UDP
 * counters (/proc/net/snmp) as the count of what arrived.
 */
final class SteadyUdp {
    static final int SINK_PORT = 5400;
    static final int ECHO_PORT = 5401;
    /** Source ports of the stream: enough flows to spread over every real server. */
    static final int FLOWS = 16;
    /** A burst the old 300-slot ring lost most of, well inside the ring's thousands of slots. */
    static final int BURST = 3_000;
    private static final Pattern SENT = Pattern.compile("sent=(\\d+) seconds=(\\S+) rate=(\\d+)");
    private static final Pattern PING = Pattern.compile(
            "sent=(\\d+) answered=(\\d+) missing=(?<missing>\\d+) p50_us=(\\d+) p99_us=(\\d+) max_us=(\\d+)");
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(3);

    private final LvsLab lvs;
    private final Path script;
    /**
     * How often the real servers' UDP layers count one datagram of a stream: twice behind a GUE tunnel (in its GUE
     * datagram to the helper's port, then itself out of the TUN device), once otherwise.
     */
    private final int countsPerDatagram;
    private boolean started;

    /** tunnel: how the director reaches the real servers if they are TUN's (IPIP for every other method). */
    SteadyUdp(LvsLab lvs, Tunnel tunnel) {
        this.lvs = lvs;
        this.script = lvs.script("/e2e/udppace.py");
        this.countsPerDatagram = tunnel.type() == TunnelType.GUE ? 2 : 1;
    }

    /**
     * A sink on SINK_PORT and an echo server on ECHO_PORT on every real server, each bound to its RIP and the VIP;
     * once: later calls find them running.
     */
    void startServers() {
        if (started) {
            return;
        }
        started = true;
        for (int i = 0; i < lvs.realServers.size(); i++) {
            String rs = lvs.realServers.get(i);
            List<String> sink = new ArrayList<>(List.of(LvsLab.PYTHON, script.toString(), "sink", String.valueOf(SINK_PORT)));
            sink.addAll(lvs.udpBindings(i));
            lvs.lab.spawn(rs, LvsLab.NAMES.get(i) + "-udp-sink", sink.toArray(String[]::new));
            List<String> echo = new ArrayList<>(List.of(LvsLab.PYTHON, script.toString(), "echo", String.valueOf(ECHO_PORT)));
            echo.addAll(lvs.udpBindings(i));
            lvs.lab.spawn(rs, LvsLab.NAMES.get(i) + "-udp-echo", echo.toArray(String[]::new));
        }
        for (String rs : lvs.realServers) {
            awaitBound(rs, SINK_PORT);
            awaitBound(rs, ECHO_PORT);
        }
    }

    private void awaitBound(String rs, int port) {
        long deadlineNs = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadlineNs) {
            if (lvs.lab.run(rs, "ss", "-Hlnu").stdout().contains(":" + port + " ")) {
                return;
            }
            Background.sleep(100);
        }
        throw new IllegalStateException("in " + rs + ": nothing bound UDP port " + port);
    }

    private static final Pattern GUARD_DROPS = Pattern.compile("(?m)^guard_drops (\\d+)$");
    private static final Pattern FAST_PATH_FOLDED = Pattern.compile("(?m)^fast_path_packets_folded (\\d+)$");
    /** How long the director may take to fold the kernel fast path's counts into its own. */
    private static final Duration FOLD_LIMIT = Duration.ofSeconds(3);

    /**
     * What one paced one-way stream offered, what the real servers' UDP layers counted of it, and what they count
     * when every datagram arrived: each datagram once, or for GUE twice. The director sends one GUE datagram per
     * datagram and the inner one arrives only out of its GUE datagram, so twice the datagrams sent means all arrived.
     */
    record Stream(long sent, long arrived, long expected, String senderOutput) {
    }

    /** Sends {@code count} datagrams to VIP:SINK_PORT at {@code rate} per second; counts arrivals on every real server. */
    private Stream send(int rate, int count) {
        long before = arrivals();
        Matcher sent = pace("send", SINK_PORT, rate, count, SENT);
        long sentCount = Long.parseLong(sent.group(1));
        long expected = sentCount * countsPerDatagram;
        return new Stream(sentCount, arrivalsSettled(before, expected), expected, sent.group());
    }

    /** Runs udppace.py MODE towards VIP:port in the client and returns its summary line, matched by {@code line}. */
    private Matcher pace(String mode, int port, int rate, int count, Pattern line) {
        CommandResult result = lvs.lab.run(lvs.client, Duration.ofSeconds(30 + (rate > 0 ? count / rate * 3L : 0)),
                LvsLab.PYTHON, script.toString(), mode, lvs.vip, String.valueOf(port), String.valueOf(rate),
                String.valueOf(count), String.valueOf(FLOWS));
        Matcher summary = line.matcher(result.stdout());
        if (!result.ok() || !summary.find()) {
            throw new AssertionError("udppace.py " + mode + " failed: " + result.describe());
        }
        return summary;
    }

    /**
     * Sends {@code count} datagrams at {@code rate} per second (0: one burst as fast as the sender goes) and fails,
     * showing the director's counters, unless every one arrived at a real server.
     */
    void assertEveryDatagramArrives(int rate, int count, String via, Director director) {
        long guardBefore = keptFromTheStack(director);
        Stream stream = send(rate, count);
        assertEquals(stream.expected(), stream.arrived(), "datagrams sent " + (rate == 0 ? "in one burst" : "at "
                + rate + "/s") + " via " + via + ", each counted " + countsPerDatagram + "x, vs counted by the real "
                + "servers' UDP layers (" + stream.senderOutput() + "); counters:\n"
                + director.counters() + realServerDrops() + "director log: " + director.log());
        // the kernel guard kept every one of them from the director's own stack, and counted it; or, with
        // --fast-path, the kernel forwarded it before the guard (counted when the director folds the kernel's
        // counts, within a second or so)
        long deadlineNs = System.nanoTime() + FOLD_LIMIT.toNanos();
        long guarded = keptFromTheStack(director) - guardBefore;
        while (guarded < stream.sent() && System.nanoTime() < deadlineNs) {
            try {
                Thread.sleep(QUIET);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
            guarded = keptFromTheStack(director) - guardBefore;
        }
        assertTrue(guarded >= stream.sent(), "guard_drops (and fast_path_packets_folded) rose by " + guarded + " for "
                + stream.sent() + " datagrams to the VIP; counters:\n" + director.counters());
    }

    /**
     * The kernel guard's drops as {@code ./jvs counters} prints them (absent: none), plus the packets the kernel's
     * fast path forwarded (they never reach the guard).
     */
    private static long keptFromTheStack(Director director) {
        String counters = director.counters();
        Matcher guard = GUARD_DROPS.matcher(counters);
        Matcher fastPath = FAST_PATH_FOLDED.matcher(counters);
        return (guard.find() ? Long.parseLong(guard.group(1)) : 0)
                + (fastPath.find() ? Long.parseLong(fastPath.group(1)) : 0);
    }

    /** Sends {@code count} requests at {@code rate} per second and fails unless every one was answered. */
    void assertEveryRequestAnswered(int rate, int count, String via, Director director) {
        Matcher exchange = ping(rate, count);
        assertEquals(0, Long.parseLong(exchange.group("missing")), "requests unanswered at " + rate + "/s via " + via
                + " (" + exchange.group() + "); counters:\n" + director.counters() + "director log: " + director.log());
    }

    /**
     * One datagram of {@code bytes} (fragmented by the client's kernel, the MTU being 1500) to the echo server on a
     * real server, which must get it whole and send it back whole; fails unless it returns intact.
     */
    void assertFragmentedDatagramEchoedIntact(int bytes, String via, Director director) {
        CommandResult result = lvs.lab.run(lvs.client, Duration.ofSeconds(20), LvsLab.PYTHON, script.toString(),
                "big", lvs.vip, String.valueOf(ECHO_PORT), String.valueOf(bytes));
        assertEquals("sent=" + bytes + " echoed=" + bytes + " intact=true", result.stdout().strip(),
                "a " + bytes + "-byte datagram in fragments via " + via + " and back (" + result.describe()
                        + "); counters:\n" + director.counters() + "director log: " + director.log());
    }

    /** {@code count} requests to VIP:ECHO_PORT at {@code rate} per second: how many went unanswered, and the summary. */
    private Matcher ping(int rate, int count) {
        return pace("ping", ECHO_PORT, rate, count, PING);
    }

    /**
     * Arrivals since {@code before}: read until all {@code expected} came, or until no more came for half a second
     * (a datagram still in a queue - a real server's TUN helper, say - arrives late, a lost one never).
     */
    private long arrivalsSettled(long before, long expected) {
        long last = arrivals() - before;
        long quietSinceNs = System.nanoTime();
        long deadlineNs = quietSinceNs + SETTLE_LIMIT.toNanos();
        while (last < expected && System.nanoTime() - quietSinceNs < QUIET.toNanos() && System.nanoTime() < deadlineNs) {
            Background.sleep(50);
            long now = arrivals() - before;
            if (now != last) {
                last = now;
                quietSinceNs = System.nanoTime();
            }
        }
        return last;
    }

    /** What the real servers say about packets that reached them but not their UDP layer, for failure messages. */
    String realServerDrops() {
        StringBuilder text = new StringBuilder();
        for (String rs : lvs.realServers) {
            text.append(rs).append(": raw sockets (drops last) ")
                    .append(lvs.lab.run(rs, "cat", "/proc/net/raw").stdout().strip().replace('\n', '|'))
                    .append("; snmp ")
                    .append(lvs.lab.run(rs, "cat", snmpFile()).stdout().strip().replace('\n', '|'))
                    .append("; netstat ")
                    .append(lvs.lab.run(rs, "cat", "/proc/net/netstat").stdout().strip().replace('\n', '|'))
                    .append("; links ")
                    .append(lvs.lab.run(rs, "ip", "-s", "-o", "link").stdout().strip().replace('\n', '|'))
                    .append('\n');
        }
        return text.toString();
    }

    /**
     * Every UDP datagram the real servers' stacks took in: delivered (InDatagrams), for no socket (NoPorts) or
     * refused by a full socket buffer (InErrors) - all of them reached the real server, which is what the director
     * answers for.
     */
    long arrivals() {
        long total = 0;
        for (String rs : lvs.realServers) {
            String counters = lvs.lab.check(rs, "cat", snmpFile()).stdout();
            total += lvs.family.serversIpv6() ? udp6Arrivals(counters, rs) : udpArrivals(counters, rs);
        }
        return total;
    }

    /** The real servers' UDP counters: /proc/net/snmp, or for IPv6 /proc/net/snmp6 (one "Name value" a line). */
    private String snmpFile() {
        return lvs.family.serversIpv6() ? "/proc/net/snmp6" : "/proc/net/snmp";
    }

    /** As {@link #udpArrivals} from /proc/net/snmp6: Udp6InDatagrams, Udp6NoPorts and Udp6InErrors. */
    static long udp6Arrivals(String snmp6, String where) {
        long sum = 0;
        int found = 0;
        for (String line : snmp6.split("\n")) {
            String[] field = line.strip().split("\\s+");
            if (field.length == 2 && List.of("Udp6InDatagrams", "Udp6NoPorts", "Udp6InErrors").contains(field[0])) {
                sum += Long.parseLong(field[1]);
                found++;
            }
        }
        if (found != 3) {
            throw new IllegalStateException("no Udp6 counters in /proc/net/snmp6 of " + where + ": " + snmp6);
        }
        return sum;
    }

    static long udpArrivals(String snmp, String where) {
        List<String> udpLines = new ArrayList<>();
        for (String line : snmp.split("\n")) {
            if (line.startsWith("Udp: ")) {
                udpLines.add(line);
            }
        }
        if (udpLines.size() != 2) {
            throw new IllegalStateException("no Udp lines in /proc/net/snmp of " + where + ": " + snmp);
        }
        String[] names = udpLines.get(0).split("\\s+");
        String[] values = udpLines.get(1).split("\\s+");
        long sum = 0;
        for (int i = 1; i < names.length; i++) {
            if (names[i].equals("InDatagrams") || names[i].equals("NoPorts") || names[i].equals("InErrors")) {
                sum += Long.parseLong(values[i]);
            }
        }
        return sum;
    }
}
