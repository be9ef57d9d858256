package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over the fixed IPv6 header (RFC 8200 section 3):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                      Source Address (128)                     +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                   Destination Address (128)                   +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * An address is two longs, {@code hi} (bytes 0-7) and {@code lo} (bytes 8-15), each first byte most significant,
 * so 2001:db8::1 is hi 0x20010DB8_00000000, lo 1. There is no header checksum (the pseudo-header of each upper
 * layer covers the addresses, {@link Ipv6Checksum}). Accessors do no bounds checks beyond the segment's own: call
 * {@link #validate} on received packets first.
 */
public final class Ipv6Header {
    public static final int LENGTH = 40;
    /** Every link carries at least this (RFC 8200 section 5); what a sender may fragment down to. */
    public static final int MIN_MTU = 1280;
    public static final int MAX_PAYLOAD_LENGTH = 0xFFFF;

    static final int VERSION_CLASS_FLOW_OFFSET = 0;
    static final int PAYLOAD_LENGTH_OFFSET = 4;
    static final int NEXT_HEADER_OFFSET = 6;
    static final int HOP_LIMIT_OFFSET = 7;
    static final int SOURCE_OFFSET = 8;
    static final int DESTINATION_OFFSET = 24;
    static final int ADDRESS_LENGTH = 16;

    private static final int FLOW_LABEL_MASK = 0xF_FFFF;

    /** {@link #validate} results: OK, or why the packet must be dropped (as ipv6_rcv checks them). */
    public static final int OK = 0;
    public static final int TRUNCATED = 1;
    public static final int BAD_VERSION = 2;
    public static final int BAD_PAYLOAD_LENGTH = 3;

    private static final String[] VALIDATION_NAMES = {"ok", "truncated", "bad_version", "bad_payload_length"};

    private MemorySegment segment;
    private long offset;

    public Ipv6Header wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks a received header against {@code capturedLength} bytes available from its start: the fixed header
     * captured, version 6, and the payload length within what was captured (bytes beyond it are link padding).
     * A payload length of zero with a Jumbo Payload option (RFC 2675) reads as an empty packet: links JVS serves
     * carry no jumbograms. Returns {@link #OK} or the drop reason; never throws for any content.
     */
    public int validate(int capturedLength) {
        long available = NetworkOrder.available(segment, offset, capturedLength);
        if (available < LENGTH) {
            return TRUNCATED;
        }
        if (version() != 6) {
            return BAD_VERSION;
        }
        if (LENGTH + payloadLength() > available) {
            return BAD_PAYLOAD_LENGTH;
        }
        return OK;
    }

    /** A {@link #validate} result as a counter name. */
    public static String validationName(int result) {
        return VALIDATION_NAMES[result];
    }

    public int version() {
        return NetworkOrder.u8(segment, offset + VERSION_CLASS_FLOW_OFFSET) >>> 4;
    }

    /** Sets version 6 with the traffic class and flow label, the header's first word. */
    public Ipv6Header versionClassAndFlow(int trafficClass, int flowLabel) {
        NetworkOrder.u32(segment, offset + VERSION_CLASS_FLOW_OFFSET,
                6 << 28 | (trafficClass & 0xFF) << 20 | (flowLabel & FLOW_LABEL_MASK));
        return this;
    }

    /** DSCP and ECN, as IPv4's TOS byte (RFC 2474, RFC 3168). */
    public int trafficClass() {
        return NetworkOrder.u32(segment, offset + VERSION_CLASS_FLOW_OFFSET) >>> 20 & 0xFF;
    }

    public Ipv6Header trafficClass(int trafficClass) {
        int word = NetworkOrder.u32(segment, offset + VERSION_CLASS_FLOW_OFFSET);
        NetworkOrder.u32(segment, offset + VERSION_CLASS_FLOW_OFFSET, word & 0xF00F_FFFF | (trafficClass & 0xFF) << 20);
        return this;
    }

    public int flowLabel() {
        return NetworkOrder.u32(segment, offset + VERSION_CLASS_FLOW_OFFSET) & FLOW_LABEL_MASK;
    }

    public Ipv6Header flowLabel(int flowLabel) {
        int word = NetworkOrder.u32(segment, offset + VERSION_CLASS_FLOW_OFFSET);
        NetworkOrder.u32(segment, offset + VERSION_CLASS_FLOW_OFFSET,
                word & ~FLOW_LABEL_MASK | flowLabel & FLOW_LABEL_MASK);
        return this;
    }

    /** Bytes after this fixed header, extension headers included. */
    public int payloadLength() {
        return NetworkOrder.u16(segment, offset + PAYLOAD_LENGTH_OFFSET);
    }

    public Ipv6Header payloadLength(int length) {
        NetworkOrder.u16(segment, offset + PAYLOAD_LENGTH_OFFSET, length);
        return this;
    }

    /** The packet's length according to the header: the fixed header plus its payload. */
    public int packetLength() {
        return LENGTH + payloadLength();
    }

    /** The first extension header or the upper-layer protocol ({@link Ipv6ExtensionHeaders} walks the chain). */
    public int nextHeader() {
        return NetworkOrder.u8(segment, offset + NEXT_HEADER_OFFSET);
    }

    public Ipv6Header nextHeader(int nextHeader) {
        NetworkOrder.u8(segment, offset + NEXT_HEADER_OFFSET, nextHeader);
        return this;
    }

    public int hopLimit() {
        return NetworkOrder.u8(segment, offset + HOP_LIMIT_OFFSET);
    }

    public Ipv6Header hopLimit(int hopLimit) {
        NetworkOrder.u8(segment, offset + HOP_LIMIT_OFFSET, hopLimit);
        return this;
    }

    /** Decrements the hop limit of a forwarded packet; no checksum covers it. The caller has checked it is > 1. */
    public void decrementHopLimit() {
        NetworkOrder.u8(segment, offset + HOP_LIMIT_OFFSET, hopLimit() - 1);
    }

    public long sourceHi() {
        return hi(SOURCE_OFFSET);
    }

    public long sourceLo() {
        return lo(SOURCE_OFFSET);
    }

    public Ipv6Header source(long hi, long lo) {
        return address(SOURCE_OFFSET, hi, lo);
    }

    public long destinationHi() {
        return hi(DESTINATION_OFFSET);
    }

    public long destinationLo() {
        return lo(DESTINATION_OFFSET);
    }

    public Ipv6Header destination(long hi, long lo) {
        return address(DESTINATION_OFFSET, hi, lo);
    }

    private long hi(int fieldOffset) {
        return NetworkOrder.u64(segment, offset + fieldOffset);
    }

    private long lo(int fieldOffset) {
        return NetworkOrder.u64(segment, offset + fieldOffset + Long.BYTES);
    }

    private Ipv6Header address(int fieldOffset, long hi, long lo) {
        NetworkOrder.u64(segment, offset + fieldOffset, hi);
        NetworkOrder.u64(segment, offset + fieldOffset + Long.BYTES, lo);
        return this;
    }

    /** Exchanges source and destination, as a reply or an error about this packet is addressed. */
    public Ipv6Header swapAddresses() {
        long sourceHi = sourceHi();
        long sourceLo = sourceLo();
        MemorySegment.copy(segment, offset + DESTINATION_OFFSET, segment, offset + SOURCE_OFFSET, ADDRESS_LENGTH);
        return destination(sourceHi, sourceLo);
    }

    /** Copies the 16 bytes of the source address to {@code target} at {@code targetOffset}. */
    public void copySourceTo(MemorySegment target, long targetOffset) {
        MemorySegment.copy(segment, offset + SOURCE_OFFSET, target, targetOffset, ADDRESS_LENGTH);
    }

    /** Copies the 16 bytes of the destination address to {@code target} at {@code targetOffset}. */
    public void copyDestinationTo(MemorySegment target, long targetOffset) {
        MemorySegment.copy(segment, offset + DESTINATION_OFFSET, target, targetOffset, ADDRESS_LENGTH);
    }

    /** Copies this fixed header to {@code target} at {@code targetOffset}, as a tunnel or a fragment repeats it. */
    public void copyTo(MemorySegment target, long targetOffset) {
        MemorySegment.copy(segment, offset, target, targetOffset, LENGTH);
    }

    /** Offset of the payload (the first extension header or the upper-layer header) within the segment. */
    public long payloadOffset() {
        return offset + LENGTH;
    }
}
