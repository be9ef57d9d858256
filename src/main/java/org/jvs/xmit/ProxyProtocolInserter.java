package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameHandler;
import org.jvs.packet.Checksum;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.ProxyProtocolHeader;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.TcpSequenceAdjuster;
import org.jvs.service.Protocol;

/**
 * The PROXY protocol on a NAT or full-NAT TCP connection, one frame at a time, before the transmitter rewrites
 * addresses and ports. The header goes in front of the payload of the client's first segment, the one starting
 * at client ISN + 1, and of every retransmission of it; every later client segment moves up by the header's
 * length and the server's acknowledgements and SACK blocks move back (see {@link TcpSequenceAdjuster}).
 * <p>
 * Like DPVS, a bare ACK never carries the header: the handshake's ACK and the first data segment both start at
 * ISN + 1, so a header in the ACK would be sent twice, and the second copy taken as application data. Unlike
 * DPVS, the first segment is recognised by its sequence number alone, not also by acknowledging only the SYN-ACK,
 * so that protocols where the server speaks first (SMTP, FTP) get the header too.
 * <p>
 * Per connection the caller keeps the client's ISN (the SYN's sequence number) and the PROXY protocol version
 * chosen when the connection was scheduled; the header's length and bytes follow from the connection's client
 * and virtual addresses and ports. A frame at a CHECKSUM_NOT_READY keeps its partial checksum. Not thread-safe;
 * allocates nothing.
 */
public final class ProxyProtocolInserter {
    /** {@link #toRealServer} when the frame is not an IPv4 TCP packet this can rewrite, or has no room. */
    public static final int MALFORMED = -1;

    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final TcpSequenceAdjuster adjuster = new TcpSequenceAdjuster();

    /**
     * How many bytes {@link #toRealServer} will add to this client frame: the header's length when the segment
     * starts the client's byte stream, so that the caller can make room first; 0 otherwise, also for a frame
     * {@link #toRealServer} will refuse. Reads only.
     */
    public int growth(MemorySegment frame, long offset, int length, int clientIsn, int version, int clientAddress,
                      int clientPort, int virtualAddress, int virtualPort) {
        if (!wrapTcp(frame, offset, length)) {
            return 0;
        }
        int flags = tcp.flags();
        if ((flags & (TcpHeader.SYN | TcpHeader.RST)) != 0 || tcp.sequence() != clientIsn + 1) {
            return 0;
        }
        boolean payload = ip.payloadLength() > tcp.headerLength();
        if (!payload && (flags & TcpHeader.FIN) == 0) {
            return 0;
        }
        return ProxyProtocolHeader.length(version, clientAddress, clientPort, virtualAddress, virtualPort);
    }

    /**
     * Client to real server: inserts the header into the first segment or moves the sequence number of a later
     * one. Returns the frame's length to send (grown by the header length after an insertion: the caller
     * guarantees that much room after the packet in {@code frame}), or {@link #MALFORMED}, frame unchanged.
     */
    public int toRealServer(MemorySegment frame, long offset, int length, int flags, int clientIsn, int version,
                            int clientAddress, int clientPort, int virtualAddress, int virtualPort) {
        if (!wrapTcp(frame, offset, length)) {
            return MALFORMED;
        }
        int headerLength = ProxyProtocolHeader.length(version, clientAddress, clientPort, virtualAddress,
                virtualPort);
        if (headerLength == 0) {
            return EthernetHeader.LENGTH + ip.totalLength();
        }
        boolean partial = (flags & FrameHandler.CHECKSUM_NOT_READY) != 0;
        int tcpLength = ip.payloadLength();
        int payloadLength = tcpLength - tcp.headerLength();
        int action = adjuster.toServer(frame, tcp.offset(), payloadLength, clientIsn, headerLength, partial);
        if (action == TcpSequenceAdjuster.MALFORMED) {
            return MALFORMED;
        }
        if (action != TcpSequenceAdjuster.INSERT) {
            return EthernetHeader.LENGTH + ip.totalLength();
        }
        int totalLength = ip.totalLength() + headerLength;
        long payloadOffset = tcp.offset() + tcp.headerLength();
        if (totalLength > Ipv4Header.MAX_TOTAL_LENGTH
                || payloadOffset + payloadLength + headerLength > frame.byteSize()) {
            return MALFORMED;
        }
        MemorySegment.copy(frame, payloadOffset, frame, payloadOffset + headerLength, payloadLength);
        ProxyProtocolHeader.write(version, frame, payloadOffset, clientAddress, clientPort, virtualAddress,
                virtualPort);
        ip.headerChecksum(Checksum.update16(ip.headerChecksum(), ip.totalLength(), totalLength));
        ip.totalLength(totalLength);
        int newTcpLength = tcpLength + headerLength;
        if (partial) {
            // the field holds the pseudo-header sum, whose TCP length grew; the payload is summed at offload
            tcp.checksum(Checksum.updatePartial32(tcp.checksum(), tcpLength, newTcpLength));
        } else {
            // an odd-length v1 header moves the payload's bytes across 16-bit words: nothing to patch, so sum anew
            tcp.checksum(tcp.computeChecksum(newTcpLength, ip.source(), ip.destination()));
        }
        return EthernetHeader.LENGTH + totalLength;
    }

    /**
     * Real server to client: acknowledgement and SACK edges back into the client's numbering; on the SYN-ACK the
     * server's MSS option is also lowered by the header length, so that the client's first segment plus the
     * header still fits the path. False, frame unchanged, when it is not an IPv4 TCP packet with sane options.
     */
    public boolean toClient(MemorySegment frame, long offset, int length, int flags, int clientIsn, int version,
                            int clientAddress, int clientPort, int virtualAddress, int virtualPort) {
        if (!wrapTcp(frame, offset, length)) {
            return false;
        }
        int headerLength = ProxyProtocolHeader.length(version, clientAddress, clientPort, virtualAddress,
                virtualPort);
        boolean partial = (flags & FrameHandler.CHECKSUM_NOT_READY) != 0;
        if (!adjuster.toClient(frame, tcp.offset(), clientIsn, headerLength, partial)) {
            return false;
        }
        if (tcp.hasFlags(TcpHeader.SYN | TcpHeader.ACK)) {
            adjuster.lowerMss(frame, tcp.offset(), headerLength, partial);
        }
        return true;
    }

    private boolean wrapTcp(MemorySegment frame, long offset, int length) {
        if (!Ipv4Frames.wrap(ethernet, ip, frame, offset, length) || ip.isFragment() || ip.protocol() != Protocol.TCP
                || ip.payloadLength() < TcpHeader.MIN_LENGTH) {
            return false;
        }
        tcp.wrap(frame, ip.payloadOffset());
        int headerLength = tcp.headerLength();
        return headerLength >= TcpHeader.MIN_LENGTH && headerLength <= ip.payloadLength();
    }
}
