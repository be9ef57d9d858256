package org.jvs.sync;

/**
 * One IPv6 connection entry of an IPVS synchronisation message, version 1 ({@code struct ip_vs_sync_v6} in the
 * kernel's net/netfilter/ipvs/ip_vs_sync.c: the IPv4 entry's fixed part with the type's STYPE_F_INET6 bit, then the
 * client, virtual and destination addresses as 16 bytes each). Each address is two longs, its first eight bytes
 * the high one; the other fields are as in {@link SyncConnection}, whose F_ flags these flags are.
 * <p>
 * A NAT64 connection (an IPv6 service's IPv4 real server, reached by full NAT from an IPv4 local address) is an IPv6
 * entry whose destination is the real server's IPv4-mapped address (::ffff:a.b.c.d) and whose JVS option holds the
 * IPv4-mapped local address, as JVS's table holds it. IPVS has no such entry: a kernel backup skips the option and,
 * finding no IPv6 destination of that address, enters a masquerading entry with no real server towards ::ffff:a.b.c.d,
 * which the kernel never puts on the wire (as it enters a full-NAT IPv4 entry as plain masquerading).
 *
 * @param sequence the IPVS_OPT_SEQ_DATA option, or null when the entry carries none
 * @param director JVS's own option in its IPv6 form, or null
 */
public record SyncConnection6(int protocol, int flags, int state,
                              long clientHi, long clientLo, int clientPort,
                              long virtualHi, long virtualLo, int virtualPort,
                              long destinationHi, long destinationLo, int destinationPort,
                              int fwmark, int timeoutSeconds, SyncConnection.SequenceOptions sequence,
                              DirectorState director) {
    /**
     * What JVS adds to an IPv6 entry: option {@code 0x40 | 16} as on an IPv4 entry ({@link SyncConnection.DirectorState}),
     * 24 bytes long, told from the IPv4 form by its length:
     * <pre>
     *  0      16          18              19         20
     *  | LIP (16 bytes) | lport (be16) | PROXY version | 0 | client ISN (be32) |
     * </pre>
     * The local address and port a full-NAT connection's replies come to (an IPv6 LIP, or for NAT64 an IPv4 one
     * IPv4-mapped; all zero for other methods), and the PROXY protocol version (0: none) with the client's SYN
     * sequence number. IPVS_OPT_F_PARAM is set: a kernel backup skips it.
     */
    public record DirectorState(long localHi, long localLo, int localPort, int proxyVersion, int clientIsn) {
        public DirectorState {
            SyncConnection.checkRange("localPort", localPort, 0xFFFF);
            SyncConnection.checkRange("proxyVersion", proxyVersion, 0xFF);
        }

        /** Whether it names a local address (a full-NAT or NAT64 connection's). */
        public boolean hasLocalAddress() {
            return localHi != 0 || localLo != 0;
        }
    }

    /** An entry as IPVS itself syncs it, without JVS's option. */
    public SyncConnection6(int protocol, int flags, int state, long clientHi, long clientLo, int clientPort,
                           long virtualHi, long virtualLo, int virtualPort, long destinationHi, long destinationLo,
                           int destinationPort, int fwmark, int timeoutSeconds,
                           SyncConnection.SequenceOptions sequence) {
        this(protocol, flags, state, clientHi, clientLo, clientPort, virtualHi, virtualLo, virtualPort, destinationHi,
                destinationLo, destinationPort, fwmark, timeoutSeconds, sequence, null);
    }

    public SyncConnection6 {
        SyncConnection.checkRange("protocol", protocol, 0xFF);
        SyncConnection.checkRange("state", state, 0xFFFF);
        SyncConnection.checkRange("clientPort", clientPort, 0xFFFF);
        SyncConnection.checkRange("virtualPort", virtualPort, 0xFFFF);
        SyncConnection.checkRange("destinationPort", destinationPort, 0xFFFF);
    }

    public boolean isTemplate() {
        return (flags & SyncConnection.F_TEMPLATE) != 0;
    }

    public SyncConnection6 withDirectorState(DirectorState newState) {
        return new SyncConnection6(protocol, flags, state, clientHi, clientLo, clientPort, virtualHi, virtualLo,
                virtualPort, destinationHi, destinationLo, destinationPort, fwmark, timeoutSeconds, sequence,
                newState);
    }
}
