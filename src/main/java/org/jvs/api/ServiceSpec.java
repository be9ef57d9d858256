package org.jvs.api;

/**
 * A virtual service as -A/-E describe it. On -E, ipvsadm sends the whole definition again, with the defaults
 * for options left out (scheduler wlc, no persistence, no -o), and so does this record.
 *
 * @param scheduler          ipvsadm scheduler name (-s), e.g. "wlc"
 * @param schedulerFlags     -b flags as typed, "" for none
 * @param persistenceTimeoutS -p seconds, 0 when not persistent
 * @param persistenceNetmask -M: for an IPv4 service an int mask, -1 (255.255.255.255) by default; for an IPv6 one a
 *                           prefix length 1..128, 128 by default (the kernel's one netmask field holds either)
 * @param onePacket          -o (IP_VS_SVC_F_ONEPACKET): every UDP datagram is scheduled on its own
 * @param proxyProtocol      PROXY protocol version (1 or 2) prepended to each TCP connection towards NAT and
 *                           full-NAT real servers so they learn the client's address; 0 for none
 */
public record ServiceSpec(ServiceKey key, String scheduler, String schedulerFlags, int persistenceTimeoutS,
                          int persistenceNetmask, boolean onePacket, int proxyProtocol) {

    public static final int PROXY_PROTOCOL_NONE = 0;

    /** A service without a PROXY protocol header. */
    public ServiceSpec(ServiceKey key, String scheduler, String schedulerFlags, int persistenceTimeoutS,
                       int persistenceNetmask, boolean onePacket) {
        this(key, scheduler, schedulerFlags, persistenceTimeoutS, persistenceNetmask, onePacket, PROXY_PROTOCOL_NONE);
    }

    /** A service without -o. */
    public ServiceSpec(ServiceKey key, String scheduler, String schedulerFlags, int persistenceTimeoutS,
                       int persistenceNetmask) {
        this(key, scheduler, schedulerFlags, persistenceTimeoutS, persistenceNetmask, false);
    }
}
