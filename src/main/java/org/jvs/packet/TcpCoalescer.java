package org.jvs.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.service.Protocol;

/**
 * Software receive offload for TCP over IPv4 and IPv6 (as Linux's tcp_gro_receive): consecutive in-order segments of one flow
 * are joined into one "super-packet" whose checksum is left partial, so a receiver that takes segmentation and
 * checksum offload (a TUN device with a virtio_net_hdr) gets one packet where it would have got forty. The
 * receiving TCP then runs once per super-packet instead of once per segment, which is what makes kernel
 * forwarding fast.
 * <p>
 * A segment joins the open batch only when it is what the batch's next segment would be: same family, addresses,
 * ports, TOS and TTL (IPv6: traffic class, flow label and hop limit), acknowledgment, flags and TCP options (byte for byte: timestamps included), the next sequence number,
 * and no more payload than the first segment carried (the segment size the super-packet announces). A shorter
 * segment, or one with PSH or FIN, joins as the last one. SYN, RST, URG, CWR, IP options, fragments, IPv4
 * packets without DF, IPv6 packets with extension headers, segments without payload and segments whose IP or TCP checksum is wrong never join: they close the
 * batch and pass on unchanged (a bad checksum is then the receiver's to find, as it would have been).
 * <p>
 * Joined segments are verified before joining (a partial checksum covers the whole super-packet and would hide a
 * damaged segment), but for one whose own checksum is partial ({@link PartialChecksum}: its sender left it to
 * offload), which joins unverified as Linux's GRO takes a CHECKSUM_PARTIAL skb. The super-packet keeps the first segment's IPv4 identification and takes the newest window and
 * the PSH/FIN of its last segment; its TCP checksum field holds the pseudo-header sum (CHECKSUM_PARTIAL).
 * <p>
 * Packets given to {@link #add} must stay unchanged until the next {@link #flush}: a batch of one is handed on
 * where it lies, and only copied when a second segment joins. Not thread-safe; allocates nothing per packet.
 */
public final class TcpCoalescer {
    /** Where the coalescer's packets go, in the order they were added. */
    @FunctionalInterface
    public interface Output {
        /**
         * One packet to deliver: {@code buffer[offset, offset+length)}. When {@code segmentSize} is 0 it is a
         * packet given to {@link #add}, unchanged; otherwise a super-packet of {@code segments} TCP segments of at
         * most {@code segmentSize} payload bytes each, in the coalescer's own buffer with at least its headroom
         * free before {@code offset}, TCP checksum partial.
         */
        void packet(MemorySegment buffer, long offset, int length, int segmentSize, int segments);
    }

    private static final int IPV4_HEADER = Ipv4Header.MIN_LENGTH;
    private static final int IPV6_HEADER = Ipv6Header.LENGTH;
    private static final int IPV6_PAYLOAD_LENGTH = 4;
    private static final int IPV6_NEXT_HEADER = 6;
    private static final int IPV6_HOP_LIMIT = 7;
    private static final int IPV6_ADDRESSES = 8;
    private static final int VERSION_IHL_WITHOUT_OPTIONS = 0x45;
    private static final int DONT_FRAGMENT = 0x4000;
    private static final int FLAGS_AND_FRAGMENT = 6;
    private static final int TOS = 1;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int ADDRESSES = 12;
    private static final int TCP_SEQUENCE = 4;
    private static final int TCP_ACKNOWLEDGMENT = 8;
    private static final int TCP_DATA_OFFSET = 12;
    private static final int TCP_FLAGS = 13;
    private static final int TCP_WINDOW = 14;
    /** Flags that make a segment travel alone (Linux flushes on these too; CWR must reach TCP on its segment). */
    private static final int NEVER_JOINED = TcpHeader.SYN | TcpHeader.RST | TcpHeader.URG | TcpHeader.CWR;
    /** Flags a segment may carry as the last of a super-packet. */
    private static final int LAST_ONLY = TcpHeader.PSH | TcpHeader.FIN;
    private static final int ALL_ONES = 0xFFFF;

    private final int headroom;
    private final MemorySegment buffer;
    private final Output output;
    private final Ipv6Header ip6 = new Ipv6Header();

    /** Where the open batch's first segment lies: the caller's packet until a second joins, then our buffer. */
    private MemorySegment head;
    private long headOffset;
    /** The IP header length of the packet {@link #joinablePayload} last looked at: 20 (IPv4) or 40 (IPv6). */
    private int candidateIpHeader;
    /** The open batch's IP header length, which tells its family. */
    private int ipHeader;
    private int segments;
    private int totalLength;
    private int tcpHeaderLength;
    private int segmentSize;
    private int nextSequence;
    /** The batch takes no more segments (its last was short or carried PSH/FIN) and waits only to be flushed. */
    private boolean complete;

