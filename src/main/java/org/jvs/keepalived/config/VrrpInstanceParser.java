package org.jvs.keepalived.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jvs.api.IpAddress;
import org.jvs.service.Ipv6;

/**
 * vrrp_instance (keepalived 2.2.7 vrrp/vrrp_parser.c): the keywords a failover pair of directors needs. Keywords
 * keepalived knows in the block that JVS does not implement (track_script, vmac, ...) are warned about, as
 * elsewhere; a missing interface or virtual_router_id, or a value keepalived would refuse, is an error naming it.
 * <p>
 * An instance is IPv4 or IPv6 as keepalived deduces it (vrrp_parser.c, vrrp_data.c): the family of the first address
 * among unicast_src_ip, unicast_peer and virtual_ipaddress. An address of the other family there is reported and
 * skipped, as keepalived reports and skips it (virtual_ipaddress_excluded takes both families: that is how one
 * instance moves a dual-stack VIP pair). IPv6 means VRRPv3: a {@code version 2} is reported and ignored.
 */
final class VrrpInstanceParser {
    private static final int DEFAULT_PRIORITY = 100;
    private static final int DEFAULT_ADVERT_CENTIS = 100;
    private static final int MAX_PASSWORD = 8;
    private static final int DEFAULT_GARP_DELAY_S = 5;
    private static final int DEFAULT_GARP_REPEAT = 5;
    /** v3 carries the interval in 12 bits of centiseconds. */
    private static final int MAX_ADVERT_CENTIS = 4095;

    private VrrpInstanceParser() {
    }

