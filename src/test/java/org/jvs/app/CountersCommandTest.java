package org.jvs.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jvs.api.ControlException;
import org.jvs.core.Counter;
import org.jvs.ctl.Reply;
import org.jvs.net.PortCounter;

class CountersCommandTest {

    @Test
    void shouldPrintOnlyNonZeroCountersAsNameValueLinesInCounterOrder() {
        long[] values = new long[Counter.COUNT];
        values[Counter.DROP_LOCAL_PORTS_EXHAUSTED.ordinal()] = 3;
        values[Counter.FRAMES_IN.ordinal()] = 1234;
        values[Counter.NEW_CONNECTIONS.ordinal()] = 8;

        Reply reply = new CountersCommand(() -> values).run(List.of());

        assertEquals(new Reply(0, "frames_in 1234\nnew_connections 8\ndrop_local_ports_exhausted 3\n", ""), reply);
    }

    @Test
    void shouldPrintEachPortsNonZeroDriverCountersAfterTheDirectorsNamedByInterface() {
        long[] director = new long[Counter.COUNT];
        director[Counter.FRAMES_IN.ordinal()] = 7983;
        long[] outside = new long[PortCounter.COUNT];
        outside[PortCounter.RX_RING_DROPS.ordinal()] = 72025;
        outside[PortCounter.TX_RING_FULL.ordinal()] = 2;
        long[] inside = new long[PortCounter.COUNT];
        inside[PortCounter.TX_KICKS_REFUSED.ordinal()] = 1;
        Map<String, long[]> ports = new LinkedHashMap<>();
        ports.put("d0", outside);
        ports.put("d1", inside);

        Reply reply = new CountersCommand(() -> director, () -> ports, () -> 80008,
                () -> List.of("sync_master_messages_sent 3")).run(List.of());

        assertEquals(new Reply(0, "frames_in 7983\nrx_ring_drops[d0] 72025\ntx_ring_full[d0] 2\n"
                + "tx_kicks_refused[d1] 1\nguard_drops 80008\nsync_master_messages_sent 3\n", ""), reply);
    }

    @Test
    void shouldShowTheFramesTheKernelFastPathDroppedAfterTheGuards() {
        CountersCommand.KernelDropSource kernel = new CountersCommand.KernelDropSource() {
            @Override
            public long drops() {
                return 5;
            }

            @Override
            public long fastPathDrops() {
                return 2;
            }
        };

        Reply reply = new CountersCommand(() -> new long[Counter.COUNT], LinkedHashMap::new, kernel, List::of)
                .run(List.of());

        assertEquals(new Reply(0, "guard_drops 5\nfast_path_drops 2\n", ""), reply);
    }

    @Test
    void shouldNameEveryPortCounterInLowerCaseWithUnderscores() {
        for (int counter = 0; counter < PortCounter.COUNT; counter++) {
            assertEquals(true, PortCounter.of(counter).label().matches("[a-z][a-z0-9_]*"), "port counter " + counter);
        }
    }

    @Test
    void shouldPrintNothingWhenEveryCounterIsZero() {
        Reply reply = new CountersCommand(() -> new long[Counter.COUNT]).run(List.of());

        assertEquals(new Reply(0, "", ""), reply);
    }

    @Test
    void shouldNameEveryCounterInLowerCaseWithUnderscores() {
        for (int counter = 0; counter < Counter.COUNT; counter++) {
            String name = Counter.of(counter).label();
            assertEquals(true, name.matches("[a-z][a-z0-9_]*"), "counter " + counter + " is named '" + name + "'");
        }
    }

    @Test
    void shouldRefuseArgumentsInOneLine() {
        Reply reply = new CountersCommand(() -> new long[Counter.COUNT]).run(List.of("--all"));

        assertEquals(new Reply(2, "", "jvs counters: unexpected argument '--all' (expected none)\n"), reply);
    }

    @Test
    void shouldReportADirectorThatDoesNotAnswerInOneLine() {
        Reply reply = new CountersCommand(() -> {
            throw new ControlException("Director did not answer within 10 s");
        }).run(List.of());

        assertEquals(new Reply(1, "", "jvs counters: Director did not answer within 10 s\n"), reply);
    }
}
