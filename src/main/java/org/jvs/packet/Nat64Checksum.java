package org.jvs.packet;

/**
 * Carries a TCP or UDP checksum across an IPv4/IPv6 translation (NAT64, RFC 7915 section 4.5 and 5.5) without
 * summing the payload again. Both pseudo-headers hold the addresses, the protocol and the upper-layer length; the
 * protocol is the same number and the length the same value (a 16-bit IPv4 length, or the low half of IPv6's
 * 32-bit one with a zero high half), so only the addresses differ: the old ones leave the sum, the new ones enter
 * (RFC 1624 eqn. 3, each side as one folded sum). Ports the translation also rewrites are
 * {@link Checksum#update16}'s business.
 * <p>
 * ICMP and ICMPv6 cannot be carried so (ICMP has no pseudo-header and the types differ): they are recomputed.
 */
public final class Nat64Checksum {
    private Nat64Checksum() {
    }

    /** A TCP checksum after IPv6 addresses were replaced by IPv4 ones. */
    public static int tcpSixToFour(int checksum, long sourceHi, long sourceLo, long destinationHi, long destinationLo,
                                   int source, int destination) {
        return Checksum.update16(checksum, sixSum(sourceHi, sourceLo, destinationHi, destinationLo),
                fourSum(source, destination));
    }

    /**
     * A UDP checksum after IPv6 addresses were replaced by IPv4 ones; a result of zero goes out as 0xFFFF, since
     * zero over IPv4 means "no checksum" (RFC 768).
     */
    public static int udpSixToFour(int checksum, long sourceHi, long sourceLo, long destinationHi, long destinationLo,
                                   int source, int destination) {
        return Ipv6Checksum.nonZero(tcpSixToFour(checksum, sourceHi, sourceLo, destinationHi, destinationLo,
                source, destination));
    }

    /** A TCP checksum after IPv4 addresses were replaced by IPv6 ones. */
    public static int tcpFourToSix(int checksum, int source, int destination,
                                   long sourceHi, long sourceLo, long destinationHi, long destinationLo) {
        return Checksum.update16(checksum, fourSum(source, destination),
                sixSum(sourceHi, sourceLo, destinationHi, destinationLo));
    }

    /**
     * A UDP checksum after IPv4 addresses were replaced by IPv6 ones. An IPv4 datagram sent without a checksum
     * (zero) has nothing to carry over and IPv6 requires one: the result is then {@link Checksum#UDP_NONE}, and
     * the caller computes it in full ({@link Ipv6Checksum#udp}) or drops the datagram (RFC 7915 section 4.5).
     */
    public static int udpFourToSix(int checksum, int source, int destination,
                                   long sourceHi, long sourceLo, long destinationHi, long destinationLo) {
        if (checksum == Checksum.UDP_NONE) {
            return Checksum.UDP_NONE;
        }
        return Ipv6Checksum.nonZero(tcpFourToSix(checksum, source, destination,
                sourceHi, sourceLo, destinationHi, destinationLo));
    }

    private static int sixSum(long sourceHi, long sourceLo, long destinationHi, long destinationLo) {
        return Checksum.fold(Ipv6Checksum.addressSum(sourceHi, sourceLo)
                + Ipv6Checksum.addressSum(destinationHi, destinationLo));
    }

    private static int fourSum(int source, int destination) {
        return Checksum.fold((source & 0xFFFF_FFFFL) + (destination & 0xFFFF_FFFFL));
    }
}
