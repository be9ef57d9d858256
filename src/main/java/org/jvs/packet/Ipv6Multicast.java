package org.jvs.packet;

/**
 * The IPv6 addresses Neighbour Discovery sends to, as two longs (see {@link Ipv6Header}), and their Ethernet
 * multicast MACs. None of these allocate.
 */
public final class Ipv6Multicast {
    /** ff02::1, all nodes on the link (RFC 4291 section 2.7.1). */
    public static final long ALL_NODES_HI = 0xFF02_0000_0000_0000L;
    public static final long ALL_NODES_LO = 1L;
    /** ff02::1:ff00:0/104: the solicited-node prefix; a unicast address's low 24 bits complete it. */
    public static final long SOLICITED_NODE_HI = 0xFF02_0000_0000_0000L;
    static final long SOLICITED_NODE_LO_PREFIX = 0x0000_0001_FF00_0000L;
    private static final long LOW_24_BITS = 0xFF_FFFFL;
    /** 33:33 followed by the low 32 bits of the group (RFC 2464 section 7). */
    private static final long ETHERNET_PREFIX = 0x3333_0000_0000L;

    private Ipv6Multicast() {
    }

    /** ff00::/8 (RFC 4291 section 2.7). */
    public static boolean isMulticast(long hi) {
        return hi >>> 56 == 0xFF;
    }

    /** ::, the source of a node that has no address yet (Duplicate Address Detection, RFC 4862). */
    public static boolean isUnspecified(long hi, long lo) {
        return (hi | lo) == 0;
    }

    /** The low half of the solicited-node group of the address ending in {@code lo}; the high half is fixed. */
    public static long solicitedNodeLo(long lo) {
        return SOLICITED_NODE_LO_PREFIX | lo & LOW_24_BITS;
    }

    public static boolean isSolicitedNode(long hi, long lo) {
        return hi == SOLICITED_NODE_HI && (lo & ~LOW_24_BITS) == SOLICITED_NODE_LO_PREFIX;
    }

    /** The Ethernet MAC a multicast group's packets go to: 33:33 and the group's last four bytes (RFC 2464). */
    public static long ethernetMac(long lo) {
        return ETHERNET_PREFIX | lo & 0xFFFF_FFFFL;
    }
}
