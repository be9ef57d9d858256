package org.jvs.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;

class LocalPortsTest {
    private static final long T0 = 1_000_000_000L;
    private static final int TCP = Protocol.TCP;
    private static final int UDP = Protocol.UDP;
    private static final int CLIENT = Ipv4.parse("203.0.113.7");
    private static final int VIP = Ipv4.parse("203.0.113.10");
    private static final int LIP1 = Ipv4.parse("192.0.2.100");
    private static final int LIP2 = Ipv4.parse("192.0.2.101");
    private static final int RIP = Ipv4.parse("192.0.2.11");

    private final ConnectionTable table = new ConnectionTable(4096, new Timeouts());
    private final LocalPorts ports = new LocalPorts(table);
    private final RealServer server = new RealServer(RIP, 8080, ForwardingMethod.FULLNAT, 1);

    private int open(int protocol, int clientPort, int localAddress) {
        int port = ports.allocate(protocol, localAddress, RIP, 8080);
        if (port != LocalPorts.NONE) {
            table.create(protocol, CLIENT, clientPort, VIP, 80, server, 8080, localAddress, port, true, T0);
        }
        return port;
    }

    @Test
    void shouldFindAFullNatReplyByRealServerAndLocalAddressAndPort() {
        int id = table.create(TCP, CLIENT, 40000, VIP, 80, server, 8080, LIP1, 2000, true, T0);

        assertEquals(id, table.lookupOut(TCP, RIP, 8080, LIP1, 2000));
        assertEquals(ConnectionTable.NONE, table.lookupOut(TCP, RIP, 8080, CLIENT, 40000));
        assertEquals(id, table.lookupIn(TCP, CLIENT, 40000, VIP, 80));
        assertEquals(LIP1, table.localAddress(id));
        assertEquals(2000, table.localPort(id));
    }

    @Test
    void shouldGiveEveryLiveConnectionItsOwnPortUntilTheRangeIsExhausted() {
        ports.range(5000, 5999);
        Set<Integer> seen = new HashSet<>();

        for (int i = 0; i < 1000; i++) {
            seen.add(open(TCP, 10000 + i, LIP1));
        }

        assertEquals(1000, seen.size());
        assertEquals(LocalPorts.NONE, open(TCP, 20000, LIP1));
    }

    @Test
    void shouldGiveAWorkerOnlyThePortsThatSteerItsRepliesBackToIt() {
        ports.range(5000, 5999);
        ports.partition(1, 3);
        Set<Integer> seen = new HashSet<>();

        for (int i = 0; i < 400; i++) {
            int port = open(TCP, 10000 + i, LIP1);
            if (port != LocalPorts.NONE) {
                assertEquals(1, port % 3, "port " + port);
                seen.add(port);
            }
        }

        assertEquals(333, seen.size()); // 5002, 5005, ... 5998
        assertEquals(LocalPorts.NONE, open(TCP, 20000, LIP1));
    }

    @Test
    void shouldKeepPortsOfEachLocalAddressAndProtocolApart() {
        ports.range(5000, 5000);

        assertEquals(5000, open(TCP, 1, LIP1));
        assertEquals(5000, open(TCP, 2, LIP2));
        assertEquals(5000, open(UDP, 3, LIP1));
        assertEquals(LocalPorts.NONE, open(TCP, 4, LIP1));
    }

    @Test
    void shouldHandOutAFreedPortOnlyAfterItsEntryIsGone() {
        ports.range(5000, 5001);
        int first = open(TCP, 1, LIP1);
        open(TCP, 2, LIP1);
        assertEquals(LocalPorts.NONE, open(TCP, 3, LIP1));

        table.remove(table.lookupIn(TCP, CLIENT, 1, VIP, 80));

        assertEquals(first, open(TCP, 3, LIP1));
    }

    @Test
    void shouldRotateRatherThanReuseTheLastFreedPort() {
        ports.range(5000, 5009);
        int first = open(TCP, 1, LIP1);
        table.remove(table.lookupIn(TCP, CLIENT, 1, VIP, 80));

        assertNotEquals(first, open(TCP, 2, LIP1));
    }

    @Test
    void shouldGiveUpAfterBoundedTriesInAHugeFullRange() {
        ConnectionTable big = new ConnectionTable(LocalPorts.MAX_TRIES + 8, new Timeouts());
        LocalPorts bounded = new LocalPorts(big);
        for (int i = 0; i < LocalPorts.MAX_TRIES; i++) {
            big.create(TCP, CLIENT, i, VIP, 80, server, 8080, LIP1, 1024 + i, true, T0);
        }

        assertEquals(LocalPorts.NONE, bounded.allocate(TCP, LIP1, RIP, 8080), "the next 4096 ports are all taken");
        assertEquals(1024 + LocalPorts.MAX_TRIES, bounded.allocate(TCP, LIP1, RIP, 8080), "the cursor moved on");
    }

    @ParameterizedTest
    @CsvSource({"0, 100", "100, 99", "1, 65536", "-5, 10"})
    void shouldRefuseAnInvalidRange(int lowest, int highest) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ports.range(lowest, highest));

        assertEquals("full-NAT port range " + lowest + "-" + highest
                + " is invalid (expected LOW-HIGH with 1 <= LOW <= HIGH <= 65535)", refused.getMessage());
    }
}
