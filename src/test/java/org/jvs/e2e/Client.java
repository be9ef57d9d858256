package org.jvs.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Traffic from the lab's client namespace: curl, the byte-exact TCP check and UDP requests, all bounded. */
final class Client {
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(60);

    private final LvsLab lvs;

    Client(LvsLab lvs) {
        this.lvs = lvs;
    }

    /**
     * Makes {@code count} HTTP requests, one connection each, and counts the answers by page content; failed requests
     * count under "FAILED".
     */
    Map<String, Integer> httpCounts(String host, int port, int count) {
        String url = "http://" + LvsLab.endpoint(host, port) + "/";
        // -g: an IPv6 host's brackets are the URL's, not curl's globbing
        CommandResult result = lvs.lab.run(lvs.client, Duration.ofSeconds(10L * count),
                "bash", "-c", "for i in $(seq " + count + "); do curl -gsS --max-time 5 " + url
                        + " || echo FAILED; done");
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : result.stdout().split("\n")) {
            if (!line.isBlank()) {
                counts.merge(line.strip(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Sends {@code bytes} random bytes to the echo service and checks both directions byte for byte. */
    CommandResult transfer(String host, int port, long bytes) {
        return lvs.lab.run(lvs.client, TRANSFER_TIMEOUT, LvsLab.PYTHON, lvs.tcpcheckScript().toString(), "send", host,
                String.valueOf(port), String.valueOf(bytes));
    }

    /** Like transfer, paced to {@code bytesPerSecond}, in the background: prints "server NAME" first, then "ok ...". */
    Background transferInBackground(String label, String host, int port, long bytes, long bytesPerSecond) {
        return lvs.lab.spawn(lvs.client, label, LvsLab.PYTHON, lvs.tcpcheckScript().toString(), "send", host,
                String.valueOf(port), String.valueOf(bytes), String.valueOf(bytesPerSecond));
    }

    /** Sends {@code count} UDP requests "req-i", each from a fresh socket; returns the answers in order ("" if none). */
    List<String> udpRequests(String host, int port, int count) {
        // bash's /dev/udp gives each request a fresh socket (so a fresh source port); head, unlike bash's read
        // (one byte per read(2), which truncates a datagram), takes the whole answer and returns on it
        CommandResult result = lvs.lab.run(lvs.client, Duration.ofSeconds(5L * count), "bash", "-c",
                "for i in $(seq " + count + "); do a=$(exec 3<>/dev/udp/" + host + "/" + port
                        + " && echo \"req-$i\" >&3 && timeout 3 head -n 1 <&3); echo \"$i:$a\"; done");
        List<String> answers = new ArrayList<>(Collections.nCopies(count, ""));
        for (String line : result.stdout().split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                answers.set(Integer.parseInt(line.substring(0, colon)) - 1, line.substring(colon + 1).strip());
            }
        }
        return answers;
    }
}
