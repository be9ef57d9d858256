package org.jvs.rest;

import java.util.Locale;

import org.jvs.api.ServiceKey;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

/**
 * The readable ids of the API's resources, as they appear in paths and in the {@code id} fields:
 * a service is {@code tcp:203.0.113.10:80} (protocol, VIP, port; ipvsadm's {@code -t 203.0.113.10:80}), a real server
 * {@code 192.0.2.11:8080} (RIP and port), a local address {@code 198.18.0.1}. ':' may be sent as is or as %3A.
 */
final class Ids {
    static final String SERVICE_EXPECTED = "tcp|udp:ADDRESS:PORT, e.g. tcp:203.0.113.10:80";
    static final String ENDPOINT_EXPECTED = "ADDRESS:PORT, e.g. 192.0.2.11:80";

    private Ids() {
    }

    static String service(ServiceKey key) {
        return protocol(key.protocol()) + ":" + Ipv4.toString(key.address()) + ":" + key.port();
    }

    static String endpoint(int address, int port) {
        return Ipv4.toString(address) + ":" + port;
    }

    /** "tcp" or "udp". */
    static String protocol(int protocol) {
        return Protocol.name(protocol).toLowerCase(Locale.ROOT);
    }

    /** {@code tcp|udp:ADDRESS:PORT}; {@code field} names the parameter in the error. */
    static ServiceKey parseService(String text, String field) throws ApiError {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw ApiError.badField(field, "'" + text + "' is not a service id (expected " + SERVICE_EXPECTED + ")");
        }
        int protocol = parseProtocol(text.substring(0, colon), field, text);
        long[] endpoint = parseEndpoint(text.substring(colon + 1), field, "a service id", SERVICE_EXPECTED, text);
        return new ServiceKey(protocol, (int) endpoint[0], (int) endpoint[1]);
    }

    static int parseProtocol(String word, String field, String given) throws ApiError {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            default -> throw ApiError.badField(field, "'" + given + "': unknown protocol '" + word
                    + "' (expected tcp or udp)");
        };
    }

    /** {@code ADDRESS:PORT} as {address, port}. */
    static long[] parseEndpoint(String text, String field) throws ApiError {
        return parseEndpoint(text, field, "an ADDRESS:PORT", ENDPOINT_EXPECTED, text);
    }

    private static long[] parseEndpoint(String text, String field, String what, String expected, String given)
            throws ApiError {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw ApiError.badField(field, "'" + given + "' is not " + what + " (expected " + expected + ")");
        }
        return new long[] {parseAddress(text.substring(0, colon), field), parsePort(text.substring(colon + 1), field,
                given, expected)};
    }

    static int parseAddress(String text, String field) throws ApiError {
        try {
            return Ipv4.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badField(field, e.getMessage());
        }
    }

    private static int parsePort(String text, String field, String given, String expected) throws ApiError {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)
                || Integer.parseInt(text) > 65535) {
            throw ApiError.badField(field, "'" + given + "': illegal port '" + text + "' (expected " + expected
                    + ", a port from 0 to 65535)");
        }
        return Integer.parseInt(text);
    }
}
