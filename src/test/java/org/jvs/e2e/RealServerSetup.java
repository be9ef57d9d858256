package org.jvs.e2e;

import java.time.Duration;

import org.jvs.service.ForwardingMethod;

/**
 * Gets the real servers ready for a forwarding method with {@code ./jvs realserver}: nothing for NAT and full NAT
 * (replies come back through the director, which translates them); for DR the
 * helper configures the VIP and ARP sysctls and exits; for TUN it stays in the foreground decapsulating IPIP.
 */
final class RealServerSetup {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private RealServerSetup() {
    }

    static void prepare(LvsLab lvs, ForwardingMethod method) {
        if (method.translatesReplies()) {
            return;
        }
        Launchers.ensureBuilt();
        for (int i = 0; i < lvs.realServers.size(); i++) {
            String rs = lvs.realServers.get(i);
            if (method == ForwardingMethod.ROUTE) {
                lvs.lab.check(rs, Launchers.JVS, "realserver", "--vip", LvsLab.VIP, "--mode", "dr");
            } else {
                Background helper = lvs.lab.spawn(rs, LvsLab.NAMES.get(i) + "-tun", Launchers.JVS, "realserver",
                        "--vip", LvsLab.VIP, "--mode", "tun");
                awaitVipOnLo(lvs.lab, rs, helper);
            }
        }
    }

    private static void awaitVipOnLo(Lab lab, String rs, Background helper) {
        long deadlineNs = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadlineNs) {
            if (!helper.alive()) {
                throw new IllegalStateException("./jvs realserver --mode tun in " + rs + " exited: " + helper.tail(10));
            }
            if (lab.run(rs, "ip", "-o", "addr", "show", "dev", "lo").stdout().contains(" " + LvsLab.VIP + "/")) {
                return;
            }
            Background.sleep(200);
        }
        throw new IllegalStateException("./jvs realserver --mode tun in " + rs + " did not put the VIP on lo within "
                + READY_TIMEOUT + ": " + helper.tail(10));
    }
}
