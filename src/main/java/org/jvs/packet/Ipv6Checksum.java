package org.jvs.packet;

import java.lang.foreign.MemorySegment;

import org.jvs.service.Protocol;

/**
 * Upper-layer checksums over IPv6 (RFC 8200 section 8.1): TCP, UDP and ICMPv6 all cover a pseudo-header of the
 * source and destination addresses, the upper-layer length (32 bits) and the next header (the upper-layer
 * protocol, whatever extension headers stood between). The destination is the final one: with a routing header,
 * its last address. Sums and folding are {@link Checksum}'s (RFC 1071); the incremental forms are RFC 1624's,
 * a 128-bit address entering as the folded sum of its eight words.
 * <p>
 * Unlike IPv4, UDP over IPv6 must carry a checksum (section 8.1, RFC 6936 aside for tunnels): a computed zero is
 * sent as 0xFFFF, and a received zero is invalid, never "none" to be left alone.
 */
public final class Ipv6Checksum {
    private Ipv6Checksum() {
    }

    /** Unfolded sum of the eight 16-bit words of an address; 2^16 is 1 modulo 0xFFFF, so 32-bit halves do. */
    public static long addressSum(long hi, long lo) {
        return (hi >>> 32) + (hi & 0xFFFF_FFFFL) + (lo >>> 32) + (lo & 0xFFFF_FFFFL);
    }

    /** Unfolded sum of the IPv6 pseudo-header (RFC 8200 section 8.1). */
    public static long pseudoHeaderSum(long sourceHi, long sourceLo, long destinationHi, long destinationLo,
                                       int nextHeader, int upperLayerLength) {
        return addressSum(sourceHi, sourceLo) + addressSum(destinationHi, destinationLo)
                + (upperLayerLength & 0xFFFF_FFFFL) + nextHeader;
    }

    /** The full TCP checksum of a segment of {@code tcpLength} bytes (the field counts as zero). */
    public static int tcp(MemorySegment segment, long tcpOffset, int tcpLength,
                          long sourceHi, long sourceLo, long destinationHi, long destinationLo) {
        long pseudo = pseudoHeaderSum(sourceHi, sourceLo, destinationHi, destinationLo, Protocol.TCP, tcpLength);
        return Checksum.computeSkippingField(pseudo, segment, tcpOffset, tcpLength, TcpHeader.CHECKSUM_OFFSET);
    }

    /** The full UDP checksum; never zero (a computed zero goes out as 0xFFFF). */
    public static int udp(MemorySegment segment, long udpOffset, int udpLength,
                          long sourceHi, long sourceLo, long destinationHi, long destinationLo) {
        long pseudo = pseudoHeaderSum(sourceHi, sourceLo, destinationHi, destinationLo, Protocol.UDP, udpLength);
        return nonZero(Checksum.computeSkippingField(pseudo, segment, udpOffset, udpLength, UdpHeader.CHECKSUM_OFFSET));
    }

    /** The full ICMPv6 checksum of a message of {@code length} bytes (RFC 4443 section 2.3). */
    public static int icmpv6(MemorySegment segment, long icmpOffset, int length,
                             long sourceHi, long sourceLo, long destinationHi, long destinationLo) {
        long pseudo = pseudoHeaderSum(sourceHi, sourceLo, destinationHi, destinationLo, Protocol.ICMPV6, length);
        return Checksum.computeSkippingField(pseudo, segment, icmpOffset, length, Icmpv6Header.CHECKSUM_OFFSET);
    }

    /**
     * True when a received TCP, UDP or ICMPv6 message of {@code length} bytes sums correctly with its pseudo-header.
     * A UDP checksum of zero is never valid over IPv6 (RFC 8200 section 8.1): the datagram is dropped.
     */
    public static boolean valid(MemorySegment segment, long offset, int length, int protocol,
                                long sourceHi, long sourceLo, long destinationHi, long destinationLo) {
        if (protocol == Protocol.UDP && NetworkOrder.u16(segment, offset + UdpHeader.CHECKSUM_OFFSET) == 0) {
            return false;
        }
        long pseudo = pseudoHeaderSum(sourceHi, sourceLo, destinationHi, destinationLo, protocol, length);
        return Checksum.fold(Checksum.accumulate(pseudo, segment, offset, length)) == 0xFFFF;
    }

    /** RFC 1624: the checksum after an address in the pseudo-header (NAT66) changed from old to new. */
    public static int update128(int checksum, long oldHi, long oldLo, long newHi, long newLo) {
        return Checksum.update16(checksum, Checksum.fold(addressSum(oldHi, oldLo)),
                Checksum.fold(addressSum(newHi, newLo)));
    }

    /** {@link #update128} for UDP: a result of zero goes out as 0xFFFF. */
    public static int updateUdp128(int checksum, long oldHi, long oldLo, long newHi, long newLo) {
        return nonZero(update128(checksum, oldHi, oldLo, newHi, newLo));
    }

    /**
     * {@link Checksum#update16} for a UDP port over IPv6: unlike {@link Checksum#updateUdp16}, zero is no "none"
     * to keep, and a result of zero goes out as 0xFFFF.
     */
    public static int updateUdp16(int checksum, int oldValue, int newValue) {
        return nonZero(Checksum.update16(checksum, oldValue, newValue));
    }

    /**
     * The field of a CHECKSUM_PARTIAL packet after a pseudo-header address changed, as
     * {@link Checksum#updatePartial32}: the field holds the folded pseudo-header sum, not complemented.
     */
    public static int updatePartial128(int partialSum, long oldHi, long oldLo, long newHi, long newLo) {
        long sum = (partialSum & 0xFFFF) + (~Checksum.fold(addressSum(oldHi, oldLo)) & 0xFFFF)
                + Checksum.fold(addressSum(newHi, newLo));
        return Checksum.fold(sum);
    }

    static int nonZero(int checksum) {
        return checksum == 0 ? 0xFFFF : checksum;
    }
}
