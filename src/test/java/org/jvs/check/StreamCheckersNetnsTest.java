package org.jvs.check;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** TCP_CHECK, HTTP_GET, SSL_GET and SMTP_CHECK against servers inside a namespace the test creates. */
@Tag("netns")
class StreamCheckersNetnsTest {
    private static final int HTTP = 8080;
    private static final int HTTPS = 8443;
    private static final int TCP_OPEN = 8081;
    private static final int CLOSED = 8099;
    private static final int SMTP = 2525;
    private static final int SMTP_REFUSING = 2526;
    private static final String HELLO_MD5 = "5d41402abc4b2a76b9719d911017c592";

    private static CheckNamespace namespace;
    private static HttpServer http;
    private static HttpsServer https;
    private static ServerSocket tcp;
    private static ServerSocket smtp;
    private static ServerSocket smtpRefusing;
    private static final BlockingQueue<String> hostsSeen = new LinkedBlockingQueue<>();
    private static final BlockingQueue<String> peersSeen = new LinkedBlockingQueue<>();
    private static final BlockingQueue<String> smtpSeen = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startServers(@TempDir Path dir) throws Exception {
        namespace = new CheckNamespace("jvst-chks");
        SSLContext tls = selfSigned(dir);
        namespace.call(() -> {
            http = HttpServer.create(new InetSocketAddress(Connections.inet(CheckNamespace.SERVER), HTTP), 16);
            http.createContext("/", StreamCheckersNetnsTest::serve);
            http.start();
            https = HttpsServer.create(new InetSocketAddress(Connections.inet(CheckNamespace.SERVER), HTTPS), 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            https.createContext("/", StreamCheckersNetnsTest::serve);
            https.start();
            tcp = new ServerSocket(TCP_OPEN, 16, Connections.inet(CheckNamespace.SERVER));
            smtp = new ServerSocket(SMTP, 16, Connections.inet(CheckNamespace.SERVER));
            smtpRefusing = new ServerSocket(SMTP_REFUSING, 16, Connections.inet(CheckNamespace.SERVER));
            return null;
        });
        namespace.start(() -> {
            while (true) {
                try (Socket peer = tcp.accept()) {
                    peersSeen.add(peer.getInetAddress().getHostAddress() + ":" + peer.getPort());
                }
            }
        });
        namespace.start(() -> serveSmtp(smtp, "220 mail.test ESMTP"));
        namespace.start(() -> serveSmtp(smtpRefusing, "554 go away"));
        // the first exchange loads classes on both ends; keep that out of the tests' short connect_timeout
        HttpGetSpec warmup = new HttpGetSpec(Specs.withTimeout(Specs.common(), java.time.Duration.ofSeconds(10)), false, "",
                List.of(new UrlSpec("/ok", HELLO_MD5, List.of(), "")));
        check(warmup, CheckNamespace.SERVER, HTTP);
        check(new HttpGetSpec(warmup.common(), true, "", warmup.urls()), CheckNamespace.SERVER, HTTPS);
        hostsSeen.clear();
    }

    @AfterAll
    static void stopServers() throws Exception {
        try {
            if (http != null) {
                http.stop(0);
            }
            if (https != null) {
                https.stop(0);
            }
            for (ServerSocket socket : new ServerSocket[] {tcp, smtp, smtpRefusing}) {
                if (socket != null) {
                    socket.close();
                }
            }
        } finally {
            if (namespace != null) {
                namespace.close();
            }
        }
    }

    private static void serve(HttpExchange exchange) throws java.io.IOException {
        hostsSeen.add(exchange.getRequestHeaders().getFirst("Host") + " " + exchange.getProtocol());
        byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
        int status = switch (exchange.getRequestURI().getPath()) {
            case "/ok" -> 200;
            case "/broken" -> 503;
            case "/moved" -> 302;
            default -> 404;
        };
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void serveSmtp(ServerSocket server, String greeting) throws Exception {
        while (true) {
            try (Socket client = server.accept();
                 BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                 PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.US_ASCII)) {
                out.print("220-first line of a multi-line greeting\r\n" + greeting + "\r\n");
                out.flush();
                String line;
                while ((line = in.readLine()) != null) {
                    smtpSeen.add(line);
                    if (line.startsWith("HELO")) {
                        out.print("250 pleased to meet you\r\n");
                    } else if (line.equals("QUIT")) {
                        out.print("221 bye\r\n");
                        out.flush();
                        break;
                    }
                    out.flush();
                }
            }
        }
    }

    /** A key pair and self-signed certificate made by keytool for this run only. */
    private static SSLContext selfSigned(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        char[] password = "test-only".toCharArray();
        CheckNamespace.run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "server", "-keyalg", "EC", "-dname", "CN=rs.test", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "test-only");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, password);
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        return context;
    }

    private static CheckResult check(CheckSpec spec, int address, int port) throws Exception {
        return namespace.call(() -> Checker.of(spec).check(address, port));
    }

    @ParameterizedTest(name = "{0}:{1} -> {2}")
    @CsvSource({
        "192.0.2.1,    8081, true,  connected",            // listening
        "192.0.2.1,    8099, false, connect refused",      // nothing listens
        "203.0.113.2,  80,   false, timeout after 500 ms", // never answers
        "198.51.100.99, 80,  false, Network is unreachable", // no route
    })
    void shouldPassTcpCheckOnlyWhenConnectionOpens(String address, int port, boolean up, String reason) throws Exception {
        assertEquals(new CheckResult(up, reason, CheckResult.NO_WEIGHT),
                check(new TcpCheckSpec(Specs.common()), Specs.address(address), port));
    }

    @Test
    void shouldConnectToConnectIpAndPortFromBindtoAndBindPort() throws Exception {
        peersSeen.clear();
        TcpCheckSpec spec = new TcpCheckSpec(Specs.common(CheckNamespace.SERVER, TCP_OPEN, CheckNamespace.CLIENT, 40123));
        assertEquals(CheckResult.pass("connected"), check(spec, CheckNamespace.NOWHERE, CLOSED));
        assertEquals("192.0.2.2:40123", peersSeen.poll(5, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "{0} with status_code {1}-{2} and digest ''{3}'' -> {5}")
    @CsvSource({
        "/ok,     0,   0,   '',                               true,  status 200 on /ok",
        "/broken, 0,   0,   '',                               false, status 503 on /broken",
        "/moved,  0,   0,   '',                               false, status 302 on /moved",
        "/moved,  300, 399, '',                               true,  status 302 on /moved",
        "/broken, 500, 503, '',                               true,  status 503 on /broken",
        "/ok,     0,   0,   " + HELLO_MD5 + ",                true,  status 200 on /ok",
        "/ok,     0,   0,   00000000000000000000000000000000, false, digest mismatch on /ok: " + HELLO_MD5,
    })
    void shouldJudgeHttpStatusAndDigest(String path, int from, int to, String digest, boolean up, String reason)
            throws Exception {
        List<UrlSpec.StatusRange> ranges = from == 0 ? List.of() : List.of(new UrlSpec.StatusRange(from, to));
        HttpGetSpec spec = new HttpGetSpec(Specs.common(), false, "", List.of(new UrlSpec(path, digest, ranges, "")));
        assertEquals(new CheckResult(up, reason, CheckResult.NO_WEIGHT), check(spec, CheckNamespace.SERVER, HTTP));
    }

    @ParameterizedTest(name = "url ''{0}'', checker ''{1}'' -> Host {2}")
    @CsvSource({
        "www.url.test, www.checker.test, www.url.test",
        "'',           www.checker.test, www.checker.test",
        "'',           '',               192.0.2.1:8080",
    })
    void shouldSendHostFromUrlThenCheckerVirtualhostThenConnectAddress(String urlHost, String checkerHost,
                                                                         String expected) throws Exception {
        hostsSeen.clear();
        HttpGetSpec spec = new HttpGetSpec(Specs.common(), false, checkerHost,
                List.of(new UrlSpec("/ok", "", List.of(), urlHost)));
        assertEquals(CheckResult.pass("status 200 on /ok"), check(spec, CheckNamespace.SERVER, HTTP));
        assertEquals(expected + " HTTP/1.0", hostsSeen.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldRequireEveryUrlToPass() throws Exception {
        HttpGetSpec spec = new HttpGetSpec(Specs.common(), false, "", List.of(
                new UrlSpec("/ok", HELLO_MD5, List.of(), ""), new UrlSpec("/broken", "", List.of(), "")));
        assertEquals(CheckResult.fail("status 503 on /broken"), check(spec, CheckNamespace.SERVER, HTTP));
    }

    @Test
    void shouldCheckSslGetAgainstSelfSignedCertificate() throws Exception {
        HttpGetSpec spec = new HttpGetSpec(Specs.common(), true, "",
                List.of(new UrlSpec("/ok", HELLO_MD5, List.of(), "")));
        assertEquals("SSL_GET", spec.kind());
        assertEquals(CheckResult.pass("status 200 on /ok"), check(spec, CheckNamespace.SERVER, HTTPS));
    }

    @Test
    void shouldFailSslGetAgainstPlainHttp() throws Exception {
        HttpGetSpec spec = new HttpGetSpec(Specs.common(), true, "", List.of(new UrlSpec("/ok", "", List.of(), "")));
        CheckResult result = check(spec, CheckNamespace.SERVER, HTTP);
        assertEquals(false, result.up(), result.reason());
    }

    @Test
    void shouldPassSmtpDialogueAndSendHeloName() throws Exception {
        smtpSeen.clear();
        SmtpCheckSpec spec = new SmtpCheckSpec(Specs.common(), "director.test");
        assertEquals(CheckResult.pass("HELO answered 250"), check(spec, CheckNamespace.SERVER, SMTP));
        assertEquals("HELO director.test", smtpSeen.poll(5, TimeUnit.SECONDS));
        assertEquals("QUIT", smtpSeen.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldFailSmtpOnBadGreeting() throws Exception {
        SmtpCheckSpec spec = new SmtpCheckSpec(Specs.common(), "director.test");
        assertEquals(CheckResult.fail("greeting 554, expected 220"), check(spec, CheckNamespace.SERVER, SMTP_REFUSING));
    }
}
