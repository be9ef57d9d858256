package org.jvs.app.demo;

import static org.jvs.app.demo.GoldenFrames.SYN;
import static org.jvs.app.demo.GoldenFrames.SYN_ACK;
import static org.jvs.app.demo.GoldenFrames.decode;
import static org.jvs.app.demo.GoldenFrames.ipip;
import static org.jvs.app.demo.GoldenFrames.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HopFormatterTest {
    private static final String CLIENT_MAC = "02:00:c6:33:64:02";
    private static final String DIRECTOR_OUTSIDE_MAC = "02:00:c6:33:64:01";
    private static final String DIRECTOR_INSIDE_MAC = "02:00:c0:00:02:01";
    private static final String RS1_MAC = "02:00:c0:00:02:0b";
    private static final String RS1_RETURN_MAC = "02:00:c6:12:0a:0b";
    private static final String CLIENT_RETURN_MAC = "02:00:c6:12:0a:02";

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of(Named.of("NAT: client->VIP, client->RIP, RIP->client, VIP->client", List.of(
                        hop(Hop.CLIENT_SIDE, tcp(CLIENT_MAC, DIRECTOR_OUTSIDE_MAC,
                                "198.51.100.2:41234", "203.0.113.10:80", SYN)),
                        hop(Hop.REAL_SERVER_SIDE, tcp(DIRECTOR_INSIDE_MAC, RS1_MAC,
                                "198.51.100.2:41234", "192.0.2.11:80", SYN)),
                        hop(Hop.REAL_SERVER_SIDE, tcp(RS1_MAC, DIRECTOR_INSIDE_MAC,
                                "192.0.2.11:80", "198.51.100.2:41234", SYN_ACK)),
                        hop(Hop.CLIENT_SIDE, tcp(DIRECTOR_OUTSIDE_MAC, CLIENT_MAC,
                                "203.0.113.10:80", "198.51.100.2:41234", SYN_ACK)))), false, List.of(
                        "  client side       198.51.100.2:41234 -> 203.0.113.10:80     TCP SYN",
                        "  real-server side  198.51.100.2:41234 -> 192.0.2.11:80       TCP SYN",
                        "  real-server side  192.0.2.11:80      -> 198.51.100.2:41234  TCP SYN-ACK",
                        "  client side       203.0.113.10:80    -> 198.51.100.2:41234  TCP SYN-ACK")),
                Arguments.of(Named.of("full NAT: client->VIP, LIP->RIP, RIP->LIP, VIP->client", List.of(
                        hop(Hop.CLIENT_SIDE, tcp(CLIENT_MAC, DIRECTOR_OUTSIDE_MAC,
                                "198.51.100.2:41234", "203.0.113.10:80", SYN)),
                        hop(Hop.REAL_SERVER_SIDE, tcp(DIRECTOR_INSIDE_MAC, RS1_MAC,
                                "192.0.2.1:1024", "192.0.2.11:80", SYN)),
                        hop(Hop.REAL_SERVER_SIDE, tcp(RS1_MAC, DIRECTOR_INSIDE_MAC,
                                "192.0.2.11:80", "192.0.2.1:1024", SYN_ACK)),
                        hop(Hop.CLIENT_SIDE, tcp(DIRECTOR_OUTSIDE_MAC, CLIENT_MAC,
                                "203.0.113.10:80", "198.51.100.2:41234", SYN_ACK)))), false, List.of(
                        "  client side       198.51.100.2:41234 -> 203.0.113.10:80     TCP SYN",
                        "  real-server side  192.0.2.1:1024     -> 192.0.2.11:80       TCP SYN",
                        "  real-server side  192.0.2.11:80      -> 192.0.2.1:1024      TCP SYN-ACK",
                        "  client side       203.0.113.10:80    -> 198.51.100.2:41234  TCP SYN-ACK")),
                Arguments.of(Named.of("TUN: outer DIP->RIP around the inner client->VIP", List.of(
                        hop(Hop.CLIENT_SIDE, tcp(CLIENT_MAC, DIRECTOR_OUTSIDE_MAC,
                                "198.51.100.2:41234", "203.0.113.10:80", SYN)),
                        hop(Hop.REAL_SERVER_SIDE, ipip(DIRECTOR_INSIDE_MAC, RS1_MAC, "192.0.2.1", "192.0.2.11",
                                "198.51.100.2:41234", "203.0.113.10:80", SYN)),
                        hop(Hop.RETURN_LINK, tcp(RS1_RETURN_MAC, CLIENT_RETURN_MAC,
                                "203.0.113.10:80", "198.51.100.2:41234", SYN_ACK)))), false, List.of(
                        "  client side       198.51.100.2:41234 -> 203.0.113.10:80     TCP SYN",
                        "  real-server side  192.0.2.1          -> 192.0.2.11          IPIP, inside:",
                        "                    198.51.100.2:41234 -> 203.0.113.10:80     TCP SYN",
                        "  return link       203.0.113.10:80    -> 198.51.100.2:41234  TCP SYN-ACK")),
                Arguments.of(Named.of("DR: same addresses, the MACs change", List.of(
                        hop(Hop.CLIENT_SIDE, tcp(CLIENT_MAC, DIRECTOR_OUTSIDE_MAC,
                                "198.51.100.2:41234", "203.0.113.10:80", SYN)),
                        hop(Hop.REAL_SERVER_SIDE, tcp(DIRECTOR_INSIDE_MAC, RS1_MAC,
                                "198.51.100.2:41234", "203.0.113.10:80", SYN)),
                        hop(Hop.RETURN_LINK, tcp(RS1_RETURN_MAC, CLIENT_RETURN_MAC,
                                "203.0.113.10:80", "198.51.100.2:41234", SYN_ACK)))), true, List.of(
                        "  client side       198.51.100.2:41234 -> 203.0.113.10:80     TCP SYN",
                        "                    02:00:c6:33:64:02  -> 02:00:c6:33:64:01   Ethernet",
                        "  real-server side  198.51.100.2:41234 -> 203.0.113.10:80     TCP SYN",
                        "                    02:00:c0:00:02:01  -> 02:00:c0:00:02:0b   Ethernet",
                        "  return link       203.0.113.10:80    -> 198.51.100.2:41234  TCP SYN-ACK",
                        "                    02:00:c6:12:0a:0b  -> 02:00:c6:12:0a:02   Ethernet")));
    }

    @ParameterizedTest
    @MethodSource("modes")
    void shouldPrintEachHopAlignedAsSeenOnItsLink(List<Hop> hops, boolean withMacs, List<String> expected) {
        assertEquals(expected, HopFormatter.format(hops, withMacs));
    }

    @ParameterizedTest
    @MethodSource("modes")
    void shouldFindTheSameHopsAmongOtherTrafficAndPrintThemInTheOrderTheyHappened(List<Hop> hops, boolean withMacs,
                                                                                 List<String> expected) {
        List<Hop> shuffled = new java.util.ArrayList<>(hops.reversed());
        shuffled.add(hop(Hop.CLIENT_SIDE, tcp(CLIENT_MAC, DIRECTOR_OUTSIDE_MAC,
                "198.51.100.2:41234", "203.0.113.10:80", SYN), 99)); // a retransmission, later
        shuffled.add(hop(Hop.CLIENT_SIDE, tcp(CLIENT_MAC, DIRECTOR_OUTSIDE_MAC,
                "198.51.100.2:50000", "203.0.113.10:443", SYN), 0)); // another service, earlier
        ConnectionHops found = ConnectionHops.of(shuffled, 0xCB00_710A, 80);
        assertEquals(expected, HopFormatter.format(found.inOrder(), withMacs));
        assertEquals(List.of(), found.missing(hops.size() == 4));
    }

    private static int clock;

    private static Hop hop(String link, byte[] frame) {
        return hop(link, frame, 10 + clock++);
    }

    private static Hop hop(String link, byte[] frame, long timestampNs) {
        return new Hop(link, timestampNs, decode(frame));
    }
}
