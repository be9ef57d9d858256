package org.jvs.log;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream sink = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrefixTheMessageWithLevelAndComponentKeepingItsText() {
        Log vrrp = Log.to(sink, Log.Level.INFO, "director").component("vrrp");
        vrrp.info("VRRP_Instance(VI_1) Entering MASTER STATE");
        vrrp.warning("VRRP_Instance(VI_1) another master for virtual router 51 on eth0");
        assertEquals("INFO vrrp: VRRP_Instance(VI_1) Entering MASTER STATE\n"
                + "WARNING vrrp: VRRP_Instance(VI_1) another master for virtual router 51 on eth0\n", written());
    }

    @ParameterizedTest
    @CsvSource({"error, 1", "warning, 2", "info, 3", "debug, 4", "DEBUG, 4"})
    void shouldWriteOnlyLevelsAtOrAboveTheThreshold(String threshold, int lines) {
        Log log = Log.to(sink, Log.Level.parse(threshold), "director");
        log.error("e");
        log.warning("w");
        log.info("i");
        log.debug("d");
        assertEquals(lines, written().lines().count(), written());
    }

    @Test
    void shouldRefuseAnUnknownLevelNamingTheChoices() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Log.Level.parse("loud"));
        assertEquals("--log-level loud: expected error, warning, info or debug", refused.getMessage());
    }

    @Test
    void shouldKeepEachEventOnOneLine() {
        Log.to(sink, Log.Level.INFO, "director").info("two\nlines");
        assertEquals("INFO director: two lines\n", written());
    }

    @Test
    void shouldTurnAStreamsLinesIntoLogLinesWithoutTheToolPrefix() {
        PrintStream stream = Log.to(sink, Log.Level.INFO, "keepalived").stream(Log.Level.WARNING);
        stream.println("jvs: cannot run script 'x': no such file");
        stream.print("jvs director: dashboard: cannot read the director\nplain ");
        stream.println("text");
        assertEquals("WARNING keepalived: cannot run script 'x': no such file\n"
                + "WARNING keepalived: dashboard: cannot read the director\n"
                + "WARNING keepalived: plain text\n", written());
    }

    @Test
    void shouldTakeStderrForTheJournalOnlyWhenJournalStreamNamesIt() throws Exception {
        java.util.Map<String, Object> stderr = java.nio.file.Files.readAttributes(
                java.nio.file.Path.of("/proc/self/fd/2"), "unix:dev,ino");
        assertEquals(true, Log.stderrIsJournal(stderr.get("dev") + ":" + stderr.get("ino")));
        assertEquals(false, Log.stderrIsJournal("1:2"));
        assertEquals(false, Log.stderrIsJournal(null));
    }

    @Test
    void shouldStartEachLineWithItsSyslogPriorityForTheJournal() {
        Log journal = new Log(sink, Log.Level.DEBUG, "vrrp", true);
        journal.error("e");
        journal.warning("w");
        journal.info("i");
        journal.debug("d");
        assertEquals("<3>ERROR vrrp: e\n<4>WARNING vrrp: w\n<6>INFO vrrp: i\n<7>DEBUG vrrp: d\n", written());
    }
}
