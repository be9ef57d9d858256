package org.jvs.keepalived.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigCheckTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(Path file) {
        return ConfigCheck.run(file, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitZeroAndPrintWarningsOnErrForAGoodFile() throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, "global_defs {\n smtp_server 192.0.2.1\n}\nvirtual_server 192.0.2.1 80 {\n}\n");
        assertEquals(0, run(file));
        assertEquals("Configuration file " + file + " is OK (1 virtual server, 1 warning)\n", out.toString());
        assertEquals(file + ":2: warning: smtp_server is not implemented by JVS; ignored\n", err.toString());
    }

    @ParameterizedTest(name = "{0} virtual servers, {1} warnings: {2}")
    @CsvSource({
        "0, 0, '0 virtual servers, 0 warnings'",
        "1, 2, '1 virtual server, 2 warnings'",
        "2, 1, '2 virtual servers, 1 warning'",
    })
    void shouldCountVirtualServersAndWarningsInSingularOrPlural(int servers, int warnings, String counts)
            throws Exception {
        Path file = dir.resolve("keepalived.conf");
        StringBuilder text = new StringBuilder("global_defs {\n");
        List<String> unimplemented = List.of("smtp_server 192.0.2.1", "smtp_helo_name jvs");
        for (int i = 0; i < warnings; i++) {
            text.append(' ').append(unimplemented.get(i)).append('\n');
        }
        text.append("}\n");
        for (int i = 0; i < servers; i++) {
            text.append("virtual_server 192.0.2.1 ").append(80 + i).append(" {\n}\n");
        }
        Files.writeString(file, text);
        assertEquals(0, run(file));
        assertEquals("Configuration file " + file + " is OK (" + counts + ")\n", out.toString());
    }

    @Test
    void shouldExitOneAndPrintTheLocatedErrorForABadFile() throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, "virtual_server 192.0.2.1 80 {\n  lb_kind NATT\n}\n");
        assertEquals(1, run(file));
        assertEquals("", out.toString());
        String[] lines = err.toString().split("\n");
        assertEquals(2, lines.length);
        assertEquals(file + ":2: 'NATT' after 'lb_kind' is not valid; expected NAT, DR, TUN or FNAT", lines[0]);
        assertEquals("Configuration file " + file + " is not OK", lines[1]);
    }

    @Test
    void shouldExitOneForAMissingFile() {
        Path file = dir.resolve("absent.conf");
        assertEquals(1, run(file));
        assertTrue(err.toString().startsWith(file + ": cannot read configuration file"), err.toString());
    }
}
