package org.jvs.linux;

import java.nio.ByteOrder;

import static org.jvs.linux.BpfAssembler.B;
import static org.jvs.linux.BpfAssembler.DW;
import static org.jvs.linux.BpfAssembler.H;
import static org.jvs.linux.BpfAssembler.JEQ;
import static org.jvs.linux.BpfAssembler.JGT;
import static org.jvs.linux.BpfAssembler.JLT;
import static org.jvs.linux.BpfAssembler.JNE;
import static org.jvs.linux.BpfAssembler.JSET;
import static org.jvs.linux.BpfAssembler.R0;
import static org.jvs.linux.BpfAssembler.R1;
import static org.jvs.linux.BpfAssembler.R10;
import static org.jvs.linux.BpfAssembler.R2;
import static org.jvs.linux.BpfAssembler.R3;
import static org.jvs.linux.BpfAssembler.R4;
import static org.jvs.linux.BpfAssembler.R6;
import static org.jvs.linux.BpfAssembler.R7;
import static org.jvs.linux.BpfAssembler.R8;
import static org.jvs.linux.BpfAssembler.R9;
import static org.jvs.linux.BpfAssembler.W;

/**
 * The {@link KernelGuard}'s sched_cls program, in the order a packet meets its checks:
 * <ol>
 * <li>to a virtual service (protocol, daddr, dport): drop;</li>
 * <li>from a NAT real server (protocol, saddr, sport): drop, unless daddr is one of the host's own addresses: then
 * it answers the director's own connection (a health check) and goes on to step 3;</li>
 * <li>from a full-NAT real server: drop if daddr is a local address (LIP) and dport lies in the full-NAT port
 * range, since only full-NAT replies are addressed there; pass anything else (health checks use ephemeral ports
 * outside the range).</li>
 * </ol>
 * The host and LIP checks run only after a real-server hit, so traffic unrelated to real servers costs what it
 * did before. An entry with port 0 matches every port (port-zero persistent services). A later fragment (offset
 * above 0) carries no ports: it meets the same checks with the fragment key of its addresses (port 0, the last key
 * byte {@link #FRAGMENT_MARK}), which the guard holds while any port of that protocol and address is held, and the
 * full-NAT check without the port range. The director makes such datagrams whole itself.
 * <p>
 * IPv6 meets the same checks in maps of its own (keys of 16-byte addresses), for TCP or UDP directly after the fixed
 * header, or a fragment header there: every fragment of IPv6 (the first one too, whose ports lie beyond the fragment
 * header) is judged by the fragment key of the protocol its fragment header names, so the kernel gets either all of
 * a datagram's fragments or none. Anything else - ICMPv6 and so Neighbour Discovery, other extension headers - passes:
 * the director does not forward datagrams with extension headers before the upper layer but a fragment header.
 */
final class GuardProgram {
    /** What the program returns: drop, or carry on to the next tcx program and the stack (TC_ACT_UNSPEC). */
    static final int TCX_DROP = 2;
    static final int TCX_NEXT = -1;

    /** IPv4 service and real-server keys: address (4, big-endian), port (2, big-endian), protocol (1), mark (1). */
    static final int KEY_SIZE = 8;
    static final int KEY_ADDRESS = 0;
    static final int KEY_PORT = 4;
    static final int KEY_PROTOCOL = 6;
    /** IPv6 keys: address (16), port (2, big-endian), protocol (1), mark (1). */
    static final int KEY6_SIZE = 20;
    static final int KEY6_PORT = 16;
    static final int KEY6_PROTOCOL = 18;
    /** The last key byte of a fragment key: every fragment of that protocol to or from that address. */
    static final int FRAGMENT_MARK = 1;
    /** Host-address and LIP keys: the address alone, big-endian. */
    static final int ADDRESS_KEY_SIZE = 4;
    static final int ADDRESS6_KEY_SIZE = 16;
    /** The port range map: one array entry of two native-order ints, lowest then highest, both included. */
    static final int PORT_RANGE_LOWEST = 0;
    static final int PORT_RANGE_HIGHEST = 4;
    static final int PORT_RANGE_SIZE = 8;

