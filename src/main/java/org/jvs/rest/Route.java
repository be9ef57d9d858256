package org.jvs.rest;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.jvs.api.ControlException;

/**
 * One operation of the API: an HTTP method and a path template under /api/v1 as openapi.json spells it
 * ({@code /services/{service}/real-servers/{realServer}}), each {@code {name}} one path segment.
 */
record Route(String method, String template, Action action) {

    /** What a route does with a request. */
    @FunctionalInterface
    interface Action {
        Reply apply(Request request) throws ApiError, ControlException;
    }

    /** A request as a route sees it: its path parameters, query parameters and JSON body (null when empty). */
    record Request(Map<String, String> path, Map<String, String> query, JsonNode body) {
        String parameter(String name) {
            return path.get(name);
        }
    }

    /** What a route answers: a status, a JSON body (null for none) and the Location of what a POST created. */
    record Reply(int status, JsonNode body, String location) {
        static Reply ok(JsonNode body) {
            return new Reply(200, body, null);
        }

        static Reply noContent() {
            return new Reply(204, null, null);
        }
    }

    /** The path parameters when {@code path} (relative to /api/v1, decoded) fits the template, else null. */
    Map<String, String> match(String path) {
        String[] want = template.split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) {
            return null;
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (got[i].isEmpty()) {
                    return null;
                }
                parameters.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return null;
            }
        }
        return parameters;
    }
}
