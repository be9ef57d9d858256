package org.jvs.ctl;

import java.util.OptionalInt;

import org.jvs.api.IpAddress;
import org.jvs.service.Ipv6;

/**
 * ipvsadm's parse_service() for the host[:port] arguments of -t, -u and -r: IPv4 a.b.c.d[:port] (or a name from
 * the local tables), IPv6 [address]:port or a bare IPv6 address without a port. A malformed one is refused with
 * ipvsadm's message, the argument and which part of it is wrong.
 */
final class Endpoints {
    private static final int EXIT_USAGE = 2;

    /** {@code hasPort} false: no ":port" was given, and the caller decides what the port is. */
    record Endpoint(IpAddress address, int port, boolean hasPort) {
    }

    private final NameResolver names;

    Endpoints(NameResolver names) {
        this.names = names;
    }

    /** {@code role} is "virtual server" or "real server", as in ipvsadm's messages. */
    Endpoint parse(String text, int protocol, String role) throws CommandLineException {
        if (CNumbers.allDigits(text)) {
            throw illegal(role, text, "expected host[:port], not a bare number");
        }
        String rest = text;
        String bracketedPort = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 == text.length() || text.charAt(close + 1) != ':') {
                throw illegal(role, text, "expected [IPv6 address]:port");
            }
            rest = text.substring(1, close);
            bracketedPort = text.substring(close + 2);
        }
        IpAddress v6 = ipv6(rest, role, text);
        if (v6 != null) {
            // a bare IPv6 address has no port: its colons are the address's own
            return bracketedPort == null ? new Endpoint(v6, 0, false)
                    : new Endpoint(v6, port(role, text, bracketedPort, protocol), true);
        }
        // as parse_service, an IPv4 host in brackets loses its port: only the text inside is searched for ':'
        int colon = rest.lastIndexOf(':');
        String host = colon < 0 ? rest : rest.substring(0, colon);
        long address = CNumbers.inetAton(host);
        if (address < 0) {
            OptionalInt named = names.address(host);
            if (named.isEmpty()) {
                throw illegal(role, text, "expected an IPv4 address or a host name from /etc/hosts"
                        + (colon < 0 ? "" : " before ':'"));
            }
            address = named.getAsInt() & 0xFFFFFFFFL;
        }
        IpAddress ipv4 = IpAddress.ofIpv4((int) address);
        return colon < 0 ? new Endpoint(ipv4, 0, false)
                : new Endpoint(ipv4, port(role, text, rest.substring(colon + 1), protocol), true);
    }

    /**
     * inet_pton(AF_INET6), or null when the text has at most one ':' (host[:port]). With more, no IPv4 host or name
     * can follow (ipvsadm refuses it as one), so the IPv6 fault is what the refusal names.
     */
    private static IpAddress ipv6(String text, String role, String given) throws CommandLineException {
        if (text.indexOf(':') == text.lastIndexOf(':')) {
            return null;
        }
        try {
            return IpAddress.ofIpv6(Ipv6.parse(text));
        } catch (IllegalArgumentException notIpv6) {
            throw illegal(role, given, "expected [IPv6 address]:port: " + notIpv6.getMessage());
        }
    }

    private int port(String role, String text, String portText, int protocol) throws CommandLineException {
        long port = CNumbers.stringToNumber(portText, 0, 65535);
        if (port < 0) {
            OptionalInt named = names.port(portText, protocol);
            if (named.isEmpty()) {
                throw illegal(role, text, "expected a port 0..65535 or a service name from /etc/services after ':'");
            }
            port = named.getAsInt();
        }
        return (int) port;
    }

    private static CommandLineException illegal(String role, String text, String expected) {
        return new CommandLineException("illegal " + role + " address[:port] specified: '" + text + "' (" + expected
                + ")", EXIT_USAGE);
    }
}
