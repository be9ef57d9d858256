package org.jvs.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Checkers aimed at an IPv6 real server connect over IPv6 and name it as keepalived does. */
class Ipv6CheckersTest {

    @Test
    void shouldConnectATcpCheckToAnIpv6RealServerOverIpv6() throws Exception {
        InetAddress loopback = InetAddress.getByName("::1");
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(loopback, 0));
            Thread.ofVirtual().start(() -> accept(server));

            CheckResult result = Checker.of(new TcpCheckSpec(Specs.common())).check(loopback, server.getLocalPort());

            assertTrue(result.up(), result.reason());
        }
    }

    private static void accept(ServerSocket server) {
        try (Socket _ = server.accept()) {
            // the connection is the check
        } catch (IOException closed) {
            // the test is over
        }
    }

    @Test
    void shouldFailATcpCheckOfAClosedIpv6Port() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            closedPort = probe.getLocalPort();
        }

        CheckResult result = Checker.of(new TcpCheckSpec(Specs.common())).check(InetAddress.getByName("::1"),
                closedPort);

        assertEquals(CheckResult.fail("connect refused"), result);
    }

    @Test
    void shouldNameAnIpv6HostInBracketsAsKeepalivedsRequest() throws Exception {
        UrlSpec url = new UrlSpec("/health", "", List.of(), "");
        HttpGetChecker checker = new HttpGetChecker(new HttpGetSpec(Specs.common(), false, "", List.of(url)));

        String request = checker.request(url, InetAddress.getByName("2001:db8:0:0:0:0:0:2"), 8080);

        assertEquals("GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: [2001:db8::2]:8080\r\n\r\n",
                request);
    }

    @Test
    void shouldPrintAddressesAsInetNtop() throws Exception {
        assertEquals("2001:db8::2", Connections.text(InetAddress.getByName("2001:db8:0:0:0:0:0:2")));
        assertEquals("192.0.2.7", Connections.text(InetAddress.getByName("192.0.2.7")));
        assertEquals("192.0.2.7", Connections.host(InetAddress.getByName("192.0.2.7")));
    }

    @Test
    void shouldKeepAnIpv4ConnectIpOverAnIpv6RealServer() throws Exception {
        CheckCommon common = Specs.common(Specs.address("192.0.2.9"), 0, 0, 0);

        assertEquals(InetAddress.getByName("192.0.2.9"),
                Connections.connectAddress(common, InetAddress.getByName("2001:db8::2")));
        assertEquals(InetAddress.getByName("2001:db8::2"),
                Connections.connectAddress(Specs.common(), InetAddress.getByName("2001:db8::2")));
    }
}
