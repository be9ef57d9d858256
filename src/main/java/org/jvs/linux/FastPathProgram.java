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
 * The {@link KernelFastPath}'s two programs over one hash map of established flows, which decide each frame once
 * between them, so that a frame is forwarded by exactly one of the kernel and JVS, whatever the map does meanwhile:
 * <ul>
 * <li>{@link #socketFilter}: on every AF_PACKET receive socket. The packet taps run before tc ingress, so it is the
 * first to see a frame: it looks the flow up and returns 0 (not copied into the ring: the kernel forwards it) or the
 * whole frame (JVS forwards it), and leaves that verdict, with a copy of the entry's rewrite, in a per-CPU slot.
 * Returns 0 for outgoing frames too.</li>
 * <li>{@link #forwarder}: sched_cls at tcx ingress, first in line (before the {@link KernelGuard}), on the same CPU
 * just after. It takes the slot's verdict for this frame: a claimed frame gets the connection's rewrite from the
 * slot's copy (even if JVS removed the entry in between: JVS never got the frame), exactly as JVS's transmitters
 * write it (TTL decremented, IP checksum and the TCP/UDP checksum updated incrementally, pseudo-header included, a
 * UDP checksum of 0 kept 0, MACs of the egress port and its neighbour; TUN: inside an IPIP header), and leaves by
 * bpf_redirect; a passed frame goes on (TCX_NEXT) to the guard, even if JVS installed the entry in between (JVS
 * has the frame). Only a frame no JVS socket saw (none open) is decided by the forwarder's own lookup.</li>
 * </ul>
 * Two lookups, one per program, would split their verdicts whenever the map changed between them: a duplicate at
 * install, a loss at removal (seen in CI as 10 001 of 10 000 datagrams).
 * The candidates: an Ethernet IPv4 frame without options, not a fragment, TTL above 1, TCP without SYN, FIN or RST
 * (the director keeps the state machine) or UDP, whose 5-tuple is in the map, and that fits the egress MTU (a TCP
 * super-packet whose segments fit; through a tunnel, with DF); everything else is the director's, which also
 * answers what needs ICMP.
 * Both programs read the frame through bpf_skb_load_bytes into the stack, which works alike for a socket filter
 * (no direct packet access) and a tc program, and write it back with helpers only.
 *
 * <p>Map key (16 bytes): saddr, daddr (big-endian), sport, dport (big-endian), protocol, three zero bytes.
 * Map value ({@link #VALUE_SIZE} bytes): new saddr, new daddr, new sport, new dport (wire order, 0 keeps the
 * field), egress ifindex, destination MAC, source MAC, the longest datagram and super-packet segment that leave
 * whole, the tunnel's outer source and destination (0: no tunnel), then the counters the filter (or the forwarder,
 * for a frame it decided alone) adds to: packets, bytes (IP length, as the director counts them), and
 * bpf_ktime_get_ns of the last packet. Slot ({@link #SLOT_SIZE} bytes): the rewrite at the value's offsets, the key, the ifindex, the
 * verdict.
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
    /** The longest datagram (IP total length, as it arrives) that leaves whole. */
    static final int VALUE_MTU = 28;
    /** The longest segment (IP and TCP headers and the GSO size, as it arrives) of a super-packet that leaves whole. */
    static final int VALUE_SEGMENT_MTU = 30;
    /** TUN: the outer IPv4 header's source and destination (wire order); a destination of 0 means no tunnel. */
    static final int VALUE_TUNNEL_SOURCE = 32;
    static final int VALUE_TUNNEL_DESTINATION = 36;
    static final int VALUE_PACKETS = 40;
    static final int VALUE_BYTES = 48;
    static final int VALUE_LAST_SEEN_NS = 56;
    static final int VALUE_SIZE = 64;
    /** The part of an entry the forwarder rewrites from: everything before the counters. */
    static final int VALUE_REWRITE = VALUE_PACKETS;

    /**
     * The verdict slot (a per-CPU array of one): the rewrite copied from the entry (same offsets as the value), the
     * key and ifindex of the frame it is about, and the verdict.
     */
    static final int SLOT_KEY = VALUE_REWRITE;
    static final int SLOT_IFINDEX = SLOT_KEY + KEY_SIZE;
    static final int SLOT_VERDICT = SLOT_IFINDEX + 4;
    static final int SLOT_SIZE = SLOT_VERDICT + 4;
    /** No frame pending: the forwarder (or, for a frame no packet tap saw, nobody) consumed the last one. */
    static final int VERDICT_NONE = 0;
    /** The filter kept the frame from JVS: the forwarder must forward it, with the slot's rewrite. */
    static final int VERDICT_CLAIMED = 1;
    /** The filter let JVS have the frame: the forwarder must leave it to the guard, entry or not. */
    static final int VERDICT_PASSED = 2;

    /** struct __sk_buff offsets. */
    private static final int SKB_LEN = 0;
    private static final int SKB_PKT_TYPE = 4;
    private static final int SKB_IFINDEX = 40;
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
    private static final int HELPER_SKB_ADJUST_ROOM = 50;
    private static final int ADJ_ROOM_MAC = 1;
    /**
     * bpf_skb_adjust_room: room for an outer IPv4 header after the MAC header; a super-packet becomes SKB_GSO_IPXIP4
     * (segmentable by the kernel, or whole into a peer that takes it) and its GSO size shrinks by the header, so
     * each segment still fits the link as the director's own cutting would make it.
     */
    private static final int ADJ_ROOM_ENCAP_L3_IPV4 = 1 << 1;
    private static final int IPPROTO_IPIP = 4;
    private static final int IP_DONT_FRAGMENT = 0x4000;
    private static final int IP_MAX_TOTAL_LENGTH = 0xFFFF;
    private static final int ECN_CE = 0x03;
    /** The outer IPv4 header a tunnel adds. */
    static final int OUTER_HEADER = 20;
    /** bpf_l4_csum_replace flags: the field is in the pseudo-header; a UDP checksum of 0 stays 0 (none). */
    private static final int F_PSEUDO_HDR = 1 << 4;
    private static final int F_MARK_MANGLED_0 = 1 << 5;

    /**
     * The frame's head on the stack: frame byte i at r10 + FRAME + i. FRAME is 2 modulo 4 so that the IP
     * addresses (frame offsets 26 and 30) are 4-byte aligned, as the verifier demands of stack accesses.
     */
    private static final int FRAME = -66;
    private static final int KEY = -88;
    /** TUN: the new head (Ethernet and the outer IPv4 header) built here, 2 modulo 4 as FRAME. */
    private static final int OUTER = -130;
    /** The verdict array's only index, 0. */
    private static final int SLOT_INDEX = -8;

    private FastPathProgram() {
    }

    /**
     * The tc program: forwards what the socket filter claimed for this frame (from the slot's copy of the entry,
     * whether or not the entry is still there), leaves what it passed to JVS (TCX_NEXT, whether or not an entry has
     * appeared since), and decides alone, with its own lookup, a frame no JVS socket saw. A frame it took but could
     * not forward is counted in {@code dropsFd}'s one element.
     */
    static long[] forwarder(int flowsFd, int slotsFd, int dropsFd) {
        BpfAssembler asm = new BpfAssembler();
        int next = asm.newLabel();
        int shot = asm.newLabel();
        int unclaimed = asm.newLabel();
        int rewrite = asm.newLabel();
        frameKey(asm, next);
        slot(asm, slotsFd, unclaimed);
        pendingVerdict(asm, unclaimed);
        asm.storeImmediate(W, R8, SLOT_VERDICT, VERDICT_NONE);
        asm.jumpImmediate(JNE, R2, VERDICT_CLAIMED, next);
        asm.move(R7, R8);
        asm.jump(rewrite);

        asm.bind(unclaimed);
        flow(asm, flowsFd, next);
        count(asm);

        asm.bind(rewrite);
        // r6 = skb, r7 = the rewrite (entry or slot), r9 = protocol; the frame's head and the key are on the stack
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
        frameBytes(asm, HELPER_SKB_STORE_BYTES, FRAME, REWRITTEN_HEAD, shot);

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
        int redirect = asm.newLabel();
        asm.load(W, R2, R7, VALUE_TUNNEL_DESTINATION);
        asm.jumpImmediate(JEQ, R2, 0, redirect);
        encapsulate(asm, shot);

        asm.bind(redirect);
        asm.load(W, R1, R7, VALUE_IFINDEX);
        asm.moveImmediate(R2, 0);
        asm.call(HELPER_REDIRECT);
        asm.exit();

        asm.bind(shot);
        // a helper failed half way: the frame is neither the old nor the new one, and JVS never had it: counted
        int dropped = asm.newLabel();
        asm.storeImmediate(W, R10, SLOT_INDEX, 0);
        lookup(asm, dropsFd, SLOT_INDEX, dropped);
        asm.moveImmediate(R1, 1);
        asm.atomicAdd(DW, R0, 0, R1);
        asm.bind(dropped);
        asm.moveImmediate(R0, TC_ACT_SHOT);
        asm.exit();
        asm.bind(next);
        asm.moveImmediate(R0, GuardProgram.TCX_NEXT);
        asm.exit();
        return asm.assemble();
    }

    /**
     * The socket filter: decides, once per frame, whether the kernel forwards it (0: not copied into the ring) or JVS
     * does (the whole frame), and leaves that verdict, with a copy of the entry's rewrite, in this CPU's slot for the
     * forwarder, which runs next on this CPU for the same frame (the packet taps come just before tc ingress in
     * __netif_receive_skb_core). A second JVS socket seeing the same frame finds the verdict pending and repeats it.
     * Frames going out (JVS's own and the forwarder's redirects) are never copied: a fanout group's sockets see them,
     * PACKET_IGNORE_OUTGOING being per socket.
     */
    static long[] socketFilter(int flowsFd, int slotsFd) {
        BpfAssembler asm = new BpfAssembler();
        int keep = asm.newLabel();
        int drop = asm.newLabel();
        int decide = asm.newLabel();
        int passed = asm.newLabel();
        asm.load(W, R2, R1, SKB_PKT_TYPE);
        asm.jumpImmediate(JEQ, R2, PACKET_OUTGOING, drop);
        frameKey(asm, keep);
        slot(asm, slotsFd, keep);
        pendingVerdict(asm, decide);
        asm.jumpImmediate(JEQ, R2, VERDICT_CLAIMED, drop);
        asm.jump(keep);

        asm.bind(decide);
        asm.load(DW, R2, R10, KEY);
        asm.store(DW, R8, SLOT_KEY, R2);
        asm.load(DW, R2, R10, KEY + 8);
        asm.store(DW, R8, SLOT_KEY + 8, R2);
        asm.load(W, R2, R6, SKB_IFINDEX);
        asm.store(W, R8, SLOT_IFINDEX, R2);
        flow(asm, flowsFd, passed);
        count(asm);
        for (int offset = 0; offset < VALUE_REWRITE; offset += 8) {
            asm.load(DW, R2, R7, offset);
            asm.store(DW, R8, offset, R2);
        }
        asm.storeImmediate(W, R8, SLOT_VERDICT, VERDICT_CLAIMED);
        asm.bind(drop);
        asm.moveImmediate(R0, 0);
        asm.exit();
        asm.bind(passed);
        asm.storeImmediate(W, R8, SLOT_VERDICT, VERDICT_PASSED);
        asm.bind(keep);
        asm.load(W, R0, R6, SKB_LEN);
        asm.exit();
        return asm.assemble();
    }

    /**
     * Falls through with r6 = skb, r9 = the IP protocol and the frame's key on the stack when the frame is one the
     * fast path could take (IPv4 without options, not a fragment, TTL above 1, UDP, or TCP without SYN, FIN, RST);
     * goes to miss otherwise.
     */
    private static void frameKey(BpfAssembler asm, int miss) {
        int ports = asm.newLabel();
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
    }

    /** r8 = this CPU's verdict slot; goes to missing if the lookup fails (it cannot: index 0 of an array of one). */
    private static void slot(BpfAssembler asm, int slotsFd, int missing) {
        asm.storeImmediate(W, R10, SLOT_INDEX, 0);
        lookup(asm, slotsFd, SLOT_INDEX, missing);
        asm.move(R8, R0);
    }

    /** r0 = the map's value for the key on the stack at r10 + keyOffset; goes to missing when there is none. */
    private static void lookup(BpfAssembler asm, int mapFd, int keyOffset, int missing) {
        asm.loadMap(R1, mapFd);
        asm.move(R2, R10);
        asm.addImmediate(R2, keyOffset);
        asm.call(HELPER_MAP_LOOKUP_ELEM);
        asm.jumpImmediate(JEQ, R0, 0, missing);
    }

    /**
     * Falls through with r2 = the verdict the slot r8 holds for this frame (the same key on the same interface, not
     * yet consumed); goes to none otherwise.
     */
    private static void pendingVerdict(BpfAssembler asm, int none) {
        asm.load(W, R2, R8, SLOT_VERDICT);
        asm.jumpImmediate(JEQ, R2, VERDICT_NONE, none);
        asm.load(DW, R2, R8, SLOT_KEY);
        asm.load(DW, R3, R10, KEY);
        asm.jump(JNE, R2, R3, none);
        asm.load(DW, R2, R8, SLOT_KEY + 8);
        asm.load(DW, R3, R10, KEY + 8);
        asm.jump(JNE, R2, R3, none);
        asm.load(W, R2, R8, SLOT_IFINDEX);
        asm.load(W, R3, R6, SKB_IFINDEX);
        asm.jump(JNE, R2, R3, none);
        asm.load(W, R2, R8, SLOT_VERDICT);
    }

    /** The entry's counters: a packet, its IP length, and now (bpf_ktime_get_ns, System.nanoTime's clock). */
    private static void count(BpfAssembler asm) {
        asm.moveImmediate(R1, 1);
        asm.atomicAdd(DW, R7, VALUE_PACKETS, R1);
        asm.load(H, R1, R10, FRAME + IP_TOTAL_LENGTH);
        asm.toBigEndian(R1, 16);
        asm.atomicAdd(DW, R7, VALUE_BYTES, R1);
        asm.call(HELPER_KTIME_GET_NS);
        asm.store(DW, R7, VALUE_LAST_SEEN_NS, R0);
    }

    /**
     * Falls through with r7 = the flow's entry when the map has the frame's key (from {@link #frameKey}) and the
     * frame fits the entry's MTU; goes to miss otherwise.
     */
    private static void flow(BpfAssembler asm, int flowsFd, int miss) {
        int fits = asm.newLabel();
        int taken = asm.newLabel();
        lookup(asm, flowsFd, KEY, miss);
        asm.move(R7, R0);

        // the MTU: the datagram fits, or it is a TCP super-packet whose segments fit (as Delivery sends them whole)
        asm.load(H, R2, R10, FRAME + IP_TOTAL_LENGTH);
        asm.toBigEndian(R2, 16);
        asm.load(H, R3, R7, VALUE_MTU);
        asm.jump(JLE, R2, R3, fits);
        asm.jumpImmediate(JNE, R9, IPPROTO_TCP, miss);
        asm.load(W, R2, R6, SKB_GSO_SIZE);
        asm.jumpImmediate(JEQ, R2, 0, miss);
        asm.load(B, R4, R10, FRAME + TCP_DATA_OFFSET);
        asm.andImmediate(R4, 0xF0);
        asm.rightShiftImmediate(R4, 2);
        asm.add(R2, R4);
        asm.addImmediate(R2, IP_MIN_HEADER);
        asm.load(H, R3, R7, VALUE_SEGMENT_MTU);
        asm.jump(JGT, R2, R3, miss);
        asm.bind(fits);

        // a tunnel takes DF packets only (whose outer header needs no identification, as ip_select_ident gives
        // none), whose outer length still fits its field, and no UDP super-packet
        asm.load(W, R2, R7, VALUE_TUNNEL_DESTINATION);
        asm.jumpImmediate(JEQ, R2, 0, taken);
        asm.load(H, R2, R10, FRAME + IP_FRAGMENT);
        asm.andImmediate(R2, wire16(IP_DONT_FRAGMENT));
        asm.jumpImmediate(JEQ, R2, 0, miss);
        asm.load(H, R2, R10, FRAME + IP_TOTAL_LENGTH);
        asm.toBigEndian(R2, 16);
        asm.jumpImmediate(JGT, R2, IP_MAX_TOTAL_LENGTH - OUTER_HEADER, miss);
        asm.jumpImmediate(JEQ, R9, IPPROTO_TCP, taken);
        asm.load(W, R2, R6, SKB_GSO_SIZE);
        asm.jumpImmediate(JNE, R2, 0, miss);
        asm.bind(taken);
    }

    /**
     * TUN (after the inner packet's TTL and checksum were done): puts the outer IPv4 header in front, as
     * TunnelTransmitter writes it for IPIP: TOS from the inner one (CE sent as ECT(0)), DF, identification 0, the
     * inner TTL, protocol 4, the entry's addresses; then the MACs. The head is built on the stack from the stacked
     * inner one (MACs already the new ones), the room made by bpf_skb_adjust_room, and the head stored over it.
     */
    private static void encapsulate(BpfAssembler asm, int shot) {
        for (int i = 0; i < ETH_HEADER; i += 2) {
            asm.load(H, R2, R10, FRAME + i);
            asm.store(H, R10, OUTER + i, R2);
        }
        asm.storeImmediate(B, R10, OUTER + IP_VERSION_IHL, 0x45);
        int tosKept = asm.newLabel();
        asm.load(B, R2, R10, FRAME + IP_VERSION_IHL + 1);
        asm.move(R3, R2);
        asm.andImmediate(R3, ECN_CE);
        asm.jumpImmediate(JNE, R3, ECN_CE, tosKept);
        asm.addImmediate(R2, -1);
        asm.bind(tosKept);
        asm.store(B, R10, OUTER + IP_VERSION_IHL + 1, R2);
        asm.load(H, R2, R10, FRAME + IP_TOTAL_LENGTH);
        asm.toBigEndian(R2, 16);
        asm.addImmediate(R2, OUTER_HEADER);
        asm.toBigEndian(R2, 16);
        asm.store(H, R10, OUTER + IP_TOTAL_LENGTH, R2);
        asm.storeImmediate(H, R10, OUTER + IP_TOTAL_LENGTH + 2, 0);
        asm.storeImmediate(H, R10, OUTER + IP_FRAGMENT, wire16(IP_DONT_FRAGMENT));
        asm.load(B, R2, R10, FRAME + IP_TTL);
        asm.store(B, R10, OUTER + IP_TTL, R2);
        asm.storeImmediate(B, R10, OUTER + IP_TTL + 1, IPPROTO_IPIP);
        asm.storeImmediate(H, R10, OUTER + IP_CHECKSUM, 0);
        asm.load(W, R2, R7, VALUE_TUNNEL_SOURCE);
        asm.store(W, R10, OUTER + IP_SADDR, R2);
        asm.load(W, R2, R7, VALUE_TUNNEL_DESTINATION);
        asm.store(W, R10, OUTER + IP_DADDR, R2);
        // the header checksum: a ones' complement sum is the same in either byte order, so the words are summed
        // as loaded and the result stored as it comes
        asm.moveImmediate(R2, 0);
        for (int i = 0; i < OUTER_HEADER; i += 2) {
            asm.load(H, R3, R10, OUTER + IP_VERSION_IHL + i);
            asm.add(R2, R3);
        }
        for (int fold = 0; fold < 2; fold++) {
            asm.move(R3, R2);
            asm.rightShiftImmediate(R3, 16);
            asm.andImmediate(R2, 0xFFFF);
            asm.add(R2, R3);
        }
        asm.xorImmediate(R2, 0xFFFF);
        asm.store(H, R10, OUTER + IP_CHECKSUM, R2);

        asm.move(R1, R6);
        asm.moveImmediate(R2, OUTER_HEADER);
        asm.moveImmediate(R3, ADJ_ROOM_MAC);
        asm.moveImmediate(R4, ADJ_ROOM_ENCAP_L3_IPV4);
        asm.call(HELPER_SKB_ADJUST_ROOM);
        asm.jumpImmediate(JNE, R0, 0, shot);
        frameBytes(asm, HELPER_SKB_STORE_BYTES, OUTER, ETH_HEADER + OUTER_HEADER, shot);
    }

    /** The frame's first {@code length} bytes onto the stack at FRAME; miss when the frame is shorter. */
    private static void loadHead(BpfAssembler asm, int length, int miss) {
        frameBytes(asm, HELPER_SKB_LOAD_BYTES, FRAME, length, miss);
    }

    /**
     * bpf_skb_load_bytes or bpf_skb_store_bytes (flags 0) between the frame's first {@code length} bytes and the
     * stack at r10 + {@code stackOffset}; goes to failed when the helper fails.
     */
    private static void frameBytes(BpfAssembler asm, int helper, int stackOffset, int length, int failed) {
        asm.move(R1, R6);
        asm.moveImmediate(R2, 0);
        asm.move(R3, R10);
        asm.addImmediate(R3, stackOffset);
        asm.moveImmediate(R4, length);
        asm.moveImmediate(R5, 0);
        asm.call(helper);
        asm.jumpImmediate(JNE, R0, 0, failed);
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
