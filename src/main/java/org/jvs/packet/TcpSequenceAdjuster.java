package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Keeps a TCP connection consistent after {@code delta} bytes (a PROXY protocol header) were put in front of the
 * client's byte stream on its way to the real server. With P = client ISN + 1, the insertion point:
 * <ul>
 * <li>client to server: a segment starting after P moves up by delta; a segment starting at P that carries data
 *     or FIN gets the header in front of its payload and keeps its sequence number ({@link #INSERT}: every
 *     retransmission of the first segment carries the header again); anything else at or before P (the SYN,
 *     the handshake's bare ACK, keepalive probes of an idle connection) is left as it is.</li>
 * <li>server to client: acknowledgement numbers and SACK block edges x map back to x - delta when at or after
 *     P + delta, to P when inside the header (P, P + delta), and stay as they are at or before P, so the client
 *     is never told of bytes it did not send.</li>
 * </ul>
 * All comparisons are modulo 2^32 (RFC 1982 style: the sign of the 32-bit difference). The TCP checksum is
 * updated incrementally (RFC 1624); a CHECKSUM_PARTIAL segment's field holds only the pseudo-header sum, which
 * none of these fields are part of, so {@code partialChecksum} leaves it alone. Not thread-safe; allocates nothing.
 */
public final class TcpSequenceAdjuster {
    /** {@link #toServer} results. */
    public static final int UNCHANGED = 0;
    public static final int SHIFTED = 1;
    /** The segment starts at the insertion point with data or FIN: insert the header; its sequence stays. */
    public static final int INSERT = 2;
    /** The TCP header is cut short or its options are malformed. */
    public static final int MALFORMED = -1;

    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;
    private static final int OPTION_MSS = 2;
    private static final int OPTION_MSS_LENGTH = 4;
    private static final int OPTION_SACK = 5;
    private static final int SACK_EDGE_LENGTH = 4;
    private static final long MALFORMED_OPTIONS = -2;

    private final TcpHeader tcp = new TcpHeader();

    /** Where a client sequence number goes on the server's side. */
    public static int toServerSequence(int sequence, int clientIsn, int delta) {
        return sequence - (clientIsn + 1) > 0 ? sequence + delta : sequence;
    }

    /**
     * Where a client sequence number the real server saw (in a quote of an ICMP error) was on the client's side:
     * {@link #toServerSequence} undone. A number inside the header, which no client segment maps to, gives P.
     * The same mapping as {@link #toClientAcknowledgment}: both undo the shift past P + delta.
     */
    public static int toClientSequence(int sequence, int clientIsn, int delta) {
        return toClientAcknowledgment(sequence, clientIsn, delta);
    }

    /** Where a server's acknowledgement (or SACK edge) of client bytes goes on the client's side. */
    public static int toClientAcknowledgment(int acknowledgment, int clientIsn, int delta) {
        int insertionPoint = clientIsn + 1;
        if (acknowledgment - insertionPoint <= 0) {
            return acknowledgment;
        }
        return acknowledgment - (insertionPoint + delta) >= 0 ? acknowledgment - delta : insertionPoint;
    }

    /**
     * Client to real server: the segment at {@code tcpOffset} with {@code payloadLength} bytes of data. Returns
     * {@link #SHIFTED} (sequence moved, checksum updated), {@link #INSERT} (nothing changed yet: the caller puts
     * the header in front of the payload), {@link #UNCHANGED} or {@link #MALFORMED}.
     */
    public int toServer(MemorySegment segment, long tcpOffset, int payloadLength, int clientIsn, int delta,
                        boolean partialChecksum) {
        if (tcpOffset + TcpHeader.MIN_LENGTH > segment.byteSize()) {
            return MALFORMED;
        }
        tcp.wrap(segment, tcpOffset);
        int flags = tcp.flags();
        if ((flags & TcpHeader.SYN) != 0) {
            return UNCHANGED;
        }
        int sequence = tcp.sequence();
        int distance = sequence - (clientIsn + 1);
        if (distance > 0) {
            write32(segment, tcpOffset, tcpOffset + TcpHeader.SEQUENCE_OFFSET, sequence + delta, partialChecksum);
            return SHIFTED;
        }
        boolean startsStream = distance == 0 && (flags & TcpHeader.RST) == 0
                && (payloadLength > 0 || (flags & TcpHeader.FIN) != 0);
        // a FIN at P gets the header too: the server would otherwise acknowledge it inside the header's range
        return startsStream ? INSERT : UNCHANGED;
    }

    /**
     * Real server to client: maps the acknowledgement number (when ACK is set) and every SACK block edge.
     * Returns false, having changed nothing, when the options are malformed.
     */
    public boolean toClient(MemorySegment segment, long tcpOffset, int clientIsn, int delta, boolean partialChecksum) {
        if (tcpOffset + TcpHeader.MIN_LENGTH > segment.byteSize()) {
            return false;
        }
        tcp.wrap(segment, tcpOffset);
        int headerLength = tcp.headerLength();
        if (headerLength < TcpHeader.MIN_LENGTH || tcpOffset + headerLength > segment.byteSize()) {
            return false;
        }
        long sackAt = findOption(segment, tcpOffset, headerLength, OPTION_SACK);
        if (sackAt == MALFORMED_OPTIONS) {
            return false;
        }
        if (tcp.hasFlags(TcpHeader.ACK)) {
            int acknowledgment = tcp.acknowledgment();
            write32(segment, tcpOffset, tcpOffset + TcpHeader.ACKNOWLEDGMENT_OFFSET,
                    toClientAcknowledgment(acknowledgment, clientIsn, delta), partialChecksum);
        }
        if (sackAt >= 0) {
            int optionLength = NetworkOrder.u8(segment, sackAt + 1);
            for (long edge = sackAt + 2; edge + SACK_EDGE_LENGTH <= sackAt + optionLength; edge += SACK_EDGE_LENGTH) {
                int mapped = toClientAcknowledgment(NetworkOrder.u32(segment, edge), clientIsn, delta);
                write32(segment, tcpOffset, edge, mapped, partialChecksum);
            }
        }
        return true;
    }

    /**
     * Real server's SYN-ACK: lowers its MSS option by {@code delta} (not below 1), so that the client's first
     * segment still fits the path once the header is in front of it. Returns false when there is no MSS option
     * or the options are malformed; the segment is then unchanged.
     */
    public boolean lowerMss(MemorySegment segment, long tcpOffset, int delta, boolean partialChecksum) {
        if (tcpOffset + TcpHeader.MIN_LENGTH > segment.byteSize()) {
            return false;
        }
        tcp.wrap(segment, tcpOffset);
        int headerLength = tcp.headerLength();
        if (headerLength < TcpHeader.MIN_LENGTH || tcpOffset + headerLength > segment.byteSize()) {
            return false;
        }
        long at = findOption(segment, tcpOffset, headerLength, OPTION_MSS);
        if (at < 0 || NetworkOrder.u8(segment, at + 1) != OPTION_MSS_LENGTH) {
            return false;
        }
        int mss = NetworkOrder.u16(segment, at + 2);
        write(segment, tcpOffset, at + 2, 2, Math.max(1, mss - delta), partialChecksum);
        return true;
    }

    /** The offset of the first option of {@code kind}, -1 when absent, {@link #MALFORMED_OPTIONS} when broken. */
    private static long findOption(MemorySegment segment, long tcpOffset, int headerLength, int kind) {
        long position = tcpOffset + TcpHeader.MIN_LENGTH;
        long end = tcpOffset + headerLength;
        while (position < end) {
            int option = NetworkOrder.u8(segment, position);
            if (option == OPTION_END) {
                return -1;
            }
            if (option == OPTION_NOP) {
                position++;
                continue;
            }
            if (position + 1 >= end) {
                return MALFORMED_OPTIONS;
            }
            int length = NetworkOrder.u8(segment, position + 1);
            if (length < 2 || position + length > end) {
                return MALFORMED_OPTIONS;
            }
            if (option == kind) {
                if (kind == OPTION_SACK && (length - 2) % (2 * SACK_EDGE_LENGTH) != 0) {
                    return MALFORMED_OPTIONS;
                }
                return position;
            }
            position += length;
        }
        return -1;
    }

    private void write32(MemorySegment segment, long tcpOffset, long fieldAt, int value, boolean partialChecksum) {
        write(segment, tcpOffset, fieldAt, 4, value, partialChecksum);
    }

    /**
     * Stores a {@code size}-byte field (2 or 4) and updates the checksum word by word over the 16-bit words it
     * touches. Options are byte-aligned, so a SACK edge or the MSS value may start at an odd offset from the
     * header; it then shares its first and last word with its neighbours, which stay the same on both sides.
     */
    private void write(MemorySegment segment, long tcpOffset, long fieldAt, int size, int value,
                       boolean partialChecksum) {
        long first = fieldAt - ((fieldAt - tcpOffset) & 1);
        int words = (int) ((fieldAt + size - first + 1) >>> 1);
        long oldWords = readWords(segment, first, words);
        if (size == 4) {
            NetworkOrder.u32(segment, fieldAt, value);
        } else {
            NetworkOrder.u16(segment, fieldAt, value);
        }
        if (!partialChecksum) {
            long newWords = readWords(segment, first, words);
            int checksum = tcp.checksum();
            for (int i = words - 1; i >= 0; i--) {
                checksum = Checksum.update16(checksum, (int) (oldWords >>> (16 * i)) & 0xFFFF,
                        (int) (newWords >>> (16 * i)) & 0xFFFF);
            }
            tcp.checksum(checksum);
        }
    }

    /** Up to three 16-bit words as one long, the first word highest. */
    private static long readWords(MemorySegment segment, long at, int words) {
        long packed = 0;
        for (int i = 0; i < words; i++) {
            packed = (packed << 16) | NetworkOrder.u16(segment, at + 2L * i);
        }
        return packed;
    }
}
