package org.jvs.sync;

/**
 * One IPv4 connection entry of an IPVS synchronisation message, version 1 ({@code struct ip_vs_sync_v4} in the
 * kernel's net/netfilter/ipvs/ip_vs_sync.c). Addresses are IPv4 addresses as big-endian ints (198.51.100.2 is
 * {@code 0xC6336402}); ports, state and protocol are unsigned; {@code fwmark} and {@code timeoutSeconds} are
 * unsigned 32-bit values held in an int.
 * <p>
 * {@code flags} are the IP_VS_CONN_F_* bits exactly as on the wire. The kernel's sender clears
 * {@link #F_HASHED} (so does {@link SyncMessageWriter}); its receiver keeps only {@link #F_BACKUP_MASK} and adds
 * {@link #F_SYNC}, which is left to whoever applies a received entry: {@link SyncMessageReader} delivers the
 * wire bits.
 *
 * @param sequence the IPVS_OPT_SEQ_DATA option, or null when the entry carries none. The kernel attaches it exactly
 *                 when {@code flags} has {@link #F_IN_SEQ} or {@link #F_OUT_SEQ}; the writer attaches it exactly
 *                 when it is not null.
 * @param director JVS's own option, or null: the state a full-NAT or PROXY protocol connection needs beyond what
 *                 IPVS syncs. It travels as an optional option (IPVS_OPT_F_PARAM set), which a kernel backup skips.
 */
public record SyncConnection(int protocol, int flags, int state,
                             int clientAddress, int clientPort,
                             int virtualAddress, int virtualPort,
                             int destinationAddress, int destinationPort,
                             int fwmark, int timeoutSeconds, SequenceOptions sequence, DirectorState director) {
    /** Forwarding-method mask (IP_VS_CONN_F_FWD_MASK) and its values. */
    public static final int F_FWD_MASK = 0x0007;
    public static final int F_MASQ = 0x0000;
    public static final int F_LOCALNODE = 0x0001;
    public static final int F_TUNNEL = 0x0002;
    public static final int F_DROUTE = 0x0003;
    public static final int F_BYPASS = 0x0004;
    public static final int F_SYNC = 0x0020;
    public static final int F_HASHED = 0x0040;
    public static final int F_NOOUTPUT = 0x0080;
    public static final int F_INACTIVE = 0x0100;
    public static final int F_OUT_SEQ = 0x0200;
    public static final int F_IN_SEQ = 0x0400;
    public static final int F_SEQ_MASK = F_IN_SEQ | F_OUT_SEQ;
    public static final int F_NO_CPORT = 0x0800;
    public static final int F_TEMPLATE = 0x1000;
    public static final int F_ONE_PACKET = 0x2000;
    /** The bits a backup takes from a received entry (IP_VS_CONN_F_BACKUP_MASK). */
    public static final int F_BACKUP_MASK = F_FWD_MASK | F_NOOUTPUT | F_INACTIVE | F_SEQ_MASK | F_NO_CPORT | F_TEMPLATE;

    /**
     * {@code struct ip_vs_sync_conn_options}: the two {@code struct ip_vs_seq} (init_seq, delta, previous_delta) for
     * the incoming and outgoing direction, each an unsigned 32-bit value held in an int.
     */
    public record SequenceOptions(int inInitSeq, int inDelta, int inPreviousDelta,
                                  int outInitSeq, int outDelta, int outPreviousDelta) {
    }

    /**
     * What JVS adds to an entry (option {@code 0x40 | 16}, 12 bytes): the local address and port a full-NAT
     * connection's replies come to (0 for other methods), and the PROXY protocol version (0: none) with the client's
     * SYN sequence number, from which the header's place in the stream follows:
     * <pre>
     *  0             4              6               7   8
     *  | LIP (be32) | lport (be16) | PROXY version | 0 | client ISN (be32) |
     * </pre>
     * An IPv6 entry carries the same option 24 bytes long, with a 16-byte local address
     * ({@link SyncConnection6.DirectorState}); a reader tells the two by the option's length.
     */
    public record DirectorState(int localAddress, int localPort, int proxyVersion, int clientIsn) {
        public DirectorState {
            checkRange("localPort", localPort, 0xFFFF);
            checkRange("proxyVersion", proxyVersion, 0xFF);
        }
    }

    /** An entry as IPVS itself syncs it, without JVS's option. */
    public SyncConnection(int protocol, int flags, int state, int clientAddress, int clientPort,
                          int virtualAddress, int virtualPort, int destinationAddress, int destinationPort,
                          int fwmark, int timeoutSeconds, SequenceOptions sequence) {
        this(protocol, flags, state, clientAddress, clientPort, virtualAddress, virtualPort, destinationAddress,
                destinationPort, fwmark, timeoutSeconds, sequence, null);
    }

    public SyncConnection {
        checkRange("protocol", protocol, 0xFF);
        checkRange("state", state, 0xFFFF);
        checkRange("clientPort", clientPort, 0xFFFF);
        checkRange("virtualPort", virtualPort, 0xFFFF);
        checkRange("destinationPort", destinationPort, 0xFFFF);
    }

    static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " " + value + " not in 0.." + max);
        }
    }

    public boolean isTemplate() {
        return (flags & F_TEMPLATE) != 0;
    }

    /** The forwarding method, one of {@link #F_MASQ} .. {@link #F_BYPASS}. */
    public int forwardingMethod() {
        return flags & F_FWD_MASK;
    }

    public SyncConnection withFlags(int newFlags) {
        return new SyncConnection(protocol, newFlags, state, clientAddress, clientPort, virtualAddress, virtualPort,
                destinationAddress, destinationPort, fwmark, timeoutSeconds, sequence, director);
    }

    public SyncConnection withSequence(SequenceOptions newSequence) {
        return new SyncConnection(protocol, flags, state, clientAddress, clientPort, virtualAddress, virtualPort,
                destinationAddress, destinationPort, fwmark, timeoutSeconds, newSequence, director);
    }

    public SyncConnection withDirectorState(DirectorState newState) {
        return new SyncConnection(protocol, flags, state, clientAddress, clientPort, virtualAddress, virtualPort,
                destinationAddress, destinationPort, fwmark, timeoutSeconds, sequence, newState);
    }
}
