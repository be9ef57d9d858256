package org.jvs.check;

import java.net.InetAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.net.ssl.SSLSocket;

/**
 * HTTP_GET and SSL_GET: for every url, a fresh connection and the GET keepalived sends (HTTP/1.0, its
 * User-Agent, a Host header), then the status code must fall in the url's ranges and, when the url has a digest,
 * the MD5 of the body must match. The first url that fails decides the reason.
 */
final class HttpGetChecker implements Checker {
    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 200;
    private static final UrlSpec.StatusRange DEFAULT_RANGE = new UrlSpec.StatusRange(200, 299);

    private final HttpGetSpec spec;

    HttpGetChecker(HttpGetSpec spec) {
        this.spec = spec;
    }

    @Override
    public CheckResult check(InetAddress address, int port) {
        if (spec.urls().isEmpty()) {
            return CheckResult.fail("no url to get");
        }
        String last = "";
        for (UrlSpec url : spec.urls()) {
            CheckResult result = get(url, address, port);
            if (!result.up()) {
                return result;
            }
            last = result.reason();
        }
        return CheckResult.pass(spec.urls().size() == 1 ? last : last + " (all " + spec.urls().size() + " urls)");
    }

    private CheckResult get(UrlSpec url, InetAddress address, int port) {
        CheckCommon common = spec.common();
        try (Socket socket = open(address, port)) {
            OutputStream out = socket.getOutputStream();
            out.write(request(url, address, port).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Deadline in = new Deadline(socket, Connections.timeoutMs(common));
            int status = readStatus(in);
            if (status < 0) {
                return CheckResult.fail("no HTTP status line from " + url.path());
            }
            if (!accepted(url, status)) {
                return CheckResult.fail("status " + status + " on " + url.path());
            }
            if (!url.digest().isEmpty()) {
                long contentLength = readContentLength(in);
                String digest = bodyMd5(in, contentLength);
                if (!digest.equalsIgnoreCase(url.digest())) {
                    return CheckResult.fail("digest mismatch on " + url.path() + ": " + digest);
                }
            }
            return CheckResult.pass("status " + status + " on " + url.path());
        } catch (IOException e) {
            return CheckResult.fail(Connections.reason(e, common));
        }
    }

    private Socket open(InetAddress address, int port) throws IOException {
        Socket plain = Connections.connectTcp(spec.common(), address, port);
        if (!spec.tls()) {
            return plain;
        }
        try {
            SSLSocket tls = (SSLSocket) TrustingTls.socketFactory().createSocket(plain,
                    Connections.text(Connections.connectAddress(spec.common(), address)),
                    Connections.connectPort(spec.common(), port), true);
            plain.setSoTimeout(Connections.timeoutMs(spec.common()));
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** keepalived's request template: the url's virtualhost, else the checker's, else the connect address:port. */
    String request(UrlSpec url, InetAddress address, int port) {
        String host;
        if (!url.virtualhost().isEmpty()) {
            host = url.virtualhost();
        } else if (!spec.virtualhost().isEmpty()) {
            host = spec.virtualhost();
        } else {
            host = Connections.host(Connections.connectAddress(spec.common(), address)) + ":"
                    + Connections.connectPort(spec.common(), port);
        }
        return "GET " + url.path() + " HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: " + host + "\r\n\r\n";
    }

    private static boolean accepted(UrlSpec url, int status) {
        if (url.statusCodes().isEmpty()) {
            return status >= DEFAULT_RANGE.from() && status <= DEFAULT_RANGE.to();
        }
        for (UrlSpec.StatusRange range : url.statusCodes()) {
            if (status >= range.from() && status <= range.to()) {
                return true;
            }
        }
        return false;
    }

    /** The code from "HTTP/1.x NNN reason", or -1 when the first line is not a status line. */
    private static int readStatus(Deadline in) throws IOException {
        String line = in.readLine(MAX_LINE);
        if (line == null || !line.startsWith("HTTP/")) {
            return -1;
        }
        int space = line.indexOf(' ');
        if (space < 0 || line.length() < space + 4) {
            return -1;
        }
        try {
            return Integer.parseInt(line.substring(space + 1, space + 4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads the headers up to the blank line; returns Content-Length, or -1 when there is none. */
    private static long readContentLength(Deadline in) throws IOException {
        long contentLength = -1;
        for (int i = 0; i < MAX_HEADERS; i++) {
            String line = in.readLine(MAX_LINE);
            if (line == null || line.isEmpty()) {
                return contentLength;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                try {
                    contentLength = Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length '" + line.substring(colon + 1).trim() + "'");
                }
            }
        }
        throw new IOException("more than " + MAX_HEADERS + " header lines");
    }

    /**
     * The body runs to the end of the stream, as HTTP/1.0 has it, unless Content-Length says where it ends: a
     * server that keeps the connection open anyway must not turn a good answer into a timeout.
     */
    private static String bodyMd5(Deadline in, long contentLength) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has MD5", e);
        }
        byte[] buffer = new byte[8192];
        long remaining = contentLength < 0 ? Long.MAX_VALUE : contentLength;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                break;
            }
            md5.update(buffer, 0, n);
            remaining -= n;
        }
        return HexFormat.of().formatHex(md5.digest());
    }
}
