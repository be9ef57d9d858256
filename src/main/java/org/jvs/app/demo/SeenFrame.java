package org.jvs.app.demo;

import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.UdpHeader;
import org.jvs.service.Protocol;

import java.lang.foreign.MemorySegment;

/**
 * What the demo shows of one captured IPv4 frame: MACs, addresses, protocol, ports and TCP flags, and for an IPIP
 * packet the same of the packet inside (MACs 0 there). Ports are 0 for protocols without them.
 */
public record SeenFrame(long sourceMac, long destinationMac, int source, int destination, int protocol,
                        int sourcePort, int destinationPort, int tcpFlags, SeenFrame inner) {
    /** Decodes the first {@code length} bytes of {@code frame}; null if it is not an IPv4 frame or is cut short. */
    public static SeenFrame decode(MemorySegment frame, int length) {
        if (length < EthernetHeader.LENGTH) {
            return null;
        }
        EthernetHeader ethernet = new EthernetHeader().wrap(frame, 0);
        if (ethernet.etherType() != EthernetHeader.TYPE_IPV4) {
            return null;
        }
        return decodeIp(frame, EthernetHeader.LENGTH, length, ethernet.source(), ethernet.destination());
    }

    private static SeenFrame decodeIp(MemorySegment frame, long offset, int length, long sourceMac,
                                      long destinationMac) {
        if (offset + Ipv4Header.MIN_LENGTH > length) {
            return null;
        }
        Ipv4Header ip = new Ipv4Header().wrap(frame, offset);
        if (ip.version() != 4 || ip.headerLength() < Ipv4Header.MIN_LENGTH || offset + ip.headerLength() > length) {
            return null;
        }
        long transport = ip.payloadOffset();
        int protocol = ip.protocol();
        int sourcePort = 0;
        int destinationPort = 0;
        int flags = 0;
        SeenFrame inner = null;
        // a later fragment carries no transport header: show its addresses only
        boolean firstFragment = ip.fragmentOffset() == 0;
        if (protocol == Protocol.TCP && firstFragment && transport + TcpHeader.MIN_LENGTH <= length) {
            TcpHeader tcp = new TcpHeader().wrap(frame, transport);
            sourcePort = tcp.sourcePort();
            destinationPort = tcp.destinationPort();
            flags = tcp.flags();
        } else if (protocol == Protocol.UDP && firstFragment && transport + UdpHeader.LENGTH <= length) {
            UdpHeader udp = new UdpHeader().wrap(frame, transport);
            sourcePort = udp.sourcePort();
            destinationPort = udp.destinationPort();
        } else if (protocol == Protocol.IPIP && firstFragment) {
            inner = decodeIp(frame, transport, length, 0, 0);
        }
        return new SeenFrame(sourceMac, destinationMac, ip.source(), ip.destination(), protocol, sourcePort,
                destinationPort, flags, inner);
    }

    /** The packet a transport header belongs to: the inner one of an IPIP packet, else this one. */
    public SeenFrame transportPacket() {
        return inner != null ? inner.transportPacket() : this;
    }

    /** A TCP connection request (SYN without ACK). */
    public boolean isSyn() {
        SeenFrame packet = transportPacket();
        return packet.protocol == Protocol.TCP
                && (packet.tcpFlags & (TcpHeader.SYN | TcpHeader.ACK)) == TcpHeader.SYN;
    }

    /** A TCP connection acceptance (SYN and ACK). */
    public boolean isSynAck() {
        SeenFrame packet = transportPacket();
        return packet.protocol == Protocol.TCP
                && (packet.tcpFlags & (TcpHeader.SYN | TcpHeader.ACK)) == (TcpHeader.SYN | TcpHeader.ACK);
    }
}
