package org.jvs.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jvs.api.TimeoutsSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeoutsTest {

    @ParameterizedTest(name = "{0} = {1} s")
    @CsvSource({
        "NONE, 2", "ESTABLISHED, 900", "SYN_SENT, 120", "SYN_RECV, 60", "FIN_WAIT, 120", "TIME_WAIT, 120",
        "CLOSE, 10", "CLOSE_WAIT, 60", "LAST_ACK, 30", "LISTEN, 120", "SYNACK, 120",
    })
    void shouldStartWithTheKernelDefaults(String state, int seconds) {
        Timeouts timeouts = new Timeouts();
        assertEquals(seconds, timeouts.tcpTimeoutS(TcpStateTest.state(state)));
        assertEquals(seconds * 1_000_000_000L, timeouts.tcpTimeoutNs(TcpStateTest.state(state)));
    }

    @Test
    void shouldReportDefaultsAsIpvsadmTimeoutDoes() {
        Timeouts timeouts = new Timeouts();
        assertEquals(new TimeoutsSpec(900, 120, 300), timeouts.spec());
        assertEquals(300_000_000_000L, timeouts.udpTimeoutNs());
    }

    @Test
    void shouldMapSetToEstablishedFinWaitAndUdp() {
        Timeouts timeouts = new Timeouts();
        timeouts.set(7200, 15, 45);
        assertEquals(7200, timeouts.tcpS());
        assertEquals(7200 * 1_000_000_000L, timeouts.tcpTimeoutNs(TcpState.ESTABLISHED));
        assertEquals(15, timeouts.tcpFinS());
        assertEquals(15 * 1_000_000_000L, timeouts.tcpTimeoutNs(TcpState.FIN_WAIT));
        assertEquals(45, timeouts.udpS());
        assertEquals(45 * 1_000_000_000L, timeouts.udpTimeoutNs());
        assertEquals(120, timeouts.tcpTimeoutS(TcpState.TIME_WAIT), "other states keep their timeouts");
    }

    @Test
    void shouldLeaveZeroValuesUnchanged() {
        Timeouts timeouts = new Timeouts();
        timeouts.set(new TimeoutsSpec(0, 30, 0));
        assertEquals(new TimeoutsSpec(900, 30, 300), timeouts.spec());
    }

    @Test
    void shouldRejectNegativeValuesWithoutChangingAny() {
        Timeouts timeouts = new Timeouts();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> timeouts.set(60, 30, -1));
        assertEquals("udp timeout -1 is out of range (expected 0.." + Timeouts.MAX_S + " seconds, 0 = unchanged)",
                error.getMessage());
        assertEquals(new TimeoutsSpec(900, 120, 300), timeouts.spec());
    }
}
