package org.jvs.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./jvs director -f FILE --config-test and the option rules around -f; none of this needs root. */
class DirectorOptionsTest {
    private static final String GOOD = """
            virtual_server 203.0.113.10 80 {
                lb_algo rr
                lb_kind NAT
                protocol TCP
                real_server 192.0.2.11 80 {
                    weight 1
                }
            }
            """;
    private static final String BAD = """
            virtual_server 203.0.113.10 80 {
                real_server 192.0.2.11 80 {
                    weigth 1
                }
            }
            """;

    @TempDir
    Path temp;

    private Path file(String name, String text) throws IOException {
        Path path = temp.resolve(name);
        Files.writeString(path, text);
        return path;
    }

    @Test
    void shouldExitZeroForAUsableConfiguration() throws IOException {
        assertEquals(0, DirectorCommand.run(new String[] {"-f", file("good.conf", GOOD).toString(), "--config-test"}));
    }

    @Test
    void shouldExitOneForAConfigurationWithAnError() throws IOException {
        assertEquals(1, DirectorCommand.run(new String[] {"--config-test", "-f", file("bad.conf", BAD).toString()}));
    }

    @Test
    void shouldRefuseConfigTestWithoutAFile() {
        assertEquals(2, DirectorCommand.run(new String[] {"--config-test"}));
    }

    @Test
    void shouldRefuseKeepalivedConfigurationTogetherWithRestore() throws IOException {
        Path conf = file("good.conf", GOOD);
        Path restore = file("rules", "-A -t 203.0.113.10:80 -s rr\n");

        assertEquals(2, DirectorCommand.run(new String[] {"-f", conf.toString(), "--restore", restore.toString()}));
    }

    @Test
    void shouldTellThatNoDirectorAnswersReloadOrStatus() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = DirectorRequest.run("status", temp.resolve("none.sock"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(1, code);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("jvs status: no JVS director in this network namespace ("), text);
        assertEquals(1, text.lines().count());
    }

    @Test
    void shouldRefuseArgumentsToStatus() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = DirectorRequest.run("reload", new String[] {"now"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(2, code);
        assertEquals("jvs reload: unexpected argument 'now' (expected none)\n", err.toString(StandardCharsets.UTF_8));
    }
}
