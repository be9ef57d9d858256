package org.jvs.dashboard;

import java.io.IOException;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvs.api.ControlException;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.http.HttpEndpoint;
import org.jvs.http.HttpSettings;
import org.jvs.metrics.DirectorReadings;
import org.jvs.metrics.MetricsSource;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.stats.Stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dashboard's routes on an ephemeral loopback endpoint: the page, its files, uPlot, the data, and 404s. */
class DashboardRoutesTest {
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ipv4.parse("203.0.113.10"), 80);
    private static final MetricsSource ONE_SERVICE = () -> DirectorReadings.ofServices(List.of(
            new ServiceSnapshot(WEB, "rr", "", 0, 0, new Stats(), List.of())));

    private final HttpClient client = HttpClient.newHttpClient();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private HttpEndpoint endpoint;
    private Dashboard dashboard;

    @AfterEach
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        client.close();
    }

    private Dashboard serve(MetricsSource source) throws IOException {
        endpoint = HttpEndpoint.bind(new HttpSettings(new InetSocketAddress("127.0.0.1", 0), null));
        dashboard = new Dashboard(source, InstantSource.fixed(Instant.ofEpochMilli(5000)),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8)).routeOn(endpoint);
        endpoint.start();
        return dashboard;
    }

    private HttpResponse<String> request(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HttpSettings.text(endpoint.address()) + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return request("GET", path);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            /,                                       text/html; charset=utf-8
            /dashboard/dashboard.js,                 text/javascript; charset=utf-8
            /dashboard/dashboard.css,                text/css; charset=utf-8
            /webjars/uplot/dist/uPlot.iife.min.js,   text/javascript; charset=utf-8
            /webjars/uplot/dist/uPlot.min.css,       text/css; charset=utf-8
            """)
    void shouldServeThePageAndItsFilesWithTheirTypes(String path, String type) throws Exception {
        serve(ONE_SERVICE);

        HttpResponse<String> response = get(path);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(type, response.headers().firstValue("Content-Type").orElseThrow());
        assertThat(response.body()).isNotBlank();
    }

    @Test
    void shouldServeEveryFileThePageNames() throws Exception {
        serve(ONE_SERVICE).sample();
        String page = get("/").body();
        Matcher references = Pattern.compile("(?:src|href)=\"(/[^\"]*)\"").matcher(page);
        List<String> named = new ArrayList<>();
        while (references.find()) {
            named.add(references.group(1));
        }

        assertThat(named).contains("/webjars/uplot/dist/uPlot.iife.min.js", "/dashboard/dashboard.js");
        for (String path : named) {
            if (!path.equals("/metrics")) {
                assertEquals(200, get(path).statusCode(), path);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/index.html", "/dashboard/", "/dashboard/missing.js", "/dashboard/Dashboard.class",
        "/dashboard/%2e%2e/dashboard/dashboard.js", "/dashboard/..%2fDashboard.class", "/webjars/uplot/",
        "/webjars/uplot/package.json", "/webjars/uplot/dist/", "/webjars/uplot/dist/uPlot.d.ts",
        "/webjars/other/1.0/x.js", "/dashboard/data.json/x"})
    void shouldAnswer404ForWhatIsNotAFileForTheBrowser(String path) throws Exception {
        serve(ONE_SERVICE);

        HttpResponse<String> response = get(path);

        assertEquals(404, response.statusCode(), response.body());
        assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/dashboard/dashboard.js", "/dashboard/data.json"})
    void shouldRefuseAChange(String path) throws Exception {
        serve(ONE_SERVICE).sample();

        HttpResponse<String> response = request("POST", path);

        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void shouldServeTheLastSampleAsJson() throws Exception {
        serve(ONE_SERVICE).sample();

        HttpResponse<String> response = get(Dashboard.DATA);

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
        assertThat(response.body()).startsWith("{\"timeMs\":5000,").contains("\"key\":\"TCP 203.0.113.10:80\"");
    }

    @Test
    void shouldSampleAtStart() throws Exception {
        serve(ONE_SERVICE).start();

        long deadlineNs = System.nanoTime() + 5_000_000_000L;
        HttpResponse<String> response = get(Dashboard.DATA);
        while (response.statusCode() != 200 && System.nanoTime() < deadlineNs) {
            Thread.sleep(20);
            response = get(Dashboard.DATA);
        }
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void shouldAnswer503BeforeTheFirstReading() throws Exception {
        serve(ONE_SERVICE);

        HttpResponse<String> response = get(Dashboard.DATA);

        assertEquals(503, response.statusCode());
        assertEquals("503 Service Unavailable: no reading of the director yet\n", response.body());
    }

    @Test
    void shouldAnswer503WithTheReasonWhenTheDirectorCannotBeRead() throws Exception {
        serve(() -> {
            throw new ControlException("the data plane did not answer within 5 s");
        }).start();

        long deadlineNs = System.nanoTime() + 5_000_000_000L;
        HttpResponse<String> response = get(Dashboard.DATA);
        while (!response.body().contains("did not answer") && System.nanoTime() < deadlineNs) {
            Thread.sleep(20);
            response = get(Dashboard.DATA);
        }
        assertEquals(503, response.statusCode());
        assertEquals("503 Service Unavailable: the data plane did not answer within 5 s\n", response.body());
        assertThat(errBytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("jvs director: dashboard: cannot read the director: the data plane did not answer within 5 s\n");
    }

    @Test
    void shouldFindTheUplotWebJarsVersion() {
        assertThat(Dashboard.uplotVersion()).matches("\\d+\\.\\d+\\.\\d+");
    }
}
