package org.jvs.packet;

import java.lang.foreign.MemorySegment;

import org.jvs.service.Protocol;

/**
 * Tells a TCP or UDP packet whose checksum was left to offload (Linux's CHECKSUM_PARTIAL) from one whose checksum is
 * complete, by the packet alone: a sender that leaves it partial stores the pseudo-header sum in the field (folded,
 * not complemented: tcp_v4_send_check, udp4_hwcsum), and the segmentation or the NIC that would have completed it
 * adds the rest. Across a veth pair the skb keeps saying "partial", so the peer's kernel trusts it; once the packet
 * leaves that skb (a raw socket's read, a tunnel decapsulated in userspace) only the field is left to tell.
 *
 * <p>A complete checksum equals the pseudo-header sum by chance once in 65 536 packets; taking such a packet as
 * partial costs nothing when it is delivered locally (the receiver trusts a partial checksum as it trusts a verified
 * one, and it was right), so the only packets misjudged are damaged ones whose field happens to hold that value.
 * Allocates nothing.
 */
public final class PartialChecksum {
    /** Returned by {@link #field} for a packet whose checksum is complete, absent, or not TCP's or UDP's. */
    public static final int NONE = -1;

    private static final int IPV6_HEADER = Ipv6Header.LENGTH;
    private static final int IPV6_NEXT_HEADER = 6;
    private static final int IPV6_SOURCE = 8;
    private static final int IPV6_DESTINATION = 24;
    private static final int FLAGS_AND_FRAGMENT = 6;
    private static final int MORE_FRAGMENTS_AND_OFFSET = 0x3FFF;
    private static final int PROTOCOL = 9;
    private static final int ADDRESSES = 12;

    private PartialChecksum() {
    }

    /**
     * The offset from {@code offset} of the TCP or UDP checksum field of the IPv4 or IPv6 packet
     * {@code packet[offset, offset+length)} when that field holds the pseudo-header sum (a partial checksum), else
     * {@link #NONE}. IPv6 only with TCP or UDP right after the fixed header; no fragment of either family.
     */
    public static int field(MemorySegment packet, long offset, int length) {
        if (length < Ipv4Header.MIN_LENGTH) {
            return NONE;
        }
        boolean ipv6 = NetworkOrder.u8(packet, offset) >>> 4 == 6;
        int ipHeader;
        int protocol;
        if (ipv6) {
            if (length < IPV6_HEADER) {
                return NONE;
            }
            ipHeader = IPV6_HEADER;
            protocol = NetworkOrder.u8(packet, offset + IPV6_NEXT_HEADER);
        } else {
            ipHeader = (NetworkOrder.u8(packet, offset) & 0x0F) * 4;
            if (ipHeader < Ipv4Header.MIN_LENGTH
                    || (NetworkOrder.u16(packet, offset + FLAGS_AND_FRAGMENT) & MORE_FRAGMENTS_AND_OFFSET) != 0) {
                return NONE;
            }
            protocol = NetworkOrder.u8(packet, offset + PROTOCOL);
        }
        int checksumOffset = protocol == Protocol.TCP ? TcpHeader.CHECKSUM_OFFSET
                : protocol == Protocol.UDP ? UdpHeader.CHECKSUM_OFFSET : NONE;
        int field = ipHeader + checksumOffset;
        if (checksumOffset == NONE || field + Short.BYTES > length) {
            return NONE;
        }
        int transportLength = length - ipHeader;
        long pseudo;
        if (ipv6) {
            pseudo = Ipv6Checksum.pseudoHeaderSum(NetworkOrder.u64(packet, offset + IPV6_SOURCE),
                    NetworkOrder.u64(packet, offset + IPV6_SOURCE + 8), NetworkOrder.u64(packet, offset + IPV6_DESTINATION),
                    NetworkOrder.u64(packet, offset + IPV6_DESTINATION + 8), protocol, transportLength);
        } else {
            pseudo = Checksum.pseudoHeaderSum(NetworkOrder.u32(packet, offset + ADDRESSES),
                    NetworkOrder.u32(packet, offset + ADDRESSES + 4), protocol, transportLength);
        }
        return NetworkOrder.u16(packet, offset + field) == Checksum.fold(pseudo) ? field : NONE;
    }
}
