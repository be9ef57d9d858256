package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameHandler;
import org.jvs.packet.Checksum;
import org.jvs.packet.Ipv6Checksum;
import org.jvs.packet.TcpHeader;
import org.jvs.packet.UdpHeader;
import org.jvs.service.Protocol;

/**
 * The TCP or UDP header of a packet whose addresses and ports are being rewritten: sets the ports and keeps the
 * checksum right by RFC 1624 updates, for each changed port and each changed pseudo-header address. A partial
 * checksum (CHECKSUM_NOT_READY) holds the pseudo-header sum only, so only addresses touch it; a UDP checksum of zero
 * stays zero. Also serves the truncated header an ICMP error quotes, whose checksum field may lie beyond the quote:
 * then only the ports change. Not thread-safe; allocates nothing.
 */
final class TransportRewrite {
    /** What every quote holds at least (RFC 792): the ports. */
    static final int PORTS_LENGTH = 4;
    private static final int TCP_SEQUENCE_END = 8;
    private static final int TCP_CHECKSUM_END = 18;

    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private boolean isTcp;
    private boolean sequencePresent;
    private boolean checksumPresent;
    private boolean partial;
    /** Over IPv6: a UDP checksum is never "none", and a result of zero goes out as 0xFFFF (RFC 8200 8.1). */
    private boolean ipv6;

    /**
     * Wraps the header of {@code protocol} at {@code offset} of which {@code available} bytes are present;
     * false unless TCP or UDP with at least its ports present.
     */
    boolean wrap(int protocol, MemorySegment segment, long offset, int available, int flags) {
        if (available < PORTS_LENGTH || (protocol != Protocol.TCP && protocol != Protocol.UDP)) {
            return false;
        }
        isTcp = protocol == Protocol.TCP;
        if (isTcp) {
            tcp.wrap(segment, offset);
            sequencePresent = available >= TCP_SEQUENCE_END;
            checksumPresent = available >= TCP_CHECKSUM_END;
        } else {
            udp.wrap(segment, offset);
            sequencePresent = false;
            checksumPresent = available >= UdpHeader.LENGTH;
        }
        partial = (flags & FrameHandler.CHECKSUM_NOT_READY) != 0;
        ipv6 = false;
        return true;
    }

    /** As {@link #wrap} for a header carried by IPv6. */
    boolean wrap6(int protocol, MemorySegment segment, long offset, int available, int flags) {
        if (!wrap(protocol, segment, offset, available, flags)) {
            return false;
        }
        ipv6 = true;
        return true;
    }

    int sourcePort() {
        return isTcp ? tcp.sourcePort() : udp.sourcePort();
    }

    int destinationPort() {
        return isTcp ? tcp.destinationPort() : udp.destinationPort();
    }

    void sourcePort(int port) {
        int old = sourcePort();
        if (isTcp) {
            tcp.sourcePort(port);
        } else {
            udp.sourcePort(port);
        }
        portChanged(old, port);
    }

    void destinationPort(int port) {
        int old = destinationPort();
        if (isTcp) {
            tcp.destinationPort(port);
        } else {
            udp.destinationPort(port);
        }
        portChanged(old, port);
    }

    /** True for TCP when the sequence number is present (a quote may end after the ports). */
    boolean sequencePresent() {
        return sequencePresent;
    }

    /** The TCP sequence number; only when {@link #sequencePresent()}. */
    int sequence() {
        return tcp.sequence();
    }

    /** Sets the TCP sequence number, only when {@link #sequencePresent()}; not in the pseudo-header. */
    void sequence(int sequence) {
        int old = tcp.sequence();
        tcp.sequence(sequence);
        if (checksumPresent && !partial && old != sequence) {
            tcp.checksum(Checksum.update32(tcp.checksum(), old, sequence));
        }
    }

    /** A pseudo-header address (IP source or destination) changed from {@code oldAddress} to {@code newAddress}. */
    void addressChanged(int oldAddress, int newAddress) {
        if (!checksumPresent || oldAddress == newAddress) {
            return;
        }
        if (partial) {
            checksum(Checksum.updatePartial32(checksum(), oldAddress, newAddress));
        } else if (isTcp) {
            tcp.checksum(Checksum.update32(tcp.checksum(), oldAddress, newAddress));
        } else {
            udp.checksum(Checksum.updateUdp32(udp.checksum(), oldAddress, newAddress));
        }
    }

    /** An IPv6 pseudo-header address changed (NAT66, full NAT over IPv6). */
    void addressChanged128(long oldHi, long oldLo, long newHi, long newLo) {
        if (!checksumPresent || oldHi == newHi && oldLo == newLo) {
            return;
        }
        if (partial) {
            checksum(Ipv6Checksum.updatePartial128(checksum(), oldHi, oldLo, newHi, newLo));
        } else if (isTcp) {
            tcp.checksum(Ipv6Checksum.update128(tcp.checksum(), oldHi, oldLo, newHi, newLo));
        } else {
            udp.checksum(Ipv6Checksum.updateUdp128(udp.checksum(), oldHi, oldLo, newHi, newLo));
        }
    }

    private void portChanged(int oldPort, int newPort) {
        if (!checksumPresent || partial || oldPort == newPort) {
            return;
        }
        if (isTcp) {
            tcp.checksum(Checksum.update16(tcp.checksum(), oldPort, newPort));
        } else if (ipv6) {
            udp.checksum(Ipv6Checksum.updateUdp16(udp.checksum(), oldPort, newPort));
        } else {
            udp.checksum(Checksum.updateUdp16(udp.checksum(), oldPort, newPort));
        }
    }

    /** The checksum field as it is (a partial sum under CHECKSUM_NOT_READY). */
    int checksum() {
        return isTcp ? tcp.checksum() : udp.checksum();
    }

    /** Stores the checksum field as given. */
    void checksum(int checksum) {
        if (isTcp) {
            tcp.checksum(checksum);
        } else {
            udp.checksum(checksum);
        }
    }
}
