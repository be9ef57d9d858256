package org.jvs.sched;

import org.jvs.service.RealServer;

/** Which real servers may take a new connection, as every IPVS scheduler decides it. */
final class Eligibility {
    private Eligibility() {
    }

    /** Not quiesced (weight 0), not overloaded (IP_VS_DEST_F_OVERLOAD) and still part of its service. */
    static boolean schedulable(RealServer server) {
        return server.weight() > 0 && !server.overloaded() && server.available();
    }
}