    static VrrpInstanceConfig parse(ConfigNode block, int defaultVersion, Warnings warnings) throws ConfigException {
        String name = Values.word(block, 1, "an instance name");
        boolean wantMaster = false;
        String interfaceName = null;
        int virtualRouterId = -1;
        int priority = DEFAULT_PRIORITY;
        int advertCentis = DEFAULT_ADVERT_CENTIS;
        String password = "";
        List<VrrpInstanceConfig.VirtualIpAddress> addresses = new ArrayList<>();
        List<VrrpInstanceConfig.VirtualIpAddress> excluded = new ArrayList<>();
        boolean preempt = true;
        int preemptDelay = 0;
        IpAddress unicastSource = null;
        List<IpAddress> peers = new ArrayList<>();
        FamilyOf family = new FamilyOf(name);
        int version = defaultVersion;
        ConfigNode versionLine = null;
        int garpDelay = DEFAULT_GARP_DELAY_S;
        int garpRepeat = DEFAULT_GARP_REPEAT;
        String[] notify = {"", "", "", "", ""};
        List<VrrpInstanceConfig.TrackedInterface> trackInterfaces = new ArrayList<>();
        List<VrrpInstanceConfig.TrackedScript> trackScripts = new ArrayList<>();
        for (ConfigNode node : block.children()) {
            switch (node.keyword()) {
                case "state" -> {
                    String state = Values.word(node, 1, "MASTER or BACKUP");
                    if (!state.equals("MASTER") && !state.equals("BACKUP")) {
                        throw Values.bad(node, state, "MASTER or BACKUP");
                    }
                    wantMaster = state.equals("MASTER");
                }
                case "interface" -> interfaceName = Values.word(node, 1, "an interface name");
                case "virtual_router_id" -> virtualRouterId = Values.integer(node, 1, 1, 255);
                case "priority" -> priority = Values.integer(node, 1, 1, 255);
                case "advert_int" -> {
                    Duration interval = Values.duration(node, 1, 1);
                    advertCentis = (int) Math.max(1, interval.toMillis() / 10);
                    if (advertCentis > MAX_ADVERT_CENTIS) {
                        throw Values.bad(node, node.words().get(1), "an interval up to 40.95 seconds");
                    }
                }
                case "authentication" -> password = authentication(node, warnings);
                case "virtual_ipaddress" -> addresses(node, addresses, warnings, family);
                case "virtual_ipaddress_excluded" -> addresses(node, excluded, warnings, null);
                case "nopreempt" -> preempt = false;
                case "preempt" -> preempt = true;
                case "preempt_delay" -> preemptDelay = (int) Values.duration(node, 1, 0).toSeconds();
                case "unicast_src_ip" -> {
                    IpAddress source = Values.address(node, 1);
                    if (family.admits(source, node, "unicast_src_ip", warnings)) {
                        unicastSource = source;
                    }
                }
                case "unicast_peer" -> {
                    for (ConfigNode peer : node.children()) {
                        IpAddress address = Values.address(peer, 0);
                        if (family.admits(address, peer, "unicast_peer", warnings)) {
                            peers.add(address);
                        }
                    }
                }
                case "version" -> {
                    version = Values.integer(node, 1, 2, 3);
                    versionLine = node;
                }
                case "garp_master_delay" -> garpDelay = Values.integer(node, 1, 0, 255);
                case "garp_master_repeat" -> garpRepeat = Values.integer(node, 1, 1, 255);
                case "notify_master" -> notify[0] = Values.rest(node, "a command");
                case "notify_backup" -> notify[1] = Values.rest(node, "a command");
                case "notify_fault" -> notify[2] = Values.rest(node, "a command");
                case "notify_stop" -> notify[3] = Values.rest(node, "a command");
                case "notify" -> notify[4] = Values.rest(node, "a command");
                case "track_interface" -> {
                    for (ConfigNode tracked : node.children()) {
                        int weight = 0;
                        if (tracked.size() > 1) {
                            if (!tracked.words().get(1).equals("weight")) {
                                throw Values.bad(tracked, tracked.words().get(1), "'weight N' or nothing");
                            }
                            weight = Values.integer(tracked, 2, -254, 254);
                        }
                        trackInterfaces.add(new VrrpInstanceConfig.TrackedInterface(tracked.keyword(), weight));
                    }
                }
                case "track_script" -> {
                    for (ConfigNode tracked : node.children()) {
                        Integer weight = null;
                        if (tracked.size() > 1) {
                            if (!tracked.words().get(1).equals("weight")) {
                                throw Values.bad(tracked, tracked.words().get(1), "'weight N' or nothing");
                            }
                            weight = Values.integer(tracked, 2, -253, 253);
                        }
                        trackScripts.add(new VrrpInstanceConfig.TrackedScript(tracked.keyword(), weight));
                    }
                }
                default -> warnings.notImplemented(node.where(), node.keyword());
            }
        }
        if (interfaceName == null) {
            throw new ConfigException(block.where(), "vrrp_instance " + name + " has no interface; expected"
                    + " 'interface NAME' (the interface its adverts use)");
        }
        if (virtualRouterId < 0) {
            throw new ConfigException(block.where(), "vrrp_instance " + name + " has no virtual_router_id; expected"
                    + " 'virtual_router_id N' with N from 1 to 255, the same on every router of the pair");
        }
        if (family.ipv6()) {
            if (version == 2 && versionLine != null) {
                warnings.each(versionLine.where(), "version", "(" + name + ") vrrp_version 2 conflicts with configured"
                        + " or deduced version 3; ignoring (VRRP over IPv6 is version 3)");
            }
            version = 3;
        }
        if (version == 2 && advertCentis % 100 != 0) {
            throw new ConfigException(block.where(), "vrrp_instance " + name + ": advert_int must be whole seconds"
                    + " with VRRP version 2; expected 'version 3' for sub-second adverts");
        }
        String device = interfaceName;
        return new VrrpInstanceConfig(block.where(), name, wantMaster, interfaceName, virtualRouterId, priority,
                advertCentis, password, withDevice(addresses, device), withDevice(excluded, device), preempt,
                preemptDelay, unicastSource, List.copyOf(peers), version, garpDelay, garpRepeat,
                new VrrpInstanceConfig.Notify(notify[0], notify[1], notify[2], notify[3], notify[4]),
                List.copyOf(trackInterfaces), List.copyOf(trackScripts),
                family.ipv6() ? IpAddress.Family.IPV6 : IpAddress.Family.IPV4);
    }

    /**
     * keepalived's vrrp->family: unset until the first of unicast_src_ip, unicast_peer or virtual_ipaddress, then
     * that address's family, which every later one of them must have.
     */
    private static final class FamilyOf {
        private final String instance;
        private IpAddress first;

        FamilyOf(String instance) {
            this.instance = instance;
        }

        boolean ipv6() {
            return first != null && !first.isIpv4();
        }

        /** Whether {@code address} may join the instance; if not, says so once for this line (keepalived skips it). */
        boolean admits(IpAddress address, ConfigNode line, String keyword, Warnings warnings) {
            if (first == null) {
                first = address;
                return true;
            }
            if (first.family() == address.family()) {
                return true;
            }
            warnings.each(line.where(), keyword, "(" + instance + "): address family must match VRRP instance ["
                    + address + "] - ignoring: the instance is " + first.family() + " (from " + first + "), as"
                    + " keepalived skips it; virtual_ipaddress_excluded takes either family");
            return false;
        }
    }

