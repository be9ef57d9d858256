package org.jvs.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.ctl.FakeDirector;
import org.jvs.rest.RestFixture.Answer;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;

/** A tunnel server's tunnel through the REST API: tunnelType, tunnelPort and tunnelChecksum, as ipvsadm's options. */
class RestTunnelTest {
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ipv4.parse("203.0.113.10"), 80);
    private static final String SERVERS = "/services/tcp:203.0.113.10:80/real-servers";

    private final FakeDirector director = new FakeDirector();
    private final RestFixture rest = new RestFixture(director);

    @AfterEach
    void stop() {
        rest.close();
    }

    @Test
    void shouldAddAGueServerAndAnswerItsTunnelSoThatAPutOfTheAnswerChangesNothing() throws Exception {
        director.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        director.calls.clear();
        RealServerSpec expected = new RealServerSpec(Ipv4.parse("192.0.2.11"), 80, ForwardingMethod.TUNNEL, 1, 0, 0,
                new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.REMCSUM));

        Answer added = rest.call("POST", SERVERS, """
                {"address": "192.0.2.11", "forwarding": "tunnel", "tunnelType": "gue", "tunnelPort": 6080,
                 "tunnelChecksum": "remcsum"}""");

        assertEquals(201, added.status(), added.toString());
        assertEquals(List.of("addRealServer " + WEB + " " + expected), director.calls);
        JsonNode server = rest.get(SERVERS + "/192.0.2.11:80").json();
        assertEquals("gue", server.get("tunnelType").asText());
        assertEquals(6080, server.get("tunnelPort").asInt());
        assertEquals("remcsum", server.get("tunnelChecksum").asText());
        director.calls.clear();

        Answer edited = rest.call("PUT", SERVERS + "/192.0.2.11:80", server.toString());

        assertEquals(200, edited.status(), edited.toString());
        assertEquals(List.of("editRealServer " + WEB + " " + expected), director.calls);
    }

    @Test
    void shouldAnswerNoTunnelFieldsForOtherMethods() throws Exception {
        director.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        director.addRealServer(WEB, new RealServerSpec(Ipv4.parse("192.0.2.11"), 8080, ForwardingMethod.MASQ, 1, 0, 0));

        JsonNode server = rest.get(SERVERS + "/192.0.2.11:8080").json();

        assertNull(server.get("tunnelType"));
    }
}
