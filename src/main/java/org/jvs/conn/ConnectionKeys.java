package org.jvs.conn;

import org.jvs.service.Ipv6;

/**
 * The keys of the connection table's entries and the two hash indexes over them (ip_vs_conn_hash and the
 * lookups ip_vs_conn_in_get / ip_vs_conn_out_get): the in-key (protocol, client, virtual service and whether the
 * entry is a persistence template) for client packets, and the out-key (protocol, real server, reply destination)
 * for replies of entries whose replies come back through the director. Parallel arrays over the table's ids;
 * allocates nothing after construction.
 *
 * <p>One table for both families, as IPVS's (union nf_inet_addr plus cp->af): an entry's kind says whether it is
 * IPv6, and no lookup of one family finds an entry of the other. Each address has a 32-bit word in an int array:
 * the IPv4 address itself, or for IPv6 the fold of its four words ({@link Ipv6#fold}) that IPVS's
 * ip_vs_conn_hashkey hashes it by. Both families hash and chain through those words alike, so an IPv4 lookup reads
 * exactly the arrays and compares it read before IPv6 existed (the family joins the template flag in one byte,
 * compared where the flag was; the out-key compares it last). An IPv6 entry also keeps its four full addresses,
 * each as hi and lo side by side in an array of its own (16 bytes per address, as IPVS's union nf_inet_addr), so
 * confirming an IPv6 match reads two more runs of 16 bytes, and only once the words already matched. A uniform
 * 128-bit layout (IPv4 as ::ffff:a.b.c.d) would make every IPv4 compare read 16 bytes per address and every IPv4
 * hash fold 128 bits, for nothing.
 */
final class ConnectionKeys {
    /** The entry's kind bits: a persistence template (IP_VS_CONN_F_TEMPLATE) is never found as a connection. */
    private static final byte TEMPLATE = 1;
    /** An IPv6 entry (cp->af == AF_INET6): never found by an IPv4 key, nor the reverse. */
    private static final byte IPV6 = 2;

    private final int[] protocol;
    /** The address words: IPv4 addresses, or the folds of IPv6 ones. */
    private final int[] clientAddress;
    private final int[] clientPort;
    private final int[] virtualAddress;
    private final int[] virtualPort;
    private final int[] realAddress;
    private final int[] realPort;
    /** Where the real server's replies go: the client for NAT, LIP:lport for full NAT. */
    private final int[] localAddress;
    private final int[] localPort;
    /** {@link #TEMPLATE} and {@link #IPV6} bits. */
    private final byte[] kind;
    /** An IPv6 entry's full addresses, hi at 2 * id and lo after it; unused for IPv4 entries. */
    private final long[] client6;
    private final long[] virtual6;
    private final long[] real6;
    private final long[] local6;
    private final HashChains in;
    private final HashChains out;

    ConnectionKeys(int capacity) {
        protocol = new int[capacity];
        clientAddress = new int[capacity];
        clientPort = new int[capacity];
        virtualAddress = new int[capacity];
        virtualPort = new int[capacity];
        realAddress = new int[capacity];
        realPort = new int[capacity];
        localAddress = new int[capacity];
        localPort = new int[capacity];
        kind = new byte[capacity];
        client6 = new long[2 * capacity];
        virtual6 = new long[2 * capacity];
        real6 = new long[2 * capacity];
        local6 = new long[2 * capacity];
        in = new HashChains(capacity);
        out = new HashChains(capacity);
    }

    /** Keys entry {@code id} and indexes it under its in-key; replies go to the client until told otherwise. */
    void add(int id, int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort,
             int realAddress, int realPort, boolean template) {
        this.protocol[id] = protocol;
        this.clientAddress[id] = clientAddress;
        this.clientPort[id] = clientPort;
        this.virtualAddress[id] = virtualAddress;
        this.virtualPort[id] = virtualPort;
        this.realAddress[id] = realAddress;
        this.realPort[id] = realPort;
        this.localAddress[id] = clientAddress;
        this.localPort[id] = clientPort;
        this.kind[id] = template ? TEMPLATE : 0;
        in.add(inHash(id), id);
    }

