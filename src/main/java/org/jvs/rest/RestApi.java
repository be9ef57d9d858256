package org.jvs.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.http.HttpEndpoint;
import org.jvs.rest.Route.Reply;
import org.jvs.rest.Route.Request;

/**
 * The JSON REST API under {@value #PREFIX}: services, their real servers and local addresses, timeouts, zeroing and
 * a paged search of connections, each operation one call of {@link DirectorControl} - the one control path jvsadm
 * takes too, so the API refuses what jvsadm refuses, with its message, and a refusal changes nothing. The routes
 * are the {@link #routes()} table, which openapi.json (served at {@code /api/v1/openapi.json}) describes path for
 * path. Errors are {@code {"error": "...", "field": "..."}}: 400 for a body or parameter that is not what the field
 * expects, 404/409/422/503 for the director's refusals (see {@link Refusals}), 404/405 for an unknown path or method.
 */
public final class RestApi implements HttpHandler {
    public static final String PREFIX = "/api/v1/";
    static final String OPENAPI_RESOURCE = "openapi.json";
    private static final String BASE = PREFIX.substring(0, PREFIX.length() - 1);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final DirectorControl control;
    private final JsonMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private final JsonNode openApi;
    private final List<Route> routes;

    public RestApi(DirectorControl control) {
        this.control = control;
        this.openApi = readOpenApi();
        this.routes = List.of(
                new Route("GET", "/services", r -> listServices()),
                new Route("POST", "/services", this::addService),
                new Route("GET", "/services/{service}", r -> Reply.ok(Views.service(snapshot(service(r))))),
                new Route("PUT", "/services/{service}", this::editService),
                new Route("DELETE", "/services/{service}", this::deleteService),
                new Route("POST", "/services/{service}/zero", this::zeroService),
                new Route("GET", "/services/{service}/real-servers", this::listRealServers),
                new Route("POST", "/services/{service}/real-servers", this::addRealServer),
                new Route("GET", "/services/{service}/real-servers/{realServer}", this::getRealServer),
                new Route("PUT", "/services/{service}/real-servers/{realServer}", this::editRealServer),
                new Route("DELETE", "/services/{service}/real-servers/{realServer}", this::deleteRealServer),
                new Route("GET", "/services/{service}/local-addresses", this::listLocalAddresses),
                new Route("POST", "/services/{service}/local-addresses", this::addLocalAddress),
                new Route("GET", "/services/{service}/local-addresses/{localAddress}", this::getLocalAddress),
                new Route("DELETE", "/services/{service}/local-addresses/{localAddress}", this::deleteLocalAddress),
                new Route("GET", "/timeouts", r -> Reply.ok(Views.timeouts(control.timeouts()))),
                new Route("PUT", "/timeouts", this::setTimeouts),
                new Route("POST", "/zero", r -> zero(null)),
                new Route("GET", "/connections", this::connections),
                new Route("GET", "/" + OPENAPI_RESOURCE, r -> Reply.ok(openApi)));
    }

    /** Serves the API on {@code endpoint} under {@value #PREFIX}. */
    public void register(HttpEndpoint endpoint) {
        endpoint.routeTree(PREFIX, this);
    }

    /** The operations, in openapi.json's order. */
    List<Route> routes() {
        return routes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Reply reply;
        try {
            reply = dispatch(exchange.getRequestMethod(), path, exchange);
        } catch (ApiError e) {
            reply = new Reply(e.status(), Views.error(e.getMessage(), e.field()), null);
        } catch (ControlException refused) {
            reply = new Reply(Refusals.status(refused), Views.error(refused.getMessage(), Refusals.field(refused)),
                    null);
        } catch (RuntimeException e) {
            reply = new Reply(500, Views.error("internal error of the REST API: " + e, null), null);
        }
        send(exchange, reply);
    }

