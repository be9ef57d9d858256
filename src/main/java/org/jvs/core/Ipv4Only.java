package org.jvs.core;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.ServiceKey;

/**
 * Where the control plane's addresses (IPv4 or IPv6) meet the data plane's (IPv4 ints): an IPv4 address passes as
 * its int, an IPv6 service, real server or local address is refused with one line naming it, before anything
 * changes, until the data path forwards IPv6.
 */
final class Ipv4Only {
    private Ipv4Only() {
    }

    static int service(ServiceKey key) throws ControlException {
        return ipv4(key.address(), key.address().withPort(key.port()), "virtual services");
    }

    static int realServer(IpAddress address, int port) throws ControlException {
        return ipv4(address, address.withPort(port), "real servers");
    }

    static int localAddress(IpAddress address) throws ControlException {
        return ipv4(address, address.toString(), "local addresses");
    }

    private static int ipv4(IpAddress address, String named, String what) throws ControlException {
        if (!address.isIpv4()) {
            throw ControlException.familyNotForwarded(named, address.family(), what, IpAddress.Family.IPV4);
        }
        return address.ipv4();
    }
}
