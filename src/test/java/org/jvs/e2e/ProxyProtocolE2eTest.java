package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/**
 * nginx on a real server listening with {@code proxy_protocol} behind three services: full NAT with PROXY v2 and
 * v1, NAT with v2. Its access log must show the true client address, and a 10 MiB download and upload must
 * arrive byte for byte: the header went in once, and every sequence and acknowledgement number around it moved.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyProtocolE2eTest {
    private static final String VIP = LvsLab.VIP;
    private static final String RIP = LvsLab.RIPS.getFirst();
    private static final int NGINX_PORT = 80;
    private static final int FILE_BYTES = 10 << 20;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(90);

    /** nginx on rs1 instead of the lab's servers; the three services stay for every case. */
    @RegisterExtension
    static final LvsLabExtension LAB = LvsLabExtension.of(new LabCell("ppnginx", ForwardingMethod.MASQ,
            AddressFamily.IPV4, VipPlacement.DIRECTOR_LO, List.of())).withoutLabServers().keepingServiceTable();

    private LvsLab lvs;
    private Director director;
    private Path site;
    private Path accessLog;
    private String fileSha256;

    @BeforeAll
    void startNginxBehindThreeServices() throws IOException {
        Path work = lvs.lab.workDir();
        NginxServer nginx = new NginxServer(lvs.lab, lvs.realServers.getFirst(), "rs1-pp", RIP, NGINX_PORT, "rs1", true);
        site = nginx.root();
        accessLog = nginx.accessLog();
        byte[] data = new byte[FILE_BYTES];
        new Random(4).nextBytes(data);
        Files.write(site.resolve("data.bin"), data);
        Files.write(work.resolve("upload.bin"), data);
        fileSha256 = sha256(data);
        nginx.start();
        service(80, "-b", "v2");
        service(81, "-b", "v1");
        service(82, "-m", "v2");
    }

    private void service(int port, String method, String proxyProtocol) {
        String virtual = VIP + ":" + port;
        director.jvsadm("-A", "-t", virtual, "-s", "rr", "--proxy-protocol", proxyProtocol);
        director.jvsadm("-a", "-t", virtual, "-r", RIP + ":" + NGINX_PORT, method);
    }

    @ParameterizedTest(name = "VIP:{0} {1} PROXY {2}")
    @CsvSource({"80, -b, v2, FullNat", "81, -b, v1, FullNat", "82, -m, v2, Masq"})
    void shouldShowNginxTheClientsAddressWhileTenMebibytesPassIntactBothWays(int port, String method,
                                                                          String version, String listed)
            throws IOException {
        String listing = director.jvsadm("-L", "-n").stdout();
        assertTrue(listing.matches("(?s).*TCP  " + VIP + ":" + port + " rr pp" + version + "\\s*\\n  -> " + RIP
                + ":" + NGINX_PORT + "\\s+" + listed + ".*"), "the service as listed:\n" + listing);
        String tag = "via-" + port;

        CommandResult download = lvs.lab.run(lvs.client, TRANSFER_TIMEOUT, "bash", "-o", "pipefail", "-c",
                "curl -sS --fail --max-time 80 http://" + VIP + ":" + port + "/data.bin?" + tag + " | sha256sum");
        assertTrue(download.ok(), "download: " + download.describe() + "; director log: " + director.log());
        assertEquals(fileSha256, download.stdout().split(" ")[0], "the 10 MiB download via " + method + " " + version);

        CommandResult upload = lvs.lab.run(lvs.client, TRANSFER_TIMEOUT, "curl", "-sS", "--fail", "--max-time", "80",
                "-T", lvs.lab.workDir().resolve("upload.bin").toString(), "http://" + VIP + ":" + port + "/up/"
                        + tag + ".bin");
        assertTrue(upload.ok(), "upload: " + upload.describe() + "; director log: " + director.log());
        assertEquals(fileSha256, sha256(Files.readAllBytes(site.resolve("up").resolve(tag + ".bin"))),
                "the 10 MiB upload via " + method + " " + version);

        // the PROXY header's address, then the connection's own peer: the director for full NAT, the client for NAT
        String peer = method.equals("-b") ? LvsLab.DIRECTOR_INSIDE : LvsLab.CLIENT;
        List<String> lines = Files.readAllLines(accessLog).stream().filter(line -> line.contains(tag)).toList();
        assertEquals(List.of(
                LvsLab.CLIENT + " " + peer + " \"GET /data.bin?" + tag + " HTTP/1.1\" 200",
                LvsLab.CLIENT + " " + peer + " \"PUT /up/" + tag + ".bin HTTP/1.1\" 201"), lines,
                "nginx's access log for " + tag);
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
