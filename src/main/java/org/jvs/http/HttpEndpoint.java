package org.jvs.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The director's one HTTP endpoint (the JDK's {@link HttpServer}, one virtual thread per request): {@code /metrics}
 * now, the REST API and the dashboard later, each added with {@link #route} or {@link #routeTree}. Every request is
 * first checked for the bearer token when the settings ask for one (401 with {@code WWW-Authenticate: Bearer}
 * otherwise, whatever the path, so an unauthorised client learns nothing of the routes), then goes to the handler of
 * its exact path, else to the handler of the longest tree its path is under, else gets 404. Routes may be added
 * before or after {@link #start}.
 */
public final class HttpEndpoint implements AutoCloseable {
    /** How long {@link #close} lets requests under way finish. */
    private static final int STOP_DELAY_S = 1;

    private final HttpServer server;
    private final BearerToken token;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, HttpHandler> exact = new ConcurrentHashMap<>();
    private final Map<String, HttpHandler> trees = new ConcurrentHashMap<>();
    private volatile boolean started;

    private HttpEndpoint(HttpServer server, BearerToken token) {
        this.server = server;
        this.token = token;
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
    }

    /**
     * Binds the endpoint {@code settings} enable (refused with an IOException naming the address, e.g. when the
     * port is taken); requests are served from {@link #start} on.
     */
    public static HttpEndpoint bind(HttpSettings settings) throws IOException {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("the HTTP endpoint is off");
        }
        try {
            HttpServer server;
            if (settings.tls() == null) {
                server = HttpServer.create(settings.address(), 0);
            } else {
                HttpsServer https = HttpsServer.create(settings.address(), 0);
                https.setHttpsConfigurator(new HttpsConfigurator(settings.tls().context()));
                server = https;
            }
            return new HttpEndpoint(server, settings.token());
        } catch (IOException refused) {
            throw new IOException("--http " + HttpSettings.text(settings.address()) + ": " + refused.getMessage()
                    + " (expected a free address of this network namespace, or --http off)", refused);
        }
    }

    /** Serves {@code handler} for GET/POST/... of exactly {@code path} (e.g. {@code /metrics}). */
    public HttpEndpoint route(String path, HttpHandler handler) {
        register(exact, path, handler);
        return this;
    }

    /** Serves {@code handler} for every path under {@code prefix} (e.g. {@code /api/v1/}) that has no exact route. */
    public HttpEndpoint routeTree(String prefix, HttpHandler handler) {
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("a route tree " + prefix + " must end with / (expected e.g. /api/v1/)");
        }
        register(trees, prefix, handler);
        return this;
    }

    private static void register(Map<String, HttpHandler> routes, String path, HttpHandler handler) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route " + path + ": expected a path starting with /");
        }
        if (routes.putIfAbsent(path, handler) != null) {
            throw new IllegalArgumentException("route " + path + " is already taken");
        }
    }

    public synchronized void start() {
        server.start();
        started = true;
    }

    /** Where it listens (with the port the kernel chose when bound to port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (token != null && !token.admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
                drain(exchange.getRequestBody());
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"jvs\"");
                sendText(exchange, 401, "401 Unauthorized: expected Authorization: Bearer <token of --http-token-file>\n");
                return;
            }
            HttpHandler handler = handlerFor(exchange.getRequestURI().getPath());
            if (handler == null) {
                drain(exchange.getRequestBody());
                sendText(exchange, 404, "404 Not Found: " + exchange.getRequestURI().getPath() + "\n");
                return;
            }
            // the handler reads the request body (the REST API's JSON); what it leaves is drained on close
            handler.handle(exchange);
        }
    }

    private HttpHandler handlerFor(String path) {
        HttpHandler handler = exact.get(path);
        String longest = null;
        if (handler == null) {
            for (String prefix : trees.keySet()) {
                if (path.startsWith(prefix) && (longest == null || prefix.length() > longest.length())) {
                    longest = prefix;
                }
            }
        }
        return handler != null ? handler : longest == null ? null : trees.get(longest);
    }

    /** Reads what is left of a request body, so the connection can take the next request. */
    private static void drain(InputStream body) throws IOException {
        body.transferTo(OutputStream.nullOutputStream());
    }

    /**
     * Answers with {@code status} and a plain-text body (for errors: one line saying what was expected); HEAD gets
     * the headers alone. For handlers too.
     */
    public static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops listening, lets requests under way finish for a second, then interrupts what is left. */
    @Override
    public synchronized void close() {
        if (started) {
            server.stop(STOP_DELAY_S);
        } else {
            // the JDK's server frees its socket only through its dispatcher thread, which start() runs
            server.start();
            server.stop(0);
        }
        executor.shutdownNow();
    }
}
