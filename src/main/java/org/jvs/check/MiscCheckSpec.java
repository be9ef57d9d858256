package org.jvs.check;

import java.time.Duration;
import java.util.List;

/**
 * MISC_CHECK: runs misc_path; exit 0 is up. With misc_dynamic, exit 0 and 1 are up/down and exit 2..255 are up
 * with weight (code - 2).
 *
 * @param command the program and its arguments, split from misc_path as keepalived splits it
 * @param timeout misc_timeout (keepalived: delay_loop); the program is killed when it runs longer
 */
public record MiscCheckSpec(CheckCommon common, List<String> command, Duration timeout, boolean dynamic)
        implements CheckSpec {
    @Override
    public String kind() {
        return "MISC_CHECK";
    }
}