    private Reply dispatch(String method, String path, HttpExchange exchange) throws ApiError, ControlException,
            IOException {
        String relative = path.substring(BASE.length());
        List<String> allowed = new ArrayList<>();
        for (Route route : routes) {
            Map<String, String> parameters = route.match(relative);
            if (parameters == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return route.action().apply(new Request(parameters, query(exchange.getRequestURI().getRawQuery()),
                        body(exchange.getRequestBody())));
            }
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) {
            throw new ApiError(404, null, "no such resource: " + path + " (expected one of the paths of " + PREFIX
                    + OPENAPI_RESOURCE + ")");
        }
        exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
        throw new ApiError(405, null, "method " + method + " not allowed on " + path + " (expected "
                + String.join(", ", allowed) + ")");
    }

    private Reply listServices() throws ControlException {
        ArrayNode services = JSON.arrayNode();
        for (ServiceSnapshot service : control.services(null)) {
            services.add(Views.service(service));
        }
        ObjectNode node = JSON.objectNode();
        node.set("services", services);
        return Reply.ok(node);
    }

    private Reply addService(Request request) throws ApiError, ControlException {
        ServiceSpec spec = Specs.service(Fields.of(request.body()), null);
        control.addService(spec);
        return created(Views.service(snapshot(spec.key())), "services/" + Ids.service(spec.key()));
    }

    private Reply editService(Request request) throws ApiError, ControlException {
        ServiceKey key = service(request);
        control.editService(Specs.service(Fields.of(request.body()), key));
        return Reply.ok(Views.service(snapshot(key)));
    }

    private Reply deleteService(Request request) throws ApiError, ControlException {
        control.deleteService(service(request));
        return Reply.noContent();
    }

    private Reply zeroService(Request request) throws ApiError, ControlException {
        return zero(service(request));
    }

    private Reply zero(ServiceKey key) throws ControlException {
        control.zero(key);
        return Reply.noContent();
    }

    private Reply listRealServers(Request request) throws ApiError, ControlException {
        ArrayNode servers = JSON.arrayNode();
        for (RealServerSnapshot server : snapshot(service(request)).realServers()) {
            servers.add(Views.realServer(server));
        }
        ObjectNode node = JSON.objectNode();
        node.set("realServers", servers);
        return Reply.ok(node);
    }

    private Reply addRealServer(Request request) throws ApiError, ControlException {
        ServiceKey key = service(request);
        RealServerSpec spec = Specs.realServer(Fields.of(request.body()), key, null);
        control.addRealServer(key, spec);
        return created(Views.realServer(realServer(key, spec.address(), spec.port())),
                "services/" + Ids.service(key) + "/real-servers/" + Ids.endpoint(spec.address(), spec.port()));
    }

    private Reply getRealServer(Request request) throws ApiError, ControlException {
        Ids.Endpoint id = realServerId(request);
        return Reply.ok(Views.realServer(realServer(service(request), id.address(), id.port())));
    }

    private Reply editRealServer(Request request) throws ApiError, ControlException {
        ServiceKey key = service(request);
        Ids.Endpoint id = realServerId(request);
        RealServerSpec spec = Specs.realServer(Fields.of(request.body()), key, id);
        control.editRealServer(key, spec);
        return Reply.ok(Views.realServer(realServer(key, spec.address(), spec.port())));
    }

    private Reply deleteRealServer(Request request) throws ApiError, ControlException {
        Ids.Endpoint id = realServerId(request);
        control.deleteRealServer(service(request), id.address(), id.port());
        return Reply.noContent();
    }

    private Reply listLocalAddresses(Request request) throws ApiError, ControlException {
        ArrayNode locals = JSON.arrayNode();
        for (LocalAddressSpec local : snapshot(service(request)).localAddresses()) {
            locals.add(Views.localAddress(local));
        }
        ObjectNode node = JSON.objectNode();
        node.set("localAddresses", locals);
        return Reply.ok(node);
    }

    private Reply addLocalAddress(Request request) throws ApiError, ControlException {
        ServiceKey key = service(request);
        LocalAddressSpec spec = Specs.localAddress(Fields.of(request.body()));
        control.addLocalAddress(key, spec);
        return created(Views.localAddress(localAddress(key, spec.address())),
                "services/" + Ids.service(key) + "/local-addresses/" + spec.address());
    }

