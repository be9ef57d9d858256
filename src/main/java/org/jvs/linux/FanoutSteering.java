package org.jvs.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.jvs.core.SteeringRules;
import org.jvs.service.Protocol;

/**
 * The classic BPF program that steers each received frame to the data-plane worker owning its connection
 * (PACKET_FANOUT_CBPF), assembled from {@link SteeringRules}: a client's packet by the hash of its address and
 * port (address alone, under the persistence netmask, for a persistent service), a NAT reply by the hash of its
 * destination (the client), a full-NAT reply by its local port. The kernel takes the returned value modulo the
 * number of workers. Fragments go by their addresses alone, so the pieces of a datagram meet on one worker, which
 * reassembles it and hands it on when it is another's; ICMP, ARP and anything else go to worker 0, which does the
 * same. A load past the frame's end ends the program with 0 (worker 0 too). So the program only has to be right
 * for speed: the workers place every packet by the same rules, in Java, when they find no entry for it.
 */
public final class FanoutSteering {
    // classic BPF opcodes (linux/filter.h, linux/bpf_common.h)
    private static final int LD = 0x00;
    private static final int LDX = 0x01;
    private static final int ST = 0x02;
    private static final int ALU = 0x04;
    private static final int JMP = 0x05;
    private static final int RET = 0x06;
    private static final int MISC = 0x07;
    private static final int W = 0x00;
    private static final int H = 0x08;
    private static final int B = 0x10;
    private static final int ABS = 0x20;
    private static final int IND = 0x40;
    private static final int MEM = 0x60;
    private static final int MSH = 0xa0;
    private static final int AND = 0x50;
    private static final int MUL = 0x20;
    private static final int RSH = 0x70;
    private static final int XOR = 0xa0;
    private static final int JA = 0x00;
    private static final int JEQ = 0x10;
    private static final int JGT = 0x20;
    private static final int JGE = 0x30;
    private static final int JSET = 0x40;
    private static final int K = 0x00;
    private static final int X = 0x08;
    private static final int RET_A = 0x10;
    private static final int TAX = 0x00;
    /** Loads relative to the network header and of skb->protocol, whatever skb->data points at. */
    static final int SKF_NET_OFF = -0x100000;
    static final int SKF_AD_PROTOCOL = -0x1000;
    /** The kernel's limit on a classic program (BPF_MAXINSNS). */
    static final int MAX_INSTRUCTIONS = 4096;

    // scratch memory slots
    private static final int M_PROTOCOL = 0;
    private static final int M_SOURCE_PORT = 1;
    private static final int M_DESTINATION_PORT = 2;
    private static final int M_SOURCE = 3;
    private static final int M_DESTINATION = 4;
    private static final int M_HASH = 5;

    private static final int GOLDEN = 0x9E3779B1;
    private static final int MIX = 0x85EBCA6B;

    private record Insn(int code, int jt, int jf, int k, int target) {
    }

    private final List<Insn> program = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();

    private FanoutSteering() {
    }

    /**
     * The program for {@code rules}, as struct sock_filter instructions in the machine's byte order; the rules of
     * persistent services and NAT servers are left out (their packets then reach their worker by hand-off) if
     * the whole would pass the kernel's limit on instructions.
     */
    public static byte[] assemble(SteeringRules rules) {
        byte[] program = new FanoutSteering().build(rules, true);
        return program.length / 8 <= MAX_INSTRUCTIONS ? program : new FanoutSteering().build(rules, false);
    }

