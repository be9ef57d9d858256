package org.jvs.keepalived.config;

import org.jvs.api.IpAddress;
import org.jvs.api.SyncDaemonSpec;

/**
 * global_defs' lvs_sync_daemon (keepalived's lvs_syncd_handler), with keepalived's defaults resolved.
 *
 * @param where         the lvs_sync_daemon line
 * @param interfaceName the interface the daemons send or listen on
 * @param vrrpInstance  the vrrp_instance the daemons follow: a master daemon while it is MASTER, a backup one
 *                      otherwise (keepalived's ipvs_syncd_master/backup); null when none is named, and then
 *                      keepalived's checker starts a master and a backup daemon together at start-up
 * @param syncId        {@code id}, else that instance's virtual_router_id, else 0
 * @param maxLength     {@code maxlen}, 0 when not given: from the interface's MTU
 * @param group         {@code group}, IPv4 or IPv6; the kernel's 224.0.0.81 when not given
 * @param port          {@code port}, the kernel's 8848 when not given
 * @param ttl           {@code ttl}, the kernel's 1 when not given
 */
public record LvsSyncDaemonConfig(ConfigLocation where, String interfaceName, String vrrpInstance, int syncId,
                                  int maxLength, IpAddress group, int port, int ttl) {

    /** The daemon of {@code role} this line describes, as keepalived's ipvs_syncd_cmd sends it. */
    public SyncDaemonSpec daemon(SyncDaemonSpec.Role role) {
        return new SyncDaemonSpec(role, interfaceName, syncId, maxLength, group, port, ttl);
    }
}
