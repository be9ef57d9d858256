package org.jvs.keepalived.config;

import java.util.List;

/**
 * One vrrp_instance block (keepalived 2.2.7's vrrp/vrrp_parser.c), with keepalived's defaults resolved.
 *
 * @param wantMaster            {@code state MASTER} (false: BACKUP, keepalived's default)
 * @param interfaceName         {@code interface}, where adverts go and the VIPs live unless an address names its dev
 * @param priority              1..255, default 100 (255 only for the addresses' owner)
 * @param advertIntervalCentis  {@code advert_int}, default 1 s
 * @param authPassword          {@code authentication { auth_type PASS; auth_pass ... }}: up to 8 characters, as
 *                              keepalived truncates it; "" for none
 * @param preempt               false with {@code nopreempt}
 * @param preemptDelayS         {@code preempt_delay}, 0..1000 s
 * @param unicastSource         {@code unicast_src_ip}, 0 for the interface's address
 * @param unicastPeers          {@code unicast_peer}: adverts go to each instead of 224.0.0.18
 * @param version               {@code version}, else global_defs {@code vrrp_version}, else 2
 * @param garpMasterDelayS      {@code garp_master_delay}: a second round of gratuitous ARPs that many seconds after
 *                              becoming master (default 5; 0 none)
 * @param garpMasterRepeat      {@code garp_master_repeat}: gratuitous ARPs per address per round (default 5)
 * @param trackScripts          {@code track_script}: the vrrp_scripts whose state moves this instance's priority
 */
public record VrrpInstanceConfig(ConfigLocation where, String name, boolean wantMaster, String interfaceName,
                                 int virtualRouterId, int priority, int advertIntervalCentis, String authPassword,
                                 List<VirtualIpAddress> virtualAddresses, List<VirtualIpAddress> excludedAddresses,
                                 boolean preempt, int preemptDelayS, int unicastSource, List<Integer> unicastPeers,
                                 int version, int garpMasterDelayS, int garpMasterRepeat, Notify notifyScripts,
                                 List<TrackedInterface> trackInterfaces, List<TrackedScript> trackScripts) {

    /**
     * A {@code track_interface} line: IFACE [weight W]. Weight 0 (the default): the instance is in FAULT while the
     * interface is down; otherwise a positive weight is added to the priority while it is up, a negative one while
     * it is down. The instance's own interface is always tracked, with weight 0.
     */
    public record TrackedInterface(String name, int weight) {
    }

    /** A {@code track_script} line: a vrrp_script by name, with the weight this instance gives it (or the script's). */
    public record TrackedScript(String name, Integer weight) {
    }

    /**
     * A {@code virtual_ipaddress} line: ADDRESS[/LENGTH] [dev IFACE] [label LABEL] (keepalived's default length is
     * /32; dev defaults to the instance's interface).
     */
    public record VirtualIpAddress(int address, int prefixLength, String device, String label) {
    }

    /** The notify scripts, "" where none is given. */
    public record Notify(String master, String backup, String fault, String stop, String any) {
        public static final Notify NONE = new Notify("", "", "", "", "");
    }

    /**
     * Whether {@code other} is the same virtual router, as keepalived's reload finds an instance again (vrrp_exist):
     * same interface and VRID, both multicast or both unicast, and the same unicast_src_ip. Its name and every other
     * setting may differ.
     */
    public boolean sameRouterAs(VrrpInstanceConfig other) {
        return interfaceName.equals(other.interfaceName) && virtualRouterId == other.virtualRouterId
                && unicastPeers.isEmpty() == other.unicastPeers.isEmpty() && unicastSource == other.unicastSource;
    }

    /** Whether {@code other} has the same settings, wherever it stands in the file. */
    public boolean sameSettingsAs(VrrpInstanceConfig other) {
        return equals(other.at(where));
    }

    /** This instance as if written at {@code location}. */
    public VrrpInstanceConfig at(ConfigLocation location) {
        return new VrrpInstanceConfig(location, name, wantMaster, interfaceName, virtualRouterId, priority,
                advertIntervalCentis, authPassword, virtualAddresses, excludedAddresses, preempt, preemptDelayS,
                unicastSource, unicastPeers, version, garpMasterDelayS, garpMasterRepeat, notifyScripts,
                trackInterfaces, trackScripts);
    }

    /** Every address the instance holds as master, virtual_ipaddress then virtual_ipaddress_excluded. */
    public List<VirtualIpAddress> allAddresses() {
        return java.util.stream.Stream.concat(virtualAddresses.stream(), excludedAddresses.stream()).toList();
    }
}