    private byte[] build(SteeringRules rules, boolean withEntries) {
        int ipv4 = label();
        int fragment = label();
        int transport = label();
        int localPort = label();
        int notLocal = label();
        int clientIsSource = label();
        int clientIsDestination = label();

        emit(LD | H | ABS, SKF_AD_PROTOCOL);
        jumpIfEqual(0x0800, ipv4);
        emit(RET | K, 0);
        place(ipv4);
        emit(LD | H | ABS, SKF_NET_OFF + 6);
        jumpIfSet(0x3FFF, fragment);
        emit(LD | B | ABS, SKF_NET_OFF + 9);
        emit(ST, M_PROTOCOL);
        jumpIfEqual(Protocol.TCP, transport);
        jumpIfEqual(Protocol.UDP, transport);
        emit(RET | K, 0);

        place(transport);
        emit(LDX | B | MSH, SKF_NET_OFF);
        emit(LD | H | IND, SKF_NET_OFF);
        emit(ST, M_SOURCE_PORT);
        emit(LD | H | IND, SKF_NET_OFF + 2);
        emit(ST, M_DESTINATION_PORT);
        emit(LD | W | ABS, SKF_NET_OFF + 12);
        emit(ST, M_SOURCE);
        emit(LD | W | ABS, SKF_NET_OFF + 16);
        emit(ST, M_DESTINATION);

        int[] locals = rules.localAddresses();
        if (locals.length > 0) {
            emit(LD | MEM, M_DESTINATION_PORT);
            jumpUnless(JGE, rules.lowestLocalPort(), notLocal);
            jumpIf(JGT, rules.highestLocalPort(), notLocal);
            emit(LD | MEM, M_DESTINATION);
            for (int local : locals) {
                jumpIfEqual(local, localPort);
            }
        }
        place(notLocal);

        if (withEntries) {
            for (SteeringRules.Entry entry : rules.serviceEntries()) {
                int next = label();
                matchEntry(entry, M_DESTINATION, M_DESTINATION_PORT, next);
                hash(M_SOURCE, M_SOURCE_PORT, entry.rule());
                place(next);
            }
        }
        emit(LD | MEM, M_DESTINATION);
        for (int vip : rules.virtualAddresses()) {
            jumpIfEqual(vip, clientIsSource);
        }
        if (withEntries) {
            for (SteeringRules.Entry entry : rules.natRealServerEntries()) {
                int next = label();
                matchEntry(entry, M_SOURCE, M_SOURCE_PORT, next);
                hash(M_DESTINATION, M_DESTINATION_PORT, entry.rule());
                place(next);
            }
        }
        place(clientIsDestination);
        hash(M_DESTINATION, M_DESTINATION_PORT, SteeringRules.DEFAULT_RULE);
        place(clientIsSource);
        hash(M_SOURCE, M_SOURCE_PORT, SteeringRules.DEFAULT_RULE);

        place(localPort);
        emit(LD | MEM, M_DESTINATION_PORT);
        emit(RET | RET_A, 0);

        // the pieces of a datagram share source and destination, and nothing else is in every piece
        place(fragment);
        emit(LD | W | ABS, SKF_NET_OFF + 12);
        emit(MISC | TAX, 0);
        emit(LD | W | ABS, SKF_NET_OFF + 16);
        emit(ALU | XOR | X, 0);
        emit(ST, M_SOURCE);
        hash(M_SOURCE, M_SOURCE_PORT, 0xFFFFFFFFL);
        return encode();
    }

    /** Falls through when the packet's (protocol, address, port) is the entry's (port 0: any), else to next. */
    private void matchEntry(SteeringRules.Entry entry, int addressSlot, int portSlot, int next) {
        emit(LD | MEM, addressSlot);
        jumpUnless(JEQ, entry.address(), next);
        emit(LD | MEM, M_PROTOCOL);
        jumpUnless(JEQ, entry.protocol(), next);
        if (entry.port() != 0) {
            emit(LD | MEM, portSlot);
            jumpUnless(JEQ, entry.port(), next);
        }
    }

    /** Returns {@link SteeringRules#hash} of the address and port in these slots. */
    private void hash(int addressSlot, int portSlot, long rule) {
        emit(LD | MEM, addressSlot);
        emit(ALU | AND | K, (int) rule);
        emit(ALU | MUL | K, GOLDEN);
        if ((rule & SteeringRules.BY_PORT) != 0) {
            emit(ST, M_HASH);
            emit(LD | MEM, portSlot);
            emit(MISC | TAX, 0);
            emit(LD | MEM, M_HASH);
            emit(ALU | XOR | X, 0);
            emit(ALU | MUL | K, MIX);
        }
        emit(ST, M_HASH);
        emit(ALU | RSH | K, 16);
        emit(MISC | TAX, 0);
        emit(LD | MEM, M_HASH);
        emit(ALU | XOR | X, 0);
        emit(RET | RET_A, 0);
    }

    // Conditional jumps reach 255 instructions at most: each becomes a skip over an unconditional jump (32 bits).

    private void jumpIfEqual(int k, int target) {
        jumpIf(JEQ, k, target);
    }

    private void jumpIfSet(int k, int target) {
        jumpIf(JSET, k, target);
    }

    private void jumpIf(int condition, int k, int target) {
        program.add(new Insn(JMP | condition | K, 0, 1, k, -1));
        program.add(new Insn(JMP | JA, 0, 0, 0, target));
    }

    private void jumpUnless(int condition, int k, int target) {
        program.add(new Insn(JMP | condition | K, 1, 0, k, -1));
        program.add(new Insn(JMP | JA, 0, 0, 0, target));
    }

    private void emit(int code, int k) {
        program.add(new Insn(code, 0, 0, k, -1));
    }

    private int label() {
        labels.add(-1);
        return labels.size() - 1;
    }

    private void place(int label) {
        labels.set(label, program.size());
    }

    private byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(program.size() * 8).order(ByteOrder.nativeOrder());
        for (int i = 0; i < program.size(); i++) {
            Insn insn = program.get(i);
            int k = insn.target() < 0 ? insn.k() : labels.get(insn.target()) - (i + 1);
            out.putShort((short) insn.code()).put((byte) insn.jt()).put((byte) insn.jf()).putInt(k);
        }
        return out.array();
    }
}
