package org.jvs.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.IpAddress;
import org.jvs.api.ServiceKey;

/**
 * {@code GET /connections?client=ADDR[:PORT]&service=ID&real-server=ADDR:PORT&limit=N&after=CURSOR}: the connection
 * entries (templates included, marked) that match every filter given, in a fixed order (protocol, virtual address and
 * port, client address and port, real server, template last), {@code limit} at a time. A page's {@code next} cursor
 * names its last entry, and the next page starts after it in that order: entries that come or go in between do not
 * shift the pages (keyset paging). The cursor is opaque to clients.
 */
final class ConnectionQuery {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** protocol, then family, hi, lo and port of the virtual, client and real address, then template. */
    private static final int KEY_PARTS = 14;
    static final List<String> PARAMETERS = List.of("client", "service", "real-server", "limit", "after");
    /** Unsigned, for the address halves; every other part is non-negative. */
    private static final Comparator<long[]> ORDER = (a, b) -> {
        for (int i = 0; i < a.length; i++) {
            int c = Long.compareUnsigned(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    /** null: any client. */
    private final IpAddress clientAddress;
    private final long clientPort;
    private final ServiceKey service;
    private final Ids.Endpoint realServer;
    private final int limit;
    private final long[] after;

    private ConnectionQuery(IpAddress clientAddress, long clientPort, ServiceKey service, Ids.Endpoint realServer,
                            int limit,
                            long[] after) {
        this.clientAddress = clientAddress;
        this.clientPort = clientPort;
        this.service = service;
        this.realServer = realServer;
        this.limit = limit;
        this.after = after;
    }

    static ConnectionQuery parse(Map<String, String> query) throws ApiError {
        for (String name : query.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiError.badField(name, "unknown query parameter '" + name + "' (expected "
                        + String.join(", ", PARAMETERS) + ")");
            }
        }
        IpAddress clientAddress = null;
        long clientPort = -1;
        String client = query.get("client");
        if (client != null) {
            // an address alone (IPv4, or IPv6 unbracketed), or an endpoint (a.b.c.d:port, [IPv6]:port)
            if (client.indexOf(':') < 0 || !client.startsWith("[") && client.indexOf(':') != client.lastIndexOf(':')) {
                clientAddress = Ids.parseAddress(client, "client");
            } else {
                Ids.Endpoint endpoint = Ids.parseEndpoint(client, "client");
                clientAddress = endpoint.address();
                clientPort = endpoint.port();
            }
        }
        ServiceKey service = query.containsKey("service") ? Ids.parseService(query.get("service"), "service") : null;
        Ids.Endpoint realServer = query.containsKey("real-server")
                ? Ids.parseEndpoint(query.get("real-server"), "real-server") : null;
        int limit = DEFAULT_LIMIT;
        String limitText = query.get("limit");
        if (limitText != null) {
            limit = limitText.matches("[0-9]{1,4}") ? Integer.parseInt(limitText) : -1;
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiError.badField("limit", "illegal limit '" + limitText + "' (expected 1 to " + MAX_LIMIT
                        + ")");
            }
        }
        long[] after = query.containsKey("after") ? decode(query.get("after")) : null;
        return new ConnectionQuery(clientAddress, clientPort, service, realServer, limit, after);
    }

    /** {@code connections}: this page's entries; {@code next}: the cursor of the next page, null after the last. */
    record Page(List<ConnectionSnapshot> connections, String next) {
    }

    Page page(List<ConnectionSnapshot> all) {
        List<ConnectionSnapshot> matching = new ArrayList<>();
        for (ConnectionSnapshot connection : all) {
            if (matches(connection) && (after == null || ORDER.compare(key(connection), after) > 0)) {
                matching.add(connection);
            }
        }
        matching.sort(Comparator.comparing(ConnectionQuery::key, ORDER));
        if (matching.size() <= limit) {
            return new Page(matching, null);
        }
        List<ConnectionSnapshot> page = List.copyOf(matching.subList(0, limit));
        return new Page(page, encode(key(page.getLast())));
    }

    private boolean matches(ConnectionSnapshot c) {
        if (clientAddress != null && !c.clientAddress().equals(clientAddress)) {
            return false;
        }
        if (clientPort >= 0 && c.clientPort() != clientPort) {
            return false;
        }
        if (service != null && (c.protocol() != service.protocol() || !c.virtualAddress().equals(service.address())
                || c.virtualPort() != service.port())) {
            return false;
        }
        return realServer == null || (c.realAddress().equals(realServer.address()) && c.realPort() == realServer.port());
    }

    /** The entry's place in the listing order: each address as its family (IPv4 first) and two unsigned halves. */
    private static long[] key(ConnectionSnapshot c) {
        return new long[] {c.protocol(), c.virtualAddress().family().ordinal(), c.virtualAddress().hi(),
            c.virtualAddress().lo(), c.virtualPort(), c.clientAddress().family().ordinal(), c.clientAddress().hi(),
            c.clientAddress().lo(), c.clientPort(), c.realAddress().family().ordinal(), c.realAddress().hi(),
            c.realAddress().lo(), c.realPort(), c.template() ? 1 : 0};
    }

    private static String encode(long[] key) {
        StringBuilder text = new StringBuilder();
        for (long part : key) {
            text.append(text.isEmpty() ? "" : ".").append(Long.toUnsignedString(part));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static long[] decode(String cursor) throws ApiError {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split("\\.");
            if (parts.length == KEY_PARTS) {
                long[] key = new long[KEY_PARTS];
                for (int i = 0; i < key.length; i++) {
                    key[i] = Long.parseUnsignedLong(parts[i]);
                }
                return key;
            }
        } catch (IllegalArgumentException notOurs) {
            // said below
        }
        throw ApiError.badField("after", "illegal cursor '" + cursor + "' (expected the next of a previous page)");
    }
}
