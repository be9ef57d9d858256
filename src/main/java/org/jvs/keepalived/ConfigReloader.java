package org.jvs.keepalived;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.jvs.keepalived.config.ConfigException;
import org.jvs.keepalived.config.ConfigWarning;
import org.jvs.keepalived.config.KeepalivedConfig;

/**
 * Reads the configuration and hands it to the cluster manager, for start-up, SIGHUP and {@code ./jvs reload}
 * alike. The file is read completely first, so a configuration with an error changes nothing.
 */
public final class ConfigReloader {
    private final ConfigSource source;
    private final ClusterManager manager;

    public ConfigReloader(ConfigSource source, ClusterManager manager) {
        this.source = source;
        this.manager = manager;
    }

    /**
     * @param applied  false when the configuration could not be read (then nothing changed)
     * @param warnings the parser's, one line each
     * @param errors   the read error, or the director's refusals while applying, one line each
     * @param config   what was read (null when it could not be), for the parts other than virtual servers
     */
    public record Outcome(boolean applied, List<String> warnings, List<String> errors, KeepalivedConfig config) {

        /** True when the configuration was read and applied without a refusal. */
        public boolean ok() {
            return applied && errors.isEmpty();
        }
    }

    /** Reads and applies; concurrent calls (a SIGHUP during ./jvs reload) take turns. */
    public synchronized Outcome reload() {
        KeepalivedConfig config;
        try {
            config = source.load();
        } catch (ConfigException | IOException e) {
            return new Outcome(false, List.of(), List.of(e.getMessage() == null ? e.toString() : e.getMessage()), null);
        }
        List<String> warnings = new ArrayList<>();
        for (ConfigWarning warning : config.warnings()) {
            warnings.add(warning.toString());
        }
        return new Outcome(true, List.copyOf(warnings), manager.apply(config), config);
    }
}
