package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over a UDP header (RFC 768):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * A checksum of zero means the sender computed none ({@link Checksum#UDP_NONE}).
 */
public final class UdpHeader {
    public static final int LENGTH = 8;

    static final int SOURCE_PORT_OFFSET = 0;
    static final int DESTINATION_PORT_OFFSET = 2;
    static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;

    private MemorySegment segment;
    private long offset;

    public UdpHeader wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public int sourcePort() {
        return NetworkOrder.u16(segment, offset + SOURCE_PORT_OFFSET);
    }

    public UdpHeader sourcePort(int port) {
        NetworkOrder.u16(segment, offset + SOURCE_PORT_OFFSET, port);
        return this;
    }

    public int destinationPort() {
        return NetworkOrder.u16(segment, offset + DESTINATION_PORT_OFFSET);
    }

    public UdpHeader destinationPort(int port) {
        NetworkOrder.u16(segment, offset + DESTINATION_PORT_OFFSET, port);
        return this;
    }

    /** Header plus payload, in bytes. */
    public int length() {
        return NetworkOrder.u16(segment, offset + LENGTH_OFFSET);
    }

    public UdpHeader length(int length) {
        NetworkOrder.u16(segment, offset + LENGTH_OFFSET, length);
        return this;
    }

    public int checksum() {
        return NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET);
    }

    public UdpHeader checksum(int checksum) {
        NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    /** The full checksum of this datagram of {@code udpLength} bytes from scratch (0xFFFF for a computed 0). */
    public int computeChecksum(int udpLength, int sourceAddress, int destinationAddress) {
        return Checksum.udp(segment, offset, udpLength, sourceAddress, destinationAddress);
    }
}
