package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** A verified, loaded BPF program owned through its fd, and the links that attach it to interfaces. */
final class BpfProgram implements AutoCloseable {
    static final int TYPE_SOCKET_FILTER = 1;
    static final int TYPE_SCHED_CLS = 3;
    /** SO_ATTACH_BPF: a socket's filter from an eBPF program fd. */
    static final int SO_ATTACH_BPF = 50;
    /** link_create.flags BPF_F_BEFORE with no relative program: first in the device's tcx chain. */
    private static final int F_BEFORE = 1 << 3;
    /** enum bpf_attach_type BPF_TCX_INGRESS: the tcx hook on a device's receive path. */
    static final int ATTACH_TCX_INGRESS = 46;

    private static final long LOAD_TYPE = 0;
    private static final long LOAD_INSN_COUNT = 4;
    private static final long LOAD_INSNS = 8;
    private static final long LOAD_LICENSE = 16;
    private static final long LOAD_LOG_LEVEL = 24;
    private static final long LOAD_LOG_SIZE = 28;
    private static final long LOAD_LOG_BUF = 32;
    private static final long LOAD_NAME = 48;
    private static final long TEST_PROG_FD = 0;
    private static final long TEST_RETVAL = 4;
    private static final long TEST_DATA_SIZE_IN = 8;
    private static final long TEST_DATA_SIZE_OUT = 12;
    private static final long TEST_DATA_IN = 16;
    private static final long TEST_DATA_OUT = 24;
    private static final long TEST_CTX_SIZE_IN = 40;
    private static final long TEST_CTX_IN = 48;
    /** sizeof(struct __sk_buff), and its gso_size field. */
    private static final int SKB_CONTEXT_SIZE = 192;
    private static final long SKB_GSO_SIZE = 176;
    private static final long LINK_PROG_FD = 0;
    private static final long LINK_TARGET_IFINDEX = 4;
    private static final long LINK_ATTACH_TYPE = 8;
    private static final long LINK_FLAGS = 12;
    /** Room for a test run's output frame: the input may grow (encapsulation). */
    private static final int TEST_OUTPUT_SLACK = 256;
    private static final int LOG_SIZE = 1 << 20;
    /** Keep exceptions readable: the verifier's verdict is at the end of its log. */
    private static final int LOG_TAIL_CHARS = 8192;
    private static final ValueLayout.OfLong INSTRUCTION = JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private int fd;

