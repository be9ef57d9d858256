package org.jvs.rest;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvs.ctl.FakeDirector;
import org.jvs.rest.RestFixture.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** openapi.json describes the routes the API serves: every path and method of one is in the other. */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Map<String, String> EXAMPLES = Map.of("{service}", "tcp:203.0.113.10:80",
            "{realServer}", "192.0.2.11:80", "{localAddress}", "192.0.2.100");

    private final RestFixture rest = new RestFixture(new FakeDirector());

    @AfterEach
    void stop() {
        rest.close();
    }

    private JsonNode openApi() {
        Answer answer = rest.get("/openapi.json");
        assertEquals(200, answer.status());
        assertEquals("application/json", answer.headers().firstValue("Content-Type").orElseThrow());
        return answer.json();
    }

    /** "GET /services/{service}" for each operation of the description. */
    private Set<String> described() {
        JsonNode openApi = openApi();
        assertTrue(openApi.get("openapi").asText().startsWith("3."));
        assertEquals("/api/v1", openApi.get("servers").get(0).get("url").asText());
        Set<String> operations = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> keys = path.getValue().fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (METHODS.contains(key)) {
                    operations.add(key.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return operations;
    }

    @Test
    void shouldDescribeExactlyTheRoutesTheApiServes() {
        Set<String> routed = new TreeSet<>();
        for (Route route : rest.api.routes()) {
            routed.add(route.method() + " " + route.template());
        }

        assertEquals(routed, described());
    }

    @Test
    void shouldRouteEveryDescribedOperationOverHttp() {
        for (String operation : described()) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = operation.substring(method.length() + 1);
            for (Map.Entry<String, String> example : EXAMPLES.entrySet()) {
                path = path.replace(example.getKey(), example.getValue());
            }
            Answer answer = rest.call(method, path, List.of("POST", "PUT").contains(method) ? "{}" : null);
            assertNotEquals(405, answer.status(), operation + ": " + answer);
            assertTrue(answer.status() != 404 || !answer.error().startsWith("no such resource"), operation + ": "
                    + answer);
        }
    }

    @Test
    void shouldNameEveryParameterOfAPathInItsDescription() {
        JsonNode paths = openApi().get("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            Set<String> declared = new TreeSet<>();
            JsonNode parameters = path.getValue().path("parameters");
            for (JsonNode parameter : parameters) {
                String name = parameter.has("$ref") ? parameter.get("$ref").asText().replaceAll(".*/", "")
                        : parameter.get("name").asText();
                declared.add(name);
            }
            Set<String> inPath = new TreeSet<>();
            java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(path.getKey());
            while (names.find()) {
                inPath.add(names.group(1));
            }
            assertEquals(inPath, declared, path.getKey());
        }
    }
}
