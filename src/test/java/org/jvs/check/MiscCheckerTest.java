package org.jvs.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MISC_CHECK runs local programs only: no network, so no namespace needed. */
class MiscCheckerTest {

    private static MiscChecker misc(boolean dynamic, Duration timeout, String... command) {
        CheckCommon common = new CheckCommon(0, 0, 0, 0, Duration.ofSeconds(5), 0, Duration.ofSeconds(1),
                Duration.ZERO, Duration.ofSeconds(60));
        return new MiscChecker(new MiscCheckSpec(common, List.of(command), timeout, dynamic));
    }

    @ParameterizedTest(name = "exit {0}, misc_dynamic {1}: up {2}, weight {3}")
    @CsvSource({
        "0,   false, true,  -1, exit 0",
        "1,   false, false, -1, exit 1",
        "2,   false, false, -1, exit 2",
        "0,   true,  true,  -1, exit 0",
        "1,   true,  false, -1, exit 1",
        "2,   true,  true,   0, 'exit 2, weight 0'",
        "7,   true,  true,   5, 'exit 7, weight 5'",
        "255, true,  true, 253, 'exit 255, weight 253'",
    })
    void shouldReadExitCodeAsKeepalivedDoes(int exitCode, boolean dynamic, boolean up, int weight, String reason)
            throws InterruptedException {
        CheckResult result = misc(dynamic, Duration.ofSeconds(10), "/bin/sh", "-c", "exit " + exitCode).check(0, 0);
        assertEquals(new CheckResult(up, reason, weight), result);
    }

    @Test
    void shouldKillProgramAndItsChildrenOnTimeout(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("child.pid");
        long startNs = System.nanoTime();
        CheckResult result = misc(false, Duration.ofMillis(300), "/bin/sh", "-c",
                "sleep 30 & echo $! > " + pidFile + "; wait").check(0, 0);
        long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
        assertEquals(CheckResult.fail("timeout after 300 ms"), result);
        assertTrue(elapsedMs < 5000, "took " + elapsedMs + " ms");
        long child = Long.parseLong(Files.readString(pidFile).trim());
        boolean alive = running(child);
        for (int i = 0; i < 50 && alive; i++) {
            Thread.sleep(20);
            alive = running(child);
        }
        assertFalse(alive, "the script's child survived the timeout");
    }

    /** Alive and not a zombie waiting for a reaper that a container's init may never be. */
    private static boolean running(long pid) throws java.io.IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text = Files.readString(stat);
        char state = text.charAt(text.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }

    @Test
    void shouldFailWithProgramNameWhenItCannotRun() throws InterruptedException {
        CheckResult result = misc(false, Duration.ofSeconds(1), "/nonexistent/check-script").check(0, 0);
        assertFalse(result.up());
        assertTrue(result.reason().startsWith("cannot run /nonexistent/check-script"), result.reason());
    }
}
