package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/** NAT (-m) with the VIP on the director's lo: replies return through the director, which rewrites them. */
class NatE2eTest extends FullForwardingCases {
    @Override
    String labName() {
        return "nat";
    }

    @Override
    ForwardingMethod method() {
        return ForwardingMethod.MASQ;
    }

    @Override
    VipPlacement placement() {
        return VipPlacement.DIRECTOR_LO;
    }

    @Test
    void shouldMapVirtualPortToRealServerPort() {
        addService("-t", LvsLab.HTTP_PORT, "rr", LvsLab.MAPPED_HTTP_PORT, 1, 1, 1);
        Map<String, Integer> counts = client.httpCounts(VIP, LvsLab.HTTP_PORT, 6);
        assertEquals(Map.of("rs1:8080", 2, "rs2:8080", 2, "rs3:8080", 2), counts,
                "VIP:80 -> RIP:8080; director log: " + director.log());
    }
}
