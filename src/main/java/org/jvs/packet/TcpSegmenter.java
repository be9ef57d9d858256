package org.jvs.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameHandler;
import org.jvs.service.Protocol;

/**
 * Software TCP segmentation (as tcp_gso_segment): splits a TCP/IPv4 "super-packet" that a sender left to
 * segmentation offload (veth delivers them to AF_PACKET whole) into frames that fit an MTU. Each segment is
 * built in a scratch buffer this segmenter owns and handed to a {@link FrameHandler} before the next one
 * overwrites it; the handler may rewrite it in place.
 * <p>
 * Per segment: IP total length, identification (+1 per segment), header checksum, sequence number advanced by
 * the bytes before it, FIN and PSH only on the last, CWR only on the first, and a full TCP checksum (so the input
 * checksum may be a CHECKSUM_PARTIAL one). Not thread-safe; allocates nothing per call.
 */
public final class TcpSegmenter {
    private static final int SCRATCH_LENGTH = EthernetHeader.LENGTH + Ipv4Header.MAX_TOTAL_LENGTH;
    private static final int LAST_SEGMENT_ONLY = TcpHeader.FIN | TcpHeader.PSH;
    private static final int FIRST_SEGMENT_ONLY = TcpHeader.CWR;

    private final MemorySegment scratch = Arena.ofAuto().allocate(SCRATCH_LENGTH, Long.BYTES);
    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final Ipv4Header segmentIp = new Ipv4Header();
    private final TcpHeader segmentTcp = new TcpHeader();

    /**
     * Splits the Ethernet/IPv4/TCP frame at {@code frame[offset, offset+length)} into frames of at most
     * {@code mtu} IP bytes (plus the Ethernet header) and hands each to {@code handler} with {@code ifindex} and
     * flags 0 (checksums complete). A frame that already fits comes out as one segment with a full checksum.
     * Returns the number of segments handed on, or 0 when the frame is not a valid unfragmented TCP/IPv4 frame
     * or the MTU leaves no room for payload.
     */
    public int segment(int ifindex, MemorySegment frame, long offset, int length, int mtu, FrameHandler handler) {
        int headersLength = parse(frame, offset, length);
        int maxSegmentSize = Math.min(mtu, Ipv4Header.MAX_TOTAL_LENGTH) - headersLength;
        if (headersLength == 0 || maxSegmentSize <= 0) {
            return 0;
        }
        int payloadLength = ip.totalLength() - headersLength;
        int segments = payloadLength == 0 ? 1 : (payloadLength + maxSegmentSize - 1) / maxSegmentSize;
        int frameHeadersLength = EthernetHeader.LENGTH + headersLength;
        long payloadStart = offset + frameHeadersLength;
        int identification = ip.identification();
        int sequence = tcp.sequence();
        int flags = tcp.flags();
        int source = ip.source();
        int destination = ip.destination();

        segmentIp.wrap(scratch, EthernetHeader.LENGTH);
        segmentTcp.wrap(scratch, EthernetHeader.LENGTH + ip.headerLength());
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
            segmentIp.totalLength(headersLength + segmentPayload)
                    .identification((identification + index) & 0xFFFF)
                    .updateHeaderChecksum();
            segmentTcp.sequence(sequence + payloadOffset).flags(segmentFlags);
            segmentTcp.checksum(segmentTcp.computeChecksum(segmentIp.payloadLength(), source, destination));
            handler.onFrame(ifindex, scratch, 0, frameHeadersLength + segmentPayload, 0);
        }
        return segments;
    }

    /** Wraps the flyweights and returns the IP + TCP header length, or 0 when the frame cannot be segmented. */
    private int parse(MemorySegment frame, long offset, int length) {
        if (length < EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH) {
            return 0;
        }
        if (ethernet.wrap(frame, offset).etherType() != EthernetHeader.TYPE_IPV4) {
            return 0;
        }
        ip.wrap(frame, ethernet.payloadOffset());
        if (ip.validate(length - EthernetHeader.LENGTH) != Ipv4Header.OK || ip.isFragment()
                || ip.protocol() != Protocol.TCP || ip.payloadLength() < TcpHeader.MIN_LENGTH) {
            return 0;
        }
        tcp.wrap(frame, ip.payloadOffset());
        int tcpHeaderLength = tcp.headerLength();
        if (tcpHeaderLength < TcpHeader.MIN_LENGTH || tcpHeaderLength > ip.payloadLength()) {
            return 0;
        }
        return ip.headerLength() + tcpHeaderLength;
    }
}
