package org.jvs.e2e;

import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/** NAT (-m) with the VIP nowhere on the director (ip_forward=0): the client finds the VIP by ARP, which JVS answers. */
class NatVipByArpE2eTest extends ForwardingCases {
    @Override
    String labName() {
        return "natarp";
    }

    @Override
    ForwardingMethod method() {
        return ForwardingMethod.MASQ;
    }

    @Override
    VipPlacement placement() {
        return VipPlacement.ARP_ONLY;
    }
}
