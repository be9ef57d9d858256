package org.jvs.keepalived.config;

import java.time.Duration;

/**
 * A vrrp_script block (keepalived's vrrp_parser.c): a command run every {@code interval} whose exit status 0 means
 * up. Down after {@code fall} failures in a row, up again after {@code rise} successes. Its {@code weight} moves the
 * priority of each instance tracking it: a positive weight is added while it is up, a negative one while it is
 * down; with weight 0, down puts the instance in FAULT.
 *
 * @param initiallyDown {@code init_fail}: down until it first succeeds
 */
public record VrrpScriptConfig(ConfigLocation where, String name, String script, Duration interval, Duration timeout,
                               int weight, int rise, int fall, boolean initiallyDown) {

    /** Whether {@code other} has the same settings, wherever it stands in the file. */
    public boolean sameSettingsAs(VrrpScriptConfig other) {
        return equals(new VrrpScriptConfig(where, other.name, other.script, other.interval, other.timeout,
                other.weight, other.rise, other.fall, other.initiallyDown));
    }
}