    /** As {@link #add} for an IPv6 entry: the words are the addresses' folds, the addresses kept beside them. */
    void add6(int id, int protocol, long clientHi, long clientLo, int clientPort, long virtualHi, long virtualLo,
              int virtualPort, long realHi, long realLo, int realPort, boolean template) {
        keep(client6, id, clientHi, clientLo);
        keep(virtual6, id, virtualHi, virtualLo);
        keep(real6, id, realHi, realLo);
        keep(local6, id, clientHi, clientLo);
        this.protocol[id] = protocol;
        this.clientAddress[id] = Ipv6.fold(clientHi, clientLo);
        this.clientPort[id] = clientPort;
        this.virtualAddress[id] = Ipv6.fold(virtualHi, virtualLo);
        this.virtualPort[id] = virtualPort;
        this.realAddress[id] = Ipv6.fold(realHi, realLo);
        this.realPort[id] = realPort;
        this.localAddress[id] = this.clientAddress[id];
        this.localPort[id] = clientPort;
        this.kind[id] = (byte) (IPV6 | (template ? TEMPLATE : 0));
        in.add(inHash(id), id);
    }

    /** Sets where the entry's replies go, and indexes it under that out-key when {@code indexed}. */
    void replyDestination(int id, int localAddress, int localPort, boolean indexed) {
        this.localAddress[id] = localAddress;
        this.localPort[id] = localPort;
        if (indexed) {
            out.add(outHash(id), id);
        }
    }

    /** As {@link #replyDestination} for an IPv6 entry. */
    void replyDestination6(int id, long localHi, long localLo, int localPort, boolean indexed) {
        keep(local6, id, localHi, localLo);
        replyDestination(id, Ipv6.fold(localHi, localLo), localPort, indexed);
    }

    /** Re-keys the entry under other ports; its in-key index follows. */
    void ports(int id, int virtualPort, int realPort) {
        in.remove(inHash(id), id);
        this.virtualPort[id] = virtualPort;
        this.realPort[id] = realPort;
        in.add(inHash(id), id);
    }

    /** Unindexes the entry; {@code replyIndexed} as given to {@link #replyDestination}. */
    void remove(int id, boolean replyIndexed) {
        in.remove(inHash(id), id);
        if (replyIndexed) {
            out.remove(outHash(id), id);
        }
    }

    /** The connection ({@code template} false) or template with this in-key, or {@link ConnectionTable#NONE}. */
    int findIn(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort,
               boolean template) {
        byte kind = template ? TEMPLATE : 0;
        int id = in.first(HashChains.hash(protocol, clientAddress, clientPort, virtualAddress, virtualPort));
        while (id != HashChains.END) {
            if (this.clientAddress[id] == clientAddress && this.clientPort[id] == clientPort
                    && this.virtualAddress[id] == virtualAddress && this.virtualPort[id] == virtualPort
                    && this.protocol[id] == protocol && this.kind[id] == kind) {
                return id;
            }
            id = in.next(id);
        }
        return ConnectionTable.NONE;
    }

    /** As {@link #findIn} for an IPv6 in-key. */
    int findIn6(int protocol, long clientHi, long clientLo, int clientPort, long virtualHi, long virtualLo,
                int virtualPort, boolean template) {
        byte kind = (byte) (IPV6 | (template ? TEMPLATE : 0));
        int clientAddress = Ipv6.fold(clientHi, clientLo);
        int virtualAddress = Ipv6.fold(virtualHi, virtualLo);
        int id = in.first(HashChains.hash(protocol, clientAddress, clientPort, virtualAddress, virtualPort));
        while (id != HashChains.END) {
            if (this.clientAddress[id] == clientAddress && this.clientPort[id] == clientPort
                    && this.virtualAddress[id] == virtualAddress && this.virtualPort[id] == virtualPort
                    && this.protocol[id] == protocol && this.kind[id] == kind
                    && holds(client6, id, clientHi, clientLo) && holds(virtual6, id, virtualHi, virtualLo)) {
                return id;
            }
            id = in.next(id);
        }
        return ConnectionTable.NONE;
    }

