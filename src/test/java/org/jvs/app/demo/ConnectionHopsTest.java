package org.jvs.app.demo;

import static org.jvs.app.demo.GoldenFrames.SYN;
import static org.jvs.app.demo.GoldenFrames.SYN_ACK;
import static org.jvs.app.demo.GoldenFrames.decode;
import static org.jvs.app.demo.GoldenFrames.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConnectionHopsTest {
    private static final String MAC_A = "02:00:00:00:00:01";
    private static final String MAC_B = "02:00:00:00:00:02";
    private static final int VIP = 0xCB00_710A;

    @Test
    void shouldNameTheStepsNotSeen() {
        List<Hop> seen = List.of(new Hop(Hop.CLIENT_SIDE, 1, decode(tcp(MAC_A, MAC_B,
                "198.51.100.2:41234", "203.0.113.10:80", SYN))));
        ConnectionHops hops = ConnectionHops.of(seen, VIP, 80);
        assertEquals(List.of("the SYN on the real-server side", "the real server's SYN-ACK on the real-server side",
                "the SYN-ACK reaching the client"), hops.missing(true));
        assertEquals(List.of("the SYN on the real-server side", "the SYN-ACK reaching the client"),
                hops.missing(false));
    }

    @Test
    void shouldNotTakeAReplyToAnotherClientPortForTheConnectionsReply() {
        List<Hop> seen = List.of(
                new Hop(Hop.CLIENT_SIDE, 1, decode(tcp(MAC_A, MAC_B, "198.51.100.2:41234", "203.0.113.10:80", SYN))),
                new Hop(Hop.CLIENT_SIDE, 2, decode(tcp(MAC_B, MAC_A, "203.0.113.10:80", "198.51.100.2:41235",
                        SYN_ACK))));
        assertEquals(1, ConnectionHops.of(seen, VIP, 80).inOrder().size());
    }

    @Test
    void shouldDecodeOnlyWholeIpv4Headers() {
        byte[] syn = tcp(MAC_A, MAC_B, "198.51.100.2:41234", "203.0.113.10:80", SYN);
        assertNull(decode(GoldenFrames.arp(MAC_A)), "ARP is not shown");
        assertNull(SeenFrame.decode(MemorySegment.ofArray(syn), 14 + 19), "IPv4 header cut short");
        SeenFrame withoutPorts = SeenFrame.decode(MemorySegment.ofArray(Arrays.copyOf(syn, 14 + 20 + 10)), 14 + 30);
        assertEquals(0, withoutPorts.sourcePort(), "a TCP header cut short gives no ports");
        assertTrue(decode(syn).isSyn() && !decode(syn).isSynAck());
    }
}
