package org.jvs.api;

/**
 * A virtual service as -A/-E describe it. On -E, ipvsadm sends the whole definition again, with the defaults
 * for options left out (scheduler wlc, no persistence), and so does this record.
 *
 * @param scheduler          ipvsadm scheduler name (-s), e.g. "wlc"
 * @param schedulerFlags     -b flags as typed, "" for none
 * @param persistenceTimeoutS -p seconds, 0 when not persistent
 * @param persistenceNetmask -M as an int mask, -1 (255.255.255.255) by default
 */
public record ServiceSpec(ServiceKey key, String scheduler, String schedulerFlags, int persistenceTimeoutS,
                          int persistenceNetmask) {
}