    /** vrrp_script NAME { script ...; interval; timeout; weight; rise; fall; init_fail }, keepalived's defaults. */
    static VrrpScriptConfig script(ConfigNode block, Warnings warnings) throws ConfigException {
        String name = Values.word(block, 1, "a script name");
        String script = null;
        java.time.Duration interval = java.time.Duration.ofSeconds(1);
        java.time.Duration timeout = null;
        int weight = 0;
        int rise = 1;
        int fall = 1;
        boolean initiallyDown = false;
        for (ConfigNode node : block.children()) {
            switch (node.keyword()) {
                case "script" -> script = Values.rest(node, "a command");
                case "interval" -> interval = Values.duration(node, 1, 1_000_000);
                case "timeout" -> timeout = Values.duration(node, 1, 1_000_000);
                case "weight" -> weight = Values.integer(node, 1, -253, 253);
                case "rise" -> rise = Values.integer(node, 1, 1, 1_000_000);
                case "fall" -> fall = Values.integer(node, 1, 1, 1_000_000);
                case "init_fail" -> initiallyDown = true;
                default -> warnings.notImplemented(node.where(), node.keyword());
            }
        }
        if (script == null) {
            // keepalived disables such a script (its track_script entries are then ignored) and runs on
            warnings.each(block.where(), "vrrp_script", "vrrp_script " + name + " has no script; disabled");
            return null;
        }
        return new VrrpScriptConfig(block.where(), name, script, interval, timeout == null ? interval : timeout,
                weight, rise, fall, initiallyDown);
    }

    private static List<VrrpInstanceConfig.VirtualIpAddress> withDevice(List<VrrpInstanceConfig.VirtualIpAddress> all,
                                                                         String device) {
        List<VrrpInstanceConfig.VirtualIpAddress> resolved = new ArrayList<>();
        for (VrrpInstanceConfig.VirtualIpAddress address : all) {
            resolved.add(address.device().isEmpty() ? new VrrpInstanceConfig.VirtualIpAddress(address.address(),
                    address.prefixLength(), device, address.label()) : address);
        }
        return List.copyOf(resolved);
    }

    private static String authentication(ConfigNode block, Warnings warnings) throws ConfigException {
        String type = "";
        String password = "";
        for (ConfigNode node : block.children()) {
            switch (node.keyword()) {
                case "auth_type" -> type = Values.word(node, 1, "PASS or AH");
                case "auth_pass" -> password = Values.word(node, 1, "a password");
                default -> throw Values.bad(node, node.keyword(), "auth_type or auth_pass");
            }
        }
        if (type.equals("AH")) {
            warnings.once(block.where(), "auth_type AH", "auth_type AH is not implemented by JVS; adverts carry"
                    + " no authentication");
            return "";
        }
        if (!type.isEmpty() && !type.equals("PASS")) {
            throw new ConfigException(block.where(), "auth_type '" + Tokenizer.shorten(type) + "' is unknown;"
                    + " expected PASS or AH");
        }
        return password.length() > MAX_PASSWORD ? password.substring(0, MAX_PASSWORD) : password;
    }

    /**
     * Lines of ADDRESS[/LENGTH] [brd X] [dev IFACE] [scope S] [label L] [...], IPv4 (/32 by default) or IPv6 (/128).
     * With {@code family} (virtual_ipaddress), an address of the instance's other family is reported and skipped.
     */
    private static void addresses(ConfigNode block, List<VrrpInstanceConfig.VirtualIpAddress> into, Warnings warnings,
                                  FamilyOf family) throws ConfigException {
        for (ConfigNode line : block.children()) {
            String token = line.keyword();
            int slash = token.indexOf('/');
            String text = slash < 0 ? token : token.substring(0, slash);
            IpAddress address = null;
            if (Values.isIpv6(text)) {
                try {
                    address = IpAddress.ofIpv6(Ipv6.parse(text));
                } catch (IllegalArgumentException notIpv6) {
                    address = null;
                }
            } else if (Values.parseIpv4(text) >= 0) {
                address = IpAddress.ofIpv4((int) Values.parseIpv4(text));
            }
            int bits = address == null ? 32 : address.family().bits();
            int length = bits;
            if (slash >= 0) {
                try {
                    length = Integer.parseInt(token.substring(slash + 1));
                } catch (NumberFormatException notNumber) {
                    length = -1;
                }
            }
            if (address == null || length < 0 || length > bits) {
                throw Values.bad(line, token, "an IPv4 address a.b.c.d or a.b.c.d/len, or an IPv6 address"
                        + " (with /len up to 128)");
            }
            if (family != null && !family.admits(address, line, block.keyword(), warnings)) {
                continue;
            }
            String device = "";
            String label = "";
            List<String> words = line.words();
            for (int i = 1; i < words.size(); i++) {
                String option = words.get(i);
                switch (option) {
                    case "dev" -> device = Values.word(line, ++i, "an interface name");
                    case "label" -> label = Values.word(line, ++i, "a label");
                    case "brd", "broadcast", "scope" -> i++;
                    default -> warnings.once(line.where(), "virtual_ipaddress " + option, "virtual_ipaddress option '"
                            + Tokenizer.shorten(option) + "' is not implemented by JVS; ignored");
                }
            }
            into.add(new VrrpInstanceConfig.VirtualIpAddress(address, length, device, label));
        }
    }
}
