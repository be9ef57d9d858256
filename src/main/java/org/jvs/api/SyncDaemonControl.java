package org.jvs.api;

import java.util.List;

/**
 * ipvsadm's sync-daemon commands against a director: --start-daemon, --stop-daemon and -L --daemon. Refusals
 * throw {@link ControlException} with ipvsadm's message for the same case and change nothing.
 */
public interface SyncDaemonControl {

    /** Refused when a daemon of that role already runs, or the interface does not exist. */
    void startDaemon(SyncDaemonSpec spec) throws ControlException;

    /** Refused when no daemon of that role runs. */
    void stopDaemon(SyncDaemonSpec.Role role) throws ControlException;

    /** The running daemons, master first. */
    List<SyncDaemonSpec> daemons() throws ControlException;
}
