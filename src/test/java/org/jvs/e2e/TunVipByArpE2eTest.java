package org.jvs.e2e;

import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/** TUN (-i) with the VIP nowhere on the director (ip_forward=0): the client finds the VIP by ARP, which JVS answers. */
class TunVipByArpE2eTest extends ForwardingCases {
    @Override
    String labName() {
        return "tunarp";
    }

    @Override
    ForwardingMethod method() {
        return ForwardingMethod.TUNNEL;
    }

    @Override
    VipPlacement placement() {
        return VipPlacement.ARP_ONLY;
    }
}
