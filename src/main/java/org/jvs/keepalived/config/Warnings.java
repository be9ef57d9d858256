package org.jvs.keepalived.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects warnings in file order; an unimplemented keyword is reported at its first occurrence only. */
final class Warnings {
    private final List<ConfigWarning> list = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();

    /** "KEYWORD is not implemented by JVS; ignored", once per keyword in the whole configuration. */
    void notImplemented(ConfigLocation where, String keyword) {
        once(where, keyword, keyword + " is not implemented by JVS; ignored");
    }

    void once(ConfigLocation where, String keyword, String message) {
        if (reported.add(keyword)) {
            list.add(new ConfigWarning(where, keyword, message));
        }
    }

    /** A warning about one place (a skipped virtual server, say), reported every time. */
    void each(ConfigLocation where, String keyword, String message) {
        list.add(new ConfigWarning(where, keyword, message));
    }

    List<ConfigWarning> list() {
        return List.copyOf(list);
    }
}
