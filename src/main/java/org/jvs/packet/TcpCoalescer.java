package org.jvs.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.service.Protocol;

/**
 * Software receive offload for TCP/IPv4 (as Linux's tcp_gro_receive): consecutive in-order segments of one flow
 * are joined into one "super-packet" whose checksum is left partial, so a receiver that takes segmentation and
 * checksum offload (a TUN device with a virtio_net_hdr) gets one packet where it would have got forty. The
 * receiving TCP then runs once per super-packet instead of once per segment, which is what makes kernel
 * forwarding fast.
 * <p>
 * A segment joins the open batch only when it is what the batch's next segment would be: same addresses, ports,
 * TOS, TTL, acknowledgment, flags and TCP options (byte for byte: timestamps included), the next sequence number,
 * and no more payload than the first segment carried (the segment size the super-packet announces). A shorter
 * segment, or one with PSH or FIN, joins as the last one. SYN, RST, URG, CWR, IP options, fragments, packets
 * without DF, segments without payload and segments whose IP or TCP checksum is wrong never join: they close the
 * batch and pass on unchanged (a bad checksum is then the receiver's to find, as it would have been).
 * <p>
 * Joined segments are verified before joining (a partial checksum covers the whole super-packet and would hide a
 * damaged segment). The super-packet keeps the first segment's IP identification and takes the newest window and
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

    private static final int IP_HEADER = Ipv4Header.MIN_LENGTH;
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

    /** Where the open batch's first segment lies: the caller's packet until a second joins, then our buffer. */
    private MemorySegment head;
    private long headOffset;
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

    /** Takes the IPv4 packet {@code packet[offset, offset+length)}; it is joined, held or handed on. */
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

    /** Payload bytes of a segment that may be joined, else 0 (or less): it then travels as it is. */
    private static int joinablePayload(MemorySegment packet, long offset, int length) {
        if (length < IP_HEADER + TcpHeader.MIN_LENGTH
                || NetworkOrder.u8(packet, offset) != VERSION_IHL_WITHOUT_OPTIONS
                || NetworkOrder.u8(packet, offset + PROTOCOL) != Protocol.TCP
                || NetworkOrder.u16(packet, offset + FLAGS_AND_FRAGMENT) != DONT_FRAGMENT
                || NetworkOrder.u16(packet, offset + 2) != length) {
            return 0;
        }
        long tcp = offset + IP_HEADER;
        int tcpHeader = (NetworkOrder.u8(packet, tcp + TCP_DATA_OFFSET) >>> 4) * 4;
        int flags = NetworkOrder.u8(packet, tcp + TCP_FLAGS);
        int payload = length - IP_HEADER - tcpHeader;
        if (tcpHeader < TcpHeader.MIN_LENGTH || payload <= 0
                || (flags & TcpHeader.ACK) == 0 || (flags & NEVER_JOINED) != 0) {
            return 0;
        }
        if (Checksum.sum(packet, offset, IP_HEADER) != ALL_ONES) {
            return 0;
        }
        int source = NetworkOrder.u32(packet, offset + ADDRESSES);
        int destination = NetworkOrder.u32(packet, offset + ADDRESSES + 4);
        long sum = Checksum.pseudoHeaderSum(source, destination, Protocol.TCP, length - IP_HEADER);
        if (Checksum.fold(Checksum.accumulate(sum, packet, tcp, length - IP_HEADER)) != ALL_ONES) {
            return 0;
        }
        return payload;
    }

    private void start(MemorySegment packet, long offset, int length, int payload) {
        head = packet;
        headOffset = offset;
        segments = 1;
        totalLength = length;
        tcpHeaderLength = length - IP_HEADER - payload;
        segmentSize = payload;
        nextSequence = NetworkOrder.u32(packet, offset + IP_HEADER + TCP_SEQUENCE) + payload;
        complete = (NetworkOrder.u8(packet, offset + IP_HEADER + TCP_FLAGS) & LAST_ONLY) != 0;
    }

    /** Whether the segment is the open batch's next one: same flow and headers, next sequence, fits. */
    private boolean follows(MemorySegment packet, long offset, int length, int payload) {
        long tcp = offset + IP_HEADER;
        long headTcp = headOffset + IP_HEADER;
        if (length - IP_HEADER - payload != tcpHeaderLength
                || payload > segmentSize
                || totalLength + payload > Ipv4Header.MAX_TOTAL_LENGTH
                || NetworkOrder.u32(packet, tcp + TCP_SEQUENCE) != nextSequence
                || NetworkOrder.u8(packet, offset + TOS) != NetworkOrder.u8(head, headOffset + TOS)
                || NetworkOrder.u8(packet, offset + TTL) != NetworkOrder.u8(head, headOffset + TTL)
                || NetworkOrder.u32(packet, offset + ADDRESSES) != NetworkOrder.u32(head, headOffset + ADDRESSES)
                || NetworkOrder.u32(packet, offset + ADDRESSES + 4) != NetworkOrder.u32(head, headOffset + ADDRESSES + 4)
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

    private void join(MemorySegment packet, long offset, int length, int payload) {
        if (segments == 1) {
            // the second segment: only now is the first one worth copying
            MemorySegment.copy(head, headOffset, buffer, headroom, totalLength);
            head = buffer;
            headOffset = headroom;
        }
        MemorySegment.copy(packet, offset + length - payload, buffer, headroom + totalLength, payload);
        long tcp = offset + IP_HEADER;
        long headTcp = headroom + IP_HEADER;
        int flags = NetworkOrder.u8(packet, tcp + TCP_FLAGS);
        NetworkOrder.u8(buffer, headTcp + TCP_FLAGS, NetworkOrder.u8(buffer, headTcp + TCP_FLAGS) | (flags & LAST_ONLY));
        NetworkOrder.u16(buffer, headTcp + TCP_WINDOW, NetworkOrder.u16(packet, tcp + TCP_WINDOW));
        totalLength += payload;
        nextSequence += payload;
        segments++;
        complete = payload < segmentSize || (flags & LAST_ONLY) != 0;
    }

    /** IP total length and header checksum for the joined length; the TCP checksum left to the receiver. */
    private void finishSuperPacket() {
        long ip = headroom;
        NetworkOrder.u16(buffer, ip + 2, totalLength);
        NetworkOrder.u16(buffer, ip + Ipv4Header.CHECKSUM_OFFSET, 0);
        NetworkOrder.u16(buffer, ip + Ipv4Header.CHECKSUM_OFFSET, Checksum.compute(buffer, ip, IP_HEADER));
        int source = NetworkOrder.u32(buffer, ip + ADDRESSES);
        int destination = NetworkOrder.u32(buffer, ip + ADDRESSES + 4);
        int pseudo = Checksum.fold(Checksum.pseudoHeaderSum(source, destination, Protocol.TCP, totalLength - IP_HEADER));
        NetworkOrder.u16(buffer, ip + IP_HEADER + TcpHeader.CHECKSUM_OFFSET, pseudo);
    }
}
