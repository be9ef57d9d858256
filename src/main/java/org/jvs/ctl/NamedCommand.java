package org.jvs.ctl;

import java.util.List;

/**
 * A command the application adds to the control socket beside jvsadm's (e.g. {@code ./jvs reload}), so that
 * this package needs to know nothing of what it does. Runs one at a time with jvsadm commands.
 */
@FunctionalInterface
public interface NamedCommand {

    /** Never throws; refusals are a non-zero exit code with one line on stderr. */
    Reply run(List<String> args);
}
