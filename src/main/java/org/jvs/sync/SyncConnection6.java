package org.jvs.sync;

/**
 * One IPv6 connection entry of an IPVS synchronisation message, version 1 ({@code struct ip_vs_sync_v6} in the
 * kernel's net/netfilter/ipvs/ip_vs_sync.c: the IPv4 entry's fixed part with the type's STYPE_F_INET6 bit, then the
 * client, virtual and destination addresses as 16 bytes each). Each address is two longs, its first eight bytes
 * the high one; the other fields are as in {@link SyncConnection}, whose F_ flags these flags are.
 *
 * @param sequence the IPVS_OPT_SEQ_DATA option, or null when the entry carries none
 */
public record SyncConnection6(int protocol, int flags, int state,
                              long clientHi, long clientLo, int clientPort,
                              long virtualHi, long virtualLo, int virtualPort,
                              long destinationHi, long destinationLo, int destinationPort,
                              int fwmark, int timeoutSeconds, SyncConnection.SequenceOptions sequence) {
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
}
