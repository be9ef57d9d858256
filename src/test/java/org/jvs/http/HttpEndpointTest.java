package org.jvs.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.sun.net.httpserver.HttpHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoint on an ephemeral loopback port: routing, 404, and the bearer token a token file asks for. */
class HttpEndpointTest {
    private static final HttpHandler HELLO = exchange -> HttpEndpoint.sendText(exchange, 200, "hello "
            + exchange.getRequestURI().getPath() + "\n");
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
        client.close();
    }

    private HttpEndpoint start(BearerToken token) throws IOException {
        endpoint = HttpEndpoint.bind(new HttpSettings(new InetSocketAddress("127.0.0.1", 0), token));
        endpoint.start();
        return endpoint;
    }

    private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://"
                + HttpSettings.text(endpoint.address()) + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeARouteByItsExactPath() throws Exception {
        start(null).route("/metrics", HELLO);

        HttpResponse<String> response = get("/metrics", null);

        assertEquals(200, response.statusCode());
        assertEquals("hello /metrics\n", response.body());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/metricsx", "/metrics/", "/nothing", "/api/v1"})
    void shouldAnswer404ForAPathWithoutRoute(String path) throws Exception {
        start(null).route("/metrics", HELLO).routeTree("/api/v1/", HELLO);

        HttpResponse<String> response = get(path, null);

        assertEquals(404, response.statusCode());
        assertEquals("404 Not Found: " + path + "\n", response.body());
    }

    @Test
    void shouldServeEveryPathUnderATreeToItsHandler() throws Exception {
        start(null).routeTree("/api/v1/", HELLO);

        assertEquals("hello /api/v1/services/TCP/1\n", get("/api/v1/services/TCP/1", null).body());
    }

    @Test
    void shouldRefuseARouteTakenTwice() throws Exception {
        start(null).route("/metrics", HELLO);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> endpoint.route("/metrics", HELLO));

        assertEquals("route /metrics is already taken", refused.getMessage());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "Bearer wrong", "Bearer s3cret-token-", "Basic czNjcmV0LXRva2Vu", "s3cret-token"})
    void shouldAnswer401WithAChallengeWithoutTheToken(String authorization) throws Exception {
        // a token file asks for the token on loopback too: the same check a non-loopback endpoint makes
        start(BearerToken.of("s3cret-token")).route("/metrics", HELLO);

        HttpResponse<String> response = get("/metrics", authorization.isEmpty() ? null : authorization);

        assertEquals(401, response.statusCode());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
                response.headers().toString());
    }

    @Test
    void shouldAnswer401BeforeSayingAPathIsUnknown() throws Exception {
        start(BearerToken.of("s3cret-token"));

        assertEquals(401, get("/nothing", null).statusCode());
        assertEquals(404, get("/nothing", "Bearer s3cret-token").statusCode());
    }

    @Test
    void shouldServeARequestWithTheToken() throws Exception {
        start(BearerToken.of("s3cret-token")).route("/metrics", HELLO);

        HttpResponse<String> response = get("/metrics", "Bearer s3cret-token");

        assertEquals(200, response.statusCode());
        assertEquals("hello /metrics\n", response.body());
    }

    @Test
    void shouldCloseWithoutHavingStartedAndFreeTheAddress() throws Exception {
        // a director whose start-up fails after binding closes the endpoint it never started
        HttpEndpoint unstarted = HttpEndpoint.bind(new HttpSettings(new InetSocketAddress("127.0.0.1", 0), null));
        InetSocketAddress address = unstarted.address();
        unstarted.close();

        HttpEndpoint.bind(new HttpSettings(address, null)).close();
    }

    @Test
    void shouldRefuseToBindAnAddressTaken() throws Exception {
        start(null);
        HttpSettings same = new HttpSettings(endpoint.address(), null);

        IOException refused = assertThrows(IOException.class, () -> HttpEndpoint.bind(same));

        assertTrue(refused.getMessage().startsWith("--http " + HttpSettings.text(endpoint.address()) + ": "),
                refused.getMessage());
        assertTrue(refused.getMessage().endsWith("(expected a free address of this network namespace, or --http off)"),
                refused.getMessage());
    }

    /**
     * With a certificate and key the endpoint speaks HTTPS: a client trusting that certificate gets the route with
     * the token, and a plain-HTTP request gets no answer from it.
     */
    @Test
    void shouldServeHttpsWithTheOperatorsCertificate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path[] files = TlsIdentityTest.selfSigned(dir, "director", "-newkey", "rsa:2048");
        TlsIdentity identity = TlsIdentity.read(files[0], files[1]);
        endpoint = HttpEndpoint.bind(new HttpSettings(new InetSocketAddress("127.0.0.1", 0),
                BearerToken.of("s3cret-token"), identity));
        endpoint.route("/metrics", HELLO).start();
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("director", identity.certificate());
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        String address = HttpSettings.text(endpoint.address());

        try (HttpClient https = HttpClient.newBuilder().sslContext(context).build()) {
            HttpResponse<String> response = https.send(HttpRequest.newBuilder(URI.create("https://" + address
                    + "/metrics")).header("Authorization", "Bearer s3cret-token").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("hello /metrics\n", response.body());
        }
        assertThrows(IOException.class, () -> client.send(HttpRequest.newBuilder(URI.create("http://" + address
                + "/metrics")).timeout(java.time.Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
    }
}
