package org.jvs.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvs.log.Log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path on an interface the kernel will not attach to: one line naming what was refused
 * (the verifier's log, when there is one, stays out of it). Root for bpf(2), hence the tag; nothing is attached.
 */
@Tag("netns")
class FastPathRefusalTest {
    private static final int NO_SUCH_IFINDEX = 999_999;

    @Test
    void shouldStopWithOneLineWhenTheKernelRefusesTheFastPath() throws IOException {
        assumeNoSuchInterface();
        IOException refused = assertThrows(IOException.class,
                () -> DirectorCommand.attachFastPath(new int[] {NO_SUCH_IFINDEX}, List.of()));
        assertTrue(refused.getMessage().startsWith("the kernel refused the fast path: bpf(BPF_LINK_CREATE"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
    }

    @Test
    void shouldWarnOnceAndGoOnWithoutItUnlessItWasAskedFor() throws IOException {
        assumeNoSuchInterface();
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        Log log = Log.to(new PrintStream(lines, true, StandardCharsets.UTF_8), Log.Level.INFO, "director");
        int[] refusing = {NO_SUCH_IFINDEX};

        assertNull(DirectorCommand.fastPath(DirectorCommand.FastPathMode.WHEN_AVAILABLE, refusing, List.of(), log),
                "by default the director goes on without it");
        List<String> warned = lines.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, warned.size(), warned.toString());
        assertTrue(warned.getFirst().contains("no kernel fast path, the director forwards every packet: "
                + "the kernel refused the fast path: bpf(BPF_LINK_CREATE"), warned.getFirst());

        IOException refused = assertThrows(IOException.class, () -> DirectorCommand.fastPath(
                DirectorCommand.FastPathMode.REQUIRED, refusing, List.of(), log));
        assertTrue(refused.getMessage().startsWith("--fast-path: the kernel refused the fast path: "), refused.getMessage());
        assertNull(DirectorCommand.fastPath(DirectorCommand.FastPathMode.OFF, refusing, List.of(), log));
        assertEquals(1, lines.toString(StandardCharsets.UTF_8).lines().count(), "--no-fast-path asks the kernel nothing");
    }

    private static void assumeNoSuchInterface() throws IOException {
        try (Stream<Path> interfaces = Files.list(Path.of("/sys/class/net"))) {
            Assumptions.assumeFalse(interfaces.anyMatch(path -> ifindex(path).equals(String.valueOf(NO_SUCH_IFINDEX))),
                    "an interface has index " + NO_SUCH_IFINDEX);
        }
    }

    private static String ifindex(Path netInterface) {
        try {
            return Files.readString(netInterface.resolve("ifindex")).strip();
        } catch (IOException unreadable) {
            return "";
        }
    }
}
