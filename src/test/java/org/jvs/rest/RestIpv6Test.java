package org.jvs.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.ctl.FakeDirector;
import org.jvs.rest.RestFixture.Answer;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;

/**
 * IPv6 in the API: ids with the address bracketed before a port (as ipvsadm writes it), bodies, the prefix-length
 * persistence netmask, connection filters, and a director's refusal of IPv6 answered about the field "address".
 */
class RestIpv6Test {
    private static final IpAddress VIP6 = IpAddress.parse("2001:db8::10");
    private static final ServiceKey WEB6 = new ServiceKey(Protocol.TCP, VIP6, 80);
    /** '[' and ']' as a client must send them in a path. */
    private static final String WEB6_PATH = "/services/tcp:%5B2001:db8::10%5D:80";

    private final FakeDirector director = new FakeDirector();
    private final RestFixture rest = new RestFixture(director);

    @AfterEach
    void stop() {
        rest.close();
    }

    @Test
    void shouldAddAnIpv6ServiceAndAnswerItWithItsBracketedId() {
        Answer added = rest.call("POST", "/services", """
                {"protocol": "tcp", "address": "2001:DB8::0:10", "port": 80, "persistenceTimeout": 300,
                 "persistenceNetmask": "64"}""");

        assertEquals(201, added.status(), added.toString());
        assertEquals("/api/v1" + WEB6_PATH, added.headers().firstValue("Location").orElseThrow());
        assertEquals(List.of("addService " + new ServiceSpec(WEB6, "wlc", "", 300, 64, false, 0)), director.calls);
        assertEquals("tcp:[2001:db8::10]:80", added.json().get("id").asText());
        assertEquals("2001:db8::10", added.json().get("address").asText());
        assertEquals("64", added.json().get("persistenceNetmask").asText());
        assertEquals("128", rest.call("POST", "/services", """
                {"protocol": "udp", "address": "2001:db8::10", "port": 53}""").json().get("persistenceNetmask")
                .asText());
    }

    @Test
    void shouldAddGetEditAndDeleteIpv6RealServersAndLocalAddresses() throws ControlException {
        director.addService(new ServiceSpec(WEB6, "rr", "", 0, 128));
        director.calls.clear();

        Answer added = rest.call("POST", WEB6_PATH + "/real-servers", """
                {"address": "2001:db8::2", "port": 8080, "forwarding": "masq"}""");
        String serverPath = WEB6_PATH + "/real-servers/%5B2001:db8::2%5D:8080";
        Answer one = rest.get(serverPath);
        Answer edited = rest.call("PUT", serverPath, """
                {"forwarding": "masq", "weight": 5}""");
        Answer deleted = rest.call("DELETE", serverPath, null);
        Answer local = rest.call("POST", WEB6_PATH + "/local-addresses", """
                {"address": "2001:db8::100", "interface": "eth1"}""");
        Answer localDeleted = rest.call("DELETE", WEB6_PATH + "/local-addresses/2001:db8::100", null);

        assertEquals(201, added.status(), added.toString());
        assertEquals("/api/v1" + serverPath, added.headers().firstValue("Location").orElseThrow());
        assertEquals("[2001:db8::2]:8080", one.json().get("id").asText());
        assertEquals(200, edited.status(), edited.toString());
        assertEquals(5, edited.json().get("weight").asInt());
        assertEquals(204, deleted.status());
        assertEquals(201, local.status(), local.toString());
        assertEquals("/api/v1" + WEB6_PATH + "/local-addresses/2001:db8::100",
                local.headers().firstValue("Location").orElseThrow());
        assertEquals(204, localDeleted.status());
        RealServerSpec server = new RealServerSpec(IpAddress.parse("2001:db8::2"), 8080, ForwardingMethod.MASQ, 1, 0,
                0);
        assertEquals(List.of("addRealServer " + WEB6 + " " + server,
                "editRealServer " + WEB6 + " " + new RealServerSpec(server.address(), 8080, ForwardingMethod.MASQ, 5,
                        0, 0),
                "deleteRealServer " + WEB6 + " [2001:db8::2]:8080",
                "addLocalAddress " + WEB6 + " " + new LocalAddressSpec(IpAddress.parse("2001:db8::100"), "eth1"),
                "deleteLocalAddress " + WEB6 + " 2001:db8::100"), director.calls);
    }

