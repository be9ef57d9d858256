package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/**
 * The REST API of a running director carrying traffic (NAT layout): a real server added through it is what
 * {@code ./jvsadm -L -n} lists and takes new connections, a duplicate is refused with jvsadm's message and changes
 * nothing, and a deletion through it is what jvsadm then lists - all while a transfer runs to the end byte-exact.
 * The API is called with curl in the director's namespace, on its default 127.0.0.1:9947.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiE2eTest {
    private static final String VIP = LvsLab.VIP;
    private static final String SERVICE = VIP + ":" + LvsLab.ECHO_PORT;
    private static final String SERVICE_PATH = "/services/tcp:" + SERVICE;
    private static final String ADDED_RIP = LvsLab.RIPS.get(2);
    private static final String ADDED = ADDED_RIP + ":" + LvsLab.ECHO_PORT;
    private static final String API = "http://127.0.0.1:9947/api/v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTED_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final LvsLabExtension LAB = LvsLabExtension.of(new LabCell("rest", ForwardingMethod.MASQ,
            AddressFamily.IPV4, VipPlacement.DIRECTOR_LO, List.of()));

    private LvsLab lvs;
    private Director director;
    private Client client;

    /** What curl got: the status and the JSON body (null when none). */
    private record Answer(int status, JsonNode json) {
    }

    private Answer call(String method, String path, String body) {
        String[] command = body == null
                ? new String[] {"curl", "-sS", "--max-time", "10", "-X", method, "-w", "\n%{http_code}", API + path}
                : new String[] {"curl", "-sS", "--max-time", "10", "-X", method, "-H", "Content-Type: application/json",
                    "-d", body, "-w", "\n%{http_code}", API + path};
        CommandResult result = lvs.lab.run(lvs.director, Duration.ofSeconds(15), command);
        assertTrue(result.ok(), result.describe() + "; director log: " + director.log());
        String out = result.stdout();
        int last = out.lastIndexOf('\n');
        try {
            String text = out.substring(0, last).strip();
            return new Answer(Integer.parseInt(out.substring(last + 1).strip()), text.isEmpty() ? null
                    : JSON.readTree(text));
        } catch (Exception e) {
            throw new AssertionError("curl " + method + " " + path + " answered " + out, e);
        }
    }

    /** A listing without the ActiveConn and InActConn columns, which traffic changes. */
    private static String withoutCounts(String listing) {
        return listing.replaceAll("(?m)\\s+\\d+\\s+\\d+\\s*$", "");
    }

    private String listing() {
        return director.jvsadm("-L", "-n").stdout();
    }

    @Test
    void shouldAddAndRemoveARealServerThatJvsadmListsAndRefuseADuplicateChangingNothing() {
        Answer service = call("POST", "/services", "{\"protocol\": \"tcp\", \"address\": \"" + VIP + "\", \"port\": "
                + LvsLab.ECHO_PORT + ", \"scheduler\": \"rr\"}");
        assertEquals(201, service.status(), String.valueOf(service.json()));
        for (String rip : LvsLab.RIPS.subList(0, 2)) {
            Answer added = call("POST", SERVICE_PATH + "/real-servers", "{\"address\": \"" + rip + "\", \"forwarding\":"
                    + " \"masq\"}");
            assertEquals(201, added.status(), String.valueOf(added.json()));
        }
        Background running = client.transferInBackground("rest", VIP, LvsLab.ECHO_PORT, 8L << 20, 1L << 20);
        Matcher started = running.awaitLine("^server (rs\\d)$", STARTED_TIMEOUT).orElseThrow(() -> new AssertionError(
                "the transfer reached no real server: " + running.tail(5) + "; director log: " + director.log()));
        String busy = started.group(1);

        Answer added = call("POST", SERVICE_PATH + "/real-servers", "{\"address\": \"" + ADDED_RIP + "\", "
                + "\"forwarding\": \"masq\", \"weight\": 2}");
        assertEquals(201, added.status(), String.valueOf(added.json()));
        assertEquals(ADDED, added.json().get("id").asText());
        String withAdded = listing();
        assertTrue(withAdded.contains("  -> " + ADDED), "jvsadm -L -n lists the server the API added:\n" + withAdded);
        assertTrue(withAdded.matches("(?s).*  -> " + ADDED.replace(".", "\\.") + "\\s+Masq\\s+2\\s.*"),
                "as masq with weight 2:\n" + withAdded);
        Set<String> reached = new HashSet<>();
        for (int i = 0; i < 6 && !reached.contains("rs3"); i++) {
            CommandResult fresh = client.transfer(VIP, LvsLab.ECHO_PORT, 10_000);
            assertTrue(fresh.ok(), fresh.describe() + "; director log: " + director.log());
            fresh.stdout().lines().filter(l -> l.startsWith("server ")).forEach(l -> reached.add(l.substring(7).strip()));
        }
        assertTrue(reached.contains("rs3"), "new connections reach the added server: " + reached);

        Answer duplicate = call("POST", SERVICE_PATH + "/real-servers", "{\"address\": \"" + ADDED_RIP + "\", "
                + "\"forwarding\": \"masq\", \"weight\": 5}");
        assertEquals(409, duplicate.status(), String.valueOf(duplicate.json()));
        assertEquals("Destination already exists", duplicate.json().get("error").asText());
        CommandResult jvsadmDuplicate = director.tryJvsadm("-a", "-t", SERVICE, "-r", ADDED, "-m", "-w", "5");
        assertEquals("Destination already exists", jvsadmDuplicate.stderr().strip(), "jvsadm says the same");
        Answer badWeight = call("PUT", SERVICE_PATH + "/real-servers/" + ADDED, "{\"forwarding\": \"masq\", "
                + "\"weight\": 70000}");
        assertEquals(400, badWeight.status(), String.valueOf(badWeight.json()));
        assertEquals("weight", badWeight.json().get("field").asText());
        assertEquals(withoutCounts(withAdded), withoutCounts(listing()),
                "the refused changes changed nothing (connection counts aside)");

        JsonNode stats = call("GET", SERVICE_PATH, null).json().get("stats");
        assertTrue(stats.get("connections").asLong() > 0 && stats.get("inBytes").asLong() > 0,
                "the service's counters over the API: " + stats);
        JsonNode connections = call("GET", "/connections?service=tcp:" + SERVICE + "&client=" + LvsLab.CLIENT
                + "&limit=2", null).json();
        assertFalse(connections.get("connections").isEmpty(), "connections of the client: " + connections);

        Answer deleted = call("DELETE", SERVICE_PATH + "/real-servers/" + ADDED, null);
        assertEquals(204, deleted.status(), String.valueOf(deleted.json()));
        String without = listing();
        assertFalse(without.contains(ADDED_RIP + ":"), "jvsadm -L -n no longer lists " + ADDED + ":\n" + without);
        assertEquals(404, call("GET", SERVICE_PATH + "/real-servers/" + ADDED, null).status());

        assertEquals(0, running.awaitExit(FINISH_TIMEOUT), "the transfer under way: " + running.tail(3)
                + "; director log: " + director.log());
        assertTrue(running.output().contains("ok " + busy), running.output());
    }
}
