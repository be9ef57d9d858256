package org.jvs.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs a classic BPF program over an Ethernet frame as the kernel runs a fanout program: loads at SKF_NET_OFF are
 * relative to the IPv4 header behind the 14-byte Ethernet header, the SKF_AD_PROTOCOL load gives the EtherType,
 * and a load past the frame's end ends the program with 0. Only the instructions {@link FanoutSteering} uses.
 */
final class ClassicBpf {
    private ClassicBpf() {
    }

    static int run(byte[] program, byte[] frame) {
        ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        int count = program.length / 8;
        int a = 0;
        int x = 0;
        int[] memory = new int[16];
        int pc = 0;
        for (int steps = 0; steps < 100_000; steps++) {
            if (pc < 0 || pc >= count) {
                throw new IllegalStateException("pc " + pc + " outside the program");
            }
            int code16 = code.getShort(pc * 8) & 0xFFFF;
            int jt = code.get(pc * 8 + 2) & 0xFF;
            int jf = code.get(pc * 8 + 3) & 0xFF;
            int k = code.getInt(pc * 8 + 4);
            pc++;
            int cls = code16 & 0x07;
            switch (cls) {
                case 0x00 -> { // LD
                    int mode = code16 & 0xe0;
                    int size = code16 & 0x18;
                    if (mode == 0x60) {
                        a = memory[k];
                    } else if (mode == 0x20 && k == FanoutSteering.SKF_AD_PROTOCOL) {
                        a = frame.length < 14 ? 0 : ((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF);
                    } else {
                        long offset = (mode == 0x40 ? x : 0) + (long) k;
                        Integer value = load(frame, offset, size);
                        if (value == null) {
                            return 0;
                        }
                        a = value;
                    }
                }
                case 0x01 -> { // LDX B MSH
                    Integer value = load(frame, k, 0x10);
                    if (value == null) {
                        return 0;
                    }
                    x = 4 * (value & 0xF);
                }
                case 0x02 -> memory[k] = a;
                case 0x04 -> {
                    int operand = (code16 & 0x08) != 0 ? x : k;
                    switch (code16 & 0xf0) {
                        case 0x50 -> a &= operand;
                        case 0x20 -> a *= operand;
                        case 0x70 -> a >>>= operand;
                        case 0xa0 -> a ^= operand;
                        default -> throw new IllegalStateException("alu " + code16);
                    }
                }
                case 0x05 -> {
                    int op = code16 & 0xf0;
                    if (op == 0x00) {
                        pc += k;
                    } else {
                        boolean taken = switch (op) {
                            case 0x10 -> a == k;
                            case 0x20 -> Integer.compareUnsigned(a, k) > 0;
                            case 0x30 -> Integer.compareUnsigned(a, k) >= 0;
                            case 0x40 -> (a & k) != 0;
                            default -> throw new IllegalStateException("jmp " + code16);
                        };
                        pc += taken ? jt : jf;
                    }
                }
                case 0x06 -> {
                    return (code16 & 0x18) == 0x10 ? a : k;
                }
                case 0x07 -> x = a;
                default -> throw new IllegalStateException("class " + cls);
            }
        }
        throw new IllegalStateException("program does not end");
    }

    private static Integer load(byte[] frame, long k, int size) {
        long offset = 14 + (k - FanoutSteering.SKF_NET_OFF);
        int bytes = size == 0x00 ? 4 : size == 0x08 ? 2 : 1;
        if (offset < 14 || offset + bytes > frame.length) {
            return null;
        }
        int value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (frame[(int) offset + i] & 0xFF);
        }
        return value;
    }
}