    private BpfProgram(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /**
     * Loads a GPL program (the license matters: several helpers are GPL-only). A first attempt runs without a log
     * because a verbose log that overflows its buffer fails an otherwise good load; only a rejected program is
     * loaded again with the log on so the exception can carry the verifier's reasons.
     */
    static BpfProgram load(int type, String name, long[] instructions) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment code = arena.allocate(INSTRUCTION, instructions.length);
            for (int i = 0; i < instructions.length; i++) {
                code.setAtIndex(INSTRUCTION, i, instructions[i]);
            }
            MemorySegment attr = arena.allocate(Bpf.ATTR_SIZE, 8);
            attr.set(JAVA_INT, LOAD_TYPE, type);
            attr.set(JAVA_INT, LOAD_INSN_COUNT, instructions.length);
            attr.set(JAVA_LONG, LOAD_INSNS, code.address());
            attr.set(JAVA_LONG, LOAD_LICENSE, arena.allocateFrom("GPL").address());
            Bpf.name(attr, LOAD_NAME, name);
            long fd = Bpf.call(Bpf.PROG_LOAD, attr);
            if (fd >= 0) {
                return new BpfProgram(name, (int) fd);
            }
            MemorySegment log = arena.allocate(LOG_SIZE);
            attr.set(JAVA_INT, LOAD_LOG_LEVEL, 1);
            attr.set(JAVA_INT, LOAD_LOG_SIZE, LOG_SIZE);
            attr.set(JAVA_LONG, LOAD_LOG_BUF, log.address());
            long retry = Bpf.call(Bpf.PROG_LOAD, attr);
            if (retry >= 0) {
                return new BpfProgram(name, (int) retry);
            }
            String text = log.getString(0).strip();
            if (text.length() > LOG_TAIL_CHARS) {
                text = "..." + text.substring(text.length() - LOG_TAIL_CHARS);
            }
            int errno = (int) -fd;
            throw new IOException("bpf(BPF_PROG_LOAD " + name + "): " + Native.strerror(errno) + " (errno " + errno + ")"
                    + (text.isEmpty() ? "" : "; verifier log:\n" + text));
        }
    }

    int fd() {
        return fd;
    }

    /**
     * Attaches this program at tcx ingress of ifindex, resolved in the calling thread's network namespace: behind
     * any programs already there, or with {@code first} ahead of them. Returns the link fd: the attachment lives
     * exactly as long as that fd.
     */
    int attachTcxIngress(int ifindex, boolean first) throws IOException {
        if (fd < 0) {
            throw new IllegalStateException("bpf program " + name + " is closed");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(Bpf.ATTR_SIZE, 8);
            attr.set(JAVA_INT, LINK_PROG_FD, fd);
            attr.set(JAVA_INT, LINK_TARGET_IFINDEX, ifindex);
            attr.set(JAVA_INT, LINK_ATTACH_TYPE, ATTACH_TCX_INGRESS);
            attr.set(JAVA_INT, LINK_FLAGS, first ? F_BEFORE : 0);
            return (int) Native.check(Bpf.call(Bpf.LINK_CREATE, attr),
                    "bpf(BPF_LINK_CREATE tcx ingress of ifindex " + ifindex + ")");
        }
    }

    /**
     * Runs the program once on a copy of frame (BPF_PROG_TEST_RUN: the kernel builds an skb around it, data at
     * the Ethernet header) and returns what the program returned. Lets tests walk every path without a network.
     */
    int testRun(byte[] frame) throws IOException {
        return testRunWithOutput(frame).returned();
    }

    /** What a test run returned and the frame as the program left it. */
    record TestRun(int returned, byte[] frame) {
    }

    /** As {@link #testRun}, also returning the frame the program left (rewritten in place, grown or shrunk). */
    TestRun testRunWithOutput(byte[] frame) throws IOException {
        return testRunWithOutput(frame, 0);
    }

    /**
     * As {@link #testRunWithOutput(byte[])} for a GSO super-packet of segments of {@code gsoSize} payload bytes (0:
     * none), given to the kernel as the run's struct __sk_buff.
     */
    TestRun testRunWithOutput(byte[] frame, int gsoSize) throws IOException {
        if (fd < 0) {
            throw new IllegalStateException("bpf program " + name + " is closed");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(frame.length);
            MemorySegment.copy(frame, 0, data, ValueLayout.JAVA_BYTE, 0, frame.length);
            MemorySegment attr = arena.allocate(Bpf.ATTR_SIZE, 8);
            attr.set(JAVA_INT, TEST_PROG_FD, fd);
            attr.set(JAVA_INT, TEST_DATA_SIZE_IN, frame.length);
            attr.set(JAVA_LONG, TEST_DATA_IN, data.address());
            MemorySegment out = arena.allocate(frame.length + TEST_OUTPUT_SLACK);
            attr.set(JAVA_INT, TEST_DATA_SIZE_OUT, (int) out.byteSize());
            attr.set(JAVA_LONG, TEST_DATA_OUT, out.address());
            if (gsoSize != 0) {
                MemorySegment context = arena.allocate(SKB_CONTEXT_SIZE, 8);
                context.set(JAVA_INT, SKB_GSO_SIZE, gsoSize);
                attr.set(JAVA_INT, TEST_CTX_SIZE_IN, SKB_CONTEXT_SIZE);
                attr.set(JAVA_LONG, TEST_CTX_IN, context.address());
            }
            Native.check(Bpf.call(Bpf.PROG_TEST_RUN, attr), "bpf(BPF_PROG_TEST_RUN " + name + ")");
            int outLength = attr.get(JAVA_INT, TEST_DATA_SIZE_OUT);
            return new TestRun(attr.get(JAVA_INT, TEST_RETVAL),
                    out.asSlice(0, outLength).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Native.close(fd);
            fd = -1;
        }
    }
}
