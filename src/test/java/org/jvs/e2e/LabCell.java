package org.jvs.e2e;

import java.util.List;

import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.ReturnPath;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/**
 * One cell of the end-to-end matrix: a lab named {@code name} (the {@code jvst-<name>-*} namespaces, so unique per
 * cell) whose real servers are prepared for {@code method}, in one address family, with the VIP placed one way, and a
 * director started with {@code directorArgs}. Its {@link #toString()} is the test's display name.
 */
record LabCell(String name, ForwardingMethod method, AddressFamily family, VipPlacement placement,
               List<String> directorArgs) {

    LabCell {
        directorArgs = List.copyOf(directorArgs);
    }

    /** Where the real servers send replies: through the director for NAT, straight to the client for DR and TUN. */
    ReturnPath returnPath() {
        return switch (method) {
            case MASQ -> ReturnPath.VIA_DIRECTOR;
            case ROUTE, TUNNEL -> ReturnPath.DIRECT;
            case FULLNAT -> ReturnPath.NONE;
        };
    }

    /** "NAT, IPv4, VIP on director lo", "DR, IPv4, VIP answered by ARP". */
    @Override
    public String toString() {
        String methodName = switch (method) {
            case MASQ -> "NAT";
            case ROUTE -> "DR";
            case TUNNEL -> "TUN";
            case FULLNAT -> "full NAT";
        };
        String vip = switch (placement) {
            case DIRECTOR_LO -> "VIP on director lo";
            case ARP_ONLY -> "VIP answered by " + family.neighbourProtocol();
        };
        return methodName + ", " + family + ", " + vip;
    }
}
