package org.jvs.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;

class LocalPortsIpv6Test {
    private static final long T0 = 1_000_000_000L;
    private static final int TCP = Protocol.TCP;
    private static final int UDP = Protocol.UDP;
    private static final Ipv6 CLIENT = Ipv6.parse("2001:db8:c::7");
    private static final Ipv6 VIP = Ipv6.parse("2001:db8:f::10");
    private static final Ipv6 LIP1 = Ipv6.parse("2001:db8:d::100");
    private static final Ipv6 LIP2 = Ipv6.parse("2001:db8:d::101");
    private static final Ipv6 RIP = Ipv6.parse("2001:db8:5::11");

    private final ConnectionTable table = new ConnectionTable(4096, new Timeouts());
    private final LocalPorts ports = new LocalPorts(table);
    private final RealServer server = new RealServer(RIP, 8080, ForwardingMethod.FULLNAT, 1);

    private int open(int protocol, int clientPort, Ipv6 lip) {
        int port = ports.allocate6(protocol, lip.hi(), lip.lo(), RIP.hi(), RIP.lo(), 8080);
        if (port != LocalPorts.NONE) {
            table.create6(protocol, CLIENT.hi(), CLIENT.lo(), clientPort, VIP.hi(), VIP.lo(), 80, server, 8080,
                    lip.hi(), lip.lo(), port, true, T0);
        }
        return port;
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
    void shouldKeepPortsOfEachIpv6LocalAddressAndProtocolApart() {
        ports.range(5000, 5000);

        assertEquals(5000, open(TCP, 1, LIP1));
        assertEquals(5000, open(TCP, 2, LIP2), "LIP2 has its own tuples");
        assertEquals(5000, open(UDP, 3, LIP1));
        assertEquals(LocalPorts.NONE, open(TCP, 4, LIP1));
        assertEquals(LocalPorts.NONE, open(TCP, 5, LIP2));
    }

    /** ::192.0.2.100 folds to 192.0.2.100: the IPv4 LIP's ports say nothing of the IPv6 one's, nor the reverse. */
    @Test
    void shouldKeepAnIpv4LocalAddressOfTheSameFoldApart() {
        ports.range(5000, 5000);
        int lip4 = (192 << 24) | (2 << 8) | 100;
        Ipv6 lip6 = new Ipv6(0, lip4 & 0xFFFF_FFFFL);
        int rip4 = Ipv6.fold(RIP.hi(), RIP.lo());
        RealServer server4 = new RealServer(rip4, 8080, ForwardingMethod.FULLNAT, 1);
        int port4 = ports.allocate(TCP, lip4, rip4, 8080);
        table.create(TCP, 1, 1, 2, 80, server4, 8080, lip4, port4, true, T0);

        assertEquals(5000, port4);
        assertEquals(5000, open(TCP, 1, lip6));
        assertEquals(LocalPorts.NONE, ports.allocate(TCP, lip4, rip4, 8080));
        assertEquals(LocalPorts.NONE, open(TCP, 2, lip6));
    }

    @Test
    void shouldHandOutAFreedPortOnlyAfterItsEntryIsGoneAndRotateBeforeReusingIt() {
        ports.range(5000, 5002);
        int first = open(TCP, 1, LIP1);
        open(TCP, 2, LIP1);
        table.remove(table.lookupIn6(TCP, CLIENT.hi(), CLIENT.lo(), 1, VIP.hi(), VIP.lo(), 80));

        int third = open(TCP, 3, LIP1);
        assertNotEquals(first, third, "the cursor goes round before reusing a freed port");
        assertEquals(first, open(TCP, 4, LIP1));
        assertEquals(LocalPorts.NONE, open(TCP, 5, LIP1));
    }

    @Test
    void shouldGiveAWorkerOnlyItsPartitionOnAnIpv6LocalAddress() {
        ports.range(5000, 5999);
        ports.partition(2, 4);

        for (int i = 0; i < 300; i++) {
            int port = open(TCP, 10000 + i, LIP1);
            if (port != LocalPorts.NONE) {
                assertEquals(2, port % 4, "port " + port);
            }
        }
        assertEquals(LocalPorts.NONE, open(TCP, 20000, LIP1), "250 ports in the partition");
    }
}
