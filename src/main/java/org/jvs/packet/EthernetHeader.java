package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over an Ethernet II header (IEEE 802.3, no VLAN tag):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination MAC (48 bits)                    |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                     Source MAC (48 bits)                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          EtherType            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * MACs are held in the low 48 bits of a long, first octet most significant.
 */
public final class EthernetHeader {
    public static final int LENGTH = 14;
    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_IPV6 = 0x86DD;
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    static final int DESTINATION_OFFSET = 0;
    static final int SOURCE_OFFSET = 6;
    static final int ETHER_TYPE_OFFSET = 12;

    private MemorySegment segment;
    private long offset;

    public EthernetHeader wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long destination() {
        return NetworkOrder.mac(segment, offset + DESTINATION_OFFSET);
    }

    public EthernetHeader destination(long mac) {
        NetworkOrder.mac(segment, offset + DESTINATION_OFFSET, mac);
        return this;
    }

    public long source() {
        return NetworkOrder.mac(segment, offset + SOURCE_OFFSET);
    }

    public EthernetHeader source(long mac) {
        NetworkOrder.mac(segment, offset + SOURCE_OFFSET, mac);
        return this;
    }

    public int etherType() {
        return NetworkOrder.u16(segment, offset + ETHER_TYPE_OFFSET);
    }

    public EthernetHeader etherType(int etherType) {
        NetworkOrder.u16(segment, offset + ETHER_TYPE_OFFSET, etherType);
        return this;
    }

    /** Offset of the payload (the network header) within the segment. */
    public long payloadOffset() {
        return offset + LENGTH;
    }
}
