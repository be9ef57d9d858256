package org.jvs.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: namespaces jvst-l1 and jvst-l2 joined by a veth pair (jvst-v1 in l1, jvst-v2 in l2) on
 * 198.51.100.0/24, with fixed MACs and MTU. Nothing links them to the root namespace.
 */
final class VethNamespaces {
    static final String L1 = "jvst-l1";
    static final String L2 = "jvst-l2";
    static final String V1 = "jvst-v1";
    static final String V2 = "jvst-v2";
    static final String V1_MAC_TEXT = "02:00:5e:10:00:01";
    static final String V2_MAC_TEXT = "02:00:5e:10:00:02";
    static final long V1_MAC = 0x02005e100001L;
    static final long V2_MAC = 0x02005e100002L;
    static final int MTU = 1400;
    static final int V1_ADDRESS = 0xC6336401; // 198.51.100.1
    static final int V2_ADDRESS = 0xC6336402; // 198.51.100.2
    static final int PREFIX_LENGTH = 24;

    private VethNamespaces() {
    }

    static void create() {
        destroy();
        run("ip", "netns", "add", L1);
        run("ip", "netns", "add", L2);
        run("ip", "-n", L1, "link", "add", V1, "address", V1_MAC_TEXT, "mtu", Integer.toString(MTU), "type", "veth",
                "peer", "name", V2, "address", V2_MAC_TEXT, "mtu", Integer.toString(MTU), "netns", L2);
        run("ip", "-n", L1, "address", "add", "198.51.100.1/24", "dev", V1);
        run("ip", "-n", L2, "address", "add", "198.51.100.2/24", "dev", V2);
        for (String[] link : new String[][] {{L1, V1}, {L2, V2}, {L1, "lo"}, {L2, "lo"}}) {
            run("ip", "-n", link[0], "link", "set", link[1], "up");
        }
    }

    /** Removes both namespaces if present; never throws, so it is safe in finally/@AfterAll. */
    static void destroy() {
        for (String namespace : List.of(L1, L2)) {
            try {
                if (new java.io.File("/var/run/netns/" + namespace).exists()) {
                    run("ip", "netns", "delete", namespace);
                }
            } catch (RuntimeException e) {
                System.err.println("could not delete namespace " + namespace + ": " + e.getMessage());
            }
        }
    }

    /** Runs a command to completion (bounded), failing with its output when it exits non-zero. */
    static String run(String... command) {
        Process process = start(command);
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
            }
            return output;
        } catch (InterruptedException | IOException e) {
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    static Process start(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", command), e);
        }
    }
}
