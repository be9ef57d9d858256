package org.jvs.keepalived.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a keepalived.conf (keepalived 2.2.7's language, with DPVS's full-NAT additions) into a
 * {@link KeepalivedConfig}. Keywords keepalived knows but JVS does not implement are warnings; anything keepalived
 * would not accept, and any value JVS cannot use, is a {@link ConfigException} naming file, line and token.
 */
public final class KeepalivedConfigParser {
    private final Warnings warnings = new Warnings();
    private String routerId = "";
    private String scriptUser = "";
    /** As given: its instance is looked up, and its sync id defaulted, once the vrrp_instance blocks are read. */
    private LvsSyncDaemonConfig lvsSyncDaemon;
    private final List<VirtualServerConfig> virtualServers = new ArrayList<>();
    private final Map<String, VirtualServerGroup> groups = new LinkedHashMap<>();
    private final Map<String, LocalAddressGroup> localAddressGroups = new LinkedHashMap<>();
    private final List<ConfigNode> vrrpBlocks = new ArrayList<>();
    private final List<ConfigNode> syncGroupBlocks = new ArrayList<>();
    private final Map<String, VrrpScriptConfig> vrrpScripts = new LinkedHashMap<>();
    private int vrrpVersion = 2;

    private KeepalivedConfigParser() {
    }

    /** Reads {@code file} and its includes with no config id (lines starting '@id' are left out). */
    public static KeepalivedConfig parse(Path file) throws ConfigException, IOException {
        return parse(file, null);
    }

    /**
     * @param configId keepalived's {@code -i} config id: lines starting '@configId' are read, '@^configId' are
     *                 not; null for none
     */
    public static KeepalivedConfig parse(Path file, String configId) throws ConfigException, IOException {
        KeepalivedConfigParser parser = new KeepalivedConfigParser();
        try {
            return parser.read(ConfigNode.tree(ConfigReader.read(file, configId, parser.warnings)));
        } catch (StackOverflowError e) {
            // bounded nesting makes this unreachable; kept so a parser bug still reports a location
            throw new ConfigException(new ConfigLocation(file, 0), "configuration nests too deeply");
        }
    }

    private KeepalivedConfig read(List<ConfigNode> roots) throws ConfigException {
        for (ConfigNode node : roots) {
            Keywords.requireKnown(node, Keywords.ROOT, "top-level");
            switch (node.keyword()) {
                case "global_defs" -> globalDefs(node);
                case "virtual_server" -> {
                    VirtualServerConfig vs = VirtualServerParser.parse(node, warnings);
                    if (vs != null) {
                        virtualServers.add(vs);
                    }
                }
                case "virtual_server_group" -> {
                    VirtualServerGroup g = GroupParser.virtualServerGroup(node, warnings);
                    groups.put(g.name(), g);
                }
                case "local_address_group" -> {
                    LocalAddressGroup g = GroupParser.localAddressGroup(node, warnings);
                    localAddressGroups.put(g.name(), g);
                }
                // read after global_defs, whose vrrp_version is their default whatever the order in the file
                case "vrrp_instance" -> vrrpBlocks.add(node);
                case "vrrp_sync_group" -> syncGroupBlocks.add(node);
                case "vrrp_script" -> {
                    VrrpScriptConfig script = VrrpInstanceParser.script(node, warnings);
                    if (script != null) {
                        vrrpScripts.put(script.name(), script);
                    }
                }
                default -> warnings.notImplemented(node.where(), node.keyword());
            }
        }
        List<VrrpInstanceConfig> vrrpInstances = new ArrayList<>();
        for (ConfigNode block : vrrpBlocks) {
            VrrpInstanceConfig instance = withDefinedScripts(VrrpInstanceParser.parse(block, vrrpVersion, warnings));
            for (VrrpInstanceConfig other : vrrpInstances) {
                if (other.name().equals(instance.name())) {
                    throw new ConfigException(instance.where(), "vrrp_instance " + instance.name()
                            + " is defined twice; expected one block per name");
                }
                // keepalived's vrrp_complete_init: IPv4 and IPv6 routers are told apart by family
                if (other.virtualRouterId() == instance.virtualRouterId()
                        && other.interfaceName().equals(instance.interfaceName())
                        && other.family() == instance.family()) {
                    throw new ConfigException(instance.where(), "vrrp_instance " + instance.name()
                            + " uses virtual_router_id " + instance.virtualRouterId() + " on "
                            + instance.interfaceName() + " as " + other.name() + " does; expected a different id");
                }
            }
            vrrpInstances.add(instance);
        }
        List<VrrpSyncGroupConfig> syncGroups = syncGroups(vrrpInstances);
        LvsSyncDaemonConfig syncDaemon = lvsSyncDaemon == null ? null
                : LvsSyncDaemonParser.resolve(lvsSyncDaemon, vrrpInstances, warnings);
        for (VirtualServerConfig vs : virtualServers) {
            if (!vs.group().isEmpty() && !groups.containsKey(vs.group())) {
                throw new ConfigException(vs.where(), "virtual_server group '" + Tokenizer.shorten(vs.group())
                        + "' is not defined; expected a virtual_server_group of that name");
            }
            if (!vs.laddrGroupName().isEmpty() && !localAddressGroups.containsKey(vs.laddrGroupName())) {
                throw new ConfigException(vs.where(), "laddr_group_name '" + Tokenizer.shorten(vs.laddrGroupName())
                        + "' is not defined; expected a local_address_group of that name");
            }
        }
        return new KeepalivedConfig(new GlobalDefs(routerId, scriptUser, syncDaemon), List.copyOf(virtualServers),
                Map.copyOf(groups), Map.copyOf(localAddressGroups), warnings.list(), List.copyOf(vrrpInstances),
                Map.copyOf(vrrpScripts), List.copyOf(syncGroups));
    }

