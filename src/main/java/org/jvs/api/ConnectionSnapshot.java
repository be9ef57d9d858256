package org.jvs.api;

/**
 * One connection entry as {@code ipvsadm -L -c} shows it.
 *
 * @param state       IPVS state name (ESTABLISHED, SYN_RECV, ... ; UDP for UDP entries; NONE for templates)
 * @param expiresInMs time until the entry expires
 * @param template    a persistence template (client network, client port 0) rather than a connection
 */
public record ConnectionSnapshot(int protocol, IpAddress clientAddress, int clientPort, IpAddress virtualAddress,
                                 int virtualPort, IpAddress realAddress, int realPort, String state, long expiresInMs,
                                 boolean template) {

    /** An IPv4 entry. */
    public ConnectionSnapshot(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort,
                              int realAddress, int realPort, String state, long expiresInMs, boolean template) {
        this(protocol, IpAddress.ofIpv4(clientAddress), clientPort, IpAddress.ofIpv4(virtualAddress), virtualPort,
                IpAddress.ofIpv4(realAddress), realPort, state, expiresInMs, template);
    }

    /** An IPv4 connection entry, not a template. */
    public ConnectionSnapshot(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort,
                              int realAddress, int realPort, String state, long expiresInMs) {
        this(protocol, clientAddress, clientPort, virtualAddress, virtualPort, realAddress, realPort, state,
                expiresInMs, false);
    }
}
