package org.jvs.keepalived.config;

import java.util.List;

import org.jvs.api.IpAddress;
import org.jvs.check.CheckSpec;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;

/**
 * One real_server block (or a sorry_server line, which has no checkers).
 *
 * @param method           the virtual server's lb_kind unless the real server sets its own
 * @param weight           weight (keepalived's default: 1)
 * @param upperThreshold   uthreshold, 0 for none
 * @param lowerThreshold   lthreshold, 0 for none
 * @param inhibitOnFailure inhibit_on_failure: a failed server stays with weight 0 instead of being removed
 * @param alpha            alpha: its checkers start failed until they pass; the real server's own alpha, else
 *                         the virtual server's (check_data.c validate_check_config); false for a sorry server
 * @param notifyUp         notify_up command, "" for none
 * @param notifyDown       notify_down command, "" for none
 * @param checkers         in file order
 * @param tunnel           the tunnel options of its lvs_method TUN line (or the virtual server's), IPIP when none
 */
public record RealServerConfig(ConfigLocation where, IpAddress address, int port, ForwardingMethod method, int weight,
                               int upperThreshold, int lowerThreshold, boolean inhibitOnFailure, boolean alpha,
                               String notifyUp, String notifyDown, List<CheckSpec> checkers, Tunnel tunnel) {

    /** A real server without tunnel options (a TUN one tunnels with IPIP). */
    public RealServerConfig(ConfigLocation where, IpAddress address, int port, ForwardingMethod method, int weight,
                            int upperThreshold, int lowerThreshold, boolean inhibitOnFailure, boolean alpha,
                            String notifyUp, String notifyDown, List<CheckSpec> checkers) {
        this(where, address, port, method, weight, upperThreshold, lowerThreshold, inhibitOnFailure, alpha, notifyUp,
                notifyDown, checkers, Tunnel.IPIP);
    }
}
