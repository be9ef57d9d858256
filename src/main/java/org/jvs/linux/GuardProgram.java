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
 */
final class GuardProgram {
    /** What the program returns: drop, or carry on to the next tcx program and the stack (TC_ACT_UNSPEC). */
    static final int TCX_DROP = 2;
    static final int TCX_NEXT = -1;

    /** Service and real-server keys: address (4, big-endian), port (2, big-endian), protocol (1), zero (1). */
    static final int KEY_SIZE = 8;
    static final int KEY_ADDRESS = 0;
    static final int KEY_PORT = 4;
    static final int KEY_PROTOCOL = 6;
    /** The last key byte of a fragment key: every fragment of that protocol to or from that address. */
    static final int FRAGMENT_MARK = 1;
    /** Host-address and LIP keys: the address alone, big-endian. */
    static final int ADDRESS_KEY_SIZE = 4;
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
    private static final int IP_VERSION_IHL = ETH_HEADER;
    private static final int IP_FRAGMENT = ETH_HEADER + 6;
    private static final int IP_PROTOCOL = ETH_HEADER + 9;
    private static final int IP_SADDR = ETH_HEADER + 12;
    private static final int IP_DADDR = ETH_HEADER + 16;
    private static final int IP_MIN_HEADER = 20;
    private static final int IP_FRAGMENT_OFFSET_MASK = 0x1FFF;
    private static final int L4_SPORT = 0;
    private static final int L4_DPORT = 2;
    private static final int L4_PORTS = 4;
    private static final int HELPER_MAP_LOOKUP_ELEM = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    /** A port offset meaning: look the address up with port 0, the key of an any-port entry. */
    private static final int ANY_PORT = -1;
    /** Stack slots below r10: the 8-byte key, then the 4-byte address or array index key. */
    private static final int KEY_AT = -KEY_SIZE;
    private static final int SHORT_KEY_AT = KEY_AT - ADDRESS_KEY_SIZE;

    /** The fds of the maps the program reads. */
    record Maps(int services, int natRealServers, int hostAddresses, int fullNatRealServers, int localAddresses,
                int fullNatPorts, int drops) {
    }

    private GuardProgram() {
    }

