package org.jvs.e2e;

import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/** TUN (-i) with the VIP on the director's lo: real servers answer the client directly over the return segment. */
class TunE2eTest extends FullForwardingCases {
    @Override
    String labName() {
        return "tun";
    }

    @Override
    ForwardingMethod method() {
        return ForwardingMethod.TUNNEL;
    }

    @Override
    VipPlacement placement() {
        return VipPlacement.DIRECTOR_LO;
    }
}
