package org.jvs.keepalived.config;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** {@code jvs director -f FILE --config-test}, keepalived's {@code -t}: checks a file without starting anything. */
public final class ConfigCheck {
    public static final int OK = 0;
    public static final int BAD = 1;

    private ConfigCheck() {
    }

    /** Prints each warning, then the one-line error or an OK line, on {@code err}; returns 0 good, 1 bad. */
    public static int run(Path file, PrintStream out, PrintStream err) {
        try {
            KeepalivedConfig config = KeepalivedConfigParser.parse(file);
            for (ConfigWarning w : config.warnings()) {
                err.println(w);
            }
            out.println("Configuration file " + file + " is OK (" + count(config.virtualServers().size(),
                    "virtual server") + ", " + count(config.warnings().size(), "warning") + ")");
            return OK;
        } catch (ConfigException e) {
            err.println(e.getMessage());
        } catch (IOException e) {
            err.println(file + ": cannot read configuration file (" + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")");
        }
        err.println("Configuration file " + file + " is not OK");
        return BAD;
    }

    /** "1 warning", "0 warnings", "2 warnings". */
    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