    /** The reply-indexed entry with this out-key, or {@link ConnectionTable#NONE}. */
    int findOut(int protocol, int realAddress, int realPort, int localAddress, int localPort) {
        int id = out.first(HashChains.hash(protocol, realAddress, realPort, localAddress, localPort));
        while (id != HashChains.END) {
            if (this.realAddress[id] == realAddress && this.realPort[id] == realPort
                    && this.localAddress[id] == localAddress && this.localPort[id] == localPort
                    && this.protocol[id] == protocol && this.kind[id] == 0) {
                return id;
            }
            id = out.next(id);
        }
        return ConnectionTable.NONE;
    }

    /** As {@link #findOut} for an IPv6 out-key. */
    int findOut6(int protocol, long realHi, long realLo, int realPort, long localHi, long localLo, int localPort) {
        int realAddress = Ipv6.fold(realHi, realLo);
        int localAddress = Ipv6.fold(localHi, localLo);
        int id = out.first(HashChains.hash(protocol, realAddress, realPort, localAddress, localPort));
        while (id != HashChains.END) {
            if (this.realAddress[id] == realAddress && this.realPort[id] == realPort
                    && this.localAddress[id] == localAddress && this.localPort[id] == localPort
                    && this.protocol[id] == protocol && this.kind[id] == IPV6
                    && holds(real6, id, realHi, realLo) && holds(local6, id, localHi, localLo)) {
                return id;
            }
            id = out.next(id);
        }
        return ConnectionTable.NONE;
    }

    private static void keep(long[] addresses, int id, long hi, long lo) {
        addresses[2 * id] = hi;
        addresses[2 * id + 1] = lo;
    }

    private static boolean holds(long[] addresses, int id, long hi, long lo) {
        return addresses[2 * id] == hi && addresses[2 * id + 1] == lo;
    }

    private int inHash(int id) {
        return HashChains.hash(protocol[id], clientAddress[id], clientPort[id], virtualAddress[id], virtualPort[id]);
    }

    private int outHash(int id) {
        return HashChains.hash(protocol[id], realAddress[id], realPort[id], localAddress[id], localPort[id]);
    }

    int protocol(int id) {
        return protocol[id];
    }

    int clientAddress(int id) {
        return clientAddress[id];
    }

    int clientPort(int id) {
        return clientPort[id];
    }

    int virtualAddress(int id) {
        return virtualAddress[id];
    }

    int virtualPort(int id) {
        return virtualPort[id];
    }

    int realAddress(int id) {
        return realAddress[id];
    }

    int realPort(int id) {
        return realPort[id];
    }

    int localAddress(int id) {
        return localAddress[id];
    }

    int localPort(int id) {
        return localPort[id];
    }

    boolean template(int id) {
        return (kind[id] & TEMPLATE) != 0;
    }

    boolean ipv6(int id) {
        return (kind[id] & IPV6) != 0;
    }

    /** The high long of an entry's client address; for an IPv4 entry, of its IPv4-mapped form. */
    long clientHi(int id) {
        return hi(client6, id);
    }

    long clientLo(int id) {
        return lo(client6, id, clientAddress[id]);
    }

    long virtualHi(int id) {
        return hi(virtual6, id);
    }

    long virtualLo(int id) {
        return lo(virtual6, id, virtualAddress[id]);
    }

    long realHi(int id) {
        return hi(real6, id);
    }

    long realLo(int id) {
        return lo(real6, id, realAddress[id]);
    }

    long localHi(int id) {
        return hi(local6, id);
    }

    long localLo(int id) {
        return lo(local6, id, localAddress[id]);
    }

    private long hi(long[] addresses, int id) {
        return ipv6(id) ? addresses[2 * id] : 0;
    }

    private long lo(long[] addresses, int id, int ipv4) {
        return ipv6(id) ? addresses[2 * id + 1] : Ipv6.mappedLo(ipv4);
    }
}
