package org.jvs.keepalived.config;

/**
 * A configuration that cannot be used: the message is one line naming the file, line, offending token and what
 * was expected, e.g. {@code keepalived.conf:12: 'weigth' is not a real_server keyword (expected weight, ...)}.
 */
public final class ConfigException extends Exception {
    private final ConfigLocation where;

    public ConfigException(ConfigLocation where, String message) {
        super(where + ": " + message);
        this.where = where;
    }

    public ConfigLocation where() {
        return where;
    }
}
