package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over an ARP packet for Ethernet and IPv4 (RFC 826), the payload after the Ethernet header:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Hardware Type (1)         |     Protocol Type (0x0800)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  HW len (6)   | Proto len (4) |          Operation            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Sender MAC (48 bits)                         |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |    Sender IPv4 (upper 16)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Sender IPv4 (lower 16)     |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                  Target MAC (48 bits)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Target IPv4                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpPacket {
    public static final int LENGTH = 28;
    public static final int HARDWARE_ETHERNET = 1;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    static final int HARDWARE_TYPE_OFFSET = 0;
    static final int PROTOCOL_TYPE_OFFSET = 2;
    static final int HARDWARE_LENGTH_OFFSET = 4;
    static final int PROTOCOL_LENGTH_OFFSET = 5;
    static final int OPERATION_OFFSET = 6;
    static final int SENDER_MAC_OFFSET = 8;
    static final int SENDER_IP_OFFSET = 14;
    static final int TARGET_MAC_OFFSET = 18;
    static final int TARGET_IP_OFFSET = 24;

    private static final int MAC_LENGTH = 6;
    private static final int IPV4_LENGTH = 4;

    private MemorySegment segment;
    private long offset;

    public ArpPacket wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** True when {@code length} bytes hold a whole Ethernet/IPv4 ARP packet; anything else is not ours. */
    public boolean isEthernetIpv4(int length) {
        return length >= LENGTH && offset + LENGTH <= segment.byteSize()
                && NetworkOrder.u16(segment, offset + HARDWARE_TYPE_OFFSET) == HARDWARE_ETHERNET
                && NetworkOrder.u16(segment, offset + PROTOCOL_TYPE_OFFSET) == EthernetHeader.TYPE_IPV4
                && NetworkOrder.u8(segment, offset + HARDWARE_LENGTH_OFFSET) == MAC_LENGTH
                && NetworkOrder.u8(segment, offset + PROTOCOL_LENGTH_OFFSET) == IPV4_LENGTH;
    }

    /** Writes the fixed Ethernet/IPv4 fields (types and lengths) for a packet being built. */
    public ArpPacket ethernetIpv4() {
        NetworkOrder.u16(segment, offset + HARDWARE_TYPE_OFFSET, HARDWARE_ETHERNET);
        NetworkOrder.u16(segment, offset + PROTOCOL_TYPE_OFFSET, EthernetHeader.TYPE_IPV4);
        NetworkOrder.u8(segment, offset + HARDWARE_LENGTH_OFFSET, MAC_LENGTH);
        NetworkOrder.u8(segment, offset + PROTOCOL_LENGTH_OFFSET, IPV4_LENGTH);
        return this;
    }

    public int op() {
        return NetworkOrder.u16(segment, offset + OPERATION_OFFSET);
    }

    public ArpPacket op(int operation) {
        NetworkOrder.u16(segment, offset + OPERATION_OFFSET, operation);
        return this;
    }

    public long senderMac() {
        return NetworkOrder.mac(segment, offset + SENDER_MAC_OFFSET);
    }

    public ArpPacket senderMac(long mac) {
        NetworkOrder.mac(segment, offset + SENDER_MAC_OFFSET, mac);
        return this;
    }

    public int senderIp() {
        return NetworkOrder.u32(segment, offset + SENDER_IP_OFFSET);
    }

    public ArpPacket senderIp(int address) {
        NetworkOrder.u32(segment, offset + SENDER_IP_OFFSET, address);
        return this;
    }

    public long targetMac() {
        return NetworkOrder.mac(segment, offset + TARGET_MAC_OFFSET);
    }

    public ArpPacket targetMac(long mac) {
        NetworkOrder.mac(segment, offset + TARGET_MAC_OFFSET, mac);
        return this;
    }

    public int targetIp() {
        return NetworkOrder.u32(segment, offset + TARGET_IP_OFFSET);
    }

    public ArpPacket targetIp(int address) {
        NetworkOrder.u32(segment, offset + TARGET_IP_OFFSET, address);
        return this;
    }
}
