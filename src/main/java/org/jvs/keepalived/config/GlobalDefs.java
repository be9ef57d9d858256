package org.jvs.keepalived.config;

/**
 * The global_defs JVS uses.
 *
 * @param routerId      router_id, "" when not given (keepalived then uses the host name)
 * @param scriptUser    script_user, "" for the director's own user
 * @param lvsSyncDaemon lvs_sync_daemon, null when not given or left out for naming no existing vrrp_instance
 */
public record GlobalDefs(String routerId, String scriptUser, LvsSyncDaemonConfig lvsSyncDaemon) {
    public static final GlobalDefs DEFAULT = new GlobalDefs("", "");

    /** Without connection sync. */
    public GlobalDefs(String routerId, String scriptUser) {
        this(routerId, scriptUser, null);
    }
}
