package org.jvs.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The project's launchers as a user runs them ({@code ./jvs}, {@code ./jvsadm} from the project root). They build the
 * project on first use; that happens once here, serially, so two launchers started together never race the build.
 *
 * <p>Under {@code mvn verify} these tests run before the package phase, with target/classes freshly compiled but no
 * jar yet. Running the launchers' full build then would recompile underneath the running test JVM, so when the classes
 * are newer than the jar only the jar and its runtime libraries are made from them.
 */
final class Launchers {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final String JVS = ROOT.resolve("jvs").toString();
    static final String JVSADM = ROOT.resolve("jvsadm").toString();
    private static final Path JAR = ROOT.resolve("target/jvs.jar");
    private static final Path CLASSES = ROOT.resolve("target/classes");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    private static boolean built;

    private Launchers() {
    }

    static synchronized void ensureBuilt() {
        if (built) {
            return;
        }
        if (Files.isDirectory(CLASSES) && newest(CLASSES).compareTo(modified(JAR)) > 0) {
            run("./mvnw -q -B jar:jar dependency:copy-dependencies@runtime-libs");
        }
        run(". scripts/jdk.sh && jvs_find_jdk && jvs_ensure_built \"$PWD\"");
        built = true;
    }

    private static void run(String script) {
        CommandResult build = Lab.execute(BUILD_TIMEOUT, List.of("bash", "-c", script));
        if (!build.ok()) {
            throw new IllegalStateException("building the launchers' jar failed: " + build.describe());
        }
    }

    private static FileTime newest(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(Launchers::modified).max(FileTime::compareTo)
                    .orElse(FileTime.fromMillis(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.fromMillis(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
