package org.jvs.rest;

import java.util.Locale;

import org.jvs.api.IpAddress;
import org.jvs.api.ServiceKey;
import org.jvs.service.Protocol;

/**
 * The readable ids of the API's resources, as they appear in paths and in the {@code id} fields:
 * a service is {@code tcp:203.0.113.10:80} (protocol, VIP, port; ipvsadm's {@code -t 203.0.113.10:80}), a real server
 * {@code 192.0.2.11:8080} (RIP and port), a local address {@code 198.18.0.1}. An IPv6 address is bracketed where a
 * port follows, as ipvsadm writes it ({@code tcp:[2001:db8::10]:80}, {@code [2001:db8::2]:8080}), and bare alone
 * ({@code 2001:db8::1}), so the port is always what follows the last ':' after the address. ':' may be sent as is
 * or as %3A, '[' and ']' as is or as %5B and %5D.
 */
final class Ids {
    static final String SERVICE_EXPECTED = "tcp|udp:ADDRESS:PORT, e.g. tcp:203.0.113.10:80 or tcp:[2001:db8::10]:80";
    static final String ENDPOINT_EXPECTED = "ADDRESS:PORT, e.g. 192.0.2.11:80 or [2001:db8::2]:80";

    /** An address and port from an id. */
    record Endpoint(IpAddress address, int port) {
    }

    private Ids() {
    }

    static String service(ServiceKey key) {
        return protocol(key.protocol()) + ":" + endpoint(key.address(), key.port());
    }

    static String endpoint(IpAddress address, int port) {
        return address.withPort(port);
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
        Endpoint endpoint = parseEndpoint(text.substring(colon + 1), field, "a service id", SERVICE_EXPECTED, text);
        return new ServiceKey(protocol, endpoint.address(), endpoint.port());
    }

    static int parseProtocol(String word, String field, String given) throws ApiError {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            default -> throw ApiError.badField(field, "'" + given + "': unknown protocol '" + word
                    + "' (expected tcp or udp)");
        };
    }

    /** {@code ADDRESS:PORT} or {@code [IPV6]:PORT}. */
    static Endpoint parseEndpoint(String text, String field) throws ApiError {
        return parseEndpoint(text, field, "an ADDRESS:PORT", ENDPOINT_EXPECTED, text);
    }

    private static Endpoint parseEndpoint(String text, String field, String what, String expected, String given)
            throws ApiError {
        boolean bracketed = text.startsWith("[");
        int close = bracketed ? text.indexOf(']') : -1;
        int colon = bracketed ? (close < 0 ? -1 : close + 1) : text.lastIndexOf(':');
        if (colon < 0 || colon >= text.length() || text.charAt(colon) != ':') {
            throw ApiError.badField(field, "'" + given + "' is not " + what + " (expected " + expected + ")");
        }
        String addressText = bracketed ? text.substring(1, close) : text.substring(0, colon);
        IpAddress address = parseAddress(addressText, field);
        if (address.isIpv4() == bracketed) {
            throw ApiError.badField(field, "'" + given + "' is not " + what + " (expected " + expected
                    + ": an IPv6 address in brackets, an IPv4 one without)");
        }
        return new Endpoint(address, parsePort(text.substring(colon + 1), field, given, expected));
    }

    /** A dotted quad or an IPv6 address (inet_pton's forms). */
    static IpAddress parseAddress(String text, String field) throws ApiError {
        try {
            return IpAddress.parse(text);
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
