package org.jvs.linux;

import java.util.Arrays;

/**
 * Writes eBPF programs without a compiler: each instruction is one struct bpf_insn packed into a long exactly as it
 * lies in memory on a little-endian host (opcode in the low byte, then dst/src registers, 16-bit offset, 32-bit
 * immediate). Jumps name labels that may be bound later; {@link #assemble()} patches their offsets.
 */
final class BpfAssembler {
    static final int R0 = 0;
    static final int R1 = 1;
    static final int R2 = 2;
    static final int R3 = 3;
    static final int R4 = 4;
    static final int R5 = 5;
    static final int R6 = 6;
    static final int R7 = 7;
    static final int R8 = 8;
    static final int R9 = 9;
    /** Read-only frame pointer; the program's 512-byte stack lies below it. */
    static final int R10 = 10;

    /** Access sizes. */
    static final int W = 0x00;
    static final int H = 0x08;
    static final int B = 0x10;
    static final int DW = 0x18;

    /** Conditional jump operations. */
    static final int JEQ = 0x10;
    static final int JGT = 0x20;
    static final int JGE = 0x30;
    static final int JSET = 0x40;
    static final int JNE = 0x50;
    static final int JLT = 0xa0;
    static final int JLE = 0xb0;

    private static final int CLASS_LD = 0x00;
    private static final int CLASS_LDX = 0x01;
    private static final int CLASS_ST = 0x02;
    private static final int CLASS_STX = 0x03;
    private static final int CLASS_ALU = 0x04;
    private static final int CLASS_JMP = 0x05;
    private static final int CLASS_ALU64 = 0x07;
    private static final int MODE_IMM = 0x00;
    private static final int MODE_MEM = 0x60;
    private static final int MODE_ATOMIC = 0xc0;
    private static final int ATOMIC_ADD = 0x00;
    private static final int SOURCE_K = 0x00;
    private static final int SOURCE_X = 0x08;
    private static final int ALU_ADD = 0x00;
    private static final int ALU_OR = 0x40;
    private static final int ALU_AND = 0x50;
    private static final int ALU_LSH = 0x60;
    private static final int ALU_RSH = 0x70;
    private static final int ALU_XOR = 0xa0;
    private static final int ALU_MOV = 0xb0;
    private static final int ALU_END = 0xd0;
    /** With ALU_END: convert from host order to big-endian (a swap on little-endian hosts, a no-op on others). */
    private static final int SOURCE_TO_BE = 0x08;
    private static final int JMP_JA = 0x00;
    private static final int JMP_CALL = 0x80;
    private static final int JMP_EXIT = 0x90;
    /** src_reg of a 64-bit immediate load that the kernel turns from a map fd into the map's address. */
    private static final int PSEUDO_MAP_FD = 1;
    private static final int UNBOUND = -1;

    private long[] code = new long[64];
    private int count;
    private int[] labelTargets = new int[8];
    private int labelCount;
    /** Per instruction: the label its offset must reach, or UNBOUND for instructions that are not label jumps. */
    private int[] jumpLabels = new int[64];

    /** Packs one instruction. */
    static long instruction(int opcode, int dst, int src, int offset, int immediate) {
        return (opcode & 0xFFL)
                | (long) (dst & 0xF) << 8
                | (long) (src & 0xF) << 12
                | (offset & 0xFFFFL) << 16
                | (immediate & 0xFFFF_FFFFL) << 32;
    }

    int newLabel() {
        if (labelCount == labelTargets.length) {
            labelTargets = Arrays.copyOf(labelTargets, labelCount * 2);
        }
        labelTargets[labelCount] = UNBOUND;
        return labelCount++;
    }

    /** The next instruction emitted is the label's target. */
    void bind(int label) {
        if (labelTargets[label] != UNBOUND) {
            throw new IllegalStateException("label " + label + " is bound twice");
        }
        labelTargets[label] = count;
    }

    void moveImmediate(int dst, int immediate) {
        emit(instruction(CLASS_ALU64 | ALU_MOV | SOURCE_K, dst, 0, 0, immediate));
    }

    void move(int dst, int src) {
        emit(instruction(CLASS_ALU64 | ALU_MOV | SOURCE_X, dst, src, 0, 0));
    }

    void addImmediate(int dst, int immediate) {
        emit(instruction(CLASS_ALU64 | ALU_ADD | SOURCE_K, dst, 0, 0, immediate));
    }

    void add(int dst, int src) {
        emit(instruction(CLASS_ALU64 | ALU_ADD | SOURCE_X, dst, src, 0, 0));
    }

    void andImmediate(int dst, int immediate) {
        emit(instruction(CLASS_ALU64 | ALU_AND | SOURCE_K, dst, 0, 0, immediate));
    }

