package org.jvs.ctl;

import java.util.OptionalInt;

/**
 * ipvsadm's parse_service() for IPv4 host[:port] arguments of -t, -u and -r, with names from the local tables.
 * A malformed one is refused with ipvsadm's message, the argument and which part of it is wrong.
 */
final class Endpoints {
    private static final int EXIT_USAGE = 2;

    /** {@code hasPort} false: no ":port" was given, and the caller decides what the port is. */
    record Endpoint(int address, int port, boolean hasPort) {
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
        if (text.startsWith("[") || text.indexOf(':') != text.lastIndexOf(':')) {
            throw new CommandLineException("IPv6 address '" + text + "' is not supported by JVS (expected an IPv4 "
                    + "host[:port])", EXIT_USAGE);
        }
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? text : text.substring(0, colon);
        long address = CNumbers.inetAton(host);
        if (address < 0) {
            OptionalInt named = names.address(host);
            if (named.isEmpty()) {
                throw illegal(role, text, "expected an IPv4 address or a host name from /etc/hosts"
                        + (colon < 0 ? "" : " before ':'"));
            }
            address = named.getAsInt() & 0xFFFFFFFFL;
        }
        if (colon < 0) {
            return new Endpoint((int) address, 0, false);
        }
        String portText = text.substring(colon + 1);
        long port = CNumbers.stringToNumber(portText, 0, 65535);
        if (port < 0) {
            OptionalInt named = names.port(portText, protocol);
            if (named.isEmpty()) {
                throw illegal(role, text, "expected a port 0..65535 or a service name from /etc/services after ':'");
            }
            port = named.getAsInt();
        }
        return new Endpoint((int) address, (int) port, true);
    }

    private static CommandLineException illegal(String role, String text, String expected) {
        return new CommandLineException("illegal " + role + " address[:port] specified: '" + text + "' (" + expected
                + ")", EXIT_USAGE);
    }
}