    /** struct __sk_buff offsets the verifier rewrites into the real skb's data pointers. */
    private static final int SKB_DATA = 76;
    private static final int SKB_DATA_END = 80;
    private static final int ETH_TYPE = 12;
    private static final int ETH_HEADER = 14;
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86DD;
    private static final int IP_VERSION_IHL = ETH_HEADER;
    private static final int IP_FRAGMENT = ETH_HEADER + 6;
    private static final int IP_PROTOCOL = ETH_HEADER + 9;
    private static final int IP_SADDR = ETH_HEADER + 12;
    private static final int IP_DADDR = ETH_HEADER + 16;
    private static final int IP_MIN_HEADER = 20;
    private static final int IP_FRAGMENT_OFFSET_MASK = 0x1FFF;
    private static final int IPV6_NEXT_HEADER = ETH_HEADER + 6;
    private static final int IPV6_SADDR = ETH_HEADER + 8;
    private static final int IPV6_DADDR = ETH_HEADER + 24;
    private static final int IPV6_HEADER = 40;
    /** struct frag_hdr { __u8 nexthdr; __u8 reserved; __be16 frag_off; __be32 identification; } */
    private static final int FRAGMENT_HEADER = 8;
    private static final int NEXTHDR_FRAGMENT = 44;
    private static final int L4_SPORT = 0;
    private static final int L4_DPORT = 2;
    private static final int L4_PORTS = 4;
    private static final int HELPER_MAP_LOOKUP_ELEM = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    /** A port offset meaning: look the address up with port 0, the key of an any-port entry. */
    private static final int ANY_PORT = -1;
    /** Stack slots below r10: the IPv4 8-byte key, the 4-byte address or array index key, the IPv6 keys. */
    private static final int KEY_AT = -KEY_SIZE;
    private static final int SHORT_KEY_AT = KEY_AT - ADDRESS_KEY_SIZE;
    private static final int KEY6_AT = -40;
    private static final int ADDRESS6_KEY_AT = KEY6_AT - ADDRESS6_KEY_SIZE;

    /** The fds of the maps the program reads: one set per family, the port range and drop count shared. */
    record Maps(FamilyMaps ipv4, FamilyMaps ipv6, int fullNatPorts, int drops) {
    }

    /** The fds of one family's maps. */
    record FamilyMaps(int services, int natRealServers, int hostAddresses, int fullNatRealServers, int localAddresses) {
    }

    /** Where one family's addresses lie in the frame and its keys on the stack. */
    private record Family(FamilyMaps maps, int addressBytes, int saddr, int daddr, int keyAt, int keyPort,
                          int addressKeyAt) {
    }

    private GuardProgram() {
    }

