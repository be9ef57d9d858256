package org.jvs.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TcpStateTest {

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
        // state,      direction,  flags,   next      (rows of tcp_states in ip_vs_proto_tcp.c)
        "NONE,         INPUT,      SYN,     SYN_RECV",
        "NONE,         INPUT,      ACK,     ESTABLISHED",
        "NONE,         INPUT,      FIN,     CLOSE",
        "NONE,         INPUT,      RST,     CLOSE",
        "SYN_RECV,     INPUT,      ACK,     ESTABLISHED",
        "SYN_RECV,     INPUT,      RST,     SYN_RECV",
        "SYN_RECV,     INPUT,      FIN,     TIME_WAIT",
        "ESTABLISHED,  INPUT,      SYN,     ESTABLISHED",
        "ESTABLISHED,  INPUT,      FIN,     CLOSE_WAIT",
        "ESTABLISHED,  INPUT,      ACK,     ESTABLISHED",
        "ESTABLISHED,  INPUT,      RST,     CLOSE",
        "SYN_SENT,     INPUT,      SYN,     ESTABLISHED",
        "SYN_SENT,     INPUT,      FIN,     SYN_SENT",
        "FIN_WAIT,     INPUT,      ACK,     FIN_WAIT",
        "FIN_WAIT,     INPUT,      FIN,     TIME_WAIT",
        "TIME_WAIT,    INPUT,      SYN,     SYN_RECV",
        "CLOSE,        INPUT,      SYN,     SYN_RECV",
        "CLOSE_WAIT,   INPUT,      ACK,     CLOSE_WAIT",
        "LAST_ACK,     INPUT,      ACK,     CLOSE",
        "LAST_ACK,     INPUT,      RST,     LAST_ACK",
        "LISTEN,       INPUT,      ACK,     LISTEN",
        "SYNACK,       INPUT,      ACK,     ESTABLISHED",
        "SYNACK,       INPUT,      RST,     SYN_RECV",
        "NONE,         OUTPUT,     SYN,     SYN_SENT",
        "NONE,         OUTPUT,     FIN,     TIME_WAIT",
        "SYN_RECV,     OUTPUT,     SYN,     SYN_RECV",
        "SYN_RECV,     OUTPUT,     ACK,     ESTABLISHED",
        "SYN_RECV,     OUTPUT,     RST,     CLOSE",
        "ESTABLISHED,  OUTPUT,     FIN,     FIN_WAIT",
        "ESTABLISHED,  OUTPUT,     RST,     CLOSE",
        "SYN_SENT,     OUTPUT,     RST,     SYN_SENT",
        "TIME_WAIT,    OUTPUT,     RST,     TIME_WAIT",
        "CLOSE_WAIT,   OUTPUT,     FIN,     TIME_WAIT",
        "LAST_ACK,     OUTPUT,     ACK,     LAST_ACK",
        "LISTEN,       OUTPUT,     SYN,     LISTEN",
        "LISTEN,       OUTPUT,     ACK,     ESTABLISHED",
        "SYNACK,       OUTPUT,     SYN,     SYN_RECV",
        "NONE,         INPUT_ONLY, SYN,     SYN_RECV",
        "SYN_RECV,     INPUT_ONLY, ACK,     ESTABLISHED",
        "ESTABLISHED,  INPUT_ONLY, FIN,     FIN_WAIT",
        "ESTABLISHED,  INPUT_ONLY, RST,     CLOSE",
        "FIN_WAIT,     INPUT_ONLY, FIN,     FIN_WAIT",
        "FIN_WAIT,     INPUT_ONLY, ACK,     FIN_WAIT",
        "SYN_RECV,     INPUT_ONLY, FIN,     TIME_WAIT",
        "CLOSE_WAIT,   INPUT_ONLY, FIN,     CLOSE_WAIT",
        "LAST_ACK,     INPUT_ONLY, ACK,     CLOSE",
        "SYNACK,       INPUT_ONLY, RST,     CLOSE",
        "SYNACK,       INPUT_ONLY, FIN,     TIME_WAIT",
        // precedence of flags in one segment: RST > SYN > FIN > ACK
        "ESTABLISHED,  INPUT,      SYN+ACK, ESTABLISHED",
        "SYN_RECV,     OUTPUT,     SYN+ACK, SYN_RECV",
        "ESTABLISHED,  INPUT,      FIN+ACK, CLOSE_WAIT",
        "ESTABLISHED,  OUTPUT,     RST+ACK, CLOSE",
        "SYN_RECV,     INPUT,      RST+SYN, SYN_RECV",
        // a segment with none of SYN/FIN/ACK/RST closes the entry
        "ESTABLISHED,  INPUT,      NONE,    CLOSE",
        "ESTABLISHED,  INPUT,      PSH,     CLOSE",
    })
    void shouldFollowTheIpvsStateTable(String state, String direction, String flags, String next) {
        assertEquals(next, TcpState.name(TcpState.next(state(state), direction(direction), flags(flags))));
    }

    @Test
    void shouldNameStatesAsIpvsadmPrintsThem() {
        String[] expected = {"NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT", "CLOSE",
            "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK", "UDP"};
        for (int state = 0; state < expected.length; state++) {
            assertEquals(expected[state], TcpState.name(state));
        }
        assertEquals("ERR!", TcpState.name(expected.length));
    }

    static int state(String name) {
        for (int state = 0; state <= TcpState.UDP; state++) {
            if (TcpState.name(state).equals(name)) {
                return state;
            }
        }
        throw new IllegalArgumentException("no TCP state named '" + name + "'");
    }

    private static int direction(String name) {
        return switch (name) {
            case "INPUT" -> TcpState.INPUT;
            case "OUTPUT" -> TcpState.OUTPUT;
            case "INPUT_ONLY" -> TcpState.INPUT_ONLY;
            default -> throw new IllegalArgumentException("no direction named '" + name + "'");
        };
    }

    static int flags(String names) {
        int flags = 0;
        for (String name : names.split("\\+")) {
            flags |= switch (name) {
                case "SYN" -> TcpState.SYN;
                case "ACK" -> TcpState.ACK;
                case "FIN" -> TcpState.FIN;
                case "RST" -> TcpState.RST;
                case "PSH" -> 0x08;
                case "NONE" -> 0;
                default -> throw new IllegalArgumentException("no TCP flag named '" + name + "'");
            };
        }
        return flags;
    }
}
