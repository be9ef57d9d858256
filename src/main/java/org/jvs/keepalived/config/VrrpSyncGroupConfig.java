package org.jvs.keepalived.config;

import java.util.List;

/**
 * A vrrp_sync_group block: instances that change state together (keepalived's vrrp_sync.c), e.g. the VIP facing
 * clients and the gateway address facing NAT real servers, which must live on the same director.
 *
 * @param members       the instances' names, each defined by a vrrp_instance
 * @param notifyScripts the group's own notify_master, notify_backup, notify_fault, notify_stop and notify, run when
 *                      the group (not one member) changes state; the generic one gets {@code GROUP NAME STATE 0}
 */
public record VrrpSyncGroupConfig(ConfigLocation where, String name, List<String> members,
                                  VrrpInstanceConfig.Notify notifyScripts) {
}
