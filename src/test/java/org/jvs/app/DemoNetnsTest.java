package org.jvs.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code jvs demo} end to end, as a user runs it (its own JVM, its own namespaces named after its pid): it exits 0,
 * leaves no namespace behind, and prints the seed's steps of one connection for every forwarding method.
 */
@Tag("netns")
class DemoNetnsTest {
    private static final long DEMO_TIMEOUT_S = 300;
    private static final String CLIENT = "198\\.51\\.100\\.2:\\d+";
    private static final String VIP = "203\\.0\\.113\\.10:80";
    private static final String RIP = "192\\.0\\.2\\.1[123]";
    private static final String LIP = "192\\.0\\.2\\.1:\\d+";

    private static String output;
    private static int exit;
    private static long demoPid;

    @BeforeAll
    static void runDemo() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = Files.createTempFile("jvst-demo-test-", ".out");
        try {
            Process demo = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--add-exports",
                    "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp", classpath,
                    "org.jvs.app.Jvs", "demo", "--requests", "3")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            demoPid = demo.pid();
            if (!demo.waitFor(DEMO_TIMEOUT_S, TimeUnit.SECONDS)) {
                demo.destroy(); // its shutdown hook tears the lab down
                demo.waitFor(30, TimeUnit.SECONDS);
                demo.destroyForcibly();
                fail("jvs demo did not finish within " + DEMO_TIMEOUT_S + " s: " + Files.readString(log));
            }
            exit = demo.exitValue();
            output = Files.readString(log, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void shouldExitZeroAndLeaveNoNamespaceBehind() {
        assertEquals(0, exit, output);
        assertTrue(output.contains("demo: NAT, full NAT, TUN and DR all balanced every request"), output);
        String[] left = Path.of("/run/netns").toFile().list();
        for (String ns : left == null ? new String[0] : left) {
            assertTrue(!ns.startsWith("jvst-demo" + demoPid + "-"), "left behind: " + ns);
        }
    }

    @Test
    void shouldShowNatRewritingTheDestinationOnly() {
        assertHops("NAT (-m)",
                "client side +" + CLIENT + " +-> " + VIP + " +TCP SYN",
                "real-server side +" + CLIENT + " +-> " + RIP + ":80 +TCP SYN",
                "real-server side +" + RIP + ":80 +-> " + CLIENT + " +TCP SYN-ACK",
                "client side +" + VIP + " +-> " + CLIENT + " +TCP SYN-ACK");
    }

    @Test
    void shouldShowFullNatRewritingSourceAndDestination() {
        assertHops("full NAT (-b)",
                "client side +" + CLIENT + " +-> " + VIP + " +TCP SYN",
                "real-server side +" + LIP + " +-> " + RIP + ":80 +TCP SYN",
                "real-server side +" + RIP + ":80 +-> " + LIP + " +TCP SYN-ACK",
                "client side +" + VIP + " +-> " + CLIENT + " +TCP SYN-ACK");
    }

    @Test
    void shouldShowTunnelOuterAndInnerHeaders() {
        assertHops("TUN (-i)",
                "client side +" + CLIENT + " +-> " + VIP + " +TCP SYN",
                "real-server side +192\\.0\\.2\\.1 +-> " + RIP + " +IPIP, inside:",
                " +" + CLIENT + " +-> " + VIP + " +TCP SYN",
                "return link +" + VIP + " +-> " + CLIENT + " +TCP SYN-ACK");
    }

    @Test
    void shouldShowDirectRoutingChangingTheMacsOnly() {
        assertHops("DR (-g)",
                "client side +" + CLIENT + " +-> " + VIP + " +TCP SYN",
                " +02:00:c6:33:64:02 +-> 02:00:c6:33:64:01 +Ethernet",
                "real-server side +" + CLIENT + " +-> " + VIP + " +TCP SYN",
                " +02:00:c0:00:02:01 +-> 02:00:c0:00:02:0[bcd] +Ethernet",
                "return link +" + VIP + " +-> " + CLIENT + " +TCP SYN-ACK",
                " +02:00:c6:12:0a:0[bcd] +-> 02:00:c6:12:0a:02 +Ethernet");
    }

    /** The IPv6 rounds: an IPv6 client balanced over IPv6 real servers (NAT66) and over IPv4 ones (NAT64). */
    @Test
    void shouldBalanceAnIpv6ClientThroughNat66AndNat64() {
        assertEquals(0, exit, output);
        for (String mode : List.of("NAT66 (-m, IPv6 client)", "NAT64 (-b, IPv6 client)")) {
            int start = output.indexOf("=== " + mode);
            assertTrue(start >= 0, "no section for " + mode + ": " + output);
            int end = output.indexOf("\n\n", start);
            String section = output.substring(start, end < 0 ? output.length() : end);
            assertTrue(section.contains("TCP  [2001:db8:f::10]:80"), mode + ": " + section);
            assertTrue(section.contains(mode.startsWith("NAT66") ? "  -> [2001:db8:a::11]:80" : "  -> 192.0.2.11:80"),
                    mode + ": " + section);
            assertTrue(section.contains("3 HTTP requests from the client to http://[2001:db8:f::10]/ answered by: "
                    + "{rs1=1, rs2=1, rs3=1}"), mode + ": " + section);
        }
    }

    /** The mode's section ends with exactly these hop lines, in this order. */
    private static void assertHops(String mode, String... expected) {
        assertEquals(0, exit, output);
        int start = output.indexOf("=== " + mode);
        assertTrue(start >= 0, "no section for " + mode + ": " + output);
        int end = output.indexOf("\n\n", start);
        List<String> section = output.substring(start, end < 0 ? output.length() : end).lines().toList();
        int first = 0;
        while (first < section.size() && !section.get(first).startsWith("one connection")) {
            first++;
        }
        List<String> hops = new ArrayList<>(section.subList(Math.min(first + 1, section.size()), section.size()));
        assertEquals(expected.length, hops.size(), mode + " hops: " + String.join("\n", section));
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Pattern.matches(" +" + expected[i], hops.get(i)),
                    mode + " hop " + (i + 1) + ": expected /" + expected[i] + "/, got '" + hops.get(i) + "'");
        }
    }
}
