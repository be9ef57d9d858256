package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over a TCP header (RFC 9293):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class TcpHeader {
    public static final int MIN_LENGTH = 20;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    static final int SOURCE_PORT_OFFSET = 0;
    static final int DESTINATION_PORT_OFFSET = 2;
    static final int SEQUENCE_OFFSET = 4;
    static final int ACKNOWLEDGMENT_OFFSET = 8;
    static final int DATA_OFFSET_OFFSET = 12;
    static final int FLAGS_OFFSET = 13;
    static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    static final int URGENT_POINTER_OFFSET = 18;

    private MemorySegment segment;
    private long offset;

    public TcpHeader wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long offset() {
        return offset;
    }

    public int sourcePort() {
        return NetworkOrder.u16(segment, offset + SOURCE_PORT_OFFSET);
    }

    public TcpHeader sourcePort(int port) {
        NetworkOrder.u16(segment, offset + SOURCE_PORT_OFFSET, port);
        return this;
    }

    public int destinationPort() {
        return NetworkOrder.u16(segment, offset + DESTINATION_PORT_OFFSET);
    }

    public TcpHeader destinationPort(int port) {
        NetworkOrder.u16(segment, offset + DESTINATION_PORT_OFFSET, port);
        return this;
    }

    public int sequence() {
        return NetworkOrder.u32(segment, offset + SEQUENCE_OFFSET);
    }

    public TcpHeader sequence(int sequence) {
        NetworkOrder.u32(segment, offset + SEQUENCE_OFFSET, sequence);
        return this;
    }

    public int acknowledgment() {
        return NetworkOrder.u32(segment, offset + ACKNOWLEDGMENT_OFFSET);
    }

    public TcpHeader acknowledgment(int acknowledgment) {
        NetworkOrder.u32(segment, offset + ACKNOWLEDGMENT_OFFSET, acknowledgment);
        return this;
    }

    /** Header length in 32-bit words. */
    public int dataOffset() {
        return NetworkOrder.u8(segment, offset + DATA_OFFSET_OFFSET) >>> 4;
    }

    /** Header length in bytes, options included. */
    public int headerLength() {
        return dataOffset() << 2;
    }

    /** Sets the header length in bytes (a multiple of 4); clears the reserved bits. */
    public TcpHeader headerLength(int bytes) {
        NetworkOrder.u8(segment, offset + DATA_OFFSET_OFFSET, (bytes >>> 2) << 4);
        return this;
    }

    /** The eight flag bits, CWR most significant ({@link #FIN} .. {@link #CWR}). */
    public int flags() {
        return NetworkOrder.u8(segment, offset + FLAGS_OFFSET);
    }

    public TcpHeader flags(int flags) {
        NetworkOrder.u8(segment, offset + FLAGS_OFFSET, flags);
        return this;
    }

    public boolean hasFlags(int mask) {
        return (flags() & mask) == mask;
    }

    public int window() {
        return NetworkOrder.u16(segment, offset + WINDOW_OFFSET);
    }

    public TcpHeader window(int window) {
        NetworkOrder.u16(segment, offset + WINDOW_OFFSET, window);
        return this;
    }

    public int checksum() {
        return NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET);
    }

    public TcpHeader checksum(int checksum) {
        NetworkOrder.u16(segment, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int urgentPointer() {
        return NetworkOrder.u16(segment, offset + URGENT_POINTER_OFFSET);
    }

    public TcpHeader urgentPointer(int pointer) {
        NetworkOrder.u16(segment, offset + URGENT_POINTER_OFFSET, pointer);
        return this;
    }

    /** The full checksum of this segment of {@code tcpLength} bytes (header and payload) from scratch. */
    public int computeChecksum(int tcpLength, int sourceAddress, int destinationAddress) {
        return Checksum.tcp(segment, offset, tcpLength, sourceAddress, destinationAddress);
    }
}
