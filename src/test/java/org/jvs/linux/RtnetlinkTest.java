package org.jvs.linux;

import org.jvs.service.Ipv4;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtnetlinkTest {
    private static final int MAIN = Rtnetlink.RT_TABLE_MAIN;
    private static CapturedDumps dumps;

    @BeforeAll
    static void decodeCapturedDumps() throws IOException {
        dumps = CapturedDumps.decodeAll();
    }

    @ParameterizedTest
    @CsvSource({
            // type,   family header: family then zeros
            "18, 2000000012000103070000000000000000000000000000000000000000000000",
            "22, 180000001600010307000000000000000200000000000000",
            "26, 1c0000001a0001030700000000000000020000000000000000000000",
            "30, 1c0000001e0001030700000000000000020000000000000000000000",
    })
    void shouldEncodeDumpRequestWithFamilyHeader(int type, String expectedHex) {
        MemorySegment buffer = MemorySegment.ofArray(new byte[64]).fill((byte) 0x5A);
        int length = Rtnetlink.encodeDumpRequest(buffer, type, 7);
        assertEquals(expectedHex, HexFormat.of().formatHex(buffer.asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
    }

    @Test
    void shouldRejectUnknownDumpType() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Rtnetlink.encodeDumpRequest(MemorySegment.ofArray(new byte[64]), 99, 1));
        assertTrue(error.getMessage().contains("99"), error.getMessage());
    }

    @Test
    void shouldDecodeLinksWithNameMacMtuAndFlags() {
        assertEquals(List.of(
                        new Rtnetlink.Link(1, "lo", 0, 65536, 0x10049, 772),
                        new Rtnetlink.Link(2, "jvst-c2", 0x02005e100012L, 1500, 0x11043, 1),
                        new Rtnetlink.Link(3, "jvst-c1", 0x02005e100011L, 1400, 0x11043, 1)),
                dumps.links);
        assertTrue(dumps.links.get(0).loopback() && dumps.links.get(0).up());
    }

    @Test
    void shouldDecodeAddressesMarkingSecondaries() {
        assertEquals(List.of("1 127.0.0.1/8 primary", "3 198.51.100.1/24 primary", "3 198.51.100.9/24 secondary"),
                dumps.addresses.stream().map(a -> a.ifindex() + " " + Ipv4.toString(a.address()) + "/" + a.prefixLength()
                        + (a.secondary() ? " secondary" : " primary")).toList());
    }

    @ParameterizedTest
    @CsvSource({
            // destination/prefix, gateway,       oif, prefsrc,      metric, mtu
            "0.0.0.0/0,          198.51.100.254,  3,   0.0.0.0,      0,      0",
            "198.18.0.0/15,      198.51.100.250,  3,   0.0.0.0,      0,      0",
            "198.51.100.0/24,    0.0.0.0,         3,   198.51.100.1, 0,      0",
            "203.0.113.0/24,     198.51.100.253,  3,   0.0.0.0,      50,     1300",
    })
    void shouldDecodeMainTableRoutes(String prefix, String gateway, int oif, String prefsrc, int metric, int mtu) {
        String[] parts = prefix.split("/");
        Rtnetlink.Route expected = new Rtnetlink.Route(MAIN, Rtnetlink.RTN_UNICAST, Ipv4.parse(parts[0]),
                Integer.parseInt(parts[1]), Ipv4.parse(gateway), oif, Ipv4.parse(prefsrc), metric, mtu);
        assertTrue(dumps.routes.contains(expected), "missing " + expected + " in " + dumps.routes);
    }

    @Test
    void shouldDecodeOnlyIpv4MainAndLocalTableRoutes() {
        assertEquals(4, dumps.routes.stream().filter(r -> r.table() == MAIN).count(), dumps.routes.toString());
        assertTrue(dumps.routes.stream().allMatch(r -> r.table() == MAIN || r.table() == 255), dumps.routes.toString());
    }

    @Test
    void shouldDecodeNeighboursWithStateAndMac() {
        assertEquals(List.of(
                        new Rtnetlink.Neighbour(3, Ipv4.parse("198.51.100.6"), 0, 0x01),
                        new Rtnetlink.Neighbour(3, Ipv4.parse("198.51.100.7"), 0x02005e100007L, Rtnetlink.NUD_PERMANENT),
                        new Rtnetlink.Neighbour(3, Ipv4.parse("198.51.100.8"), 0x02005e100008L, Rtnetlink.NUD_STALE)),
                dumps.neighbours.stream().sorted(java.util.Comparator.comparingInt(Rtnetlink.Neighbour::address)).toList());
    }

    @Test
    void shouldReportDoneOnlyOnEachDumpsLastDatagram() throws IOException {
        int expectedDone = 0;
        for (String name : List.of("links", "addresses", "routes", "neighbours")) {
            expectedDone++;
            assertTrue(CapturedDumps.datagrams("rtnetlink-" + name + ".hex").size() >= 1);
        }
        assertEquals(expectedDone, dumps.results.stream().filter(r -> (r & Rtnetlink.DONE) != 0).count());
        assertEquals(Rtnetlink.DONE, dumps.results.getLast());
    }

    @Test
    void shouldTurnErrorMessageIntoExceptionNamingErrno() {
        // nlmsghdr{len 36, NLMSG_ERROR} + nlmsgerr{error -EPERM, original header}
        byte[] datagram = HexFormat.of().parseHex("240000000200000007000000000000" + "00" + "ffffffff" + "1c0000001a0001030700000000000000");
        IOException error = assertThrows(IOException.class,
                () -> Rtnetlink.decode(MemorySegment.ofArray(datagram), datagram.length, new Rtnetlink.Listener() { }));
        assertTrue(error.getMessage().contains("errno 1"), error.getMessage());
    }

    @Test
    void shouldTreatAcknowledgementAsDone() throws IOException {
        byte[] datagram = HexFormat.of().parseHex("24000000020000000700000000000000000000001c0000001a0001030700000000000000");
        assertEquals(Rtnetlink.DONE, Rtnetlink.decode(MemorySegment.ofArray(datagram), datagram.length, new Rtnetlink.Listener() { }));
    }

    @Test
    void shouldRejectMessageOverrunningDatagram() {
        byte[] datagram = HexFormat.of().parseHex("4000000010000200070000000000000000000000");
        IOException error = assertThrows(IOException.class,
                () -> Rtnetlink.decode(MemorySegment.ofArray(datagram), datagram.length, new Rtnetlink.Listener() { }));
        assertTrue(error.getMessage().contains("64 bytes"), error.getMessage());
    }

    @Test
    void shouldFlagInterruptedDump() throws IOException {
        byte[] datagram = HexFormat.of().parseHex("1400000003001200070000000000000000000000");
        assertEquals(Rtnetlink.DONE | Rtnetlink.INTERRUPTED,
                Rtnetlink.decode(MemorySegment.ofArray(datagram), datagram.length, new Rtnetlink.Listener() { }));
    }
}
