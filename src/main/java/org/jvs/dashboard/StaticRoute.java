package org.jvs.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import org.jvs.http.HttpEndpoint;

/**
 * Files from the jar's resources: the request path less {@code prefix}, looked up under {@code resourceBase} (the
 * dashboard's page and script, or the WebJars' {@code META-INF/resources/webjars/}). GET and HEAD only; a path
 * that names no file, a directory, a file of a type not listed, or that climbs ({@code ..}) gets 404, so nothing
 * of the classpath but the files meant for the browser is served.
 */
final class StaticRoute implements HttpHandler {
    static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    private final String prefix;
    private final String resourceBase;
    /** Served for the prefix itself (e.g. {@code index.html} for {@code /}), or null. */
    private final String index;

    StaticRoute(String prefix, String resourceBase, String index) {
        this.prefix = prefix;
        this.resourceBase = resourceBase.endsWith("/") ? resourceBase : resourceBase + "/";
        this.index = index;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            HttpEndpoint.sendText(exchange, 405, "405 Method Not Allowed: " + method + " (expected GET)\n");
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String relative = path.startsWith(prefix) ? path.substring(prefix.length()) : null;
        if (relative != null && relative.isEmpty()) {
            relative = index;
        }
        String type = relative == null ? null : contentType(relative);
        InputStream file = type == null ? null : StaticRoute.class.getClassLoader()
                .getResourceAsStream(resourceBase + relative);
        if (file == null) {
            HttpEndpoint.sendText(exchange, 404, "404 Not Found: " + path + "\n");
            return;
        }
        byte[] body;
        try (file) {
            body = file.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if ("HEAD".equals(method)) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The type of a file the browser may have, or null (also for names that climb or look like directories). */
    static String contentType(String relative) {
        if (relative.isEmpty() || relative.startsWith("/") || relative.endsWith("/") || relative.contains("\\")) {
            return null;
        }
        for (String part : relative.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return null;
            }
        }
        int dot = relative.lastIndexOf('.');
        return dot < 0 ? null : CONTENT_TYPES.get(relative.substring(dot + 1));
    }
}
