package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameHandler;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.TcpHeader;
import org.jvs.service.Protocol;

/** The entry check every transmitter makes: an Ethernet frame carrying a valid IPv4 packet. */
final class Ipv4Frames {

    private Ipv4Frames() {
    }

    /** Wraps {@code ip} over the frame's IPv4 packet; false when the frame is not Ethernet/IPv4 or fails validation. */
    static boolean wrap(EthernetHeader ethernet, Ipv4Header ip, MemorySegment frame, long offset, int length) {
        if (length < EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH || offset < 0
                || offset + EthernetHeader.LENGTH > frame.byteSize()) {
            return false;
        }
        if (ethernet.wrap(frame, offset).etherType() != EthernetHeader.TYPE_IPV4) {
            return false;
        }
        return ip.wrap(frame, ethernet.payloadOffset()).validate(length - EthernetHeader.LENGTH) == Ipv4Header.OK;
    }

    /**
     * The longest IP datagram the wrapped packet puts on the wire: its total length, or for a TCP super-packet
     * ({@code flags} with a GSO size) its headers plus one segment's payload. Zero when the flags claim GSO for
     * something that is not a TCP packet with a complete header (such a packet cannot be forwarded whole).
     * {@code tcp} is the caller's flyweight, wrapped over the TCP header here.
     */
    static int wireLength(Ipv4Header ip, TcpHeader tcp, int flags) {
        int gsoSize = FrameHandler.gsoSize(flags);
        if (gsoSize == 0) {
            return ip.totalLength();
        }
        int transportLength = ip.payloadLength();
        if (ip.protocol() != Protocol.TCP || transportLength < TcpHeader.MIN_LENGTH) {
            return 0;
        }
        int tcpHeaderLength = tcp.wrap(ip.segment(), ip.payloadOffset()).headerLength();
        if (tcpHeaderLength < TcpHeader.MIN_LENGTH || tcpHeaderLength > transportLength) {
            return 0;
        }
        return Math.min(ip.totalLength(), ip.headerLength() + tcpHeaderLength + gsoSize);
    }
}