    private Reply getLocalAddress(Request request) throws ApiError, ControlException {
        ServiceKey key = service(request);
        return Reply.ok(Views.localAddress(localAddress(key, localAddressId(request))));
    }

    private Reply deleteLocalAddress(Request request) throws ApiError, ControlException {
        ServiceKey key = service(request);
        control.deleteLocalAddress(key, localAddressId(request));
        return Reply.noContent();
    }

    private Reply setTimeouts(Request request) throws ApiError, ControlException {
        control.setTimeouts(Specs.timeouts(Fields.of(request.body())));
        return Reply.ok(Views.timeouts(control.timeouts()));
    }

    private Reply connections(Request request) throws ApiError, ControlException {
        ConnectionQuery query = ConnectionQuery.parse(request.query());
        ConnectionQuery.Page page = query.page(control.connections());
        ObjectNode node = JSON.objectNode();
        ArrayNode connections = node.putArray("connections");
        for (ConnectionSnapshot connection : page.connections()) {
            connections.add(Views.connection(connection));
        }
        if (page.next() == null) {
            node.putNull("next");
        } else {
            node.put("next", page.next());
        }
        return Reply.ok(node);
    }

    private static ServiceKey service(Request request) throws ApiError {
        return Ids.parseService(request.parameter("service"), "service");
    }

    private static Ids.Endpoint realServerId(Request request) throws ApiError {
        return Ids.parseEndpoint(request.parameter("realServer"), "realServer");
    }

    private static IpAddress localAddressId(Request request) throws ApiError {
        return Ids.parseAddress(request.parameter("localAddress"), "localAddress");
    }

    /** The service as the director has it now; refused with "No such service" when it has not. */
    private ServiceSnapshot snapshot(ServiceKey key) throws ControlException {
        List<ServiceSnapshot> services = control.services(key);
        if (services.isEmpty()) {
            throw new ControlException("No such service");
        }
        return services.getFirst();
    }

    private RealServerSnapshot realServer(ServiceKey key, IpAddress address, int port) throws ControlException {
        for (RealServerSnapshot server : snapshot(key).realServers()) {
            if (server.address().equals(address) && server.port() == port) {
                return server;
            }
        }
        throw new ControlException("No such destination");
    }

    private LocalAddressSpec localAddress(ServiceKey key, IpAddress address) throws ControlException {
        for (LocalAddressSpec local : snapshot(key).localAddresses()) {
            if (local.address().equals(address)) {
                return local;
            }
        }
        throw new ControlException("No such local address");
    }

    /** '[' and ']' of an IPv6 id are not allowed in a URI's path (RFC 3986 3.3): the Location sends them encoded. */
    private static Reply created(JsonNode body, String relativeLocation) {
        return new Reply(201, body, PREFIX + relativeLocation.replace("[", "%5B").replace("]", "%5D"));
    }

    /** The query parameters, decoded; a parameter given twice is refused. */
    private static Map<String, String> query(String raw) throws ApiError {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            if (parameters.put(name, value) != null) {
                throw ApiError.badField(name, "query parameter '" + name + "' given twice (expected it once)");
            }
        }
        return parameters;
    }

    /** The request's JSON, null when it has none; a body that is not JSON is a 400. */
    private JsonNode body(InputStream in) throws ApiError, IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiError(413, null, "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(bytes);
        } catch (JacksonException malformed) {
            throw new ApiError(400, null, "malformed JSON: " + malformed.getOriginalMessage() + " (expected a JSON "
                    + "object, see " + PREFIX + OPENAPI_RESOURCE + ")");
        }
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        if (reply.location() != null) {
            exchange.getResponseHeaders().set("Location", reply.location());
        }
        if (reply.body() == null) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        byte[] body = mapper.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private JsonNode readOpenApi() {
        try (InputStream in = RestApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource org/jvs/rest/" + OPENAPI_RESOURCE + " missing from the build");
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
