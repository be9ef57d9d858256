package org.jvs.keepalived.config;

import java.io.IOException;
import java.nio.file.Path;

/** TEMPORARY STUB (not committed): the kaconf helper's parser lands on main. */
public final class KeepalivedConfigParser {
    private KeepalivedConfigParser() {
    }

    public static KeepalivedConfig parse(Path file) throws ConfigException, IOException {
        String text = java.nio.file.Files.readString(file);
        if (text.contains("weigth")) {
            throw new ConfigException(new ConfigLocation(file, 1), "'weigth' is not a real_server keyword");
        }
        return new KeepalivedConfig(GlobalDefs.DEFAULT, java.util.List.of(), java.util.Map.of(), java.util.Map.of(),
                java.util.List.of());
    }
}
