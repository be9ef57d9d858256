package org.jvs.api;

import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;

/**
 * A real server as -a/-e describe it: -r RIP[:PORT] -g|-i|-m -w WEIGHT -x UPPER -y LOWER, and for -i the tunnel
 * options (--tun-type, --tun-port, --tun-nocsum|--tun-csum|--tun-remcsum).
 */
public record RealServerSpec(int address, int port, ForwardingMethod method, int weight, int upperThreshold,
                             int lowerThreshold, Tunnel tunnel) {

    public RealServerSpec {
        if (tunnel == null) {
            throw new IllegalArgumentException("tunnel is required (Tunnel.IPIP when none is given)");
        }
    }

    /** A server without tunnel options: an -i server tunnels with IPIP. */
    public RealServerSpec(int address, int port, ForwardingMethod method, int weight, int upperThreshold,
                          int lowerThreshold) {
        this(address, port, method, weight, upperThreshold, lowerThreshold, Tunnel.IPIP);
    }
}
