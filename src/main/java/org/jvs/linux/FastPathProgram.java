package org.jvs.linux;

import static org.jvs.linux.BpfAssembler.B;
import static org.jvs.linux.BpfAssembler.DW;
import static org.jvs.linux.BpfAssembler.H;
import static org.jvs.linux.BpfAssembler.JEQ;
import static org.jvs.linux.BpfAssembler.JGT;
import static org.jvs.linux.BpfAssembler.JLE;
import static org.jvs.linux.BpfAssembler.JNE;
import static org.jvs.linux.BpfAssembler.JSET;
import static org.jvs.linux.BpfAssembler.R0;
import static org.jvs.linux.BpfAssembler.R1;
import static org.jvs.linux.BpfAssembler.R10;
import static org.jvs.linux.BpfAssembler.R2;
import static org.jvs.linux.BpfAssembler.R3;
import static org.jvs.linux.BpfAssembler.R4;
import static org.jvs.linux.BpfAssembler.R5;
import static org.jvs.linux.BpfAssembler.R6;
import static org.jvs.linux.BpfAssembler.R7;
import static org.jvs.linux.BpfAssembler.R8;
import static org.jvs.linux.BpfAssembler.R9;
import static org.jvs.linux.BpfAssembler.W;
import static org.jvs.linux.GuardProgram.wire16;

/**
 * The {@link KernelFastPath}'s two programs over one hash map of established flows, assembled from one predicate
 * so that they can never disagree on which frames the kernel forwards:
 * <ul>
 * <li>{@link #forwarder}: sched_cls at tcx ingress, first in line (before the {@link KernelGuard}). A frame the
 * predicate takes gets the connection's rewrite, exactly as JVS's transmitters write it (TTL decremented, IP
 * checksum and the TCP/UDP checksum updated incrementally, pseudo-header included, a UDP checksum of 0 kept 0, MACs
 * of the egress port and its neighbour), its entry's counters bumped, and leaves by bpf_redirect; any other frame
 * goes on (TCX_NEXT) to the guard and the stack as before.</li>
 * <li>{@link #socketFilter}: on every AF_PACKET receive socket, returns 0 (not copied into the ring) for the frames
 * the forwarder takes and for outgoing frames, the whole frame for any other. The packet tap runs before tc ingress,
 * so without it JVS would still be woken for every frame the kernel forwards.</li>
 * </ul>
 * The predicate: an Ethernet IPv4 frame without options, not a fragment, TTL above 1, TCP without SYN, FIN or RST
 * (the director keeps the state machine) or UDP, whose 5-tuple is in the map, and that fits the egress MTU (a TCP
 * super-packet whose segments fit); everything else is the director's, which also answers what needs ICMP.
 * Both programs read the frame through bpf_skb_load_bytes into the stack, which works alike for a socket filter
 * (no direct packet access) and a tc program, and write it back with helpers only.
 *
 * <p>Map key (16 bytes): saddr, daddr (big-endian), sport, dport (big-endian), protocol, three zero bytes.
 * Map value ({@link #VALUE_SIZE} bytes): new saddr, new daddr, new sport, new dport (wire order, 0 keeps the
 * field), egress ifindex, destination MAC, source MAC, MTU, then the counters the forwarder adds to: packets,
 * bytes (IP length, as the director counts them), and bpf_ktime_get_ns of the last packet.
 */
final class FastPathProgram {
    static final int TC_ACT_SHOT = 2;

    static final int KEY_SIZE = 16;
    static final int KEY_SADDR = 0;
    static final int KEY_DADDR = 4;
    static final int KEY_SPORT = 8;
    static final int KEY_DPORT = 10;
    static final int KEY_PROTOCOL = 12;

    static final int VALUE_SADDR = 0;
    static final int VALUE_DADDR = 4;
    static final int VALUE_SPORT = 8;
    static final int VALUE_DPORT = 10;
    static final int VALUE_IFINDEX = 12;
    static final int VALUE_DESTINATION_MAC = 16;
    static final int VALUE_SOURCE_MAC = 22;
    static final int VALUE_MTU = 28;
    static final int VALUE_PACKETS = 32;
    static final int VALUE_BYTES = 40;
    static final int VALUE_LAST_SEEN_NS = 48;
    static final int VALUE_SIZE = 56;

    /** struct __sk_buff offsets. */
    private static final int SKB_LEN = 0;
    private static final int SKB_PKT_TYPE = 4;
    private static final int SKB_GSO_SIZE = 176;
    private static final int PACKET_OUTGOING = 4;

