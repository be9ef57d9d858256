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

    /**
     * Computes and stores the full L4 checksum of the Ethernet/IPv4 TCP or UDP frame at {@code offset}.
     * Returns false, leaving the frame untouched, when it is not a valid unfragmented IPv4 TCP/UDP packet.
     */
    public boolean complete(MemorySegment frame, long offset, int length) {
        if (length < EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH) {
            return false;
        }
        ethernet.wrap(frame, offset);
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
}
