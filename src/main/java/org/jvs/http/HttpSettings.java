package org.jvs.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Where the director's HTTP endpoint listens and what a request must carry, from {@code ./jvs director}'s
 * {@code --http ADDR:PORT|off} (default {@value #DEFAULT}) and {@code --http-token-file FILE}. Bound to anything but
 * loopback the endpoint needs a token; with a token file it asks for the token on loopback too. With
 * {@code --http-tls-cert FILE --http-tls-key FILE} it speaks HTTPS only.
 *
 * @param address where to listen, null when off
 * @param token what every request must carry, null when none is asked for
 * @param tls the certificate and key it serves HTTPS with, null for plain HTTP
 */
public record HttpSettings(InetSocketAddress address, BearerToken token, TlsIdentity tls) {
    public static final String DEFAULT = "127.0.0.1:9947";
    public static final String OFF = "off";
    private static final String EXPECTED = "expected ADDR:PORT with an IP address and a port from 1 to 65535,"
            + " e.g. " + DEFAULT + " or [::1]:9947, or off";

    public HttpSettings {
        if (address != null && token == null && !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("--http " + text(address) + " is not a loopback address: it needs"
                    + " --http-token-file FILE");
        }
    }

    /** Plain HTTP. */
    public HttpSettings(InetSocketAddress address, BearerToken token) {
        this(address, token, null);
    }

    /** The endpoint turned off. */
    public static HttpSettings off() {
        return new HttpSettings(null, null);
    }

    /** {@code http} or {@code https}, for the URLs the director prints. */
    public String scheme() {
        return tls == null ? "http" : "https";
    }

    public boolean enabled() {
        return address != null;
    }

    /**
     * Checks the two options together: {@code http} is {@code --http}'s value (null when not given), {@code tokenFile}
     * {@code --http-token-file}'s (null when not given). A refusal is one line naming the token and what was expected.
     */
    public static HttpSettings parse(String http, Path tokenFile) {
        return parse(http, tokenFile, null, null);
    }

    /**
     * As {@link #parse(String, Path)}, with {@code --http-tls-cert} and {@code --http-tls-key} (null when not given):
     * both or neither.
     */
    public static HttpSettings parse(String http, Path tokenFile, Path certificateFile, Path keyFile) {
        InetSocketAddress address = parseAddress(http == null ? DEFAULT : http);
        requireEndpoint(address, "--http-token-file", tokenFile);
        requireEndpoint(address, "--http-tls-cert", certificateFile);
        requireEndpoint(address, "--http-tls-key", keyFile);
        if ((certificateFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException(certificateFile == null
                    ? "--http-tls-key " + keyFile + ": without --http-tls-cert (expected both, or neither)"
                    : "--http-tls-cert " + certificateFile + ": without --http-tls-key (expected both, or neither)");
        }
        BearerToken token = null;
        TlsIdentity tls = null;
        try {
            token = tokenFile == null ? null : BearerToken.read(tokenFile);
        } catch (IOException refused) {
            throw new IllegalArgumentException("--http-token-file " + refused.getMessage());
        }
        try {
            tls = certificateFile == null ? null : TlsIdentity.read(certificateFile, keyFile);
        } catch (IOException refused) {
            throw new IllegalArgumentException("--http-tls-cert/--http-tls-key " + refused.getMessage());
        }
        return new HttpSettings(address, token, tls);
    }

    private static void requireEndpoint(InetSocketAddress address, String option, Path file) {
        if (address == null && file != null) {
            throw new IllegalArgumentException(option + " " + file + ": the endpoint is off"
                    + " (expected --http ADDR:PORT with it, or no " + option + ")");
        }
    }

    /** {@code ADDR:PORT} ({@code [ADDR]:PORT} for IPv6) to a socket address, {@code off} to null. */
    public static InetSocketAddress parseAddress(String text) {
        if (OFF.equals(text)) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--http " + text + ": " + EXPECTED);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("--http " + text + ": " + EXPECTED);
        }
        int port;
        InetAddress address;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
            address = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException notLiteral) {
            throw new IllegalArgumentException("--http " + text + ": " + EXPECTED);
        }
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("--http " + text + ": " + EXPECTED);
        }
        return new InetSocketAddress(address, port);
    }

    /** ADDR:PORT as {@code --http} takes it. */
    public static String text(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
