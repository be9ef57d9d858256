package org.jvs.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** examples/systemd/jvs.service: systemd reads it without a complaint, and it runs the director as the README says. */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("examples/systemd/jvs.service");
    private static final String INSTALL = "/opt/jvs/";

    @Test
    void shouldPassSystemdAnalyzeVerifyWithoutAWarning(@TempDir Path dir) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        // verify checks that each Exec command exists: point them at a stand-in launcher
        Path launcher = Files.createDirectories(dir.resolve("opt/jvs")).resolve("jvs");
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path unit = Files.createDirectories(dir.resolve("units")).resolve("jvs.service");
        Files.writeString(unit, Files.readString(UNIT).replace(INSTALL, launcher.getParent() + "/"));

        Process verify = new ProcessBuilder(analyze.toString(), "verify", "--man=no", unit.toString())
                .redirectErrorStream(true).start();
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify did not finish");
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // verify exits 0 even for an unknown key or value: it only warns, so any output is a failure
        assertEquals(0, verify.exitValue(), output);
        assertEquals("", output.strip());
    }

    @Test
    void shouldRunTheDirectorWithReadinessReloadAndItsCapabilities() throws IOException {
        Map<String, List<String>> service = section("Service");
        assertEquals(List.of("notify"), service.get("Type"));
        assertEquals(List.of("/opt/jvs/jvs director -f /etc/keepalived/keepalived.conf --log-level info"),
                service.get("ExecStart"));
        assertEquals(List.of("/opt/jvs/jvs reload"), service.get("ExecReload"));
        assertEquals(List.of("on-failure"), service.get("Restart"));
        assertEquals(List.of("infinity"), service.get("LimitMEMLOCK"));
        assertEquals(List.of("jvs"), service.get("RuntimeDirectory"));
        for (String key : List.of("CapabilityBoundingSet", "AmbientCapabilities")) {
            assertEquals(List.of("CAP_BPF", "CAP_NET_ADMIN", "CAP_NET_RAW"),
                    Arrays.stream(service.get(key).getFirst().split(" ")).sorted().toList(), key);
        }
        assertTrue(service.get("RestrictAddressFamilies").getFirst().contains("AF_PACKET"));
        assertEquals(List.of("multi-user.target"), section("Install").get("WantedBy"));
    }

    @Test
    void shouldStartWithOptionsTheDirectorAccepts() throws IOException {
        String[] words = section("Service").get("ExecStart").getFirst().split(" ");
        assertEquals("director", words[1]);
        DirectorCommand.Options options = DirectorCommand.Options.parse(Arrays.copyOfRange(words, 2, words.length));
        assertEquals(Path.of("/etc/keepalived/keepalived.conf"), options.configFile());
    }

    /** KEY=VALUE lines of one [Section], each key with its values in order; comments and blank lines skipped. */
    private static Map<String, List<String>> section(String name) throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String current = null;
        for (String line : Files.readAllLines(UNIT)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#") || text.startsWith(";")) {
                continue;
            }
            if (text.startsWith("[")) {
                current = text.substring(1, text.length() - 1);
            } else if (name.equals(current)) {
                int equals = text.indexOf('=');
                keys.computeIfAbsent(text.substring(0, equals), key -> new ArrayList<>()).add(text.substring(equals + 1));
            }
        }
        return keys;
    }
}
