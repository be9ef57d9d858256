package org.jvs.core;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceSpec;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.TunnelType;
import org.jvs.service.VirtualService;

/**
 * Which address families may meet in a service, as ip_vs_ctl.c has them: a real server of the service's family
 * for every method; of the other family only for a tunnel (IPVS's one mix: ip_vs_genl_set_cmd refuses any other
 * with EINVAL), and for JVS's NAT64, an IPv4 full-NAT real server of an IPv6 service with IPv4 local addresses (as
 * DPVS). A tunnel touching IPv6 is IPIP (IPv6 in IPv6, IPv6 in IPv4, IPv4 in IPv6): JVS's GUE and GRE encapsulate
 * IPv4 in IPv4 only. Each refusal is one line naming the
 * entry, before anything changes.
 */
final class AddressFamilies {
    private AddressFamilies() {
    }

    static void checkService(ServiceSpec spec) throws ControlException {
        IpAddress address = spec.key().address();
        int prefixLength = spec.persistenceNetmask();
        if (!address.isIpv4() && (prefixLength < 1 || prefixLength > IpAddress.Family.IPV6.bits())) {
            throw new ControlException("IPv6 persistence prefix length " + prefixLength
                    + " is out of range (expected 1..128)");
        }
    }

    static void checkRealServer(VirtualService service, RealServerSpec spec) throws ControlException {
        IpAddress address = spec.address();
        IpAddress.Family serviceFamily = service.ipv6() ? IpAddress.Family.IPV6 : IpAddress.Family.IPV4;
        boolean mixed = address.family() != serviceFamily;
        boolean nat64 = service.ipv6() && address.isIpv4() && spec.method() == ForwardingMethod.FULLNAT;
        if (mixed && spec.method() != ForwardingMethod.TUNNEL && !nat64) {
            throw ControlException.mixedFamilies(address.withPort(spec.port()), address.family(), "real server",
                    serviceFamily, service.ipv6() ? "tunnels, -i, and full NAT's NAT64, -b," : "tunnels, -i,");
        }
        if ((service.ipv6() || !address.isIpv4()) && spec.method() == ForwardingMethod.TUNNEL
                && spec.tunnel().type() != TunnelType.IPIP) {
            throw new ControlException(address.withPort(spec.port()) + ": " + spec.tunnel().type().ipvsadmName()
                    + " tunnels carry IPv4 in IPv4 only (an IPv6 service or real server tunnels with ipip)");
        }
    }

    static void checkLocalAddress(VirtualService service, IpAddress address) throws ControlException {
        if (!service.ipv6() && !address.isIpv4()) {
            throw ControlException.mixedFamilies(address.toString(), address.family(), "local address",
                    IpAddress.Family.IPV4, "IPv6 services, whose IPv4 local addresses serve NAT64,");
        }
    }
}
