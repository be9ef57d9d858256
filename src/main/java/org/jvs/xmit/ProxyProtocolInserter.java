package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameHandler;
import org.jvs.packet.Checksum;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.Ipv6Checksum;
import org.jvs.packet.Ipv6Header;
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
 * and virtual addresses and ports. A frame at a CHECKSUM_NOT_READY keeps its partial checksum. IPv4 or IPv6: an IPv6
 * connection's caller hands its header as a {@link Header} (the addresses as two longs each,
 * {@link ProxyProtocolHeader#length6}). Not thread-safe; allocates nothing.
 */
public final class ProxyProtocolInserter {
    /** {@link #toRealServer} when the frame is not a TCP packet this can rewrite, or has no room. */
    public static final int MALFORMED = -1;

    /** A connection's PROXY header, written where the inserter says, its length known before. */
    public interface Header {
        int length();

        void write(MemorySegment segment, long offset);
    }

    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final Ipv6Frames frames6 = new Ipv6Frames(null);
    private final TcpHeader tcp = new TcpHeader();
    private final TcpSequenceAdjuster adjuster = new TcpSequenceAdjuster();
    private final Ipv4Connection ipv4 = new Ipv4Connection();
    /** The wrapped packet's family and TCP length (payload and header). */
    private boolean isIpv6;
    private int tcpLength;

    /** The IPv4 connection's header, from its addresses and ports (set per call). */
    private static final class Ipv4Connection implements Header {
        int version;
        int clientAddress;
        int clientPort;
        int virtualAddress;
        int virtualPort;

        Ipv4Connection set(int version, int clientAddress, int clientPort, int virtualAddress, int virtualPort) {
            this.version = version;
            this.clientAddress = clientAddress;
            this.clientPort = clientPort;
            this.virtualAddress = virtualAddress;
            this.virtualPort = virtualPort;
            return this;
        }

        @Override
        public int length() {
            return ProxyProtocolHeader.length(version, clientAddress, clientPort, virtualAddress, virtualPort);
        }

        @Override
        public void write(MemorySegment segment, long offset) {
            ProxyProtocolHeader.write(version, segment, offset, clientAddress, clientPort, virtualAddress,
                    virtualPort);
        }
    }

    /**
     * How many bytes {@link #toRealServer} will add to this client frame: the header's length when the segment
     * starts the client's byte stream, so that the caller can make room first; 0 otherwise, also for a frame
     * {@link #toRealServer} will refuse. Reads only.
     */
    public int growth(MemorySegment frame, long offset, int length, int clientIsn, int version, int clientAddress,
                      int clientPort, int virtualAddress, int virtualPort) {
        return growth(frame, offset, length, clientIsn,
                ipv4.set(version, clientAddress, clientPort, virtualAddress, virtualPort));
    }

    /** As {@link #growth(MemorySegment, long, int, int, int, int, int, int, int)} for any connection's header. */
    public int growth(MemorySegment frame, long offset, int length, int clientIsn, Header header) {
        if (!wrapTcp(frame, offset, length)) {
            return 0;
        }
        int flags = tcp.flags();
        if ((flags & (TcpHeader.SYN | TcpHeader.RST)) != 0 || tcp.sequence() != clientIsn + 1) {
            return 0;
        }
        boolean payload = tcpLength > tcp.headerLength();
        if (!payload && (flags & TcpHeader.FIN) == 0) {
            return 0;
        }
        return header.length();
    }

    /**
     * Client to real server: inserts the header into the first segment or moves the sequence number of a later
     * one. Returns the frame's length to send (grown by the header length after an insertion: the caller
     * guarantees that much room after the packet in {@code frame}), or {@link #MALFORMED}, frame unchanged.
     */
    public int toRealServer(MemorySegment frame, long offset, int length, int flags, int clientIsn, int version,
                            int clientAddress, int clientPort, int virtualAddress, int virtualPort) {
        return toRealServer(frame, offset, length, flags, clientIsn,
                ipv4.set(version, clientAddress, clientPort, virtualAddress, virtualPort));
    }

    /** As {@link #toRealServer(MemorySegment, long, int, int, int, int, int, int, int, int)} for any header. */
    public int toRealServer(MemorySegment frame, long offset, int length, int flags, int clientIsn, Header header) {
        if (!wrapTcp(frame, offset, length)) {
            return MALFORMED;
        }
        int headerLength = header.length();
        int ipLength = isIpv6 ? frames6.ip.packetLength() : ip.totalLength();
        if (headerLength == 0) {
            return EthernetHeader.LENGTH + ipLength;
        }
        boolean partial = (flags & FrameHandler.CHECKSUM_NOT_READY) != 0;
        int payloadLength = tcpLength - tcp.headerLength();
        int action = adjuster.toServer(frame, tcp.offset(), payloadLength, clientIsn, headerLength, partial);
        if (action == TcpSequenceAdjuster.MALFORMED) {
            return MALFORMED;
        }
        if (action != TcpSequenceAdjuster.INSERT) {
            return EthernetHeader.LENGTH + ipLength;
        }
        long payloadOffset = tcp.offset() + tcp.headerLength();
        int maxLength = isIpv6 ? Ipv6Header.LENGTH + Ipv6Header.MAX_PAYLOAD_LENGTH : Ipv4Header.MAX_TOTAL_LENGTH;
        if (ipLength + headerLength > maxLength || payloadOffset + payloadLength + headerLength > frame.byteSize()) {
            return MALFORMED;
        }
        MemorySegment.copy(frame, payloadOffset, frame, payloadOffset + headerLength, payloadLength);
        header.write(frame, payloadOffset);
        int newTcpLength = tcpLength + headerLength;
        if (isIpv6) {
            Ipv6Header ip6 = frames6.ip;
            ip6.payloadLength(ip6.payloadLength() + headerLength);
        } else {
            ip.headerChecksum(Checksum.update16(ip.headerChecksum(), ip.totalLength(), ipLength + headerLength));
            ip.totalLength(ipLength + headerLength);
        }
        if (partial) {
            // the field holds the pseudo-header sum, whose TCP length grew; the payload is summed at offload
            tcp.checksum(Checksum.updatePartial32(tcp.checksum(), tcpLength, newTcpLength));
        } else if (isIpv6) {
            Ipv6Header ip6 = frames6.ip;
            tcp.checksum(Ipv6Checksum.tcp(frame, tcp.offset(), newTcpLength, ip6.sourceHi(), ip6.sourceLo(),
                    ip6.destinationHi(), ip6.destinationLo()));
        } else {
            // an odd-length v1 header moves the payload's bytes across 16-bit words: nothing to patch, so sum anew
            tcp.checksum(tcp.computeChecksum(newTcpLength, ip.source(), ip.destination()));
        }
        return EthernetHeader.LENGTH + ipLength + headerLength;
    }

    /**
     * Real server to client: acknowledgement and SACK edges back into the client's numbering; on the SYN-ACK the
     * server's MSS option is also lowered by the header length, so that the client's first segment plus the
     * header still fits the path. False, frame unchanged, when it is not an IPv4 TCP packet with sane options.
     */
    public boolean toClient(MemorySegment frame, long offset, int length, int flags, int clientIsn, int version,
                            int clientAddress, int clientPort, int virtualAddress, int virtualPort) {
        return toClient(frame, offset, length, flags, clientIsn,
                ProxyProtocolHeader.length(version, clientAddress, clientPort, virtualAddress, virtualPort));
    }

    /** As {@link #toClient(MemorySegment, long, int, int, int, int, int, int, int, int)} for a header's length. */
    public boolean toClient(MemorySegment frame, long offset, int length, int flags, int clientIsn, int headerLength) {
        if (!wrapTcp(frame, offset, length)) {
            return false;
        }
        boolean partial = (flags & FrameHandler.CHECKSUM_NOT_READY) != 0;
        if (!adjuster.toClient(frame, tcp.offset(), clientIsn, headerLength, partial)) {
            return false;
        }
        if (tcp.hasFlags(TcpHeader.SYN | TcpHeader.ACK)) {
            adjuster.lowerMss(frame, tcp.offset(), headerLength, partial);
        }
        return true;
    }

    /** Wraps the frame's TCP header, IPv4 or IPv6 (extension headers walked), and notes its family and length. */
    private boolean wrapTcp(MemorySegment frame, long offset, int length) {
        long tcpOffset;
        if (length >= EthernetHeader.LENGTH && offset >= 0 && offset + EthernetHeader.LENGTH <= frame.byteSize()
                && ethernet.wrap(frame, offset).etherType() == EthernetHeader.TYPE_IPV6) {
            if (!frames6.wrap(frame, offset, length) || frames6.headers.hasFragmentHeader()
                    || frames6.headers.protocol() != Protocol.TCP) {
                return false;
            }
            isIpv6 = true;
            tcpLength = frames6.upperLayerLength();
            tcpOffset = frames6.headers.upperLayerOffset();
        } else {
            if (!Ipv4Frames.wrap(ethernet, ip, frame, offset, length) || ip.isFragment()
                    || ip.protocol() != Protocol.TCP) {
                return false;
            }
            isIpv6 = false;
            tcpLength = ip.payloadLength();
            tcpOffset = ip.payloadOffset();
        }
        if (tcpLength < TcpHeader.MIN_LENGTH) {
            return false;
        }
        tcp.wrap(frame, tcpOffset);
        int headerLength = tcp.headerLength();
        return headerLength >= TcpHeader.MIN_LENGTH && headerLength <= tcpLength;
    }
}
