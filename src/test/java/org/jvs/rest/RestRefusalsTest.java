package org.jvs.rest;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvs.api.ControlException;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.ctl.CommandRunner;
import org.jvs.ctl.FakeDirector;
import org.jvs.ctl.IpvsadmFormatter;
import org.jvs.ctl.IpvsadmParser;
import org.jvs.ctl.NameResolver;
import org.jvs.ctl.Reply;
import org.jvs.rest.RestFixture.Answer;
import org.jvs.sched.SchedulerRegistry;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the API refuses: each change the director refuses, side by side with jvsadm giving the same change to a
 * director in the same state (same message, and nothing changed either way), then bodies and parameters that are not
 * what a field expects (400 naming the field, and the director never called).
 */
class RestRefusalsTest {
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ipv4.parse("203.0.113.10"), 80);
    private static final String WEB_PATH = "/services/tcp:203.0.113.10:80";

    private final FakeDirector director = new FakeDirector();
    private final RestFixture rest = new RestFixture(director);

    @BeforeEach
    void addWeb() throws ControlException {
        table(director);
    }

    @AfterEach
    void stop() {
        rest.close();
    }

    /** TCP 203.0.113.10:80 rr, one NAT real server 192.0.2.11:80 and one local address 192.0.2.100. */
    private static void table(FakeDirector fake) throws ControlException {
        fake.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        fake.addRealServer(WEB, new RealServerSpec(Ipv4.parse("192.0.2.11"), 80, ForwardingMethod.MASQ, 1, 0, 0));
        fake.addLocalAddress(WEB, new LocalAddressSpec(Ipv4.parse("192.0.2.100"), ""));
        fake.calls.clear();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("-A -t 203.0.113.10:80 -s rr", "POST", "/services",
                        "{\"protocol\": \"tcp\", \"address\": \"203.0.113.10\", \"port\": 80, \"scheduler\": \"rr\"}",
                        409, null),
                Arguments.of("-A -t 203.0.113.11:80 -s fastest", "POST", "/services",
                        "{\"protocol\": \"tcp\", \"address\": \"203.0.113.11\", \"port\": 80, \"scheduler\": \"fastest\"}",
                        422, "scheduler"),
                Arguments.of("-E -t 203.0.113.10:80 -s fastest", "PUT", WEB_PATH, "{\"scheduler\": \"fastest\"}",
                        422, "scheduler"),
                Arguments.of("-E -t 203.0.113.99:80 -s rr", "PUT", "/services/tcp:203.0.113.99:80",
                        "{\"scheduler\": \"rr\"}", 404, null),
                Arguments.of("-D -t 203.0.113.99:80", "DELETE", "/services/tcp:203.0.113.99:80", null, 404, null),
                Arguments.of("-a -t 203.0.113.10:80 -r 192.0.2.11:80 -m", "POST", WEB_PATH + "/real-servers",
                        "{\"address\": \"192.0.2.11\", \"port\": 80, \"forwarding\": \"masq\"}", 409, null),
                Arguments.of("-a -t 203.0.113.99:80 -r 192.0.2.11:80 -m", "POST",
                        "/services/tcp:203.0.113.99:80/real-servers",
                        "{\"address\": \"192.0.2.11\", \"port\": 80, \"forwarding\": \"masq\"}", 404, null),
                Arguments.of("-e -t 203.0.113.10:80 -r 192.0.2.12:80 -m -w 2", "PUT",
                        WEB_PATH + "/real-servers/192.0.2.12:80", "{\"forwarding\": \"masq\", \"weight\": 2}", 404,
                        null),
                Arguments.of("-d -t 203.0.113.10:80 -r 192.0.2.12:80", "DELETE",
                        WEB_PATH + "/real-servers/192.0.2.12:80", null, 404, null),
                Arguments.of("-P -z 192.0.2.100 -t 203.0.113.10:80", "POST", WEB_PATH + "/local-addresses",
                        "{\"address\": \"192.0.2.100\"}", 409, null),
                Arguments.of("-Q -z 192.0.2.101 -t 203.0.113.10:80", "DELETE", WEB_PATH + "/local-addresses/192.0.2.101",
                        null, 404, null),
                Arguments.of("-Z -t 203.0.113.99:80", "POST", "/services/tcp:203.0.113.99:80/zero", null, 404, null));
    }

    @ParameterizedTest(name = "{1} {2} as jvsadm {0}")
    @MethodSource("refusals")
    void shouldRefuseWhatJvsadmRefusesWithItsMessageChangingNothing(String jvsadm, String method, String path,
                                                                      String body, int status, String field)
            throws ControlException {
        FakeDirector twin = new FakeDirector();
        table(twin);
        Reply refused = new CommandRunner(twin, new IpvsadmParser(SchedulerRegistry.names(), NameResolver.numericOnly()),
                new IpvsadmFormatter(NameResolver.numericOnly())).run(Arrays.asList(jvsadm.split(" ")), null);
        JsonNode before = rest.get("/services").json();

        Answer answer = rest.call(method, path, body);

        assertEquals(255, refused.exitCode(), "jvsadm " + jvsadm + " refuses: " + refused);
        assertEquals(status, answer.status(), answer.toString());
        assertTrue(refused.stderr().contains(answer.error()), "jvsadm said " + refused.stderr().strip()
                + ", the API " + answer.error());
        assertEquals(field, answer.field());
        assertEquals(before, rest.get("/services").json(), "nothing changed");
    }

    static Stream<Arguments> badFields() {
        return Stream.of(
                Arguments.of("POST", WEB_PATH + "/real-servers", "{\"address\": \"192.0.2.12\", \"weight\": 70000}",
                        "weight", "illegal weight specified: 70000 (expected an integer from 0 to 65535)"),
                Arguments.of("POST", WEB_PATH + "/real-servers", "{\"address\": \"192.0.2.12\", \"weight\": \"2\"}",
                        "weight", "illegal weight specified: \"2\" (expected an integer from 0 to 65535)"),
                Arguments.of("POST", WEB_PATH + "/real-servers", "{\"address\": \"192.0.2.12\", \"weight\": 1.5}",
                        "weight", "illegal weight specified: 1.5 (expected an integer from 0 to 65535)"),
                Arguments.of("POST", WEB_PATH + "/real-servers", "{\"address\": \"192.0.2.12\", \"upperThreshold\": -1}",
                        "upperThreshold",
                        "illegal upperThreshold specified: -1 (expected an integer from 0 to 2147483647)"),
                Arguments.of("POST", WEB_PATH + "/real-servers", "{\"address\": \"192.0.2.12\", \"forwarding\": \"nat\"}",
                        "forwarding", "illegal forwarding method 'nat' (expected masq, route, tunnel or fullnat)"),
                Arguments.of("POST", WEB_PATH + "/real-servers", "{\"address\": \"192.0.2.300\"}",
                        "address", "'192.0.2.300' is not an IPv4 address (octet 300 > 255)"),
                Arguments.of("POST", WEB_PATH + "/real-servers", "{\"port\": 80}",
                        "address", "missing field 'address' (expected a string)"),
                Arguments.of("POST", WEB_PATH + "/real-servers", "{\"address\": \"192.0.2.12\", \"wieght\": 2}",
                        "wieght", "unknown field 'wieght' (expected address, port, forwarding, weight, upperThreshold, "
                                + "lowerThreshold, tunnelType, tunnelPort, tunnelChecksum, id, activeConnections, "
                                + "inactiveConnections, persistentConnections, stats, rates)"),
                Arguments.of("POST", WEB_PATH + "/real-servers", "{\"address\": \"192.0.2.12\", \"forwarding\": "
                        + "\"tunnel\", \"tunnelType\": \"gue\"}", "tunnelPort",
                        "illegal tunnel gue:0:-c: gue needs a tunnel port 1..65535"),
                Arguments.of("POST", WEB_PATH + "/real-servers", "{\"address\": \"192.0.2.12\", \"forwarding\": "
                        + "\"tunnel\", \"tunnelType\": \"gre\", \"tunnelChecksum\": \"remcsum\"}", "tunnelChecksum",
                        "illegal tunnel gre:r+c: remote checksum is only for gue"),
                Arguments.of("POST", WEB_PATH + "/real-servers", "{\"address\": \"192.0.2.12\", \"forwarding\": "
                        + "\"tunnel\", \"tunnelType\": \"vxlan\"}", "tunnelType",
                        "illegal tunnel type 'vxlan' (expected ipip, gue or gre)"),
                Arguments.of("POST", WEB_PATH + "/real-servers", "{\"address\": \"192.0.2.12\", \"forwarding\": "
                        + "\"masq\", \"tunnelPort\": 6080}", "tunnelPort",
                        "Tunnel options conflict with forward method masq (expected forwarding tunnel, or no tunnel fields)"),
                Arguments.of("PUT", WEB_PATH + "/real-servers/192.0.2.11:80", "{\"address\": \"192.0.2.12\"}",
                        "address", "the body names 192.0.2.12:80, the path 192.0.2.11:80 (expected the same real "
                                + "server, or the field left out)"),
                Arguments.of("POST", "/services", "{\"protocol\": \"sctp\", \"address\": \"203.0.113.12\", \"port\": 80}",
                        "protocol", "'sctp': unknown protocol 'sctp' (expected tcp or udp)"),
                Arguments.of("POST", "/services", "{\"protocol\": \"tcp\", \"address\": \"203.0.113.12\"}",
                        "port", "Zero port specified for non-persistent service (expected a port from 1 to 65535, or"
                                + " a persistenceTimeout)"),
                Arguments.of("POST", "/services",
                        "{\"protocol\": \"tcp\", \"address\": \"203.0.113.12\", \"port\": 80, \"onePacket\": true}",
                        "onePacket", "One-Packet Scheduling is only for UDP virtual services (expected protocol udp,"
                                + " or onePacket false)"),
                Arguments.of("POST", "/services",
                        "{\"protocol\": \"udp\", \"address\": \"203.0.113.12\", \"port\": 53, \"proxyProtocol\": 2}",
                        "proxyProtocol", "PROXY protocol is only for TCP virtual services (expected protocol tcp, or"
                                + " proxyProtocol 0)"),
                Arguments.of("POST", "/services",
                        "{\"protocol\": \"tcp\", \"address\": \"203.0.113.12\", \"port\": 80, \"proxyProtocol\": 3}",
                        "proxyProtocol", "illegal proxyProtocol (0 none, 1 or 2 the PROXY protocol version): 3"
                                + " (expected an integer from 0 to 2)"),
                Arguments.of("POST", "/services", "{\"protocol\": \"tcp\", \"address\": \"203.0.113.12\", \"port\": 80,"
                                + " \"scheduler\": \"rr\", \"schedulerFlags\": \"sh-port\"}",
                        "schedulerFlags", "incompatible scheduler flag 'sh-port' (expected with -s sh, not rr)"),
                Arguments.of("POST", "/services", "{\"protocol\": \"tcp\", \"address\": \"203.0.113.12\", \"port\": 80,"
                                + " \"persistenceTimeout\": 9999999}",
                        "persistenceTimeout", "invalid persistenceTimeout value (seconds, 0 for a service without "
                                + "persistence): 9999999 (expected an integer from 0 to 2678400)"),
                Arguments.of("PUT", WEB_PATH, "{\"port\": 81}", "port",
                        "the body names tcp:203.0.113.10:81, the path tcp:203.0.113.10:80 (expected the same service,"
                                + " or the field left out)"),
                Arguments.of("POST", WEB_PATH + "/local-addresses", "{\"address\": \"192.0.2.101\", \"interface\": \"a/b\"}",
                        "interface", "illegal interface name specified: 'a/b' (expected 1..15 characters without '/',"
                                + " ':' or blanks, or \"\")"),
                Arguments.of("PUT", "/timeouts", "{\"tcp\": -5}", "tcp",
                        "invalid tcp timeout value (seconds, 0 unchanged): -5 (expected an integer from 0 to 2678400)"),
                Arguments.of("GET", "/services/tcp:203.0.113:80", null, "service",
                        "'203.0.113' is not an IPv4 address (expected a.b.c.d)"),
                Arguments.of("GET", "/services/203.0.113.10:80", null, "service",
                        "'203.0.113.10:80': unknown protocol '203.0.113.10' (expected tcp or udp)"),
                Arguments.of("GET", WEB_PATH + "/real-servers/192.0.2.11", null, "realServer",
                        "'192.0.2.11' is not an ADDRESS:PORT (expected ADDRESS:PORT, e.g. 192.0.2.11:80 or [2001:db8::2]:80)"),
                Arguments.of("POST", "/services", "{\"protocol\": \"tcp\",", null, null),
                Arguments.of("POST", "/services", "[1, 2]", null, "expected a JSON object as the request body"),
                Arguments.of("POST", "/services", null, null, "expected a JSON object as the request body"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("badFields")
    void shouldRefuseAFieldThatIsNotWhatItExpectsWith400NamingIt(String method, String path, String body,
                                                                 String field, String message) {
        Answer answer = rest.call(method, path, body);

        assertEquals(400, answer.status(), answer.toString());
        assertEquals(field, answer.field(), answer.toString());
        if (message != null) {
            assertEquals(message, answer.error());
        } else {
            assertTrue(answer.error().startsWith("malformed JSON: "), answer.error());
        }
        assertEquals(List.of(), director.calls, "the director was not called");
    }
}
