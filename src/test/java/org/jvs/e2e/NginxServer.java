package org.jvs.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One nginx in one namespace of a lab, serving a directory on one address and port, stopped and restarted by the
 * test to make a health checker fail and pass. Runs in the foreground without a master process, as root (the
 * lab's work dir is private), with every path it writes under its own directory, so several can share a host.
 * Files under {@code /slow/} are sent at {@link #SLOW_RATE} so a download stays in flight for a few seconds; PUT
 * stores files under {@code /up/}; the access log names the PROXY protocol address (when the listener expects the
 * header), the peer and the request.
 */
final class NginxServer {
    static final String SLOW_RATE = "1500k";
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Lab lab;
    private final String ns;
    private final String label;
    private final String address;
    private final int port;
    private final boolean proxyProtocol;
    private final Path home;
    private Background process;

    /** Creates the server's directory with an index.html saying {@code page}; nothing runs yet. */
    NginxServer(Lab lab, String ns, String label, String address, int port, String page) {
        this(lab, ns, label, address, port, page, false);
    }

    /** As above; with {@code proxyProtocol} the listener expects a PROXY protocol header (v1 or v2) first. */
    NginxServer(Lab lab, String ns, String label, String address, int port, String page, boolean proxyProtocol) {
        this.lab = lab;
        this.proxyProtocol = proxyProtocol;
        this.ns = ns;
        this.label = label;
        this.address = address;
        this.port = port;
        this.home = lab.workDir().resolve("nginx-" + label);
        try {
            Files.createDirectories(root().resolve("slow"));
            Files.createDirectories(home.resolve("tmp"));
            Files.writeString(root().resolve("index.html"), page + "\n");
            Files.writeString(home.resolve("nginx.conf"), config());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory it serves at /. */
    Path root() {
        return home.resolve("html");
    }

    String label() {
        return label;
    }

    /** Lines of "PROXY-ADDRESS PEER "REQUEST" STATUS" (PROXY-ADDRESS empty without the header). */
    Path accessLog() {
        return home.resolve("access.log");
    }

    private String config() {
        String tmp = home.resolve("tmp").toString();
        return """
                pid %1$s/nginx.pid;
                error_log stderr warn;
                events { worker_connections 128; }
                http {
                    log_format client '$proxy_protocol_addr $remote_addr "$request" $status';
                    access_log %1$s/access.log client;
                    client_body_temp_path %2$s/body;
                    proxy_temp_path %2$s/proxy;
                    fastcgi_temp_path %2$s/fastcgi;
                    uwsgi_temp_path %2$s/uwsgi;
                    scgi_temp_path %2$s/scgi;
                    default_type text/plain;
                    server {
                        listen %3$s:%4$d%7$s;
                        root %5$s;
                        client_max_body_size 64m;
                        location /slow/ { limit_rate %6$s; }
                        location /up/ { dav_methods PUT; create_full_put_path on; }
                    }
                }
                """.formatted(home, tmp, address.indexOf(':') >= 0 ? "[" + address + "]" : address, port, root(),
                SLOW_RATE, proxyProtocol ? " proxy_protocol" : "");
    }

    /** Starts nginx and waits until it listens. */
    void start() {
        if (running()) {
            return;
        }
        process = lab.spawn(ns, label, "nginx", "-p", home.toString(), "-c", home.resolve("nginx.conf").toString(),
                "-e", "stderr", "-g", "daemon off; master_process off;");
        long deadlineNs = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
        while (!listening()) {
            if (!process.alive() || System.nanoTime() > deadlineNs) {
                throw new IllegalStateException("nginx " + label + " in " + ns + " does not listen on " + address
                        + ":" + port + ": " + process.tail(10));
            }
            Background.sleep(50);
        }
    }

    /** Stops nginx (SIGTERM, by PID) and waits until nothing listens on its port. */
    void stop() {
        if (process == null) {
            return;
        }
        lab.stop(process);
        process = null;
        long deadlineNs = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (listening()) {
            if (System.nanoTime() > deadlineNs) {
                throw new IllegalStateException("nginx " + label + " in " + ns + " still listens after stopping");
            }
            Background.sleep(50);
        }
    }

    boolean running() {
        return process != null && process.alive();
    }

    private boolean listening() {
        String source = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        return lab.run(ns, "ss", "-Hltn", "src", source, "sport", "= :" + port).stdout().contains(":" + port);
    }
}
