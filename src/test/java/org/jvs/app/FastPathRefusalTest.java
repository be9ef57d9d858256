package org.jvs.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --fast-path on an interface the kernel will not attach to: the start stops with one line naming what was refused
 * (the verifier's log, when there is one, stays out of it). Root for bpf(2), hence the tag; nothing is attached.
 */
@Tag("netns")
class FastPathRefusalTest {
    private static final int NO_SUCH_IFINDEX = 999_999;

    @Test
    void shouldStopWithOneLineWhenTheKernelRefusesTheFastPath() throws IOException {
        try (Stream<Path> interfaces = Files.list(Path.of("/sys/class/net"))) {
            Assumptions.assumeFalse(interfaces.anyMatch(path -> ifindex(path).equals(String.valueOf(NO_SUCH_IFINDEX))),
                    "an interface has index " + NO_SUCH_IFINDEX);
        }
        IOException refused = assertThrows(IOException.class,
                () -> DirectorCommand.attachFastPath(new int[] {NO_SUCH_IFINDEX}, List.of()));
        assertTrue(refused.getMessage().startsWith("--fast-path: the kernel refused the fast path: bpf(BPF_LINK_CREATE"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
    }

    private static String ifindex(Path netInterface) {
        try {
            return Files.readString(netInterface.resolve("ifindex")).strip();
        } catch (IOException unreadable) {
            return "";
        }
    }
}
