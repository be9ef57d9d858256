package org.jvs.keepalived.config;

import java.nio.file.Path;

/** Where something was written: the file (after include expansion) and its 1-based line. */
public record ConfigLocation(Path file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
