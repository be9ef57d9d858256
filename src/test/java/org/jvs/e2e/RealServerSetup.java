package org.jvs.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;

/**
 * Gets the real servers ready for a cell's forwarding method with {@code ./jvs realserver}: nothing for NAT and full
 * NAT (replies come back through the director, which translates them); for DR the helper configures the VIP and ARP
 * sysctls and exits; for TUN it stays in the foreground decapsulating the cell's tunnel (IPIP, or with
 * {@code --tun-type gue --tun-port N} or {@code --tun-type gre} the others, which this kernel has no driver for).
 */
final class RealServerSetup {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private RealServerSetup() {
    }

    static void prepare(LvsLab lvs, LabCell cell) {
        if (cell.method().translatesReplies()) {
            return;
        }
        Launchers.ensureBuilt();
        for (int i = 0; i < lvs.realServers.size(); i++) {
            String rs = lvs.realServers.get(i);
            if (cell.method() == ForwardingMethod.ROUTE) {
                lvs.lab.check(rs, Launchers.JVS, "realserver", "--vip", lvs.vip, "--mode", "dr");
            } else {
                List<String> command = new ArrayList<>(List.of(Launchers.JVS, "realserver", "--vip", lvs.vip,
                        "--mode", "tun"));
                command.addAll(tunnelOptions(cell.tunnel()));
                Background helper = lvs.lab.spawn(rs, LvsLab.NAMES.get(i) + "-tun", command.toArray(String[]::new));
                awaitDecapsulating(lvs.lab, rs, lvs.vip, cell.tunDevice(), helper);
            }
        }
    }

    /** The helper's options for the tunnel: none for IPIP, its default; the type, and for GUE the port, otherwise. */
    private static List<String> tunnelOptions(Tunnel tunnel) {
        return switch (tunnel.type()) {
            case IPIP -> List.of();
            case GUE -> List.of("--tun-type", "gue", "--tun-port", String.valueOf(tunnel.port()));
            case GRE -> List.of("--tun-type", "gre");
        };
    }

    /**
     * Until the VIP is on lo and the TUN device exists: the helper opens its tunnel socket before the device, so from
     * then on the director's packets are taken, not answered "unreachable" by the kernel.
     */
    private static void awaitDecapsulating(Lab lab, String rs, String vip, String tunDevice, Background helper) {
        long deadlineNs = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadlineNs) {
            if (!helper.alive()) {
                throw new IllegalStateException("./jvs realserver --mode tun in " + rs + " exited: " + helper.tail(10));
            }
            if (lab.run(rs, "ip", "-o", "addr", "show", "dev", "lo").stdout().contains(" " + vip + "/")
                    && lab.run(rs, "ip", "-o", "link", "show", tunDevice).ok()) {
                return;
            }
            Background.sleep(200);
        }
        throw new IllegalStateException("./jvs realserver --mode tun in " + rs + " did not put the VIP on lo and open "
                + tunDevice + " within " + READY_TIMEOUT + ": " + helper.tail(10));
    }
}
