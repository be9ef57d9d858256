package org.jvs.keepalived.config;

import java.util.List;
import java.util.Map;

/**
 * A keepalived.conf as JVS understands it, with includes expanded and keepalived's defaults resolved.
 *
 * @param virtualServers      in file order
 * @param virtualServerGroups virtual_server_group blocks by name
 * @param localAddressGroups  local_address_group blocks (DPVS's keepalived, for full NAT) by name
 * @param warnings            one per keyword JVS does not implement (each keyword once), in file order
 * @param vrrpInstances       vrrp_instance blocks in file order
 * @param vrrpScripts         vrrp_script blocks by name
 * @param vrrpSyncGroups      vrrp_sync_group blocks in file order
 */
public record KeepalivedConfig(GlobalDefs globalDefs, List<VirtualServerConfig> virtualServers,
                               Map<String, VirtualServerGroup> virtualServerGroups,
                               Map<String, LocalAddressGroup> localAddressGroups, List<ConfigWarning> warnings,
                               List<VrrpInstanceConfig> vrrpInstances, Map<String, VrrpScriptConfig> vrrpScripts,
                               List<VrrpSyncGroupConfig> vrrpSyncGroups) {

    /** A configuration without VRRP. */
    public KeepalivedConfig(GlobalDefs globalDefs, List<VirtualServerConfig> virtualServers,
                            Map<String, VirtualServerGroup> virtualServerGroups,
                            Map<String, LocalAddressGroup> localAddressGroups, List<ConfigWarning> warnings) {
        this(globalDefs, virtualServers, virtualServerGroups, localAddressGroups, warnings, List.of(), Map.of(),
                List.of());
    }
}
