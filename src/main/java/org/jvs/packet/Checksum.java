package org.jvs.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.jvs.service.Protocol;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.
 * Full computations sum 32-bit words into a long and fold at the end: 2^16 is congruent to 1 modulo 0xFFFF, so
 * the folded result equals the word-by-word sum. Incremental updates follow RFC 1624 eqn. 3,
 * HC' = ~(~HC + ~m + m'), which stays correct when the old checksum was computed elsewhere.
 * <p>
 * "Sum" below means a folded, not complemented, 16-bit ones' complement sum; "checksum" the complemented value
 * as it goes on the wire.
 */
public final class Checksum {
    /** UDP over IPv4: a zero checksum field means the sender computed none (RFC 768). */
    public static final int UDP_NONE = 0;

    private static final int WIDE_MINIMUM = 64;
    private static final ValueLayout.OfLong NATIVE_LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final boolean NATIVE_IS_NETWORK_ORDER = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private Checksum() {
    }

    /**
     * Adds the bytes {@code [offset, offset+length)} to a running unfolded sum. Every piece but the last must
     * have an even length, so that bytes keep their position within 16-bit words.
     */
    public static long accumulate(long sum, MemorySegment segment, long offset, int length) {
        long position = offset;
        long end = offset + length;
        if (length >= WIDE_MINIMUM) {
            // Eight bytes per load in the machine's own byte order: a ones' complement sum does not depend on byte
            // order (RFC 1071 2.B), so the folded sum of swapped words is the network-order sum with its two bytes
            // swapped. Halves the loop of a 1500-byte segment, which the TUN paths checksum once per segment.
            long wide = 0;
            while (position + 8 <= end) {
                long eight = segment.get(NATIVE_LONG, position);
                wide += (eight & 0xFFFF_FFFFL) + (eight >>> 32);
                position += 8;
            }
            int folded = fold(wide);
            sum += NATIVE_IS_NETWORK_ORDER ? folded : ((folded & 0xFF) << 8 | folded >>> 8);
        }
        while (position + 4 <= end) {
            sum += NetworkOrder.u32(segment, position) & 0xFFFF_FFFFL;
            position += 4;
        }
        if (position + 2 <= end) {
            sum += NetworkOrder.u16(segment, position);
            position += 2;
        }
        if (position < end) {
            sum += NetworkOrder.u8(segment, position) << 8;
        }
        return sum;
    }

    /** Folds a running sum to 16 bits with end-around carry. Zero only when every added word was zero. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The folded sum of a byte range. */
    public static int sum(MemorySegment segment, long offset, int length) {
        return fold(accumulate(0, segment, offset, length));
    }

    /** The checksum of a byte range in which the checksum field itself is already zero. */
    public static int compute(MemorySegment segment, long offset, int length) {
        return ~sum(segment, offset, length) & 0xFFFF;
    }

    /**
     * The checksum of {@code length} bytes at {@code offset} whose 16-bit checksum field lies at
     * {@code fieldOffset} (relative, even): the field counts as zero whatever it holds now.
     */
    public static int computeSkippingField(long initialSum, MemorySegment segment, long offset, int length,
                                           int fieldOffset) {
        long sum = accumulate(initialSum, segment, offset, fieldOffset);
        sum = accumulate(sum, segment, offset + fieldOffset + 2, length - fieldOffset - 2);
        return ~fold(sum) & 0xFFFF;
    }

    /** The IPv4 header checksum of a header of {@code headerLength} bytes (options included). */
    public static int ipv4Header(MemorySegment segment, long offset, int headerLength) {
        return computeSkippingField(0, segment, offset, headerLength, Ipv4Header.CHECKSUM_OFFSET);
    }

    /** Unfolded sum of the IPv4 pseudo-header (RFC 793 / RFC 768) for a TCP or UDP segment. */
    public static long pseudoHeaderSum(int source, int destination, int protocol, int transportLength) {
        return (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF)
                + protocol + transportLength;
    }

    /** The full TCP checksum, pseudo-header included, of a segment of {@code tcpLength} bytes. */
    public static int tcp(MemorySegment segment, long tcpOffset, int tcpLength, int source, int destination) {
        long pseudo = pseudoHeaderSum(source, destination, Protocol.TCP, tcpLength);
        return computeSkippingField(pseudo, segment, tcpOffset, tcpLength, TcpHeader.CHECKSUM_OFFSET);
    }

    /** The full UDP checksum; a computed zero is sent as 0xFFFF because zero on the wire means "none". */
    public static int udp(MemorySegment segment, long udpOffset, int udpLength, int source, int destination) {
        long pseudo = pseudoHeaderSum(source, destination, Protocol.UDP, udpLength);
        int checksum = computeSkippingField(pseudo, segment, udpOffset, udpLength, UdpHeader.CHECKSUM_OFFSET);
        return checksum == 0 ? 0xFFFF : checksum;
    }

    /** RFC 1624: the checksum after a 16-bit field covered by it changed from {@code oldValue} to {@code newValue}. */
    public static int update16(int checksum, int oldValue, int newValue) {
        long sum = (~checksum & 0xFFFF) + (~oldValue & 0xFFFF) + (newValue & 0xFFFF);
        return complement(sum);
    }

    /** RFC 1624 for a 32-bit field (an IPv4 address), as two 16-bit updates in one sum. */
    public static int update32(int checksum, int oldValue, int newValue) {
        long sum = (~checksum & 0xFFFF)
                + (~oldValue >>> 16 & 0xFFFF) + (~oldValue & 0xFFFF)
                + (newValue >>> 16 & 0xFFFF) + (newValue & 0xFFFF);
        return complement(sum);
    }

    /**
     * The field of a CHECKSUM_PARTIAL TCP/UDP packet after a pseudo-header address changed: the field holds the
     * folded, not complemented, pseudo-header sum, so the old address comes out and the new one goes in without
     * complementing (the kernel's inet_proto_csum_replace4 with pseudohdr on a CHECKSUM_PARTIAL skb). Ports are not
     * in the pseudo-header: changing one must leave such a field alone. Never zero for a non-zero field.
     */
    public static int updatePartial32(int partialSum, int oldValue, int newValue) {
        long sum = (partialSum & 0xFFFF)
                + (~oldValue >>> 16 & 0xFFFF) + (~oldValue & 0xFFFF)
                + (newValue >>> 16 & 0xFFFF) + (newValue & 0xFFFF);
        return fold(sum);
    }

    /** {@link #update16} for a UDP checksum: "none" stays none, and a result of zero goes out as 0xFFFF. */
    public static int updateUdp16(int checksum, int oldValue, int newValue) {
        if (checksum == UDP_NONE) {
            return UDP_NONE;
        }
        int updated = update16(checksum, oldValue, newValue);
        return updated == 0 ? 0xFFFF : updated;
    }

    /** {@link #update32} for a UDP checksum: "none" stays none, and a result of zero goes out as 0xFFFF. */
    public static int updateUdp32(int checksum, int oldValue, int newValue) {
        if (checksum == UDP_NONE) {
            return UDP_NONE;
        }
        int updated = update32(checksum, oldValue, newValue);
        return updated == 0 ? 0xFFFF : updated;
    }

    /*
     * A sum of exactly zero can only come from an old checksum of 0xFFFF (never produced by a full computation).
     * Treating it as 0xFFFF (the other ones' complement zero) yields the checksum a full computation gives.
     */
    private static int complement(long sum) {
        int folded = fold(sum);
        return folded == 0 ? 0 : ~folded & 0xFFFF;
    }
}