    void orImmediate(int dst, int immediate) {
        emit(instruction(CLASS_ALU64 | ALU_OR | SOURCE_K, dst, 0, 0, immediate));
    }

    void xorImmediate(int dst, int immediate) {
        emit(instruction(CLASS_ALU64 | ALU_XOR | SOURCE_K, dst, 0, 0, immediate));
    }

    /** Logical (unsigned) shift right. */
    void rightShiftImmediate(int dst, int bits) {
        emit(instruction(CLASS_ALU64 | ALU_RSH | SOURCE_K, dst, 0, 0, bits));
    }

    void shiftLeftImmediate(int dst, int bits) {
        emit(instruction(CLASS_ALU64 | ALU_LSH | SOURCE_K, dst, 0, 0, bits));
    }

    /**
     * dst = htobe(dst) over its low {@code bits} (16, 32 or 64), the rest zeroed: turns a wire field loaded with a
     * native-order load into its numeric value, for comparisons by magnitude.
     */
    void toBigEndian(int dst, int bits) {
        if (bits != 16 && bits != 32 && bits != 64) {
            throw new IllegalArgumentException("byte swap of " + bits + " bits (expected 16, 32 or 64)");
        }
        emit(instruction(CLASS_ALU | ALU_END | SOURCE_TO_BE, dst, 0, 0, bits));
    }

    /** dst = *(size *)(src + offset) */
    void load(int size, int dst, int src, int offset) {
        emit(instruction(CLASS_LDX | MODE_MEM | size, dst, src, offset, 0));
    }

    /** *(size *)(dst + offset) = src */
    void store(int size, int dst, int offset, int src) {
        emit(instruction(CLASS_STX | MODE_MEM | size, dst, src, offset, 0));
    }

    /** *(size *)(dst + offset) += src, atomically (BPF_ATOMIC | BPF_ADD): a counter every CPU may bump. */
    void atomicAdd(int size, int dst, int offset, int src) {
        emit(instruction(CLASS_STX | MODE_ATOMIC | size, dst, src, offset, ATOMIC_ADD));
    }

    /** *(size *)(dst + offset) = immediate */
    void storeImmediate(int size, int dst, int offset, int immediate) {
        emit(instruction(CLASS_ST | MODE_MEM | size, dst, 0, offset, immediate));
    }

    /** dst = the map behind mapFd; a two-instruction load the verifier rewrites to the map's address. */
    void loadMap(int dst, int mapFd) {
        emit(instruction(CLASS_LD | MODE_IMM | DW, dst, PSEUDO_MAP_FD, 0, mapFd));
        emit(instruction(0, 0, 0, 0, 0));
    }

    /** if (dst op immediate) goto label */
    void jumpImmediate(int operation, int dst, int immediate, int label) {
        jumpTo(label, instruction(CLASS_JMP | operation | SOURCE_K, dst, 0, 0, immediate));
    }

    /** if (dst op src) goto label */
    void jump(int operation, int dst, int src, int label) {
        jumpTo(label, instruction(CLASS_JMP | operation | SOURCE_X, dst, src, 0, 0));
    }

    void jump(int label) {
        jumpTo(label, instruction(CLASS_JMP | JMP_JA, 0, 0, 0, 0));
    }

    /** Calls a kernel helper by its number (enum bpf_func_id); arguments in r1-r5, result in r0. */
    void call(int helper) {
        emit(instruction(CLASS_JMP | JMP_CALL, 0, 0, 0, helper));
    }

    void exit() {
        emit(instruction(CLASS_JMP | JMP_EXIT, 0, 0, 0, 0));
    }

    /** The finished program, every jump offset resolved (relative to the instruction after the jump). */
    long[] assemble() {
        long[] program = Arrays.copyOf(code, count);
        for (int i = 0; i < count; i++) {
            int label = jumpLabels[i];
            if (label == UNBOUND) {
                continue;
            }
            int target = labelTargets[label];
            if (target == UNBOUND) {
                throw new IllegalStateException("label " + label + " is used by instruction " + i + " but never bound");
            }
            int offset = target - (i + 1);
            program[i] = (program[i] & ~(0xFFFFL << 16)) | (offset & 0xFFFFL) << 16;
        }
        return program;
    }

    private void jumpTo(int label, long instruction) {
        if (label < 0 || label >= labelCount) {
            throw new IllegalArgumentException("label " + label + " was not made by newLabel()");
        }
        emit(instruction);
        jumpLabels[count - 1] = label;
    }

    private void emit(long instruction) {
        if (count == code.length) {
            code = Arrays.copyOf(code, count * 2);
            jumpLabels = Arrays.copyOf(jumpLabels, count * 2);
        }
        code[count] = instruction;
        jumpLabels[count] = UNBOUND;
        count++;
    }
}
