package org.jvs.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvs.api.ControlException;
import org.jvs.core.Counters;
import org.jvs.ctl.Reply;

class CountersCommandTest {

    @Test
    void shouldPrintOnlyNonZeroCountersAsNameValueLinesInCounterOrder() {
        long[] values = new long[Counters.COUNT];
        values[Counters.DROP_LOCAL_PORTS_EXHAUSTED] = 3;
        values[Counters.FRAMES_IN] = 1234;
        values[Counters.NEW_CONNECTIONS] = 8;

        Reply reply = new CountersCommand(() -> values).run(List.of());

        assertEquals(new Reply(0, "frames_in 1234\nnew_connections 8\ndrop_local_ports_exhausted 3\n", ""), reply);
    }

    @Test
    void shouldPrintNothingWhenEveryCounterIsZero() {
        Reply reply = new CountersCommand(() -> new long[Counters.COUNT]).run(List.of());

        assertEquals(new Reply(0, "", ""), reply);
    }

    @Test
    void shouldNameEveryCounterInLowerCaseWithUnderscores() {
        for (int counter = 0; counter < Counters.COUNT; counter++) {
            String name = Counters.name(counter);
            assertEquals(true, name.matches("[a-z][a-z0-9_]*"), "counter " + counter + " is named '" + name + "'");
        }
    }

    @Test
    void shouldRefuseArgumentsInOneLine() {
        Reply reply = new CountersCommand(() -> new long[Counters.COUNT]).run(List.of("--all"));

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
