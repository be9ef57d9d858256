package org.jvs.api;

import org.jvs.service.Protocol;

/** Identifies a virtual service as ipvsadm does: -t|-u VIP:PORT, the VIP IPv4 or IPv6 ([VIP]:PORT). */
public record ServiceKey(int protocol, IpAddress address, int port) {

    /** An IPv4 service. */
    public ServiceKey(int protocol, int address, int port) {
        this(protocol, IpAddress.ofIpv4(address), port);
    }

    @Override
    public String toString() {
        return Protocol.name(protocol) + " " + address.withPort(port);
    }
}