    /** A big-endian 16-bit wire constant as a native-order load of those two bytes yields it. */
    static int wire16(int value) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? value : Short.reverseBytes((short) value) & 0xFFFF;
    }

    /**
     * r7 = packet start, r8 = packet end then the L4 header, r9 = IP protocol. Every load from the packet is
     * preceded by a comparison against data_end, which is what lets the verifier accept it; the L4 header sits at
     * a variable offset (IHL), which the verifier tracks as the range [20, 60] of r2.
     */
    static long[] assemble(Maps maps) {
        BpfAssembler asm = new BpfAssembler();
        int pass = asm.newLabel();
        int drop = asm.newLabel();
        int ports = asm.newLabel();
        int natReply = asm.newLabel();
        int fullNat = asm.newLabel();
        int fullNatReply = asm.newLabel();
        int fragment = asm.newLabel();
        int natFragment = asm.newLabel();
        int fullNatFragmentCheck = asm.newLabel();
        int fullNatFragment = asm.newLabel();

        asm.move(R6, R1);
        asm.load(W, R7, R6, SKB_DATA);
        asm.load(W, R8, R6, SKB_DATA_END);
        asm.move(R2, R7);
        asm.addImmediate(R2, ETH_HEADER + IP_MIN_HEADER);
        asm.jump(JGT, R2, R8, pass);

        asm.load(H, R2, R7, ETH_TYPE);
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
        asm.jumpImmediate(JSET, R3, wire16(IP_FRAGMENT_OFFSET_MASK), fragment);
        asm.jumpImmediate(JEQ, R9, IPPROTO_TCP, ports);
        asm.jumpImmediate(JNE, R9, IPPROTO_UDP, pass);

        asm.bind(ports);
        asm.move(R3, R7);
        asm.add(R3, R2);
        asm.addImmediate(R3, ETH_HEADER);
        asm.move(R4, R3);
        asm.addImmediate(R4, L4_PORTS);
        asm.jump(JGT, R4, R8, pass);
        asm.move(R8, R3);

        lookupPort(asm, maps.services(), IP_DADDR, L4_DPORT, drop);
        lookupPort(asm, maps.services(), IP_DADDR, ANY_PORT, drop);
        lookupPort(asm, maps.natRealServers(), IP_SADDR, L4_SPORT, natReply);
        lookupPort(asm, maps.natRealServers(), IP_SADDR, ANY_PORT, natReply);
        asm.bind(fullNat);
        lookupPort(asm, maps.fullNatRealServers(), IP_SADDR, L4_SPORT, fullNatReply);
        lookupPort(asm, maps.fullNatRealServers(), IP_SADDR, ANY_PORT, fullNatReply);
        asm.jump(pass);

        asm.bind(natReply);
        // a NAT real server answering the host itself: the director's own connection, the kernel's to deliver
        lookupAddress(asm, maps.hostAddresses(), IP_DADDR);
        asm.jumpImmediate(JEQ, R0, 0, drop);
        asm.jump(fullNat);

        asm.bind(fullNatReply);
        asm.storeImmediate(W, R10, SHORT_KEY_AT, 0);
        asm.loadMap(R1, maps.fullNatPorts());
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
        lookupAddress(asm, maps.localAddresses(), IP_DADDR);
        asm.jumpImmediate(JNE, R0, 0, drop);

        asm.bind(fragment);
        lookupFragment(asm, maps.services(), IP_DADDR, drop);
        lookupFragment(asm, maps.natRealServers(), IP_SADDR, natFragment);
        asm.bind(fullNatFragmentCheck);
        lookupFragment(asm, maps.fullNatRealServers(), IP_SADDR, fullNatFragment);
        asm.jump(pass);

        asm.bind(natFragment);
        lookupAddress(asm, maps.hostAddresses(), IP_DADDR);
        asm.jumpImmediate(JEQ, R0, 0, drop);
        asm.jump(fullNatFragmentCheck);

        asm.bind(fullNatFragment);
        lookupAddress(asm, maps.localAddresses(), IP_DADDR);
        asm.jumpImmediate(JNE, R0, 0, drop);

        asm.jump(pass);

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
     * Builds the key {address, port, protocol, 0} (port from the packet at portOffset, or 0 for
     * {@link #ANY_PORT}) and goes to found when mapFd holds it.
     */
    private static void lookupPort(BpfAssembler asm, int mapFd, int addressOffset, int portOffset, int found) {
        lookupKey(asm, mapFd, addressOffset, portOffset, 0, found);
    }

    /** As {@link #lookupPort} with the fragment key {address, 0, protocol, FRAGMENT_MARK} of a later fragment. */
    private static void lookupFragment(BpfAssembler asm, int mapFd, int addressOffset, int found) {
        lookupKey(asm, mapFd, addressOffset, ANY_PORT, FRAGMENT_MARK, found);
    }

    private static void lookupKey(BpfAssembler asm, int mapFd, int addressOffset, int portOffset, int mark,
                                  int found) {
        asm.load(W, R2, R7, addressOffset);
        asm.store(W, R10, KEY_AT + KEY_ADDRESS, R2);
        if (portOffset == ANY_PORT) {
            asm.storeImmediate(H, R10, KEY_AT + KEY_PORT, 0);
        } else {
            asm.load(H, R2, R8, portOffset);
            asm.store(H, R10, KEY_AT + KEY_PORT, R2);
        }
        asm.store(B, R10, KEY_AT + KEY_PROTOCOL, R9);
        asm.storeImmediate(B, R10, KEY_AT + KEY_PROTOCOL + 1, mark);
        asm.loadMap(R1, mapFd);
        asm.move(R2, R10);
        asm.addImmediate(R2, KEY_AT);
        asm.call(HELPER_MAP_LOOKUP_ELEM);
        asm.jumpImmediate(JNE, R0, 0, found);
    }

    /** r0 = the entry of mapFd for the packet's address at addressOffset, or 0 when there is none. */
    private static void lookupAddress(BpfAssembler asm, int mapFd, int addressOffset) {
        asm.load(W, R2, R7, addressOffset);
        asm.store(W, R10, SHORT_KEY_AT, R2);
        asm.loadMap(R1, mapFd);
        asm.move(R2, R10);
        asm.addImmediate(R2, SHORT_KEY_AT);
        asm.call(HELPER_MAP_LOOKUP_ELEM);
    }
}
