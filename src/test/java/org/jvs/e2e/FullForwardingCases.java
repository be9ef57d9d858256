package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cases run once per forwarding method (in the VIP-on-lo layout), on top of the core ones: weighted round-robin,
 * quiescing a real server under a live transfer, and steady UDP where every datagram must arrive.
 */
abstract class FullForwardingCases extends ForwardingCases {
    private static final long LONG_TRANSFER_BYTES = 12L << 20;
    private static final long LONG_TRANSFER_RATE = 1L << 20;

    private SteadyUdp steadyUdp;

    private SteadyUdp steadyUdp() {
        if (steadyUdp == null) {
            steadyUdp = new SteadyUdp(lvs);
            steadyUdp.startServers();
        }
        return steadyUdp;
    }

    /** One second of a steady stream at each rate, up to well below what the director saturates at. */
    @ParameterizedTest(name = "{0} datagrams/s")
    @ValueSource(ints = {1_000, 10_000, 40_000})
    void shouldDeliverEveryDatagramOfASteadyUdpStream(int rate) {
        SteadyUdp udp = steadyUdp();
        addService("-u", SteadyUdp.SINK_PORT, "rr", SteadyUdp.SINK_PORT, 1, 1, 1);
        udp.assertEveryDatagramArrives(rate, rate, method().toString(), director);
    }

    /** Traffic arrives in bursts at line rate whatever its average: the director must absorb them, as the kernel does. */
    @Test
    void shouldDeliverEveryDatagramOfALineRateBurst() {
        SteadyUdp udp = steadyUdp();
        addService("-u", SteadyUdp.SINK_PORT, "rr", SteadyUdp.SINK_PORT, 1, 1, 1);
        udp.assertEveryDatagramArrives(0, SteadyUdp.BURST, method().toString(), director);
    }

    /** As IPVS behind nf_defrag: the fragments are made whole, forwarded, and fragmented again on the way out. */
    @Test
    void shouldCarryAFragmented4000ByteDatagramWholeToTheRealServerAndBack() {
        SteadyUdp udp = steadyUdp();
        addService("-u", SteadyUdp.ECHO_PORT, "rr", SteadyUdp.ECHO_PORT, 1, 1, 1);
        udp.assertFragmentedDatagramEchoedIntact(4000, method().toString(), director);
    }

    @Test
    void shouldAnswerEveryRequestOfASteadyUdpRequestStream() {
        SteadyUdp udp = steadyUdp();
        addService("-u", SteadyUdp.ECHO_PORT, "rr", SteadyUdp.ECHO_PORT, 1, 1, 1);
        udp.assertEveryRequestAnswered(2_000, 6_000, method().toString(), director);
    }

    @Test
    void shouldSpreadHttpRequestsByWeight() {
        addService("-t", LvsLab.HTTP_PORT, "wrr", LvsLab.HTTP_PORT, 3, 2, 1);
        Map<String, Integer> counts = client.httpCounts(VIP, LvsLab.HTTP_PORT, 30);
        assertEquals(Map.of("rs1", 15, "rs2", 10, "rs3", 5), counts,
                "30 HTTP requests via " + method() + " wrr 3:2:1; director log: " + director.log());
    }

    @Test
    void shouldKeepLongTransferOnQuiescedServerWhileNewConnectionsAvoidIt() {
        addService("-t", LvsLab.ECHO_PORT, "rr", LvsLab.ECHO_PORT, 1, 1, 1);
        Background longTransfer = client.transferInBackground("long-transfer", VIP, LvsLab.ECHO_PORT,
                LONG_TRANSFER_BYTES, LONG_TRANSFER_RATE);
        Matcher started = longTransfer.awaitLine("^server (rs\\d)$", Duration.ofSeconds(10)).orElseThrow(
                () -> new AssertionError("long transfer via " + method() + " never reached a real server: "
                        + longTransfer.tail(5) + "; director log: " + director.log()));
        String quiesced = started.group(1);
        String quiescedRip = LvsLab.RIPS.get(LvsLab.NAMES.indexOf(quiesced));

        director.jvsadm("-e", "-t", VIP + ":" + LvsLab.ECHO_PORT, "-r", quiescedRip + ":" + LvsLab.ECHO_PORT,
                method().flag(), "-w", "0");
        for (int i = 0; i < 6; i++) {
            CommandResult fresh = client.transfer(VIP, LvsLab.ECHO_PORT, 10_000);
            assertTrue(fresh.ok(), "new connection " + (i + 1) + " after quiescing " + quiesced + ": "
                    + fresh.describe() + "; director log: " + director.log());
            assertNotEquals(quiesced, serverOf(fresh), "new connection " + (i + 1) + " went to quiesced " + quiesced);
        }
        assertTrue(longTransfer.alive(), "the long transfer ended before the checks ran, so they proved nothing: "
                + longTransfer.tail(3));

        int exit = longTransfer.awaitExit(Duration.ofSeconds(60));
        assertEquals(0, exit, "long transfer to quiesced " + quiesced + " via " + method() + ": "
                + longTransfer.tail(3) + "; director log: " + director.log());
        assertTrue(longTransfer.output().contains("ok " + quiesced + " " + LONG_TRANSFER_BYTES),
                longTransfer.output());
    }

    private static String serverOf(CommandResult transfer) {
        for (String line : transfer.stdout().split("\n")) {
            if (line.startsWith("server ")) {
                return line.substring("server ".length()).strip();
            }
        }
        return "(none)";
    }
}
