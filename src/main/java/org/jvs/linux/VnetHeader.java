package org.jvs.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.jvs.net.FrameHandler;

/**
 * struct virtio_net_hdr (include/uapi/linux/virtio_net.h), the 10 bytes a PACKET_VNET_HDR socket puts before each
 * frame: how the sender left checksum and segmentation to offload. Little-endian fields (the kernel's vio_le() on
 * a little-endian host). Translates to and from {@link FrameHandler}'s flags; allocates nothing.
 * <pre>
 * struct virtio_net_hdr {
 *     __u8 flags;            // VIRTIO_NET_HDR_F_NEEDS_CSUM: checksum from csum_start, stored at +csum_offset
 *     __u8 gso_type;         // VIRTIO_NET_HDR_GSO_NONE / _TCPV4 / ..., | _ECN
 *     __le16 hdr_len;        // bytes of headers (Ethernet + IP + TCP) before the payload
 *     __le16 gso_size;       // payload bytes per segment
 *     __le16 csum_start;     // from the start of the frame
 *     __le16 csum_offset;    // of the checksum field, from csum_start
 * };
 * </pre>
 */
final class VnetHeader {
    static final int LENGTH = 10;

    static final int F_NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_TCPV6 = 4;
    /** The super-packet carries CWR; any TCP segmentation keeps it on the first segment only, so it is not passed on. */
    static final int GSO_ECN = 0x80;

    private static final long FLAGS = 0;
    private static final long GSO_TYPE = 1;
    private static final long HDR_LEN = 2;
    private static final long GSO_SIZE = 4;
    private static final long CSUM_START = 6;
    private static final long CSUM_OFFSET = 8;

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int ETHERNET_LENGTH = 14;
    private static final int ETHER_TYPE_OFFSET = 12;
    private static final int ETHER_TYPE_IPV4 = 0x0800;
    private static final int ETHER_TYPE_IPV6 = 0x86DD;
    private static final int IPV6_HEADER_LENGTH = 40;
    private static final int IPV6_NEXT_HEADER_OFFSET = 6;
    private static final int IP_PROTOCOL_OFFSET = 9;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int TCP_CHECKSUM_OFFSET = 16;
    private static final int UDP_CHECKSUM_OFFSET = 6;
    private static final int TCP_DATA_OFFSET_BYTE = 12;

    private VnetHeader() {
    }

    /**
     * The handler flags for a received frame: CHECKSUM_NOT_READY when the kernel said so in the ring status
     * ({@code checksumNotReady}), plus the GSO size of such a TCP super-packet, over IPv4 or IPv6. Other GSO kinds
     * (UDP) carry no size: the core then treats them as it does any oversize frame.
     */
    static int handlerFlags(MemorySegment ring, long headerOffset, boolean checksumNotReady) {
        if (!checksumNotReady) {
            // A super-packet without a partial checksum (GRO on a NIC) holds its first segment's full checksum, not
            // the pseudo-header sum the kernel would complete from: the core cuts it, computing every checksum.
            return 0;
        }
        int gsoType = ring.get(ValueLayout.JAVA_BYTE, headerOffset + GSO_TYPE) & ~GSO_ECN;
        if (gsoType == GSO_TCPV4 || gsoType == GSO_TCPV6) {
            return FrameHandler.tcpSegmentation(ring.get(LE_SHORT, headerOffset + GSO_SIZE) & 0xFFFF);
        }
        return FrameHandler.CHECKSUM_NOT_READY;
    }

    /** Whether a received header asks for the checksum to be completed (the kernel's CHECKSUM_PARTIAL). */
    static boolean needsChecksum(MemorySegment segment, long headerOffset) {
        return (segment.get(ValueLayout.JAVA_BYTE, headerOffset + FLAGS) & F_NEEDS_CSUM) != 0;
    }

