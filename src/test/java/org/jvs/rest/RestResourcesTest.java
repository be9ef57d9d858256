package org.jvs.rest;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.ctl.FakeDirector;
import org.jvs.rest.RestFixture.Answer;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Each route of the API against a fake director: what it calls on DirectorControl and what it answers. */
class RestResourcesTest {
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ipv4.parse("203.0.113.10"), 80);
    private static final String WEB_PATH = "/services/tcp:203.0.113.10:80";
    private static final int RS1 = Ipv4.parse("192.0.2.11");

    private final FakeDirector director = new FakeDirector();
    private final RestFixture rest = new RestFixture(director);

    @AfterEach
    void stop() {
        rest.close();
    }

    private void addWeb() throws Exception {
        director.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        director.addRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 2, 100, 50));
        director.calls.clear();
    }

    @Test
    void shouldAddAServiceWithIpvsadmDefaultsAndAnswerItWithItsLocation() {
        Answer added = rest.call("POST", "/services", """
                {"protocol": "tcp", "address": "203.0.113.10", "port": 80}""");

        assertEquals(201, added.status(), added.toString());
        assertEquals("/api/v1/services/tcp:203.0.113.10:80", added.headers().firstValue("Location").orElseThrow());
        assertEquals(List.of("addService " + new ServiceSpec(WEB, "wlc", "", 0, -1, false, 0)), director.calls);
        assertEquals("tcp:203.0.113.10:80", added.json().get("id").asText());
        assertEquals("wlc", added.json().get("scheduler").asText());
        assertEquals("255.255.255.255", added.json().get("persistenceNetmask").asText());
        assertEquals(0, added.json().get("stats").get("connections").asLong());
        assertEquals(0, added.json().get("rates").get("inBytes").asLong());
    }

    @Test
    void shouldAddAServiceWithEveryOption() {
        Answer added = rest.call("POST", "/services", """
                {"protocol": "udp", "address": "203.0.113.10", "port": 0, "scheduler": "sh",
                 "schedulerFlags": "sh-port,sh-fallback", "persistenceTimeout": 360,
                 "persistenceNetmask": "255.255.255.0", "onePacket": true}""");

        assertEquals(201, added.status(), added.toString());
        assertEquals(List.of("addService " + new ServiceSpec(new ServiceKey(Protocol.UDP, WEB.address(), 0), "sh",
                "sh-fallback,sh-port", 360, Ipv4.parse("255.255.255.0"), true, 0)), director.calls);
        assertEquals("udp:203.0.113.10:0", added.json().get("id").asText());
        assertEquals("sh-fallback,sh-port", added.json().get("schedulerFlags").asText());
    }

    @Test
    void shouldListAndGetServicesWithTheirRealServers() throws Exception {
        addWeb();

        JsonNode services = rest.get("/services").json().get("services");
        Answer one = rest.get(WEB_PATH);
        Answer encoded = rest.get("/services/tcp%3A203.0.113.10%3A80");

        assertEquals(1, services.size());
        assertEquals(services.get(0), one.json());
        assertEquals(one.json(), encoded.json());
        JsonNode server = one.json().get("realServers").get(0);
        assertEquals("192.0.2.11:8080", server.get("id").asText());
        assertEquals("masq", server.get("forwarding").asText());
        assertEquals(2, server.get("weight").asInt());
        assertEquals(100, server.get("upperThreshold").asInt());
        assertEquals(50, server.get("lowerThreshold").asInt());
    }

    @Test
    void shouldEditAServiceWithTheWholeDefinitionAsIpvsadmE() throws Exception {
        addWeb();
        JsonNode before = rest.get(WEB_PATH).json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) before).put("scheduler", "wlc");

        Answer edited = rest.call("PUT", WEB_PATH, before.toString());

        assertEquals(200, edited.status(), edited.toString());
        assertEquals(List.of("editService " + new ServiceSpec(WEB, "wlc", "", 0, -1, false, 0)), director.calls);
        assertEquals("wlc", edited.json().get("scheduler").asText());
    }

    @Test
    void shouldDeleteAService() throws Exception {
        addWeb();

        Answer deleted = rest.call("DELETE", WEB_PATH, null);

        assertEquals(204, deleted.status());
        assertNull(deleted.json());
        assertEquals(List.of("deleteService " + WEB), director.calls);
        assertEquals(404, rest.get(WEB_PATH).status());
    }

    @Test
    void shouldAddARealServerAsACollectionMemberOfItsService() throws Exception {
        addWeb();

        Answer added = rest.call("POST", WEB_PATH + "/real-servers", """
                {"address": "192.0.2.12", "port": 8080, "forwarding": "masq", "weight": 3}""");

        assertEquals(201, added.status(), added.toString());
        assertEquals("/api/v1/services/tcp:203.0.113.10:80/real-servers/192.0.2.12:8080",
                added.headers().firstValue("Location").orElseThrow());
        assertEquals(List.of("addRealServer " + WEB + " " + new RealServerSpec(Ipv4.parse("192.0.2.12"), 8080,
                ForwardingMethod.MASQ, 3, 0, 0)), director.calls);
        assertEquals(2, rest.get(WEB_PATH + "/real-servers").json().get("realServers").size());
    }

    @Test
    void shouldGiveARoutedRealServerTheServicePortAsIpvsadmDoes() throws Exception {
        addWeb();

        Answer added = rest.call("POST", WEB_PATH + "/real-servers", """
                {"address": "192.0.2.13", "port": 8080}""");

        assertEquals(201, added.status(), added.toString());
        assertEquals(List.of("addRealServer " + WEB + " " + new RealServerSpec(Ipv4.parse("192.0.2.13"), 80,
                ForwardingMethod.ROUTE, 1, 0, 0)), director.calls);
        assertEquals("192.0.2.13:80", added.json().get("id").asText());
    }

    @Test
    void shouldGetEditAndDeleteOneRealServer() throws Exception {
        addWeb();
        String path = WEB_PATH + "/real-servers/192.0.2.11:8080";

        assertEquals(2, rest.get(path).json().get("weight").asInt());
        Answer edited = rest.call("PUT", path, """
                {"forwarding": "masq", "weight": 0}""");
        Answer deleted = rest.call("DELETE", path, null);

        assertEquals(200, edited.status(), edited.toString());
        assertEquals(0, edited.json().get("weight").asInt());
        assertEquals(204, deleted.status());
        assertEquals(List.of("editRealServer " + WEB + " " + new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 0,
                0, 0), "deleteRealServer " + WEB + " " + IpAddress.ofIpv4(RS1) + ":8080"), director.calls);
    }

    @Test
    void shouldAddListGetAndDeleteLocalAddresses() throws Exception {
        addWeb();
        String collection = WEB_PATH + "/local-addresses";

        Answer added = rest.call("POST", collection, """
                {"address": "192.0.2.100", "interface": "eth1"}""");
        JsonNode listed = rest.get(collection).json().get("localAddresses");
        Answer one = rest.get(collection + "/192.0.2.100");
        Answer deleted = rest.call("DELETE", collection + "/192.0.2.100", null);

        assertEquals(201, added.status(), added.toString());
        assertEquals("/api/v1/services/tcp:203.0.113.10:80/local-addresses/192.0.2.100",
                added.headers().firstValue("Location").orElseThrow());
        assertEquals(1, listed.size());
        assertEquals("eth1", one.json().get("interface").asText());
        assertEquals(204, deleted.status());
        assertEquals(List.of("addLocalAddress " + WEB + " " + new LocalAddressSpec(Ipv4.parse("192.0.2.100"), "eth1"),
                "deleteLocalAddress " + WEB + " " + IpAddress.parse("192.0.2.100")), director.calls);
    }

    @Test
    void shouldReadAndSetTimeoutsLeavingUnchangedWhatIsLeftOut() {
        assertEquals(RestFixture.JSON.createObjectNode().put("tcp", 900).put("tcpFin", 120).put("udp", 300),
                rest.get("/timeouts").json());

        Answer set = rest.call("PUT", "/timeouts", """
                {"tcp": 3600, "udp": 0}""");

        assertEquals(200, set.status(), set.toString());
        assertEquals(List.of("setTimeouts " + new TimeoutsSpec(3600, 0, 0)), director.calls);
        assertEquals(3600, set.json().get("tcp").asInt());
        assertEquals(120, set.json().get("tcpFin").asInt());
    }

    @Test
    void shouldZeroOneServiceOrAll() throws Exception {
        addWeb();

        assertEquals(204, rest.call("POST", WEB_PATH + "/zero", null).status());
        assertEquals(204, rest.call("POST", "/zero", null).status());

        assertEquals(List.of("zero " + WEB, "zero null"), director.calls);
    }

    @Test
    void shouldAnswer404ForAnUnknownPathAnd405WithAllowForAnUnroutedMethod() {
        Answer unknown = rest.get("/nothing");
        Answer patch = rest.call("PATCH", "/services", "{}");

        assertEquals(404, unknown.status());
        assertEquals("no such resource: /api/v1/nothing (expected one of the paths of /api/v1/openapi.json)",
                unknown.error());
        assertEquals(405, patch.status());
        assertEquals("GET, POST", patch.headers().firstValue("Allow").orElseThrow());
    }
}
