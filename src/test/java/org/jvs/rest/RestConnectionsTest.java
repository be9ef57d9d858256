package org.jvs.rest;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.api.ConnectionSnapshot;
import org.jvs.ctl.FakeDirector;
import org.jvs.rest.RestFixture.Answer;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** GET /connections: filters, keyset pages that new entries do not shift, and refused parameters. */
class RestConnectionsTest {
    private static final int VIP = Ipv4.parse("203.0.113.10");
    private static final int RS1 = Ipv4.parse("192.0.2.11");
    private static final int RS2 = Ipv4.parse("192.0.2.12");

    private final FakeDirector director = new FakeDirector();
    private final RestFixture rest = new RestFixture(director);

    @BeforeEach
    void connections() {
        // 10 TCP connections to :80 from two clients, alternating real servers, a UDP one and a template
        for (int i = 0; i < 10; i++) {
            director.connections.add(new ConnectionSnapshot(Protocol.TCP, Ipv4.parse("198.51.100." + (2 + i % 2)),
                    40000 + i, VIP, 80, i % 2 == 0 ? RS1 : RS2, 80, "ESTABLISHED", 900_000 - i));
        }
        director.connections.add(new ConnectionSnapshot(Protocol.UDP, Ipv4.parse("198.51.100.2"), 5000, VIP, 53, RS2,
                53, "UDP", 300_000));
        director.connections.add(new ConnectionSnapshot(Protocol.TCP, Ipv4.parse("198.51.100.2"), 0, VIP, 80, RS1, 80,
                "NONE", 360_000, true));
    }

    @AfterEach
    void stop() {
        rest.close();
    }

    @Test
    void shouldAnswerEveryEntryOnOnePageByDefault() {
        JsonNode page = rest.get("/connections").json();

        assertEquals(12, page.get("connections").size());
        assertNull(page.get("next").textValue());
        JsonNode first = page.get("connections").get(0);
        assertEquals("tcp", first.get("protocol").asText());
        assertEquals("tcp:203.0.113.10:80", first.get("service").asText());
        assertEquals("198.51.100.2", first.get("clientAddress").asText());
        assertEquals(0, first.get("clientPort").asInt());
        assertEquals("NONE", first.get("state").asText());
        assertEquals(true, first.get("template").asBoolean());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "client=198.51.100.3, 5",
        "client=198.51.100.2:40000, 1",
        "client=198.51.100.2%3A40002, 1",
        "service=tcp:203.0.113.10:80, 11",
        "service=udp:203.0.113.10:53, 1",
        "real-server=192.0.2.12:80, 5",
        "real-server=192.0.2.11:80&client=198.51.100.2, 6",
        "service=tcp:203.0.113.10:81, 0",
    })
    void shouldFilterByClientServiceAndRealServer(String query, int expected) {
        Answer answer = rest.get("/connections?" + query);

        assertEquals(200, answer.status(), answer.toString());
        assertEquals(expected, answer.json().get("connections").size(), answer.toString());
    }

    @Test
    void shouldPageThroughEveryEntryOnceEvenWhenEntriesComeBetweenPages() {
        List<JsonNode> seen = new ArrayList<>();
        JsonNode all = rest.get("/connections").json().get("connections");
        String next = null;
        int pages = 0;
        do {
            JsonNode page = rest.get("/connections?limit=5" + (next == null ? "" : "&after=" + next)).json();
            page.get("connections").forEach(seen::add);
            next = page.get("next").textValue();
            if (pages++ == 0) {
                // a connection that sorts before the cursor arrives: later pages neither repeat nor skip an entry
                director.connections.add(new ConnectionSnapshot(Protocol.TCP, Ipv4.parse("198.51.100.1"), 1, VIP, 80,
                        RS1, 80, "SYN_RECV", 1000));
            }
        } while (next != null && pages < 10);

        assertEquals(3, pages);
        List<JsonNode> expected = new ArrayList<>();
        all.forEach(expected::add);
        assertEquals(expected, seen);
    }

    @Test
    void shouldSayThereIsNoNextPageWhenTheLastOneIsFull() {
        JsonNode first = rest.get("/connections?limit=6").json();
        JsonNode second = rest.get("/connections?limit=6&after=" + first.get("next").asText()).json();

        assertFalse(first.get("next").isNull());
        assertEquals(6, second.get("connections").size());
        assertNull(second.get("next").textValue());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "limit=0|limit|illegal limit '0' (expected 1 to 1000)",
        "limit=1001|limit|illegal limit '1001' (expected 1 to 1000)",
        "after=bogus|after|illegal cursor 'bogus' (expected the next of a previous page)",
        "client=198.51.100|client|'198.51.100' is not an IPv4 address (expected a.b.c.d)",
        "real-server=192.0.2.11|real-server|'192.0.2.11' is not an ADDRESS:PORT (expected ADDRESS:PORT, e.g. 192.0.2.11:80 or [2001:db8::2]:80)",
        "service=sctp:203.0.113.10:80|service|'sctp:203.0.113.10:80': unknown protocol 'sctp' (expected tcp or udp)",
        "vip=203.0.113.10|vip|unknown query parameter 'vip' (expected client, service, real-server, limit, after)",
    })
    void shouldRefuseAParameterThatIsNotWhatItExpects(String query, String field, String message) {
        Answer answer = rest.get("/connections?" + query);

        assertEquals(400, answer.status(), answer.toString());
        assertEquals(field, answer.field());
        assertEquals(message, answer.error());
    }

    @Test
    void shouldAnswerNoEntriesForAnEmptyTable() {
        director.connections.clear();

        JsonNode page = rest.get("/connections?limit=1").json();

        assertEquals(0, page.get("connections").size());
        assertNull(page.get("next").textValue());
    }
}
