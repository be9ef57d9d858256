package org.jvs.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.ReturnPath;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.linux.RealServerHelper;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelType;

/**
 * One cell of the end-to-end matrix: a lab named {@code name} (the {@code jvst-<name>-*} namespaces, so unique per
 * cell) whose real servers are prepared for {@code method} (for TUN, to decapsulate {@code tunnel}), in one address
 * family, with the VIP placed one way, and a director started with {@code directorArgs}. Its {@link #toString()} is the
 * test's display name.
 */
record LabCell(String name, ForwardingMethod method, Tunnel tunnel, AddressFamily family, VipPlacement placement,
               List<String> directorArgs) {

    LabCell {
        if (tunnel.type() != TunnelType.IPIP && method != ForwardingMethod.TUNNEL) {
            throw new IllegalArgumentException("cell " + name + ": a " + tunnel.type().ipvsadmName()
                    + " tunnel is only for TUN");
        }
        directorArgs = List.copyOf(directorArgs);
    }

    /** A cell whose TUN real servers, if any, take IPIP, ipvsadm's default tunnel. */
    LabCell(String name, ForwardingMethod method, AddressFamily family, VipPlacement placement,
            List<String> directorArgs) {
        this(name, method, Tunnel.IPIP, family, placement, directorArgs);
    }

    /** This TUN cell with its real servers tunnelled to over {@code tunnel} instead. */
    LabCell withTunnel(Tunnel tunnel) {
        return new LabCell(name, method, tunnel, family, placement, directorArgs);
    }

    /**
     * What {@code -a} and {@code -e} give after the real server: the method's flag and, for GUE or GRE, the tunnel
     * ({@code -i --tun-type gue --tun-port 6080 --tun-remcsum}); IPIP, ipvsadm's default, is plain {@code -i}.
     */
    List<String> realServerOptions() {
        List<String> options = new ArrayList<>(List.of(method.flag()));
        if (tunnel.type() != TunnelType.IPIP) {
            options.addAll(List.of("--tun-type", tunnel.type().ipvsadmName()));
            if (tunnel.type() == TunnelType.GUE) {
                options.addAll(List.of("--tun-port", String.valueOf(tunnel.port())));
            }
            options.add("--tun-" + tunnel.checksum().keyword());
        }
        return options;
    }

    /** The TUN device a TUN cell's {@code ./jvs realserver} writes the decapsulated packets to ({@code jvsgue0}). */
    String tunDevice() {
        return RealServerHelper.tunName(tunnel.type());
    }

    /** Whether the director runs with --fast-path: the kernel forwards established connections. */
    boolean fastPath() {
        return directorArgs.contains("--fast-path");
    }

    /** Where the real servers send replies: through the director for NAT, straight to the client for DR and TUN. */
    ReturnPath returnPath() {
        return switch (method) {
            case MASQ -> ReturnPath.VIA_DIRECTOR;
            case ROUTE, TUNNEL -> ReturnPath.DIRECT;
            case FULLNAT -> ReturnPath.NONE;
        };
    }

    /** "NAT, IPv4, VIP on director lo", "DR, IPv4, VIP answered by ARP", "TUN over GUE, IPv4, VIP on director lo". */
    @Override
    public String toString() {
        String methodName = switch (method) {
            case MASQ -> "NAT";
            case ROUTE -> "DR";
            case TUNNEL -> tunnel.type() == TunnelType.IPIP ? "TUN"
                    : "TUN over " + tunnel.type().ipvsadmName().toUpperCase(Locale.ROOT);
            case FULLNAT -> "full NAT";
        };
        String vip = switch (placement) {
            case DIRECTOR_LO -> "VIP on director lo";
            case ARP_ONLY -> "VIP answered by " + family.neighbourProtocol();
        };
        return methodName + ", " + family + ", " + vip + (fastPath() ? ", kernel fast path" : "");
    }
}
