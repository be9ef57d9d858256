package org.jvs.api;

import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

/** Identifies a virtual service as ipvsadm does: -t|-u VIP:PORT. */
public record ServiceKey(int protocol, int address, int port) {
    @Override
    public String toString() {
        return Protocol.name(protocol) + " " + Ipv4.toString(address) + ":" + port;
    }
}