    @Test
    void shouldFilterIpv6ConnectionsByClientServiceAndRealServer() {
        director.connections.add(new ConnectionSnapshot(Protocol.TCP, IpAddress.parse("2001:db8::77"), 40000, VIP6, 80,
                IpAddress.parse("2001:db8::2"), 8080, "ESTABLISHED", 1000, false));
        director.connections.add(new ConnectionSnapshot(Protocol.TCP, IpAddress.parse("2001:db8::78"), 40000, VIP6, 80,
                IpAddress.parse("2001:db8::3"), 8080, "ESTABLISHED", 1000, false));
        director.connections.add(new ConnectionSnapshot(Protocol.TCP, 0xC0000201, 40000, 0xC0000202, 80, 0xC0000203,
                80, "ESTABLISHED", 1000));

        for (String query : List.of("client=2001:db8::77", "client=%5B2001:db8::77%5D:40000",
                "service=tcp:%5B2001:db8::10%5D:80&real-server=%5B2001:db8::2%5D:8080")) {
            Answer answer = rest.get("/connections?" + query);
            assertEquals(200, answer.status(), answer.toString());
            assertEquals(1, answer.json().get("connections").size(), query);
            assertEquals("[2001:db8::2]:8080", answer.json().get("connections").get(0).get("realServer").asText());
            assertEquals("tcp:[2001:db8::10]:80", answer.json().get("connections").get(0).get("service").asText());
        }
        Answer all = rest.get("/connections?limit=2");
        Answer rest2 = rest.get("/connections?limit=2&after=" + all.json().get("next").asText());
        assertEquals("192.0.2.1", all.json().get("connections").get(0).get("clientAddress").asText(),
                "IPv4 entries first");
        assertEquals("2001:db8::78", rest2.json().get("connections").get(0).get("clientAddress").asText());
    }

    static Stream<Arguments> malformed() {
        String serviceExpected = "(expected tcp|udp:ADDRESS:PORT, e.g. tcp:203.0.113.10:80 or tcp:[2001:db8::10]:80";
        String netmaskExpected = "(expected a prefix length from \"1\" to \"128\" for an IPv6 service)";
        return Stream.of(
                Arguments.of("GET", "/services/tcp:2001:db8::10:80", null, "service", "'tcp:2001:db8::10:80' is not "
                        + "a service id " + serviceExpected + ": an IPv6 address in brackets, an IPv4 one without)"),
                Arguments.of("GET", "/services/tcp:%5B192.0.2.1%5D:80", null, "service", "'tcp:[192.0.2.1]:80' is "
                        + "not a service id " + serviceExpected + ": an IPv6 address in brackets, an IPv4 one without)"),
                Arguments.of("GET", "/services/tcp:%5B2001:db8::10%5D80", null, "service", "'tcp:[2001:db8::10]80' "
                        + "is not a service id " + serviceExpected + ")"),
                Arguments.of("GET", "/services/tcp:%5B2001:db8:::10%5D:80", null, "service", "'2001:db8:::10' is "
                        + "not an IPv6 address (unexpected ':')"),
                Arguments.of("POST", "/services", "{\"protocol\": \"tcp\", \"address\": \"2001:db8::10\", "
                        + "\"port\": 80, \"persistenceTimeout\": 60, \"persistenceNetmask\": \"129\"}",
                        "persistenceNetmask", "illegal ipv6 netmask specified: '129' " + netmaskExpected),
                Arguments.of("POST", "/services", "{\"protocol\": \"tcp\", \"address\": \"2001:db8::10\", "
                        + "\"port\": 80, \"persistenceNetmask\": \"255.255.255.0\"}", "persistenceNetmask",
                        "illegal ipv6 netmask specified: '255.255.255.0' " + netmaskExpected));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("malformed")
    void shouldRefuseMalformedIpv6With400NamingTheField(String method, String path, String body, String field,
                                                         String message) {
        Answer answer = rest.call(method, path, body);

        assertEquals(400, answer.status(), answer.toString());
        assertEquals(field, answer.json().get("field").asText());
        assertEquals(message, answer.json().get("error").asText());
        assertEquals(List.of(), director.calls);
    }

    @Test
    void shouldAnswerADirectorRefusingIpv6With422AboutTheAddress() {
        FakeDirector ipv4Only = new FakeDirector() {
            @Override
            public synchronized void addService(ServiceSpec spec) throws ControlException {
                if (!spec.key().address().isIpv4()) {
                    throw ControlException.familyNotForwarded(spec.key().address().withPort(spec.key().port()),
                            spec.key().address().family(), "virtual services", IpAddress.Family.IPV4);
                }
                super.addService(spec);
            }
        };
        try (RestFixture refusing = new RestFixture(ipv4Only)) {
            Answer answer = refusing.call("POST", "/services", """
                    {"protocol": "tcp", "address": "2001:db8::10", "port": 80}""");

            assertEquals(422, answer.status(), answer.toString());
            assertEquals("address", answer.json().get("field").asText());
            assertEquals("[2001:db8::10]:80: IPv6 virtual services are not forwarded yet (JVS's data plane is "
                    + "IPv4-only)", answer.json().get("error").asText());
        }
    }
}
