package org.jvs.api;

/**
 * One connection entry as {@code ipvsadm -L -c} shows it.
 *
 * @param state       IPVS state name (ESTABLISHED, SYN_RECV, ... ; UDP for UDP entries)
 * @param expiresInMs time until the entry expires
 */
public record ConnectionSnapshot(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort,
                                 int realAddress, int realPort, String state, long expiresInMs) {
}
