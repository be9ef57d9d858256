package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/**
 * The dashboard in a real browser: {@code ./jvs director -f dashboard-e2e/dashboard.conf} (two NAT services with
 * health checks, one real server down) carries a paced echo transfer and a stream of HTTP requests, while Debian's
 * headless Chromium, run in the director's namespace, loads http://127.0.0.1:9947/. The page must show both
 * services, their real servers with health, and non-zero rates; a screenshot is kept in
 * {@code target/dashboard-e2e/dashboard.png}.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardE2eTest {
    private static final String URL = "http://127.0.0.1:9947/";
    private static final String ECHO_KEY = "TCP " + LvsLab.VIP + ":" + LvsLab.ECHO_PORT;
    private static final String HTTP_KEY = "TCP " + LvsLab.VIP + ":" + LvsLab.HTTP_PORT;
    private static final Path ARTIFACTS = Path.of("target", "dashboard-e2e").toAbsolutePath();
    private static final Duration BROWSER_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration LIVE_TIMEOUT = Duration.ofSeconds(30);
    /** 40 MiB at 1 MiB/s: still flowing while the browser runs. */
    private static final long TRANSFER_BYTES = 40L << 20;
    private static final long TRANSFER_RATE = 1L << 20;
    /** Requests of the HTTP stream, one connection each, ten a second at most. */
    private static final int HTTP_REQUESTS = 400;

    private static final String CONFIG = LvsLab.resource("/dashboard-e2e/dashboard.conf").toString();

    /** The services and their checkers come from the director's -f file and stay. */
    @RegisterExtension
    static final LvsLabExtension LAB = LvsLabExtension.of(new LabCell("dash", ForwardingMethod.MASQ,
            AddressFamily.IPV4, VipPlacement.DIRECTOR_LO, List.of("-f", CONFIG))).keepingServiceTable();

    private LvsLab lvs;
    private Director director;
    private Client client;
    private Background transfer;
    private Background requests;

    @BeforeAll
    void startTraffic() throws IOException {
        awaitEchoServiceFromTheConfig();
        transfer = client.transferInBackground("dash-echo", LvsLab.VIP, LvsLab.ECHO_PORT, TRANSFER_BYTES,
                TRANSFER_RATE);
        requests = lvs.lab.spawn(lvs.client, "dash-http", "bash", "-c", "for i in $(seq " + HTTP_REQUESTS
                + "); do curl -sS -o /dev/null --max-time 2 http://" + LvsLab.VIP + "/; sleep 0.1; done");
        Files.createDirectories(ARTIFACTS);
    }

    @Test
    void shouldShowTheRunningDirectorsServicesHealthAndLiveRates() throws IOException {
        awaitLiveData();

        String dom = browser("--dump-dom").stdout();
        Files.writeString(ARTIFACTS.resolve("dashboard.html"), dom);

        String echo = servicePanel(dom, ECHO_KEY);
        String http = servicePanel(dom, HTTP_KEY);
        assertTrue(figure(echo, "inPackets") > 0, "echo service packets/s in, in the page:\n" + echo);
        assertTrue(figure(echo, "outBytes") > 0, "echo service bytes/s out, in the page:\n" + echo);
        assertTrue(figure(http, "connections") > 0, "HTTP service connections/s, in the page:\n" + http);
        for (String rip : LvsLab.RIPS) {
            assertEquals("up", health(echo, rip + ":" + LvsLab.ECHO_PORT), "health of " + rip + " in:\n" + echo);
        }
        assertEquals("down", health(http, LvsLab.RIPS.get(2) + ":81"), "nothing listens there:\n" + http);
        assertTrue(dom.contains("updated "), "the status line says when the data came:\n" + dom);

        Path screenshot = ARTIFACTS.resolve("dashboard.png");
        Files.deleteIfExists(screenshot);
        CommandResult shot = browser("--screenshot=" + screenshot, "--window-size=1280,1280", "--hide-scrollbars");
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page: " + shot.describe());
        assertTrue(transfer.alive() && requests.alive(), "the traffic outlasted the browser: " + transfer.tail(3)
                + requests.tail(3));
    }

    /**
     * The director answers jvsadm before it has read its -f file: the one long transfer must not meet a VIP port
     * with no service yet (the kernel refuses it), so it waits for the echo service's three real servers (bounded).
     */
    private void awaitEchoServiceFromTheConfig() {
        long deadlineNs = System.nanoTime() + LIVE_TIMEOUT.toNanos();
        String listing = "";
        while (System.nanoTime() < deadlineNs) {
            listing = director.jvsadm("-L", "-n").stdout();
            String listed = listing;
            if (LvsLab.RIPS.stream().allMatch(rip -> listed.contains(rip + ":" + LvsLab.ECHO_PORT + " "))) {
                return;
            }
            Background.sleep(200);
        }
        throw new AssertionError("the echo service of " + CONFIG + " not listed with its three real servers after "
                + LIVE_TIMEOUT + ":\n" + listing + "director log: " + director.log());
    }

    /** Waits until the director's own data shows both streams and the down server (bounded). */
    private void awaitLiveData() {
        Pattern echoMoving = Pattern.compile(Pattern.quote("\"key\":\"" + ECHO_KEY + "\"")
                + "[^\\]]*?\"rates\":\\{\"connections\":[0-9.]+,\"inPackets\":[1-9]");
        Pattern httpMoving = Pattern.compile(Pattern.quote("\"key\":\"" + HTTP_KEY + "\"")
                + "[^\\]]*?\"rates\":\\{\"connections\":[1-9]");
        long deadlineNs = System.nanoTime() + LIVE_TIMEOUT.toNanos();
        String data = "";
        while (System.nanoTime() < deadlineNs) {
            CommandResult result = lvs.lab.run(lvs.director, Duration.ofSeconds(10), "curl", "-sS", "--max-time", "5",
                    URL + "dashboard/data.json");
            data = result.stdout();
            if (echoMoving.matcher(data).find() && httpMoving.matcher(data).find() && data.contains("\"up\":false")) {
                return;
            }
            Background.sleep(500);
        }
        throw new AssertionError("no live rates and down server in /dashboard/data.json after " + LIVE_TIMEOUT + ": "
                + data + "\ndirector log: " + director.log() + "\ntraffic: " + transfer.tail(3) + requests.tail(3));
    }

    /**
     * Headless Chromium in the director's namespace, given 6 s of the page's time (its first poll and a few more),
     * then {@code action}; bounded by {@code timeout} in case the browser hangs.
     */
    private CommandResult browser(String... action) {
        List<String> command = new ArrayList<>(List.of("timeout", "-k", "5",
                String.valueOf(BROWSER_TIMEOUT.toSeconds()), "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + lvs.lab.workDir().resolve("chromium-profile"),
                "--virtual-time-budget=6000"));
        command.addAll(List.of(action));
        command.add(URL);
        CommandResult result = lvs.lab.run(lvs.director, BROWSER_TIMEOUT.plusSeconds(10), command.toArray(String[]::new));
        if (!result.ok()) {
            throw new AssertionError("chromium failed: " + result.describe());
        }
        return result;
    }

    /** The page's section of one service (from its opening tag to the next section's). */
    private static String servicePanel(String dom, String key) {
        int start = dom.indexOf("data-key=\"" + key + "\"");
        assertTrue(start >= 0, "the page shows service " + key + ":\n" + dom);
        int end = dom.indexOf("<section", start);
        return dom.substring(start, end < 0 ? dom.length() : end);
    }

    /** The exact value behind a figure the page shows as text ({@code data-value}). */
    private static double figure(String panel, String series) {
        Matcher value = Pattern.compile("data-series=\"" + series + "\" data-value=\"([^\"]+)\"").matcher(panel);
        assertTrue(value.find(), "no " + series + " figure in:\n" + panel);
        return Double.parseDouble(value.group(1));
    }

    /** The health a real server's row shows ({@code up}, {@code down}, or none). */
    private static String health(String panel, String realServer) {
        Matcher row = Pattern.compile("data-real-server=\"" + Pattern.quote(realServer)
                + "\">.*?</tr>").matcher(panel);
        if (!row.find()) {
            throw new AssertionError("no row for " + realServer + " in:\n" + panel);
        }
        Matcher health = Pattern.compile("data-health=\"(\\w+)\"").matcher(row.group());
        return health.find() ? health.group(1) : "none";
    }
}
