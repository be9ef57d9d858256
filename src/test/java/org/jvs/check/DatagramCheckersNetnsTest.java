package org.jvs.check;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** UDP_CHECK, DNS_CHECK and PING_CHECK against responders inside a namespace the test creates. */
@Tag("netns")
class DatagramCheckersNetnsTest {
    private static final int ECHO = 9000;
    private static final int CLOSED = 9001;
    private static final int SILENT = 9002;
    private static final int DNS = 53;
    private static final byte[] ECHO_REPLY = "0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static CheckNamespace namespace;
    private static DatagramSocket echo;
    private static DatagramSocket silent;
    private static DatagramSocket dns;

    @BeforeAll
    static void startResponders() throws Exception {
        namespace = new CheckNamespace("jvst-chkd");
        namespace.call(() -> {
            echo = new DatagramSocket(new InetSocketAddress(Connections.inet(CheckNamespace.SERVER), ECHO));
            silent = new DatagramSocket(new InetSocketAddress(Connections.inet(CheckNamespace.SERVER), SILENT));
            dns = new DatagramSocket(new InetSocketAddress(Connections.inet(CheckNamespace.SERVER), DNS));
            return null;
        });
        namespace.start(() -> {
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            while (true) {
                packet.setLength(2048);
                echo.receive(packet);
                echo.send(new DatagramPacket(ECHO_REPLY, ECHO_REPLY.length, packet.getSocketAddress()));
            }
        });
        namespace.start(() -> {
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            while (true) {
                packet.setLength(2048);
                dns.receive(packet);
                byte[] reply = answer(Arrays.copyOf(packet.getData(), packet.getLength()));
                dns.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            }
        });
    }

    @AfterAll
    static void stopResponders() {
        try {
            for (DatagramSocket socket : new DatagramSocket[] {echo, silent, dns}) {
                if (socket != null) {
                    socket.close();
                }
            }
        } finally {
            if (namespace != null) {
                namespace.close();
            }
        }
    }

    /** A one-zone DNS server: example.org has one A record and nothing else; every other name is NXDOMAIN. */
    private static byte[] answer(byte[] query) {
        int nameEnd = 12;
        StringBuilder name = new StringBuilder();
        while (query[nameEnd] != 0) {
            int length = query[nameEnd];
            name.append(name.isEmpty() ? "" : ".").append(new String(query, nameEnd + 1, length, java.nio.charset.StandardCharsets.US_ASCII));
            nameEnd += 1 + length;
        }
        int type = (query[nameEnd + 1] & 0xFF) << 8 | query[nameEnd + 2] & 0xFF;
        int questionEnd = nameEnd + 5;
        boolean known = name.toString().equals("example.org");
        boolean hasAnswer = known && type == 1;
        ByteBuffer reply = ByteBuffer.allocate(questionEnd + 16);
        reply.put(query, 0, 2)
                .putShort((short) (0x8180 | (known ? 0 : 3)))
                .putShort((short) 1).putShort((short) (hasAnswer ? 1 : 0)).putShort((short) 0).putShort((short) 0)
                .put(query, 12, questionEnd - 12);
        if (hasAnswer) {
            reply.putShort((short) 0xC00C).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4)
                    .putInt(0xC6336407);
        }
        return Arrays.copyOf(reply.array(), reply.position());
    }

    private static CheckResult check(CheckSpec spec, int address, int port) throws Exception {
        return namespace.call(() -> Checker.of(spec).check(address, port));
    }

    private static UdpCheckSpec udp(boolean requireReply, int min, int max) {
        return new UdpCheckSpec(Specs.common(), "68656c6c6f", requireReply, min, max);
    }

    @ParameterizedTest(name = "port {0}, require_reply {1}, length {2}-{3} -> {5}")
    @CsvSource({
        "9000, false, 0,  0,  true,  reply of 10 bytes",
        "9000, true,  0,  0,  true,  reply of 10 bytes",
        "9000, true,  10, 10, true,  reply of 10 bytes",
        "9000, true,  11, 0,  false, 'reply of 10 bytes, expected at least 11'",
        "9000, true,  0,  9,  false, 'reply of 10 bytes, expected at most 9'",
        "9001, false, 0,  0,  false, port unreachable",
        "9001, true,  0,  0,  false, port unreachable",
        "9002, false, 0,  0,  true,  no error within 500 ms",
        "9002, true,  0,  0,  false, no reply within 500 ms",
    })
    void shouldJudgeUdpByIcmpErrorAndReply(int port, boolean requireReply, int min, int max, boolean up, String reason)
            throws Exception {
        assertEquals(new CheckResult(up, reason, CheckResult.NO_WEIGHT),
                check(udp(requireReply, min, max), CheckNamespace.SERVER, port));
    }

    @Test
    void shouldSendUdpWithoutPayloadToConnectPort() throws Exception {
        UdpCheckSpec spec = new UdpCheckSpec(Specs.common(CheckNamespace.SERVER, ECHO, CheckNamespace.CLIENT, 0), "", true, 0, 0);
        assertEquals(CheckResult.pass("reply of 10 bytes"), check(spec, CheckNamespace.NOWHERE, CLOSED));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource({
        "A,  example.org,    true,  1 A answer for example.org",
        "MX, example.org,    false, no MX answer for example.org",
        "A,  nx.example.org, false, rcode NXDOMAIN for nx.example.org",
    })
    void shouldPassDnsOnlyWithAnAnswerOfTheTypeAsked(String type, String name, boolean up, String reason)
            throws Exception {
        DnsCheckSpec spec = new DnsCheckSpec(Specs.common(), type, name);
        assertEquals(new CheckResult(up, reason, CheckResult.NO_WEIGHT), check(spec, CheckNamespace.SERVER, DNS));
    }

    @Test
    void shouldFailDnsWhenNothingAnswers() throws Exception {
        DnsCheckSpec spec = new DnsCheckSpec(Specs.common(), "SOA", ".");
        assertEquals(CheckResult.fail("timeout after 500 ms"), check(spec, CheckNamespace.SERVER, SILENT));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
        "192.0.2.1,   true,  echo reply",
        "203.0.113.2, false, no echo reply within 500 ms",
    })
    void shouldPassPingOnlyOnEchoReply(String address, boolean up, String reason) throws Exception {
        assertEquals(new CheckResult(up, reason, CheckResult.NO_WEIGHT),
                check(new PingCheckSpec(Specs.common()), Specs.address(address), 0));
    }

    @Test
    void shouldFailPingWhenHostIgnoresEchoEvenThoughTcpPort7Refuses() throws Exception {
        // a TCP fallback would count the refused port 7 as reachable; a real echo request must not
        namespace.sysctl("net.ipv4.icmp_echo_ignore_all=1");
        try {
            assertEquals(CheckResult.fail("no echo reply within 500 ms"),
                    check(new PingCheckSpec(Specs.common()), CheckNamespace.SERVER, 0));
        } finally {
            namespace.sysctl("net.ipv4.icmp_echo_ignore_all=0");
        }
    }
}