    private static final int ETH_HEADER = 14;
    private static final int ETH_TYPE = 12;
    private static final int ETH_P_IP = 0x0800;
    private static final int IP_VERSION_IHL = 14;
    private static final int IP_TOTAL_LENGTH = 16;
    private static final int IP_FRAGMENT = 20;
    private static final int IP_TTL = 22;
    private static final int IP_CHECKSUM = 24;
    private static final int IP_SADDR = 26;
    private static final int IP_DADDR = 30;
    private static final int L4 = 34;
    private static final int L4_SPORT = L4;
    private static final int L4_DPORT = L4 + 2;
    private static final int TCP_DATA_OFFSET = L4 + 12;
    private static final int TCP_FLAGS = L4 + 13;
    private static final int TCP_CHECKSUM = L4 + 16;
    private static final int UDP_CHECKSUM = L4 + 6;
    /** What the predicate reads: Ethernet, IPv4 without options, and the UDP header or the TCP header. */
    private static final int UDP_FRAME_HEAD = L4 + 8;
    private static final int TCP_FRAME_HEAD = L4 + 20;
    /** What the forwarder writes back: MACs, IP header (its checksum unchanged here) and ports. */
    private static final int REWRITTEN_HEAD = L4 + 4;
    private static final int IP_MIN_HEADER = 20;
    /** MF and the fragment offset: any fragment goes to the director. */
    private static final int IP_FRAGMENT_BITS = 0x3FFF;
    private static final int TCP_FIN_SYN_RST = 0x07;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;

    private static final int HELPER_MAP_LOOKUP_ELEM = 1;
    private static final int HELPER_KTIME_GET_NS = 5;
    private static final int HELPER_SKB_STORE_BYTES = 9;
    private static final int HELPER_L3_CSUM_REPLACE = 10;
    private static final int HELPER_L4_CSUM_REPLACE = 11;
    private static final int HELPER_REDIRECT = 23;
    private static final int HELPER_SKB_LOAD_BYTES = 26;
    /** bpf_l4_csum_replace flags: the field is in the pseudo-header; a UDP checksum of 0 stays 0 (none). */
    private static final int F_PSEUDO_HDR = 1 << 4;
    private static final int F_MARK_MANGLED_0 = 1 << 5;

    /**
     * The frame's head on the stack: frame byte i at r10 + FRAME + i. FRAME is 2 modulo 4 so that the IP
     * addresses (frame offsets 26 and 30) are 4-byte aligned, as the verifier demands of stack accesses.
     */
    private static final int FRAME = -66;
    private static final int KEY = -88;

    private FastPathProgram() {
    }

    /** The tc program: forwards what the predicate takes, TCX_NEXT for the rest. */
    static long[] forwarder(int flowsFd) {
        BpfAssembler asm = new BpfAssembler();
        int next = asm.newLabel();
        int shot = asm.newLabel();
        predicate(asm, flowsFd, next);
        // r6 = skb, r7 = the entry, r9 = protocol; the frame's head and the key are on the stack
        asm.moveImmediate(R1, 1);
        asm.atomicAdd(DW, R7, VALUE_PACKETS, R1);
        asm.load(W, R1, R6, SKB_LEN);
        asm.addImmediate(R1, -ETH_HEADER);
        asm.atomicAdd(DW, R7, VALUE_BYTES, R1);
        asm.call(HELPER_KTIME_GET_NS);
        asm.store(DW, R7, VALUE_LAST_SEEN_NS, R0);

        // the new head on the stack: MACs, TTL, addresses, ports
        for (int i = 0; i < 6; i += 2) {
            asm.load(H, R1, R7, VALUE_DESTINATION_MAC + i);
            asm.store(H, R10, FRAME + i, R1);
            asm.load(H, R1, R7, VALUE_SOURCE_MAC + i);
            asm.store(H, R10, FRAME + 6 + i, R1);
        }
        asm.load(H, R8, R10, FRAME + IP_TTL);
        asm.addImmediate(R8, -wire16(0x0100));
        asm.store(H, R10, FRAME + IP_TTL, R8);
        copyIfSet(asm, W, VALUE_SADDR, IP_SADDR);
        copyIfSet(asm, W, VALUE_DADDR, IP_DADDR);
        copyIfSet(asm, H, VALUE_SPORT, L4_SPORT);
        copyIfSet(asm, H, VALUE_DPORT, L4_DPORT);
        asm.move(R1, R6);
        asm.moveImmediate(R2, 0);
        asm.move(R3, R10);
        asm.addImmediate(R3, FRAME);
        asm.moveImmediate(R4, REWRITTEN_HEAD);
        asm.moveImmediate(R5, 0);
        asm.call(HELPER_SKB_STORE_BYTES);
        asm.jumpImmediate(JNE, R0, 0, shot);

        // then the checksums, in the order the transmitters update them: TTL, source, destination, ports
        asm.move(R4, R8);
        asm.andImmediate(R4, 0xFFFF);
        asm.move(R3, R4);
        asm.addImmediate(R3, wire16(0x0100));
        asm.andImmediate(R3, 0xFFFF);
        l3Replace(asm, 2, shot);
        // r8 = the TCP/UDP checksum's offset, r9 = l4_csum_replace's flags for this protocol
        int udp = asm.newLabel();
        int l4Known = asm.newLabel();
        asm.jumpImmediate(JEQ, R9, IPPROTO_UDP, udp);
        asm.moveImmediate(R8, TCP_CHECKSUM);
        asm.moveImmediate(R9, 0);
        asm.jump(l4Known);
        asm.bind(udp);
        asm.moveImmediate(R8, UDP_CHECKSUM);
        asm.moveImmediate(R9, F_MARK_MANGLED_0);
        asm.bind(l4Known);
        replaceAddress(asm, VALUE_SADDR, KEY_SADDR, shot);
        replaceAddress(asm, VALUE_DADDR, KEY_DADDR, shot);
        replacePort(asm, VALUE_SPORT, KEY_SPORT, shot);
        replacePort(asm, VALUE_DPORT, KEY_DPORT, shot);

        asm.load(W, R1, R7, VALUE_IFINDEX);
        asm.moveImmediate(R2, 0);
        asm.call(HELPER_REDIRECT);
        asm.exit();

        asm.bind(shot);
        // a helper failed half way: the frame is neither the old nor the new one
        asm.moveImmediate(R0, TC_ACT_SHOT);
        asm.exit();
        asm.bind(next);
        asm.moveImmediate(R0, GuardProgram.TCX_NEXT);
        asm.exit();
        return asm.assemble();
    }

