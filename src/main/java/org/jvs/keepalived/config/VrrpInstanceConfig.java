package org.jvs.keepalived.config;

import java.util.List;
import java.util.Objects;

import org.jvs.api.IpAddress;

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
 * @param unicastSource         {@code unicast_src_ip}, null for the interface's address (IPv4: its primary one;
 *                              IPv6: its link-local one)
 * @param unicastPeers          {@code unicast_peer}: adverts go to each instead of 224.0.0.18 (ff02::12)
 * @param version               {@code version}, else global_defs {@code vrrp_version}, else 2; always 3 for IPv6
 * @param garpMasterDelayS      {@code garp_master_delay}: a second round of gratuitous ARPs that many seconds after
 *                              becoming master (default 5; 0 none)
 * @param garpMasterRepeat      {@code garp_master_repeat}: gratuitous ARPs per address per round (default 5)
 * @param trackScripts          {@code track_script}: the vrrp_scripts whose state moves this instance's priority
 * @param family                the instance's address family, as keepalived deduces it: that of the first of
 *                              unicast_src_ip, unicast_peer and virtual_ipaddress given (IPv4 if none). Its adverts
 *                              travel over it and carry its virtual_ipaddress; virtual_ipaddress_excluded may hold
 *                              either family
 */
public record VrrpInstanceConfig(ConfigLocation where, String name, boolean wantMaster, String interfaceName,
                                 int virtualRouterId, int priority, int advertIntervalCentis, String authPassword,
                                 List<VirtualIpAddress> virtualAddresses, List<VirtualIpAddress> excludedAddresses,
                                 boolean preempt, int preemptDelayS, IpAddress unicastSource,
                                 List<IpAddress> unicastPeers, int version, int garpMasterDelayS,
                                 int garpMasterRepeat, Notify notifyScripts, List<TrackedInterface> trackInterfaces,
                                 List<TrackedScript> trackScripts, IpAddress.Family family) {

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
     * /32 for IPv4 and /128 for IPv6; dev defaults to the instance's interface).
     */
    public record VirtualIpAddress(IpAddress address, int prefixLength, String device, String label) {
        /** An IPv4 address. */
        public VirtualIpAddress(int address, int prefixLength, String device, String label) {
            this(IpAddress.ofIpv4(address), prefixLength, device, label);
        }
    }

    /** The notify scripts, "" where none is given. */
    public record Notify(String master, String backup, String fault, String stop, String any) {
        public static final Notify NONE = new Notify("", "", "", "", "");
    }

    /**
     * Whether {@code other} is the same virtual router, as keepalived's reload finds an instance again (vrrp_exist):
     * same interface, VRID and family, both multicast or both unicast, and the same unicast_src_ip. Its name and every other
     * setting may differ.
     */
    public boolean sameRouterAs(VrrpInstanceConfig other) {
        return interfaceName.equals(other.interfaceName) && virtualRouterId == other.virtualRouterId
                && unicastPeers.isEmpty() == other.unicastPeers.isEmpty()
                && Objects.equals(unicastSource, other.unicastSource) && family == other.family;
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
                trackInterfaces, trackScripts, family);
    }

    /** Every address the instance holds as master, virtual_ipaddress then virtual_ipaddress_excluded. */
    public List<VirtualIpAddress> allAddresses() {
        return java.util.stream.Stream.concat(virtualAddresses.stream(), excludedAddresses.stream()).toList();
    }

    /** Whether the instance speaks VRRP over IPv6 (VRRPv3 to ff02::12). */
    public boolean ipv6() {
        return family == IpAddress.Family.IPV6;
    }
}
