package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/**
 * Changes an administrator makes while traffic flows (scheduler edit, real server deletion), the counters and rates
 * jvsadm reports for a known transfer, and the -S / -R round trip - all through the jvsadm command line, NAT layout.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveChangesE2eTest {
    private static final String VIP = LvsLab.VIP;
    private static final String ECHO_SERVICE = VIP + ":" + LvsLab.ECHO_PORT;
    private static final long LONG_TRANSFER_BYTES = 8L << 20;
    private static final long LONG_TRANSFER_RATE = 1L << 20;
    private static final long SHORT_TRANSFER_BYTES = 10_000;
    private static final Duration STARTED_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(60);
    /** An --exact stats or rate line: name and its five numbers. */
    private static final Pattern FIGURES_LINE = Pattern.compile(
            "(?m)^(?:TCP|UDP|  ->)\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");

    @RegisterExtension
    static final LvsLabExtension LAB = LvsLabExtension.of(new LabCell("live", ForwardingMethod.MASQ,
            AddressFamily.IPV4, VipPlacement.DIRECTOR_LO, List.of()));

    private LvsLab lvs;
    private Director director;
    private Client client;

    @Test
    void shouldFinishRunningTransfersAndScheduleNewConnectionsByWlcAfterSchedulerChange() {
        addEchoService("rr");
        List<Background> running = new ArrayList<>();
        List<String> busy = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Background transfer = startLongTransfer("sched-" + i);
            running.add(transfer);
            busy.add(serverOf(transfer));
        }
        List<String> idle = new ArrayList<>(LvsLab.NAMES);
        idle.removeAll(busy);
        assertEquals(1, idle.size(), "rr put the two long transfers on two servers: " + busy);

        director.jvsadm("-E", "-t", ECHO_SERVICE, "-s", "wlc");
        assertTrue(director.jvsadm("-L", "-n").stdout().contains("TCP  " + ECHO_SERVICE + " wlc"),
                "the listing shows the new scheduler");

        // rr would go on round the three servers; wlc keeps choosing the one without a long transfer, since an
        // active connection weighs 256 inactive ones
        for (int i = 0; i < 4; i++) {
            CommandResult fresh = client.transfer(VIP, LvsLab.ECHO_PORT, SHORT_TRANSFER_BYTES);
            assertTrue(fresh.ok(), "new connection " + (i + 1) + " after -s wlc: " + fresh.describe()
                    + "; director log: " + director.log());
            assertEquals(idle.getFirst(), serverOf(fresh), "new connection " + (i + 1) + " under wlc, long transfers on "
                    + busy);
        }
        for (Background transfer : running) {
            assertTrue(transfer.alive(), "a long transfer ended before the checks ran: " + transfer.tail(3));
        }
        for (int i = 0; i < running.size(); i++) {
            assertCompletedByteExact(running.get(i), busy.get(i));
        }
    }

    @Test
    void shouldDrainTransferToDeletedRealServerWhileNewConnectionsAvoidIt() {
        addEchoService("rr");
        Background transfer = startLongTransfer("deleted");
        String deleted = serverOf(transfer);
        String deletedRip = LvsLab.RIPS.get(LvsLab.NAMES.indexOf(deleted));

        director.jvsadm("-d", "-t", ECHO_SERVICE, "-r", deletedRip + ":" + LvsLab.ECHO_PORT);
        String listing = director.jvsadm("-L", "-n").stdout();
        assertFalse(listing.contains(deletedRip + ":"), "deleted " + deletedRip + " still listed:\n" + listing);
        assertTrue(listing.contains("TCP  " + ECHO_SERVICE + " rr"), "the service itself stays:\n" + listing);

        for (int i = 0; i < 6; i++) {
            CommandResult fresh = client.transfer(VIP, LvsLab.ECHO_PORT, SHORT_TRANSFER_BYTES);
            assertTrue(fresh.ok(), "new connection " + (i + 1) + " after deleting " + deleted + ": " + fresh.describe()
                    + "; director log: " + director.log());
            assertFalse(serverOf(fresh).equals(deleted), "new connection " + (i + 1) + " reached deleted " + deleted);
        }
        assertTrue(transfer.alive(), "the long transfer ended before the checks ran: " + transfer.tail(3));
        assertCompletedByteExact(transfer, deleted);
    }

    @Test
    void shouldCountAKnownTransferAfterZeroingAndShowARateWhileOneRuns() {
        addEchoService("rr");
        CommandResult warmUp = client.transfer(VIP, LvsLab.ECHO_PORT, SHORT_TRANSFER_BYTES);
        assertTrue(warmUp.ok(), warmUp.describe());
        assertTrue(figures("--stats").getFirst().conns() > 0, "the warm-up counted before -Z");

        director.jvsadm("-Z");
        for (Figures zeroed : figures("--stats")) {
            assertEquals(new Figures(zeroed.name(), 0, 0, 0, 0, 0), zeroed, "after -Z");
        }

        long bytes = 2L << 20;
        CommandResult known = client.transfer(VIP, LvsLab.ECHO_PORT, bytes);
        assertTrue(known.ok() && known.stdout().contains("ok "), known.describe());
        Figures service = figures("--stats").getFirst();
        assertEquals(ECHO_SERVICE, service.name());
        assertEquals(1, service.conns(), "one connection since -Z: " + service);
        assertTrue(service.inPkts() > 0 && service.outPkts() > 0, "packets both ways: " + service);
        // NAT sees both directions: the payload each way plus headers, the greeting and the summary
        assertTrue(service.inBytes() >= bytes, "bytes in >= " + bytes + ": " + service);
        assertTrue(service.outBytes() >= bytes, "bytes out >= " + bytes + ": " + service);

        Background paced = client.transferInBackground("rated", VIP, LvsLab.ECHO_PORT, 12L << 20, 2L << 20);
        String server = serverOf(paced);
        Figures rate = null;
        long deadlineNs = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (int poll = 0; poll < 40 && System.nanoTime() < deadlineNs && paced.alive(); poll++) {
            rate = figures("--rate").getFirst();
            if (rate.inBytes() > 0 && rate.outBytes() > 0 && rate.inPkts() > 0 && rate.outPkts() > 0) {
                break;
            }
            Background.sleep(500);
        }
        assertTrue(rate != null && rate.inBytes() > 0 && rate.outBytes() > 0 && rate.inPkts() > 0
                && rate.outPkts() > 0, "non-zero InPPS/OutPPS/InBPS/OutBPS during a paced transfer: " + rate);
        assertTrue(paced.alive(), "the rate was read while the transfer ran");
        assertCompletedByteExact(paced, server);
    }

    @Test
    void shouldRestoreTheSameTableFromItsSavedRules() {
        String web = VIP + ":" + LvsLab.HTTP_PORT;
        String dns = VIP + ":" + LvsLab.UDP_PORT;
        director.jvsadm("-A", "-t", web, "-s", "wlc", "-p", "360", "-M", "255.255.255.0");
        director.jvsadm("-a", "-t", web, "-r", LvsLab.RIPS.get(0) + ":" + LvsLab.MAPPED_HTTP_PORT, "-m", "-w", "2",
                "-x", "100", "-y", "50");
        director.jvsadm("-a", "-t", web, "-r", LvsLab.RIPS.get(1) + ":" + LvsLab.HTTP_PORT, "-m", "-w", "0");
        director.jvsadm("-A", "-t", ECHO_SERVICE, "-s", "wrr");
        director.jvsadm("-a", "-t", ECHO_SERVICE, "-r", LvsLab.RIPS.get(0), "-g", "-w", "3");
        director.jvsadm("-a", "-t", ECHO_SERVICE, "-r", LvsLab.RIPS.get(2), "-i", "-w", "1", "-x", "10", "-y", "5");
        director.jvsadm("-A", "-u", dns, "-s", "sh", "-b", "sh-port");
        director.jvsadm("-a", "-u", dns, "-r", LvsLab.RIPS.get(2) + ":" + LvsLab.UDP_PORT, "-m", "-w", "1");
        String before = director.jvsadm("-L", "-n").stdout();
        String thresholdsBefore = director.jvsadm("-L", "-n", "--thresholds").stdout();

        Path rules = lvs.lab.workDir().resolve("saved-rules");
        write(rules, director.jvsadm("-S", "-n").stdout());
        director.jvsadm("-C");
        assertEquals(0, figuresOrServices(director.jvsadm("-L", "-n").stdout()), "-C emptied the table");
        CommandResult restored = lvs.lab.run(lvs.director, "bash", "-c",
                "exec " + Launchers.JVSADM + " -R < " + rules);
        assertTrue(restored.ok(), restored.describe() + " with rules:\n" + read(rules));

        assertEquals(before, director.jvsadm("-L", "-n").stdout(), "-L -n after -S | -C | -R");
        assertEquals(thresholdsBefore, director.jvsadm("-L", "-n", "--thresholds").stdout(),
                "-L -n --thresholds after -S | -C | -R: -S keeps -x/-y where ipvsadm drops them");
    }

    private void addEchoService(String scheduler) {
        director.jvsadm("-A", "-t", ECHO_SERVICE, "-s", scheduler);
        for (String rip : LvsLab.RIPS) {
            director.jvsadm("-a", "-t", ECHO_SERVICE, "-r", rip + ":" + LvsLab.ECHO_PORT, "-m", "-w", "1");
        }
    }

    private Background startLongTransfer(String label) {
        return client.transferInBackground(label, VIP, LvsLab.ECHO_PORT, LONG_TRANSFER_BYTES, LONG_TRANSFER_RATE);
    }

    /** The real server a background transfer reached (waits for its greeting). */
    private String serverOf(Background transfer) {
        Matcher started = transfer.awaitLine("^server (rs\\d)$", STARTED_TIMEOUT).orElseThrow(() -> new AssertionError(
                transfer.label() + " never reached a real server: " + transfer.tail(5) + "; director log: "
                        + director.log()));
        return started.group(1);
    }

    private static String serverOf(CommandResult transfer) {
        for (String line : transfer.stdout().split("\n")) {
            if (line.startsWith("server ")) {
                return line.substring("server ".length()).strip();
            }
        }
        return "(none)";
    }

    private void assertCompletedByteExact(Background transfer, String server) {
        int exit = transfer.awaitExit(FINISH_TIMEOUT);
        assertEquals(0, exit, transfer.label() + " to " + server + ": " + transfer.tail(3) + "; director log: "
                + director.log());
        assertTrue(Pattern.compile("(?m)^ok " + server + " \\d+$").matcher(transfer.output()).find(),
                transfer.label() + " said: " + transfer.output());
    }

    /** The service and real server lines of {@code -L -n <view> --exact}, in listing order. */
    private List<Figures> figures(String view) {
        String listing = director.jvsadm("-L", "-n", view, "--exact").stdout();
        List<Figures> lines = new ArrayList<>();
        Matcher line = FIGURES_LINE.matcher(listing);
        while (line.find()) {
            lines.add(new Figures(line.group(1), Long.parseLong(line.group(2)), Long.parseLong(line.group(3)),
                    Long.parseLong(line.group(4)), Long.parseLong(line.group(5)), Long.parseLong(line.group(6))));
        }
        if (lines.isEmpty()) {
            throw new AssertionError("no figures in -L -n " + view + " --exact:\n" + listing);
        }
        return lines;
    }

    private static long figuresOrServices(String listing) {
        return listing.lines().filter(l -> l.startsWith("TCP ") || l.startsWith("UDP ")).count();
    }

    /** One line of --stats (conns, packets, bytes) or --rate (per second), in the columns' order. */
    private record Figures(String name, long conns, long inPkts, long outPkts, long inBytes, long outBytes) {
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
