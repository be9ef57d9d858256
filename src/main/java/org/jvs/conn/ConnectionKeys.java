package org.jvs.conn;

/**
 * The keys of the connection table's entries and the two hash indexes over them (ip_vs_conn_hash and the
 * lookups ip_vs_conn_in_get / ip_vs_conn_out_get): the in-key (protocol, client, virtual service and whether the
 * entry is a persistence template) for client packets, and the out-key (protocol, real server, reply destination)
 * for replies of entries whose replies come back through the director. Parallel arrays over the table's ids;
 * allocates nothing after construction.
 */
final class ConnectionKeys {
    private final int[] protocol;
    private final int[] clientAddress;
    private final int[] clientPort;
    private final int[] virtualAddress;
    private final int[] virtualPort;
    private final int[] realAddress;
    private final int[] realPort;
    /** Where the real server's replies go: the client for NAT, LIP:lport for full NAT. */
    private final int[] localAddress;
    private final int[] localPort;
    /** A persistence template (IP_VS_CONN_F_TEMPLATE) is never found as a connection, nor the reverse. */
    private final boolean[] template;
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
        template = new boolean[capacity];
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
        this.template[id] = template;
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
        int id = in.first(HashChains.hash(protocol, clientAddress, clientPort, virtualAddress, virtualPort));
        while (id != HashChains.END) {
            if (this.clientAddress[id] == clientAddress && this.clientPort[id] == clientPort
                    && this.virtualAddress[id] == virtualAddress && this.virtualPort[id] == virtualPort
                    && this.protocol[id] == protocol && this.template[id] == template) {
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
                    && this.protocol[id] == protocol) {
                return id;
            }
            id = out.next(id);
        }
        return ConnectionTable.NONE;
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
        return template[id];
    }
}