    /**
     * vrrp_sync_group NAME { group { INSTANCE... } notify_master|notify_backup|notify_fault|notify_stop|notify CMD }:
     * an instance named twice, or in two groups, is refused as keepalived refuses it; an unknown one is warned about
     * and left out, as keepalived does.
     */
    private List<VrrpSyncGroupConfig> syncGroups(List<VrrpInstanceConfig> instances) throws ConfigException {
        java.util.Set<String> defined = new java.util.HashSet<>();
        instances.forEach(instance -> defined.add(instance.name()));
        java.util.Map<String, String> groupOf = new java.util.HashMap<>();
        List<VrrpSyncGroupConfig> groups = new ArrayList<>();
        for (ConfigNode block : syncGroupBlocks) {
            String name = Values.word(block, 1, "a group name");
            List<String> members = new ArrayList<>();
            String[] notify = {"", "", "", "", ""};
            for (ConfigNode node : block.children()) {
                int script = switch (node.keyword()) {
                    case "notify_master" -> 0;
                    case "notify_backup" -> 1;
                    case "notify_fault" -> 2;
                    case "notify_stop" -> 3;
                    case "notify" -> 4;
                    default -> -1;
                };
                if (script >= 0) {
                    notify[script] = Values.rest(node, "a command");
                    continue;
                }
                if (!node.keyword().equals("group")) {
                    warnings.notImplemented(node.where(), node.keyword());
                    continue;
                }
                for (ConfigNode member : node.children()) {
                    for (String instance : member.words()) {
                        if (!defined.contains(instance)) {
                            warnings.each(member.where(), "vrrp_sync_group", "vrrp_sync_group " + name
                                    + ": no vrrp_instance " + Tokenizer.shorten(instance) + "; left out");
                            continue;
                        }
                        String other = groupOf.putIfAbsent(instance, name);
                        if (other != null) {
                            throw new ConfigException(member.where(), "vrrp_instance " + instance + " is already in"
                                    + " vrrp_sync_group " + other + "; expected each instance in one group at most");
                        }
                        members.add(instance);
                    }
                }
            }
            groups.add(new VrrpSyncGroupConfig(block.where(), name, List.copyOf(members),
                    new VrrpInstanceConfig.Notify(notify[0], notify[1], notify[2], notify[3], notify[4])));
        }
        return groups;
    }

    /** As keepalived: a track_script naming no (enabled) vrrp_script is warned about and ignored. */
    private VrrpInstanceConfig withDefinedScripts(VrrpInstanceConfig instance) {
        List<VrrpInstanceConfig.TrackedScript> defined = new ArrayList<>();
        for (VrrpInstanceConfig.TrackedScript tracked : instance.trackScripts()) {
            if (vrrpScripts.containsKey(tracked.name())) {
                defined.add(tracked);
            } else {
                warnings.each(instance.where(), "track_script", "vrrp_instance " + instance.name() + " tracks script '"
                        + Tokenizer.shorten(tracked.name()) + "', which is not defined; ignored");
            }
        }
        if (defined.size() == instance.trackScripts().size()) {
            return instance;
        }
        return new VrrpInstanceConfig(instance.where(), instance.name(), instance.wantMaster(),
                instance.interfaceName(), instance.virtualRouterId(), instance.priority(),
                instance.advertIntervalCentis(), instance.authPassword(), instance.virtualAddresses(),
                instance.excludedAddresses(), instance.preempt(), instance.preemptDelayS(), instance.unicastSource(),
                instance.unicastPeers(), instance.version(), instance.garpMasterDelayS(), instance.garpMasterRepeat(),
                instance.notifyScripts(), instance.trackInterfaces(), List.copyOf(defined), instance.family());
    }

    private void globalDefs(ConfigNode block) throws ConfigException {
        for (ConfigNode node : block.children()) {
            Keywords.requireKnown(node, Keywords.GLOBAL_DEFS, "global_defs");
            switch (node.keyword()) {
                case "router_id" -> routerId = Values.word(node, 1, "a router name");
                case "script_user" -> scriptUser = Values.word(node, 1, "a user name");
                case "vrrp_version" -> vrrpVersion = Values.integer(node, 1, 2, 3);
                case "lvs_sync_daemon" -> {
                    if (lvsSyncDaemon != null) {
                        // keepalived keeps the first and reports the second
                        throw new ConfigException(node.where(), "lvs_sync_daemon is already given at "
                                + lvsSyncDaemon.where() + "; expected one");
                    }
                    lvsSyncDaemon = LvsSyncDaemonParser.parse(node, warnings);
                }
                default -> warnings.notImplemented(node.where(), node.keyword());
            }
        }
    }
}
