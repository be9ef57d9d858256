package org.jvs.api;

import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;

/**
 * A real server as -a/-e describe it: -r RIP[:PORT] -g|-i|-m -w WEIGHT -x UPPER -y LOWER, and for -i the tunnel
 * options (--tun-type, --tun-port, --tun-nocsum|--tun-csum|--tun-remcsum).
 */
public record RealServerSpec(IpAddress address, int port, ForwardingMethod method, int weight, int upperThreshold,
                             int lowerThreshold, Tunnel tunnel) {

    public RealServerSpec {
        if (address == null || tunnel == null) {
            throw new IllegalArgumentException("address and tunnel are required (Tunnel.IPIP when none is given)");
        }
    }

    /** An IPv4 server. */
    public RealServerSpec(int address, int port, ForwardingMethod method, int weight, int upperThreshold,
                          int lowerThreshold, Tunnel tunnel) {
        this(IpAddress.ofIpv4(address), port, method, weight, upperThreshold, lowerThreshold, tunnel);
    }

    /** A server without tunnel options: an -i server tunnels with IPIP. */
    public RealServerSpec(IpAddress address, int port, ForwardingMethod method, int weight, int upperThreshold,
                          int lowerThreshold) {
        this(address, port, method, weight, upperThreshold, lowerThreshold, Tunnel.IPIP);
    }

    /** An IPv4 server without tunnel options. */
    public RealServerSpec(int address, int port, ForwardingMethod method, int weight, int upperThreshold,
                          int lowerThreshold) {
        this(IpAddress.ofIpv4(address), port, method, weight, upperThreshold, lowerThreshold, Tunnel.IPIP);
    }
}
