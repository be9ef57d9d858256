package org.jvs.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jvs.api.DirectorControl;
import org.jvs.http.HttpEndpoint;
import org.jvs.http.HttpSettings;

/** The REST API over a director, on an endpoint bound to an ephemeral loopback port, and a client calling it. */
final class RestFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final RestApi api;
    private final HttpEndpoint endpoint;
    private final HttpClient client = HttpClient.newHttpClient();

    RestFixture(DirectorControl director) {
        try {
            endpoint = HttpEndpoint.bind(new HttpSettings(new InetSocketAddress("127.0.0.1", 0), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        api = new RestApi(director);
        api.register(endpoint);
        endpoint.start();
    }

    /** What the API answered: the status, the JSON body (null when none) and the headers. */
    record Answer(int status, JsonNode json, HttpHeaders headers) {
        String error() {
            return json == null || !json.has("error") ? null : json.get("error").asText();
        }

        String field() {
            return json == null || !json.has("field") ? null : json.get("field").asText();
        }

        @Override
        public String toString() {
            return status + " " + json;
        }
    }

    Answer get(String path) {
        return call("GET", path, null);
    }

    /** {@code path} under /api/v1 (e.g. {@code /services}); {@code body} JSON text or null. */
    Answer call(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HttpSettings.text(endpoint.address())
                        + "/api/v1" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            return new Answer(response.statusCode(), json, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        endpoint.close();
        client.close();
    }
}
