package org.jvs.api;

import java.util.List;

/**
 * The one public API through which the control plane (jvsadm, --restore, later keepalived config and health
 * checks) drives a director. Every call is applied atomically on the data-plane thread and returns once done.
 * Refusals throw {@link ControlException} with ipvsadm's message for the same case and change nothing.
 * Addresses are IPv4 or IPv6 ({@link IpAddress}); a director that cannot forward a family refuses it the same way.
 */
public interface DirectorControl {

    void addService(ServiceSpec spec) throws ControlException;

    void editService(ServiceSpec spec) throws ControlException;

    void deleteService(ServiceKey key) throws ControlException;

    /** ipvsadm -C: removes every virtual service. */
    void clear() throws ControlException;

    void addRealServer(ServiceKey service, RealServerSpec spec) throws ControlException;

    void editRealServer(ServiceKey service, RealServerSpec spec) throws ControlException;

    void deleteRealServer(ServiceKey service, IpAddress address, int port) throws ControlException;

    /** An IPv4 real server. */
    default void deleteRealServer(ServiceKey service, int address, int port) throws ControlException {
        deleteRealServer(service, IpAddress.ofIpv4(address), port);
    }

    /**
     * DPVS's --add-laddr (-P): a local address full-NAT connections of this service take as their source.
     * Refused when the service is unknown or the address is already there.
     */
    void addLocalAddress(ServiceKey service, LocalAddressSpec spec) throws ControlException;

    /** DPVS's --del-laddr (-Q); refused when the service or the address is unknown. */
    void deleteLocalAddress(ServiceKey service, IpAddress address) throws ControlException;

    /** An IPv4 local address. */
    default void deleteLocalAddress(ServiceKey service, int address) throws ControlException {
        deleteLocalAddress(service, IpAddress.ofIpv4(address));
    }

    /** ipvsadm -Z: zeroes the counters of one service, or of all when {@code service} is null. */
    void zero(ServiceKey service) throws ControlException;

    /** ipvsadm --set: a 0 field leaves that timeout unchanged. */
    void setTimeouts(TimeoutsSpec timeouts) throws ControlException;

    TimeoutsSpec timeouts() throws ControlException;

    /**
     * A JVS extension: sets one of IPVS's sysctls the director implements, by its /proc/sys/net/ipv4/vs name
     * ("expire_nodest_conn", "expire_quiescent_template"); as there, non-zero is on. Unknown names are refused.
     */
    void setSetting(String name, int value) throws ControlException;

    /**
     * A JVS extension for VRRP: with {@code standby} this director is a backup for {@code address}, held by the
     * master of its VRRP instance, so it neither answers ARP for it nor serves its virtual services (their packets
     * are left to the kernel, as IPVS leaves packets to a VIP the host does not hold); without, it serves them again.
     * Every address starts served. IPv4 or IPv6 (an IPv6 VIP on standby is answered no Neighbour Discovery).
     */
    default void standby(IpAddress address, boolean standby) throws ControlException {
        throw new ControlException("VRRP standby is not supported by this director");
    }

    /** An IPv4 address. */
    default void standby(int address, boolean standby) throws ControlException {
        standby(IpAddress.ofIpv4(address), standby);
    }

    /** Services in the order they were added, or only {@code service} when not null (refused if unknown). */
    List<ServiceSnapshot> services(ServiceKey service) throws ControlException;

    List<ConnectionSnapshot> connections() throws ControlException;
}
