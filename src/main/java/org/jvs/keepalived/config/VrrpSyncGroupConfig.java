package org.jvs.keepalived.config;

import java.util.List;

/**
 * A vrrp_sync_group block: instances that change state together (keepalived's vrrp_sync.c), e.g. the VIP facing
 * clients and the gateway address facing NAT real servers, which must live on the same director.
 *
 * @param members the instances' names, each defined by a vrrp_instance
 */
public record VrrpSyncGroupConfig(ConfigLocation where, String name, List<String> members) {
}
