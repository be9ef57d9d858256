package org.jvs.keepalived;

import java.io.IOException;

import org.jvs.keepalived.config.ConfigException;
import org.jvs.keepalived.config.KeepalivedConfig;

/** Reads the whole configuration again, e.g. {@code () -> KeepalivedConfigParser.parse(path)}. */
@FunctionalInterface
public interface ConfigSource {

    KeepalivedConfig load() throws ConfigException, IOException;
}
