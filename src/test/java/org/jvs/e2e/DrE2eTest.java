package org.jvs.e2e;

import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/** DR (-g) with the VIP on the director's lo: real servers answer the client directly over the return segment. */
class DrE2eTest extends FullForwardingCases {
    @Override
    String labName() {
        return "dr";
    }

    @Override
    ForwardingMethod method() {
        return ForwardingMethod.ROUTE;
    }

    @Override
    VipPlacement placement() {
        return VipPlacement.DIRECTOR_LO;
    }
}
