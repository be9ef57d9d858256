package org.jvs.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameHandler;
import org.jvs.service.Protocol;

/**
 * Software TCP segmentation (as tcp_gso_segment, for TCP over IPv4 and over IPv6): splits a "super-packet" that a
 * sender left to segmentation offload (veth delivers them to AF_PACKET whole, GSO_TCPV4 or GSO_TCPV6) into frames
 * that fit an MTU. Each segment is built in a scratch buffer this segmenter owns and handed to a
 * {@link FrameHandler} before the next one overwrites it; the handler may rewrite it in place.
 * <p>
 * Per segment: the IP length (IPv4's total length, identification +1 per segment and header checksum; IPv6's payload
 * length, its extension headers copied as they are, as ipv6_gso_segment), the sequence number advanced by the bytes
 * before it, FIN and PSH only on the last, CWR only on the first, and a full TCP checksum over the family's
 * pseudo-header (so the input checksum may be a CHECKSUM_PARTIAL one). Not thread-safe; allocates nothing per call.
 */
public final class TcpSegmenter {
    private static final int SCRATCH_LENGTH = EthernetHeader.LENGTH + Ipv4Header.MAX_TOTAL_LENGTH;
    private static final int LAST_SEGMENT_ONLY = TcpHeader.FIN | TcpHeader.PSH;
    private static final int FIRST_SEGMENT_ONLY = TcpHeader.CWR;

    private final MemorySegment scratch = Arena.ofAuto().allocate(SCRATCH_LENGTH, Long.BYTES);
    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final Ipv6ExtensionHeaders headers6 = new Ipv6ExtensionHeaders();
    private final Ipv4Header segmentIp = new Ipv4Header();
    private final Ipv6Header segmentIp6 = new Ipv6Header();
    private final TcpHeader segmentTcp = new TcpHeader();
    /** Of the frame being cut: IPv6 or IPv4, the IP packet's length, the TCP header's offset from the IP header. */
    private boolean ipv6;
    private int ipLength;
    private int tcpOffset;

    /**
     * Splits the Ethernet/IPv4/TCP or Ethernet/IPv6/TCP frame at {@code frame[offset, offset+length)} into frames of
     * at most {@code mtu} IP bytes (plus the Ethernet header) and hands each to {@code handler} with {@code ifindex}
     * and flags 0 (checksums complete). A frame that already fits comes out as one segment with a full checksum.
     * Returns the number of segments handed on, or 0 when the frame is not a valid unfragmented TCP frame (over
     * IPv6: TCP at the end of the extension headers, no fragment header) or the MTU leaves no room for payload.
     */
    public int segment(int ifindex, MemorySegment frame, long offset, int length, int mtu, FrameHandler handler) {
        int headersLength = parse(frame, offset, length);
        int maxSegmentSize = Math.min(mtu, Ipv4Header.MAX_TOTAL_LENGTH) - headersLength;
        if (headersLength == 0 || maxSegmentSize <= 0) {
            return 0;
        }
        int payloadLength = ipLength - headersLength;
        int segments = payloadLength == 0 ? 1 : (payloadLength + maxSegmentSize - 1) / maxSegmentSize;
        int frameHeadersLength = EthernetHeader.LENGTH + headersLength;
        long payloadStart = offset + frameHeadersLength;
        int identification = ipv6 ? 0 : ip.identification();
        int sequence = tcp.sequence();
        int flags = tcp.flags();

        segmentIp.wrap(scratch, EthernetHeader.LENGTH);
        segmentIp6.wrap(scratch, EthernetHeader.LENGTH);
        segmentTcp.wrap(scratch, EthernetHeader.LENGTH + tcpOffset);
        for (int index = 0; index < segments; index++) {
            int payloadOffset = index * maxSegmentSize;
            int segmentPayload = Math.min(maxSegmentSize, payloadLength - payloadOffset);
            // Headers are copied again for every segment because the handler may have rewritten the previous one.
            MemorySegment.copy(frame, offset, scratch, 0, frameHeadersLength);
            MemorySegment.copy(frame, payloadStart + payloadOffset, scratch, frameHeadersLength, segmentPayload);

            int segmentFlags = flags;
            if (index != segments - 1) {
                segmentFlags &= ~LAST_SEGMENT_ONLY;
            }
            if (index != 0) {
                segmentFlags &= ~FIRST_SEGMENT_ONLY;
            }
            int tcpLength = headersLength - tcpOffset + segmentPayload;
            segmentTcp.sequence(sequence + payloadOffset).flags(segmentFlags);
            if (ipv6) {
                segmentIp6.payloadLength(headersLength - Ipv6Header.LENGTH + segmentPayload);
                segmentTcp.checksum(Ipv6Checksum.tcp(scratch, segmentTcp.offset(), tcpLength, segmentIp6.sourceHi(),
                        segmentIp6.sourceLo(), segmentIp6.destinationHi(), segmentIp6.destinationLo()));
            } else {
                segmentIp.totalLength(headersLength + segmentPayload)
                        .identification((identification + index) & 0xFFFF)
                        .updateHeaderChecksum();
                segmentTcp.checksum(segmentTcp.computeChecksum(tcpLength, segmentIp.source(),
                        segmentIp.destination()));
            }
            handler.onFrame(ifindex, scratch, 0, frameHeadersLength + segmentPayload, 0);
        }
        return segments;
    }

    /**
     * Wraps the flyweights, sets {@link #ipv6}, {@link #ipLength} and {@link #tcpOffset}, and returns the IP (with
     * IPv6's extension headers) + TCP header length, or 0 when the frame cannot be segmented.
     */
    private int parse(MemorySegment frame, long offset, int length) {
        if (length < EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH) {
            return 0;
        }
        int etherType = ethernet.wrap(frame, offset).etherType();
        long ipOffset = ethernet.payloadOffset();
        if (etherType == EthernetHeader.TYPE_IPV4) {
            ipv6 = false;
            ip.wrap(frame, ipOffset);
            if (ip.validate(length - EthernetHeader.LENGTH) != Ipv4Header.OK || ip.isFragment()
                    || ip.protocol() != Protocol.TCP) {
                return 0;
            }
            ipLength = ip.totalLength();
            tcpOffset = ip.headerLength();
        } else if (etherType == EthernetHeader.TYPE_IPV6) {
            ipv6 = true;
            ip6.wrap(frame, ipOffset);
            if (ip6.validate(length - EthernetHeader.LENGTH) != Ipv6Header.OK) {
                return 0;
            }
            ipLength = ip6.packetLength();
            if (headers6.walk(frame, ipOffset, ipLength) != Ipv6ExtensionHeaders.UPPER_LAYER
                    || headers6.hasFragmentHeader() || headers6.protocol() != Protocol.TCP) {
                return 0;
            }
            tcpOffset = (int) (headers6.upperLayerOffset() - ipOffset);
        } else {
            return 0;
        }
        if (ipLength - tcpOffset < TcpHeader.MIN_LENGTH) {
            return 0;
        }
        tcp.wrap(frame, ipOffset + tcpOffset);
        int tcpHeaderLength = tcp.headerLength();
        if (tcpHeaderLength < TcpHeader.MIN_LENGTH || tcpHeaderLength > ipLength - tcpOffset) {
            return 0;
        }
        return tcpOffset + tcpHeaderLength;
    }
}