    /**
     * The socket filter: 0 (not received) for what the forwarder takes and for frames going out (JVS's own and the
     * forwarder's redirects: a fanout group's sockets see them, PACKET_IGNORE_OUTGOING being per socket, and
     * AfPacketPort skips them anyway), the whole frame otherwise.
     */
    static long[] socketFilter(int flowsFd) {
        BpfAssembler asm = new BpfAssembler();
        int keep = asm.newLabel();
        int drop = asm.newLabel();
        asm.load(W, R2, R1, SKB_PKT_TYPE);
        asm.jumpImmediate(JEQ, R2, PACKET_OUTGOING, drop);
        predicate(asm, flowsFd, keep);
        asm.bind(drop);
        asm.moveImmediate(R0, 0);
        asm.exit();
        asm.bind(keep);
        asm.load(W, R0, R6, SKB_LEN);
        asm.exit();
        return asm.assemble();
    }

    /**
     * Falls through with r6 = skb, r7 = the flow's entry and r9 = the IP protocol when the fast path takes the
     * frame; goes to miss otherwise.
     */
    private static void predicate(BpfAssembler asm, int flowsFd, int miss) {
        int ports = asm.newLabel();
        int fits = asm.newLabel();
        asm.move(R6, R1);
        loadHead(asm, UDP_FRAME_HEAD, miss);
        asm.load(H, R2, R10, FRAME + ETH_TYPE);
        asm.jumpImmediate(JNE, R2, wire16(ETH_P_IP), miss);
        asm.load(B, R2, R10, FRAME + IP_VERSION_IHL);
        asm.jumpImmediate(JNE, R2, 0x45, miss);
        asm.load(H, R2, R10, FRAME + IP_FRAGMENT);
        asm.jumpImmediate(JSET, R2, wire16(IP_FRAGMENT_BITS), miss);
        asm.load(B, R2, R10, FRAME + IP_TTL);
        asm.jumpImmediate(JLE, R2, 1, miss);
        asm.load(B, R9, R10, FRAME + IP_TTL + 1);
        asm.jumpImmediate(JEQ, R9, IPPROTO_UDP, ports);
        asm.jumpImmediate(JNE, R9, IPPROTO_TCP, miss);
        loadHead(asm, TCP_FRAME_HEAD, miss);
        asm.load(B, R2, R10, FRAME + TCP_FLAGS);
        asm.jumpImmediate(JSET, R2, TCP_FIN_SYN_RST, miss);

        asm.bind(ports);
        asm.load(W, R2, R10, FRAME + IP_SADDR);
        asm.store(W, R10, KEY + KEY_SADDR, R2);
        asm.load(W, R2, R10, FRAME + IP_DADDR);
        asm.store(W, R10, KEY + KEY_DADDR, R2);
        asm.load(H, R2, R10, FRAME + L4_SPORT);
        asm.store(H, R10, KEY + KEY_SPORT, R2);
        asm.load(H, R2, R10, FRAME + L4_DPORT);
        asm.store(H, R10, KEY + KEY_DPORT, R2);
        asm.store(B, R10, KEY + KEY_PROTOCOL, R9);
        asm.storeImmediate(B, R10, KEY + KEY_PROTOCOL + 1, 0);
        asm.storeImmediate(H, R10, KEY + KEY_PROTOCOL + 2, 0);
        asm.loadMap(R1, flowsFd);
        asm.move(R2, R10);
        asm.addImmediate(R2, KEY);
        asm.call(HELPER_MAP_LOOKUP_ELEM);
        asm.jumpImmediate(JEQ, R0, 0, miss);
        asm.move(R7, R0);

        // the MTU: the datagram fits, or it is a TCP super-packet whose segments fit (as Delivery sends them whole)
        asm.load(H, R2, R10, FRAME + IP_TOTAL_LENGTH);
        asm.toBigEndian(R2, 16);
        asm.load(W, R3, R7, VALUE_MTU);
        asm.jump(JLE, R2, R3, fits);
        asm.jumpImmediate(JNE, R9, IPPROTO_TCP, miss);
        asm.load(W, R2, R6, SKB_GSO_SIZE);
        asm.jumpImmediate(JEQ, R2, 0, miss);
        asm.load(B, R4, R10, FRAME + TCP_DATA_OFFSET);
        asm.andImmediate(R4, 0xF0);
        asm.rightShiftImmediate(R4, 2);
        asm.add(R2, R4);
        asm.addImmediate(R2, IP_MIN_HEADER);
        asm.jump(JGT, R2, R3, miss);
        asm.bind(fits);
    }

