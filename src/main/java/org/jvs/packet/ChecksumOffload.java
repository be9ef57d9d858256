package org.jvs.packet;

import java.lang.foreign.MemorySegment;

import org.jvs.service.Protocol;

/**
 * Finishes the TCP/UDP checksum of a frame whose sender left it to offload (CHECKSUM_PARTIAL; AF_PACKET reports
 * TP_STATUS_CSUMNOTREADY). Such a frame's checksum field holds only the folded pseudo-header sum, so the full
 * checksum is computed from scratch rather than patched. Must run before any rewrite that updates the checksum
 * incrementally. One instance per data-plane thread: it reuses its flyweights.
 */
public final class ChecksumOffload {
    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();

    /**
     * Computes and stores the full L4 checksum of the Ethernet/IPv4 (or IPv6) TCP or UDP frame at {@code offset}.
     * Returns false, leaving the frame untouched, when it is not a valid unfragmented IPv4 TCP/UDP packet.
     */
    public boolean complete(MemorySegment frame, long offset, int length) {
        if (length < EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH) {
            return false;
        }
        ethernet.wrap(frame, offset);
        if (ethernet.etherType() == EthernetHeader.TYPE_IPV6) {
            return complete6(frame, length);
        }
        if (ethernet.etherType() != EthernetHeader.TYPE_IPV4) {
            return false;
        }
        ip.wrap(frame, ethernet.payloadOffset());
        if (ip.validate(length - EthernetHeader.LENGTH) != Ipv4Header.OK || ip.isFragment()) {
            return false;
        }
        int transportLength = ip.payloadLength();
        long transportOffset = ip.payloadOffset();
        int protocol = ip.protocol();
        if (protocol == Protocol.TCP) {
            if (transportLength < TcpHeader.MIN_LENGTH) {
                return false;
            }
            tcp.wrap(frame, transportOffset);
            int headerLength = tcp.headerLength();
            if (headerLength < TcpHeader.MIN_LENGTH || headerLength > transportLength) {
                return false;
            }
            tcp.checksum(tcp.computeChecksum(transportLength, ip.source(), ip.destination()));
            return true;
        }
        if (protocol == Protocol.UDP) {
            if (transportLength < UdpHeader.LENGTH) {
                return false;
            }
            udp.wrap(frame, transportOffset);
            int udpLength = udp.length();
            if (udpLength < UdpHeader.LENGTH || udpLength > transportLength) {
                return false;
            }
            udp.checksum(udp.computeChecksum(udpLength, ip.source(), ip.destination()));
            return true;
        }
        return false;
    }

    /** As {@link #complete} for IPv6 (an unfragmented packet whose extension headers lead to TCP or UDP). */
    private boolean complete6(MemorySegment frame, int length) {
        ip6.wrap(frame, ethernet.payloadOffset());
        if (ip6.validate(length - EthernetHeader.LENGTH) != Ipv6Header.OK
                || headers.walk(frame, ip6.offset(), ip6.packetLength()) != Ipv6ExtensionHeaders.UPPER_LAYER
                || headers.hasFragmentHeader()) {
            return false;
        }
        long transportOffset = headers.upperLayerOffset();
        int transportLength = (int) (ip6.offset() + ip6.packetLength() - transportOffset);
        int protocol = headers.protocol();
        if (protocol == Protocol.TCP && transportLength >= TcpHeader.MIN_LENGTH) {
            tcp.wrap(frame, transportOffset).checksum(Ipv6Checksum.tcp(frame, transportOffset, transportLength,
                    ip6.sourceHi(), ip6.sourceLo(), ip6.destinationHi(), ip6.destinationLo()));
            return true;
        }
        if (protocol == Protocol.UDP && transportLength >= UdpHeader.LENGTH) {
            udp.wrap(frame, transportOffset).checksum(Ipv6Checksum.udp(frame, transportOffset, transportLength,
                    ip6.sourceHi(), ip6.sourceLo(), ip6.destinationHi(), ip6.destinationLo()));
            return true;
        }
        return false;
    }
}