    /** headroom: bytes kept free before every super-packet, for a header the output puts in front of it. */
    public TcpCoalescer(int headroom, Output output) {
        this.headroom = headroom;
        this.buffer = Arena.ofAuto().allocate(headroom + Ipv4Header.MAX_TOTAL_LENGTH, Long.BYTES);
        this.output = output;
    }

    /** Takes the IPv4 or IPv6 packet {@code packet[offset, offset+length)}; it is joined, held or handed on. */
    public void add(MemorySegment packet, long offset, int length) {
        int payload = joinablePayload(packet, offset, length);
        if (payload <= 0) {
            flush();
            output.packet(packet, offset, length, 0, 1);
            return;
        }
        if (segments > 0 && !complete && follows(packet, offset, length, payload)) {
            join(packet, offset, length, payload);
        } else {
            flush();
            start(packet, offset, length, payload);
        }
        if (complete) {
            flush();
        }
    }

    /** Hands on the open batch, if any: its one packet unchanged, or the super-packet it has become. */
    public void flush() {
        if (segments == 0) {
            return;
        }
        if (segments == 1) {
            output.packet(head, headOffset, totalLength, 0, 1);
        } else {
            finishSuperPacket();
            output.packet(buffer, headroom, totalLength, segmentSize, segments);
        }
        segments = 0;
    }

    /**
     * Payload bytes of a segment that may be joined, else 0 (or less): it then travels as it is. Sets
     * {@link #candidateIpHeader}.
     */
    private int joinablePayload(MemorySegment packet, long offset, int length) {
        if (length < IPV4_HEADER + TcpHeader.MIN_LENGTH) {
            return 0;
        }
        boolean ipv6 = NetworkOrder.u8(packet, offset) >>> 4 == 6;
        int ip = ipv6 ? IPV6_HEADER : IPV4_HEADER;
        if (ipv6 ? length < IPV6_HEADER + TcpHeader.MIN_LENGTH
                || NetworkOrder.u8(packet, offset + IPV6_NEXT_HEADER) != Protocol.TCP
                || NetworkOrder.u16(packet, offset + IPV6_PAYLOAD_LENGTH) != length - IPV6_HEADER
                : NetworkOrder.u8(packet, offset) != VERSION_IHL_WITHOUT_OPTIONS
                || NetworkOrder.u8(packet, offset + PROTOCOL) != Protocol.TCP
                || NetworkOrder.u16(packet, offset + FLAGS_AND_FRAGMENT) != DONT_FRAGMENT
                || NetworkOrder.u16(packet, offset + 2) != length) {
            return 0;
        }
        long tcp = offset + ip;
        int tcpHeader = (NetworkOrder.u8(packet, tcp + TCP_DATA_OFFSET) >>> 4) * 4;
        int flags = NetworkOrder.u8(packet, tcp + TCP_FLAGS);
        int payload = length - ip - tcpHeader;
        if (tcpHeader < TcpHeader.MIN_LENGTH || payload <= 0
                || (flags & TcpHeader.ACK) == 0 || (flags & NEVER_JOINED) != 0) {
            return 0;
        }
        if (!ipv6 && Checksum.sum(packet, offset, IPV4_HEADER) != ALL_ONES) {
            return 0;
        }
        long pseudo = pseudoHeaderSum(packet, offset, ipv6, length - ip);
        if (NetworkOrder.u16(packet, tcp + TcpHeader.CHECKSUM_OFFSET) != Checksum.fold(pseudo)
                && Checksum.fold(Checksum.accumulate(pseudo, packet, tcp, length - ip)) != ALL_ONES) {
            return 0;
        }
        candidateIpHeader = ip;
        return payload;
    }

    /** The unfolded TCP pseudo-header sum of the IPv4 or IPv6 packet at {@code offset}, {@code tcpLength} long. */
    private long pseudoHeaderSum(MemorySegment packet, long offset, boolean ipv6, int tcpLength) {
        if (ipv6) {
            ip6.wrap(packet, offset);
            return Ipv6Checksum.pseudoHeaderSum(ip6.sourceHi(), ip6.sourceLo(), ip6.destinationHi(),
                    ip6.destinationLo(), Protocol.TCP, tcpLength);
        }
        return Checksum.pseudoHeaderSum(NetworkOrder.u32(packet, offset + ADDRESSES),
                NetworkOrder.u32(packet, offset + ADDRESSES + 4), Protocol.TCP, tcpLength);
    }

    private void start(MemorySegment packet, long offset, int length, int payload) {
        head = packet;
        headOffset = offset;
        segments = 1;
        ipHeader = candidateIpHeader;
        totalLength = length;
        tcpHeaderLength = length - ipHeader - payload;
        segmentSize = payload;
        nextSequence = NetworkOrder.u32(packet, offset + ipHeader + TCP_SEQUENCE) + payload;
        complete = (NetworkOrder.u8(packet, offset + ipHeader + TCP_FLAGS) & LAST_ONLY) != 0;
    }

