package org.jvs.keepalived.config;

import java.io.PrintStream;
import java.nio.file.Path;

/** TEMPORARY STUB (not committed). */
public final class ConfigCheck {
    public static final int OK = 0;
    public static final int BAD = 1;

    private ConfigCheck() {
    }

    public static int run(Path file, PrintStream out, PrintStream err) {
        try {
            KeepalivedConfigParser.parse(file);
            out.println(file + ": configuration OK");
            return OK;
        } catch (ConfigException | java.io.IOException e) {
            err.println(e.getMessage());
            return BAD;
        }
    }
}
