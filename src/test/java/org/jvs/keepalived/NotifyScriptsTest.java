package org.jvs.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NotifyScriptsTest {

    static Stream<Arguments> commandLines() {
        return Stream.of(
                Arguments.of("/etc/keepalived/up.sh", List.of("/etc/keepalived/up.sh")),
                Arguments.of("  /bin/logger  -t lvs  up ", List.of("/bin/logger", "-t", "lvs", "up")),
                Arguments.of("/bin/echo \"real server\" 'is up'", List.of("/bin/echo", "real server", "is up")),
                Arguments.of("/bin/echo a\\ b 'c\\d' \"e\\\"f\"", List.of("/bin/echo", "a b", "c\\d", "e\"f")),
                Arguments.of("/bin/echo ''", List.of("/bin/echo", "")),
                Arguments.of("", List.of()));
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void shouldSplitCommandLinesAsKeepalivedDoes(String commandLine, List<String> argv) {
        assertEquals(argv, NotifyScripts.split(commandLine));
    }

    @Test
    void shouldRunTheScriptWithoutAShell(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("ran; rm -rf x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (NotifyScripts scripts = new NotifyScripts(new PrintStream(err, true, StandardCharsets.UTF_8))) {
            scripts.run("/usr/bin/touch '" + marker + "'");
        }
        assertTrue(Files.exists(marker), "the whole quoted word is one argument");
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReportAScriptThatCannotStartInOneLine(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (NotifyScripts scripts = new NotifyScripts(new PrintStream(err, true, StandardCharsets.UTF_8))) {
            scripts.run(dir.resolve("missing.sh") + " arg");
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("jvs: cannot run script '" + dir.resolve("missing.sh") + " arg': "), text);
        assertEquals(1, text.lines().count());
    }
}