    /** The frame's first {@code length} bytes onto the stack at FRAME; miss when the frame is shorter. */
    private static void loadHead(BpfAssembler asm, int length, int miss) {
        asm.move(R1, R6);
        asm.moveImmediate(R2, 0);
        asm.move(R3, R10);
        asm.addImmediate(R3, FRAME);
        asm.moveImmediate(R4, length);
        asm.call(HELPER_SKB_LOAD_BYTES);
        asm.jumpImmediate(JNE, R0, 0, miss);
    }

    /** The stacked frame's field at frameOffset = the entry's at valueOffset, unless that is 0 (keep). */
    private static void copyIfSet(BpfAssembler asm, int size, int valueOffset, int frameOffset) {
        int keep = asm.newLabel();
        asm.load(size, R1, R7, valueOffset);
        asm.jumpImmediate(JEQ, R1, 0, keep);
        asm.store(size, R10, FRAME + frameOffset, R1);
        asm.bind(keep);
    }

    /** bpf_l3_csum_replace(skb, IP checksum, r3 = from, r4 = to, size). */
    private static void l3Replace(BpfAssembler asm, int size, int shot) {
        asm.move(R1, R6);
        asm.moveImmediate(R2, IP_CHECKSUM);
        asm.moveImmediate(R5, size);
        asm.call(HELPER_L3_CSUM_REPLACE);
        asm.jumpImmediate(JNE, R0, 0, shot);
    }

    /** bpf_l4_csum_replace(skb, r8, r3 = from, r4 = to, r9 | flags). */
    private static void l4Replace(BpfAssembler asm, int flags, int shot) {
        asm.move(R1, R6);
        asm.move(R2, R8);
        asm.move(R5, R9);
        asm.orImmediate(R5, flags);
        asm.call(HELPER_L4_CSUM_REPLACE);
        asm.jumpImmediate(JNE, R0, 0, shot);
    }

    /** A rewritten address: the IP checksum, and the TCP/UDP one through the pseudo-header. */
    private static void replaceAddress(BpfAssembler asm, int valueOffset, int keyOffset, int shot) {
        int keep = asm.newLabel();
        asm.load(W, R4, R7, valueOffset);
        asm.jumpImmediate(JEQ, R4, 0, keep);
        asm.load(W, R3, R10, KEY + keyOffset);
        l3Replace(asm, 4, shot);
        asm.load(W, R3, R10, KEY + keyOffset);
        asm.load(W, R4, R7, valueOffset);
        l4Replace(asm, F_PSEUDO_HDR | 4, shot);
        asm.bind(keep);
    }

    private static void replacePort(BpfAssembler asm, int valueOffset, int keyOffset, int shot) {
        int keep = asm.newLabel();
        asm.load(H, R4, R7, valueOffset);
        asm.jumpImmediate(JEQ, R4, 0, keep);
        asm.load(H, R3, R10, KEY + keyOffset);
        l4Replace(asm, 2, shot);
        asm.bind(keep);
    }
}
