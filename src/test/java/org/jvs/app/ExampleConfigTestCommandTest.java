package org.jvs.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code ./jvs director -f FILE --config-test} (keepalived's -t) accepts every shipped example and refuses a broken file. */
class ExampleConfigTestCommandTest {

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples/keepalived"))) {
            return files.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
        }
    }

    @Test
    void shouldFindTheExamples() throws IOException {
        assertFalse(examples().isEmpty(), "examples/keepalived/*.conf");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldPassConfigTestForEveryExample(Path example) {
        assertEquals(0, Jvs.run(new String[] {"director", "-f", example.toString(), "--config-test"}),
                "jvs director -f " + example + " --config-test");
    }

    @Test
    void shouldFailConfigTestForAFileWithAnError() throws URISyntaxException {
        Path broken = Path.of(ExampleConfigTestCommandTest.class.getResource("/keepalived-e2e/broken.conf").toURI());
        assertEquals(1, Jvs.run(new String[] {"director", "-f", broken.toString(), "--config-test"}));
    }
}