    /**
     * Writes the header for an IPv4 or IPv6 packet written to a layer-3 TUN device, the packet right after it
     * (offsets count from the IP header): all zeros when {@code segmentSize} is 0, the packet then being taken as it
     * is, checksums included; else a TCP/IPv4 or TCP/IPv6 super-packet (by the packet's version) of segments of {@code segmentSize} payload bytes whose TCP checksum field holds the
     * pseudo-header sum (NEEDS_CSUM), headers {@code ipHeaderLength + tcpHeaderLength} bytes long.
     */
    static void writeForTun(MemorySegment segment, long headerOffset, int ipHeaderLength, int tcpHeaderLength,
                            int segmentSize) {
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, headerOffset, 0L);
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, headerOffset + Long.BYTES, (short) 0);
        if (segmentSize == 0) {
            return;
        }
        segment.set(ValueLayout.JAVA_BYTE, headerOffset + FLAGS, (byte) F_NEEDS_CSUM);
        // the packet follows the header: its version tells TCPV4 from TCPV6
        boolean ipv6 = (segment.get(ValueLayout.JAVA_BYTE, headerOffset + LENGTH) & 0xF0) == 0x60;
        segment.set(ValueLayout.JAVA_BYTE, headerOffset + GSO_TYPE, (byte) (ipv6 ? GSO_TCPV6 : GSO_TCPV4));
        segment.set(LE_SHORT, headerOffset + HDR_LEN, (short) (ipHeaderLength + tcpHeaderLength));
        segment.set(LE_SHORT, headerOffset + GSO_SIZE, (short) segmentSize);
        segment.set(LE_SHORT, headerOffset + CSUM_START, (short) ipHeaderLength);
        segment.set(LE_SHORT, headerOffset + CSUM_OFFSET, (short) TCP_CHECKSUM_OFFSET);
    }

    /**
     * Writes the header for an IPv4 or IPv6 packet written to a layer-3 TUN device whose TCP or UDP checksum field,
     * {@code checksumField} bytes from the IP header, holds the pseudo-header sum: NEEDS_CSUM from the transport
     * header at {@code transportStart}, no segmentation.
     */
    static void writeChecksumForTun(MemorySegment segment, long headerOffset, int transportStart, int checksumField) {
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, headerOffset, 0L);
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, headerOffset + Long.BYTES, (short) 0);
        segment.set(ValueLayout.JAVA_BYTE, headerOffset + FLAGS, (byte) F_NEEDS_CSUM);
        segment.set(LE_SHORT, headerOffset + HDR_LEN, (short) (checksumField + 2));
        segment.set(LE_SHORT, headerOffset + CSUM_START, (short) transportStart);
        segment.set(LE_SHORT, headerOffset + CSUM_OFFSET, (short) (checksumField - transportStart));
    }

    /**
     * Writes the header for an Ethernet/IPv4 or IPv6 frame sent with handler {@code flags}: zeros for a plain frame;
     * NEEDS_CSUM with the TCP/UDP checksum position for a partial checksum; TCPV4 or TCPV6 with the segment size for
     * a super-packet. Returns false when the flags ask for an offload the frame cannot take (not TCP/UDP right after
     * the IPv4 header or the IPv6 fixed header).
     */
    static boolean write(MemorySegment slot, long headerOffset, MemorySegment frame, long frameOffset, int length,
                         int flags) {
        slot.set(ValueLayout.JAVA_LONG_UNALIGNED, headerOffset, 0L);
        slot.set(ValueLayout.JAVA_SHORT_UNALIGNED, headerOffset + Long.BYTES, (short) 0);
        if ((flags & FrameHandler.CHECKSUM_NOT_READY) == 0) {
            return true;
        }
        int etherType = length < ETHERNET_LENGTH ? 0
                : frame.get(Tpacket.BIG_ENDIAN_SHORT, frameOffset + ETHER_TYPE_OFFSET) & 0xFFFF;
        boolean ipv6 = etherType == ETHER_TYPE_IPV6;
        if (length < ETHERNET_LENGTH + (ipv6 ? IPV6_HEADER_LENGTH : 20) || !ipv6 && etherType != ETHER_TYPE_IPV4) {
            return false;
        }
        long ipOffset = frameOffset + ETHERNET_LENGTH;
        int transportStart = ETHERNET_LENGTH
                + (ipv6 ? IPV6_HEADER_LENGTH : (frame.get(ValueLayout.JAVA_BYTE, ipOffset) & 0x0F) * 4);
        int protocol = frame.get(ValueLayout.JAVA_BYTE, ipOffset + (ipv6 ? IPV6_NEXT_HEADER_OFFSET : IP_PROTOCOL_OFFSET))
                & 0xFF;
        int checksumOffset = protocol == TCP ? TCP_CHECKSUM_OFFSET : protocol == UDP ? UDP_CHECKSUM_OFFSET : -1;
        if (checksumOffset < 0 || transportStart + checksumOffset + 2 > length) {
            return false;
        }
        slot.set(ValueLayout.JAVA_BYTE, headerOffset + FLAGS, (byte) F_NEEDS_CSUM);
        slot.set(LE_SHORT, headerOffset + CSUM_START, (short) transportStart);
        slot.set(LE_SHORT, headerOffset + CSUM_OFFSET, (short) checksumOffset);
        int gsoSize = FrameHandler.gsoSize(flags);
        if (gsoSize == 0) {
            slot.set(LE_SHORT, headerOffset + HDR_LEN, (short) (transportStart + checksumOffset + 2));
            return true;
        }
        if (protocol != TCP || transportStart + TCP_DATA_OFFSET_BYTE >= length) {
            return false;
        }
        int tcpHeaderLength = (frame.get(ValueLayout.JAVA_BYTE, frameOffset + transportStart + TCP_DATA_OFFSET_BYTE)
                >>> 4 & 0x0F) * 4;
        slot.set(ValueLayout.JAVA_BYTE, headerOffset + GSO_TYPE, (byte) (ipv6 ? GSO_TCPV6 : GSO_TCPV4));
        slot.set(LE_SHORT, headerOffset + HDR_LEN, (short) Math.min(length, transportStart + tcpHeaderLength));
        slot.set(LE_SHORT, headerOffset + GSO_SIZE, (short) gsoSize);
        return true;
    }
}