    /** A big-endian 16-bit wire constant as a native-order load of those two bytes yields it. */
    static int wire16(int value) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? value : Short.reverseBytes((short) value) & 0xFFFF;
    }

    /**
     * r7 = packet start, r8 = packet end then the L4 header, r9 = IP protocol (for a fragment: the protocol of the
     * datagram). Every load from the packet is preceded by a comparison against data_end, which is what lets the
     * verifier accept it; the IPv4 L4 header sits at a variable offset (IHL), which the verifier tracks as the
     * range [20, 60] of r2.
     */
    static long[] assemble(Maps maps) {
        BpfAssembler asm = new BpfAssembler();
        int pass = asm.newLabel();
        int drop = asm.newLabel();
        int ipv6 = asm.newLabel();
        Family family4 = new Family(maps.ipv4(), 4, IP_SADDR, IP_DADDR, KEY_AT, KEY_PORT, SHORT_KEY_AT);
        Family family6 = new Family(maps.ipv6(), 16, IPV6_SADDR, IPV6_DADDR, KEY6_AT, KEY6_PORT, ADDRESS6_KEY_AT);
        int ports4 = asm.newLabel();
        int fragment4 = asm.newLabel();
        int ports6 = asm.newLabel();
        int fragment6 = asm.newLabel();

        asm.move(R6, R1);
        asm.load(W, R7, R6, SKB_DATA);
        asm.load(W, R8, R6, SKB_DATA_END);
        asm.move(R2, R7);
        asm.addImmediate(R2, ETH_HEADER + IP_MIN_HEADER);
        asm.jump(JGT, R2, R8, pass);

        asm.load(H, R2, R7, ETH_TYPE);
        asm.jumpImmediate(JEQ, R2, wire16(ETH_P_IPV6), ipv6);
        asm.jumpImmediate(JNE, R2, wire16(ETH_P_IP), pass);
        asm.load(B, R2, R7, IP_VERSION_IHL);
        asm.move(R3, R2);
        asm.andImmediate(R3, 0xF0);
        asm.jumpImmediate(JNE, R3, 0x40, pass);
        asm.andImmediate(R2, 0x0F);
        asm.jumpImmediate(JLT, R2, 5, pass);
        asm.shiftLeftImmediate(R2, 2);
        asm.load(B, R9, R7, IP_PROTOCOL);
        asm.load(H, R3, R7, IP_FRAGMENT);
        asm.jumpImmediate(JSET, R3, wire16(IP_FRAGMENT_OFFSET_MASK), fragment4);
        asm.jumpImmediate(JEQ, R9, IPPROTO_TCP, ports4);
        asm.jumpImmediate(JNE, R9, IPPROTO_UDP, pass);
        asm.bind(ports4);
        asm.move(R3, R7);
        asm.add(R3, R2);
        asm.addImmediate(R3, ETH_HEADER);
        checks(asm, family4, maps.fullNatPorts(), fragment4, pass, drop);

        asm.bind(ipv6);
        asm.move(R2, R7);
        asm.addImmediate(R2, ETH_HEADER + IPV6_HEADER);
        asm.jump(JGT, R2, R8, pass);
        asm.load(B, R2, R7, ETH_HEADER);
        asm.andImmediate(R2, 0xF0);
        asm.jumpImmediate(JNE, R2, 0x60, pass);
        asm.load(B, R9, R7, IPV6_NEXT_HEADER);
        asm.jumpImmediate(JEQ, R9, NEXTHDR_FRAGMENT, fragment6);
        asm.jumpImmediate(JEQ, R9, IPPROTO_TCP, ports6);
        asm.jumpImmediate(JNE, R9, IPPROTO_UDP, pass);
        asm.bind(ports6);
        asm.move(R3, R7);
        asm.addImmediate(R3, ETH_HEADER + IPV6_HEADER);
        int fragmentChecks6 = asm.newLabel();
        checks(asm, family6, maps.fullNatPorts(), fragmentChecks6, pass, drop);
        asm.bind(fragment6);
        asm.move(R2, R7);
        asm.addImmediate(R2, ETH_HEADER + IPV6_HEADER + FRAGMENT_HEADER);
        asm.jump(JGT, R2, R8, pass);
        asm.load(B, R9, R7, ETH_HEADER + IPV6_HEADER);
        asm.jump(fragmentChecks6);

        // every drop is counted: what the kernel never saw, JVS received (or its ring counted as rx_ring_drops)
        asm.bind(drop);
        int dropExit = asm.newLabel();
        asm.storeImmediate(W, R10, SHORT_KEY_AT, 0);
        asm.loadMap(R1, maps.drops());
        asm.move(R2, R10);
        asm.addImmediate(R2, SHORT_KEY_AT);
        asm.call(HELPER_MAP_LOOKUP_ELEM);
        asm.jumpImmediate(JEQ, R0, 0, dropExit);
        asm.moveImmediate(R1, 1);
        asm.atomicAdd(DW, R0, 0, R1);
        asm.jump(dropExit);

        asm.bind(pass);
        asm.moveImmediate(R0, TCX_NEXT);
        asm.exit();
        asm.bind(dropExit);
        asm.moveImmediate(R0, TCX_DROP);
        asm.exit();
        return asm.assemble();
    }

    /**
     * One family's checks. Entered with r3 = the L4 header (ports bounds-checked here), or at {@code fragment}
     * (bound here) for a fragment, r9 the protocol either way; ends in pass or drop.
     */
    private static void checks(BpfAssembler asm, Family family, int fullNatPortsFd, int fragment, int pass, int drop) {
        FamilyMaps maps = family.maps();
        int natReply = asm.newLabel();
        int fullNat = asm.newLabel();
        int fullNatReply = asm.newLabel();
        int natFragment = asm.newLabel();
        int fullNatFragmentCheck = asm.newLabel();
        int fullNatFragment = asm.newLabel();

        asm.move(R4, R3);
        asm.addImmediate(R4, L4_PORTS);
        asm.jump(JGT, R4, R8, pass);
        asm.move(R8, R3);

        lookupPort(asm, family, maps.services(), family.daddr(), L4_DPORT, drop);
        lookupPort(asm, family, maps.services(), family.daddr(), ANY_PORT, drop);
        lookupPort(asm, family, maps.natRealServers(), family.saddr(), L4_SPORT, natReply);
        lookupPort(asm, family, maps.natRealServers(), family.saddr(), ANY_PORT, natReply);
        asm.bind(fullNat);
        lookupPort(asm, family, maps.fullNatRealServers(), family.saddr(), L4_SPORT, fullNatReply);
        lookupPort(asm, family, maps.fullNatRealServers(), family.saddr(), ANY_PORT, fullNatReply);
        asm.jump(pass);

        asm.bind(natReply);
        // a NAT real server answering the host itself: the director's own connection, the kernel's to deliver
        lookupAddress(asm, family, maps.hostAddresses(), family.daddr());
        asm.jumpImmediate(JEQ, R0, 0, drop);
        asm.jump(fullNat);

        asm.bind(fullNatReply);
        asm.storeImmediate(W, R10, SHORT_KEY_AT, 0);
        asm.loadMap(R1, fullNatPortsFd);
        asm.move(R2, R10);
        asm.addImmediate(R2, SHORT_KEY_AT);
        asm.call(HELPER_MAP_LOOKUP_ELEM);
        asm.jumpImmediate(JEQ, R0, 0, pass);
        asm.load(H, R2, R8, L4_DPORT);
        asm.toBigEndian(R2, 16);
        asm.load(W, R3, R0, PORT_RANGE_LOWEST);
        asm.jump(JLT, R2, R3, pass);
        asm.load(W, R3, R0, PORT_RANGE_HIGHEST);
        asm.jump(JGT, R2, R3, pass);
        lookupAddress(asm, family, maps.localAddresses(), family.daddr());
        asm.jumpImmediate(JNE, R0, 0, drop);
        asm.jump(pass);

        asm.bind(fragment);
        lookupFragment(asm, family, maps.services(), family.daddr(), drop);
        lookupFragment(asm, family, maps.natRealServers(), family.saddr(), natFragment);
        asm.bind(fullNatFragmentCheck);
        lookupFragment(asm, family, maps.fullNatRealServers(), family.saddr(), fullNatFragment);
        asm.jump(pass);

        asm.bind(natFragment);
        lookupAddress(asm, family, maps.hostAddresses(), family.daddr());
        asm.jumpImmediate(JEQ, R0, 0, drop);
        asm.jump(fullNatFragmentCheck);

        asm.bind(fullNatFragment);
        lookupAddress(asm, family, maps.localAddresses(), family.daddr());
        asm.jumpImmediate(JNE, R0, 0, drop);
        asm.jump(pass);
    }

    /**
     * Builds the key {address, port, protocol, 0} (port from the packet at portOffset, or 0 for
     * {@link #ANY_PORT}) and goes to found when mapFd holds it.
     */
    private static void lookupPort(BpfAssembler asm, Family family, int mapFd, int addressOffset, int portOffset,
                                   int found) {
        lookupKey(asm, family, mapFd, addressOffset, portOffset, 0, found);
    }

    /** As {@link #lookupPort} with the fragment key {address, 0, protocol, FRAGMENT_MARK} of a later fragment. */
    private static void lookupFragment(BpfAssembler asm, Family family, int mapFd, int addressOffset, int found) {
        lookupKey(asm, family, mapFd, addressOffset, ANY_PORT, FRAGMENT_MARK, found);
    }

    private static void lookupKey(BpfAssembler asm, Family family, int mapFd, int addressOffset, int portOffset,
                                  int mark, int found) {
        int keyAt = family.keyAt();
        copyAddress(asm, family, addressOffset, keyAt);
        if (portOffset == ANY_PORT) {
            asm.storeImmediate(H, R10, keyAt + family.keyPort(), 0);
        } else {
            asm.load(H, R2, R8, portOffset);
            asm.store(H, R10, keyAt + family.keyPort(), R2);
        }
        asm.store(B, R10, keyAt + family.keyPort() + 2, R9);
        asm.storeImmediate(B, R10, keyAt + family.keyPort() + 3, mark);
        asm.loadMap(R1, mapFd);
        asm.move(R2, R10);
        asm.addImmediate(R2, keyAt);
        asm.call(HELPER_MAP_LOOKUP_ELEM);
        asm.jumpImmediate(JNE, R0, 0, found);
    }

    /** r0 = the entry of mapFd for the packet's address at addressOffset, or 0 when there is none. */
    private static void lookupAddress(BpfAssembler asm, Family family, int mapFd, int addressOffset) {
        copyAddress(asm, family, addressOffset, family.addressKeyAt());
        asm.loadMap(R1, mapFd);
        asm.move(R2, R10);
        asm.addImmediate(R2, family.addressKeyAt());
        asm.call(HELPER_MAP_LOOKUP_ELEM);
    }

    /** Copies the packet's address at addressOffset (4 or 16 bytes, as they are) to the stack at stackOffset. */
    private static void copyAddress(BpfAssembler asm, Family family, int addressOffset, int stackOffset) {
        for (int word = 0; word < family.addressBytes(); word += 4) {
            asm.load(W, R2, R7, addressOffset + word);
            asm.store(W, R10, stackOffset + word, R2);
        }
    }
}