    /** Whether the segment is the open batch's next one: same flow and headers, next sequence, fits. */
    private boolean follows(MemorySegment packet, long offset, int length, int payload) {
        long tcp = offset + ipHeader;
        long headTcp = headOffset + ipHeader;
        if (candidateIpHeader != ipHeader
                || length - ipHeader - payload != tcpHeaderLength
                || payload > segmentSize
                || totalLength + payload > Ipv4Header.MAX_TOTAL_LENGTH
                || NetworkOrder.u32(packet, tcp + TCP_SEQUENCE) != nextSequence
                || !sameIpFields(packet, offset)
                || NetworkOrder.u32(packet, tcp) != NetworkOrder.u32(head, headTcp)
                || NetworkOrder.u32(packet, tcp + TCP_ACKNOWLEDGMENT) != NetworkOrder.u32(head, headTcp + TCP_ACKNOWLEDGMENT)
                || (NetworkOrder.u8(packet, tcp + TCP_FLAGS) & ~LAST_ONLY) != NetworkOrder.u8(head, headTcp + TCP_FLAGS)) {
            return false;
        }
        for (int option = TcpHeader.MIN_LENGTH; option < tcpHeaderLength; option += 4) {
            if (NetworkOrder.u32(packet, tcp + option) != NetworkOrder.u32(head, headTcp + option)) {
                return false;
            }
        }
        return true;
    }

    /** TOS, TTL and addresses (IPv6: version, traffic class and flow label, hop limit, addresses) as the batch's. */
    private boolean sameIpFields(MemorySegment packet, long offset) {
        boolean ipv6 = ipHeader == IPV6_HEADER;
        int first = ipv6 ? 0 : TOS;
        int second = ipv6 ? IPV6_HOP_LIMIT : TTL;
        if (NetworkOrder.u8(packet, offset + first) != NetworkOrder.u8(head, headOffset + first)
                || NetworkOrder.u8(packet, offset + second) != NetworkOrder.u8(head, headOffset + second)) {
            return false;
        }
        // IPv6: bytes 0-3 (version, class, flow label) and the addresses; IPv4: the addresses
        int from = ipv6 ? 0 : ADDRESSES;
        for (int word = from; word < ipHeader; word += 4) {
            if ((!ipv6 || word < IPV6_PAYLOAD_LENGTH || word >= IPV6_ADDRESSES)
                    && NetworkOrder.u32(packet, offset + word) != NetworkOrder.u32(head, headOffset + word)) {
                return false;
            }
        }
        return true;
    }

    private void join(MemorySegment packet, long offset, int length, int payload) {
        if (segments == 1) {
            // the second segment: only now is the first one worth copying
            MemorySegment.copy(head, headOffset, buffer, headroom, totalLength);
            head = buffer;
            headOffset = headroom;
        }
        MemorySegment.copy(packet, offset + length - payload, buffer, headroom + totalLength, payload);
        long tcp = offset + ipHeader;
        long headTcp = headroom + ipHeader;
        int flags = NetworkOrder.u8(packet, tcp + TCP_FLAGS);
        NetworkOrder.u8(buffer, headTcp + TCP_FLAGS, NetworkOrder.u8(buffer, headTcp + TCP_FLAGS) | (flags & LAST_ONLY));
        NetworkOrder.u16(buffer, headTcp + TCP_WINDOW, NetworkOrder.u16(packet, tcp + TCP_WINDOW));
        totalLength += payload;
        nextSequence += payload;
        segments++;
        complete = payload < segmentSize || (flags & LAST_ONLY) != 0;
    }

    /**
     * IPv4's total length and header checksum (IPv6's payload length) for the joined length; the TCP checksum, as
     * the pseudo-header sum, left to the receiver.
     */
    private void finishSuperPacket() {
        long ip = headroom;
        boolean ipv6 = ipHeader == IPV6_HEADER;
        if (ipv6) {
            NetworkOrder.u16(buffer, ip + IPV6_PAYLOAD_LENGTH, totalLength - IPV6_HEADER);
        } else {
            NetworkOrder.u16(buffer, ip + 2, totalLength);
            NetworkOrder.u16(buffer, ip + Ipv4Header.CHECKSUM_OFFSET, 0);
            NetworkOrder.u16(buffer, ip + Ipv4Header.CHECKSUM_OFFSET, Checksum.compute(buffer, ip, IPV4_HEADER));
        }
        int pseudo = Checksum.fold(pseudoHeaderSum(buffer, ip, ipv6, totalLength - ipHeader));
        NetworkOrder.u16(buffer, ip + ipHeader + TcpHeader.CHECKSUM_OFFSET, pseudo);
    }
}
