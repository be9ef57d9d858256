package org.jvs.linux;

import java.lang.foreign.MemorySegment;

/**
 * Finds the inner IPv6 packet of a tunnelled one (protocol / next header 41, RFC 2473 and RFC 4213) as a raw socket
 * hands it over: IPv6-in-IPv4 from an AF_INET socket, outer IPv4 header included (as IPIP's); IPv6-in-IPv6 from an
 * AF_INET6 socket, which hands over the payload alone (an IPv6 raw socket never sees the header, nor the extension
 * headers the kernel has processed), so the inner packet is the datagram, received {@code datagramOffset} into its
 * slot to leave room for the virtio_net_hdr. A flyweight; nothing is copied or allocated. Not thread-safe.
 */
public final class Ipv6InIpDecapsulator implements TunnelDecapsulator {
    /** IPPROTO_IPV6, the protocol (IPv4) or next header (IPv6) of an encapsulated IPv6 packet. */
    static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_HEADER = 40;
    private static final int PAYLOAD_LENGTH = 4;

    private final boolean outerIpv4;
    private final int datagramOffset;
    private int innerOffset;

    private Ipv6InIpDecapsulator(boolean outerIpv4, int datagramOffset) {
        this.outerIpv4 = outerIpv4;
        this.datagramOffset = datagramOffset;
    }

    /** IPv6 in IPv4, from a raw AF_INET socket of protocol 41 (outer header included). */
    public static Ipv6InIpDecapsulator inIpv4() {
        return new Ipv6InIpDecapsulator(true, 0);
    }

    /** IPv6 in IPv6, from a raw AF_INET6 socket of protocol 41 whose datagrams land {@code datagramOffset} in. */
    public static Ipv6InIpDecapsulator inIpv6(int datagramOffset) {
        return new Ipv6InIpDecapsulator(false, datagramOffset);
    }

    @Override
    public int decapsulate(MemorySegment packet, int length) {
        if (!outerIpv4) {
            if (datagramOffset + length > packet.byteSize()) {
                return TRUNCATED;
            }
            return found(datagramOffset, inner(packet, datagramOffset, length));
        }
        int outerHeader = Ipv4Checks.outerHeader(packet, length, IPPROTO_IPV6);
        if (outerHeader < 0) {
            return outerHeader;
        }
        return found(outerHeader, inner(packet, outerHeader, Ipv4Checks.outerTotal(packet) - outerHeader));
    }

    @Override
    public int innerOffset() {
        return innerOffset;
    }

    private int found(int offset, int innerLength) {
        if (innerLength > 0) {
            innerOffset = offset;
        }
        return innerLength;
    }

    /**
     * The inner packet's length when an IPv6 packet fits the {@code carried} bytes at offset: version 6, and the
     * fixed header plus its payload length within them (a jumbogram's payload length 0 is refused). Else a reason.
     */
    static int inner(MemorySegment packet, int offset, int carried) {
        if (carried < IPV6_HEADER) {
            return TRUNCATED;
        }
        if (Ipv4Checks.u8(packet, offset) >>> 4 != 6) {
            return INNER_NOT_IPV6;
        }
        int payloadLength = Ipv4Checks.u16(packet, offset + PAYLOAD_LENGTH);
        if (payloadLength == 0) {
            return UNSUPPORTED;
        }
        if (IPV6_HEADER + payloadLength > carried) {
            return BAD_TOTAL_LENGTH;
        }
        return IPV6_HEADER + payloadLength;
    }
}
