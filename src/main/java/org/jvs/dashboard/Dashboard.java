package org.jvs.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;

import org.jvs.api.ControlException;
import org.jvs.api.RealServerHealth;
import org.jvs.http.HttpEndpoint;
import org.jvs.metrics.MetricsSource;

/**
 * The live dashboard at {@code GET /}: a static page and script from the jar ({@code org/jvs/dashboard/}), uPlot
 * from its WebJar under {@code /webjars/uplot/}, and {@code /dashboard/data.json} (see {@link DashboardData}), which
 * the page polls every two seconds. The director is read through the same {@link MetricsSource} as
 * {@code /metrics}, every {@link #SAMPLE_INTERVAL_MS} on a thread of its own whether or not a page is open, so
 * that a page opened now shows the last five minutes; health comes from the keepalived checkers when the director
 * runs them.
 */
public final class Dashboard implements AutoCloseable {
    public static final String PAGE = "/";
    public static final String FILES = "/dashboard/";
    public static final String DATA = "/dashboard/data.json";
    public static final String UPLOT = "/webjars/uplot/";
    static final long SAMPLE_INTERVAL_MS = 2000;
    private static final String RESOURCES = "org/jvs/dashboard/";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private final MetricsSource source;
    private final InstantSource clock;
    private final PrintStream err;
    private final RateHistory history = new RateHistory();
    /** The checkers' view once the director runs them; null means no health checks. */
    private volatile Supplier<List<RealServerHealth>> health;
    private volatile String lastFailure;
    private ScheduledExecutorService sampler;

    public Dashboard(MetricsSource source, InstantSource clock, PrintStream err) {
        this.source = source;
        this.clock = clock;
        this.err = err;
    }

    /** Serves the page, its files, uPlot and the data on {@code http}. */
    public Dashboard routeOn(HttpEndpoint http) {
        http.route(PAGE, new StaticRoute(PAGE, RESOURCES, "index.html"));
        http.route(DATA, this::data);
        http.routeTree(FILES, new StaticRoute(FILES, RESOURCES, null));
        http.routeTree(UPLOT, new StaticRoute(UPLOT, "META-INF/resources/webjars/uplot/" + uplotVersion(), null));
        return this;
    }

    /** From now on, real servers show what the health checks say of them. */
    public void health(Supplier<List<RealServerHealth>> checks) {
        this.health = checks;
    }

    /** Takes a sample now and every {@link #SAMPLE_INTERVAL_MS} after, until {@link #close}. */
    public synchronized void start() {
        if (sampler == null) {
            sampler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("jvs-dashboard-sampler").factory());
            sampler.scheduleAtFixedRate(this::sampleQuietly, 0, SAMPLE_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the director once and records the reading; what data.json shows next. */
    RateHistory.Sample sample() throws ControlException, IOException {
        Supplier<List<RealServerHealth>> checks = health;
        return history.record(clock.millis(), source.read(), checks == null ? null : checks.get());
    }

    private void sampleQuietly() {
        try {
            sample();
            lastFailure = null;
        } catch (ControlException | IOException | RuntimeException failed) {
            String reason = String.valueOf(failed.getMessage());
            if (!reason.equals(lastFailure)) {
                // once per new reason: a director that cannot answer for a while is not a log line per sample
                err.println("jvs director: dashboard: cannot read the director: " + reason);
            }
            lastFailure = reason;
        }
    }

    private void data(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            HttpEndpoint.sendText(exchange, 405, "405 Method Not Allowed: " + method + " (expected GET)\n");
            return;
        }
        RateHistory.Sample sample = history.latest();
        String failure = lastFailure;
        if (sample == null || failure != null) {
            HttpEndpoint.sendText(exchange, 503, "503 Service Unavailable: "
                    + (failure != null ? failure : "no reading of the director yet") + "\n");
            return;
        }
        byte[] body = DashboardData.render(sample, history, SAMPLE_INTERVAL_MS).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if ("HEAD".equals(method)) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The version of the uPlot WebJar on the classpath (its files sit under a folder of that name). */
    static String uplotVersion() {
        try (InputStream pom = Dashboard.class.getClassLoader().getResourceAsStream(UPLOT_POM)) {
            if (pom == null) {
                throw new IllegalStateException("the uPlot WebJar is not on the classpath (expected " + UPLOT_POM
                        + "; rebuild with ./mvnw package)");
            }
            Properties properties = new Properties();
            properties.load(pom);
            return properties.getProperty("version");
        } catch (IOException unreadable) {
            throw new IllegalStateException(UPLOT_POM + ": " + unreadable.getMessage(), unreadable);
        }
    }

    @Override
    public synchronized void close() {
        if (sampler != null) {
            sampler.shutdownNow();
            sampler = null;
        }
    }
}
