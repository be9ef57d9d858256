package org.jvs.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The project's launchers as a user runs them ({@code ./jvs}, {@code ./jvsadm} from the project root). They build the
 * project on first use; that build happens once here, serially, so two launchers started together never race it.
 */
final class Launchers {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final String JVS = ROOT.resolve("jvs").toString();
    static final String JVSADM = ROOT.resolve("jvsadm").toString();
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    private static boolean built;

    private Launchers() {
    }

    static synchronized void ensureBuilt() {
        if (built) {
            return;
        }
        CommandResult build = Lab.execute(BUILD_TIMEOUT, List.of("bash", "-c",
                ". scripts/jdk.sh && jvs_find_jdk && jvs_ensure_built \"$PWD\""));
        if (!build.ok()) {
            throw new IllegalStateException("building the launchers' jar failed: " + build.describe());
        }
        built = true;
    }
}
