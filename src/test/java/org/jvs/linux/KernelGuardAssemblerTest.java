package org.jvs.linux;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.jvs.linux.BpfAssembler.B;
import static org.jvs.linux.BpfAssembler.H;
import static org.jvs.linux.BpfAssembler.JGT;
import static org.jvs.linux.BpfAssembler.JNE;
import static org.jvs.linux.BpfAssembler.R0;
import static org.jvs.linux.BpfAssembler.R1;
import static org.jvs.linux.BpfAssembler.R10;
import static org.jvs.linux.BpfAssembler.R2;
import static org.jvs.linux.BpfAssembler.R7;
import static org.jvs.linux.BpfAssembler.R8;
import static org.jvs.linux.BpfAssembler.R9;
import static org.jvs.linux.BpfAssembler.W;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The guard's assembler against struct bpf_insn encodings worked out by hand from the kernel's headers. */
class KernelGuardAssemblerTest {

    static Stream<Arguments> encodings() {
        return Stream.of(
                Arguments.of("r0 = 2", (Consumer<BpfAssembler>) a -> a.moveImmediate(R0, 2), 0x0000_0002_0000_00b7L),
                Arguments.of("r0 = -1", (Consumer<BpfAssembler>) a -> a.moveImmediate(R0, -1), 0xFFFF_FFFF_0000_00b7L),
                Arguments.of("r6 = r1", (Consumer<BpfAssembler>) a -> a.move(6, R1), 0x0000_0000_0000_16bfL),
                Arguments.of("r2 = *(u16 *)(r7 + 12)", (Consumer<BpfAssembler>) a -> a.load(H, R2, R7, 12), 0x0000_0000_000c_7269L),
                Arguments.of("r7 = *(u32 *)(r6 + 76)", (Consumer<BpfAssembler>) a -> a.load(W, R7, 6, 76), 0x0000_0000_004c_6761L),
                Arguments.of("*(u8 *)(r10 - 2) = r9", (Consumer<BpfAssembler>) a -> a.store(B, R10, -2, R9), 0x0000_0000_fffe_9a73L),
                Arguments.of("*(u8 *)(r10 - 1) = 0", (Consumer<BpfAssembler>) a -> a.storeImmediate(B, R10, -1, 0), 0x0000_0000_ffff_0a72L),
                Arguments.of("r2 += -8", (Consumer<BpfAssembler>) a -> a.addImmediate(R2, -8), 0xFFFF_FFF8_0000_0207L),
                Arguments.of("r2 <<= 2", (Consumer<BpfAssembler>) a -> a.shiftLeftImmediate(R2, 2), 0x0000_0002_0000_0267L),
                Arguments.of("r2 = be16 r2", (Consumer<BpfAssembler>) a -> a.toBigEndian(R2, 16), 0x0000_0010_0000_02dcL),
                Arguments.of("call 1", (Consumer<BpfAssembler>) a -> a.call(1), 0x0000_0001_0000_0085L),
                Arguments.of("exit", (Consumer<BpfAssembler>) BpfAssembler::exit, 0x0000_0000_0000_0095L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void shouldEncodeInstructionAsStructBpfInsn(String source, Consumer<BpfAssembler> emit, long expected) {
        BpfAssembler asm = new BpfAssembler();
        emit.accept(asm);
        assertArrayEquals(new long[] {expected}, asm.assemble(), source);
    }

    @Test
    void shouldEncodeMapLoadAsTwoInstructionsWithPseudoMapFd() {
        BpfAssembler asm = new BpfAssembler();
        asm.loadMap(R1, 5);
        assertArrayEquals(new long[] {0x0000_0005_0000_1118L, 0L}, asm.assemble());
    }

    @Test
    void shouldResolveJumpOffsetsRelativeToNextInstruction() {
        BpfAssembler asm = new BpfAssembler();
        int forward = asm.newLabel();
        int back = asm.newLabel();
        asm.bind(back);
        asm.jump(JGT, R2, R8, forward);
        asm.jumpImmediate(JNE, R0, 0, back);
        asm.exit();
        asm.bind(forward);
        asm.exit();
        long[] program = asm.assemble();
        assertEquals(2, (short) (program[0] >>> 16), "jgt skips the jne and the first exit");
        assertEquals(-2, (short) (program[1] >>> 16), "jne goes back to the jgt");
        assertEquals(0x2d, program[0] & 0xFF, "jgt with register source");
        assertEquals(0x55, program[1] & 0xFF, "jne with immediate");
    }

    @Test
    void shouldRefuseJumpToUnboundLabel() {
        BpfAssembler asm = new BpfAssembler();
        asm.jump(asm.newLabel());
        IllegalStateException e = assertThrows(IllegalStateException.class, asm::assemble);
        assertEquals("label 0 is used by instruction 0 but never bound", e.getMessage());
    }

    @Test
    void shouldRefuseByteSwapOfOddWidth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BpfAssembler().toBigEndian(R2, 8));
        assertEquals("byte swap of 8 bits (expected 16, 32 or 64)", e.getMessage());
    }

    @Test
    void shouldEndGuardProgramWithNextAndDropExits() {
        long[] program = GuardProgram.assemble(MAPS);
        int length = program.length;
        assertEquals(0x95, program[length - 1] & 0xFF);
        assertEquals(GuardProgram.TCX_DROP, (int) (program[length - 2] >>> 32));
        assertEquals(0x95, program[length - 3] & 0xFF);
        assertEquals(GuardProgram.TCX_NEXT, (int) (program[length - 4] >>> 32));
    }

    private static final GuardProgram.Maps MAPS = new GuardProgram.Maps(new GuardProgram.FamilyMaps(11, 12, 13, 14, 15),
            new GuardProgram.FamilyMaps(18, 19, 20, 21, 22), 16, 17);

    /**
     * How often the program loads each map: the service and real-server maps three times (exact port, any port,
     * a later fragment's key), the host and LIP maps twice (after a port hit, after a fragment hit), the range and
     * the drop count once. IPv6's maps (18-22) as IPv4's; the range is read once per family.
     */
    @ParameterizedTest(name = "map fd {0} is looked up {1} times")
    @CsvSource({"11, 3", "12, 3", "13, 2", "14, 3", "15, 2", "16, 2", "17, 1", "18, 3", "19, 3", "20, 2", "21, 3", "22, 2"})
    void shouldLookUpEveryMapItIsGiven(int fd, int loads) {
        long mapLoad = 0x0000_0000_0000_1118L | (long) fd << 32;
        long found = Arrays.stream(GuardProgram.assemble(MAPS)).filter(insn -> insn == mapLoad).count();
        assertEquals(loads, found);
    }

    @Test
    void shouldCompareFullNatPortsAsNumbersNotWireBytes() {
        long swap = 0x0000_0010_0000_02dcL;
        assertEquals(2, Arrays.stream(GuardProgram.assemble(MAPS)).filter(insn -> insn == swap).count(),
                "dport must be byte-swapped once per family before the range comparison");
    }

    @Test
    void shouldGiveWireConstantsAsANativeLoadSeesThem() {
        assertEquals(0x0008, GuardProgram.wire16(0x0800), "x86 is little-endian: bytes 08 00 load as 0x0008");
    }
}
