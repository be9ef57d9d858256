package org.jvs.linux;

import java.lang.foreign.MemorySegment;

/**
 * The bpf(2) commands JVS uses and the one way it calls them. Each command takes a zero-filled union bpf_attr;
 * the kernel accepts a shorter attr than its own (the rest reads as zero), so {@link #ATTR_SIZE} only has to cover
 * the fields we set.
 */
final class Bpf {
    static final int MAP_CREATE = 0;
    static final int MAP_LOOKUP_ELEM = 1;
    static final int MAP_UPDATE_ELEM = 2;
    static final int MAP_DELETE_ELEM = 3;
    static final int PROG_LOAD = 5;
    static final int PROG_TEST_RUN = 10;
    static final int MAP_LOOKUP_AND_DELETE_ELEM = 21;
    static final int LINK_CREATE = 28;

    static final int ATTR_SIZE = 128;
    /** bpf object names (maps, programs) are at most 15 characters plus NUL. */
    static final int OBJECT_NAME_SIZE = 16;

    static final int ENOENT = 2;
    static final int E2BIG = 7;

    private Bpf() {
    }

    /** Returns the command's result (often a new fd) or -errno. */
    static long call(int command, MemorySegment attr) {
        return Native.syscall(Native.SYS_BPF, command, attr, attr.byteSize());
    }

    /**
     * The CPUs the kernel may ever bring up (/sys/devices/system/cpu/possible, "0-N"): what a per-CPU map holds a
     * value for, and so what user space reads and writes at once.
     */
    static int possibleCpus() {
        try {
            String possible = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/possible")).trim();
            int highest = 0;
            for (String range : possible.split(",")) {
                String last = range.substring(range.indexOf('-') + 1);
                highest = Math.max(highest, Integer.parseInt(last));
            }
            return highest + 1;
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the possible CPUs from /sys/devices/system/cpu/possible", e);
        }
    }

    /** Closes each non-null resource (maps, programs: fds), ignoring failures: for the way out of a failed start. */
    static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // only fds are closed here; nothing useful to report on the way out
                }
            }
        }
    }

    /** Copies a bpf object name into attr, which the kernel limits to letters, digits, '_' and '.'. */
    static void name(MemorySegment attr, long offset, String name) {
        if (name.length() >= OBJECT_NAME_SIZE || !name.matches("[A-Za-z0-9_.]*")) {
            throw new IllegalArgumentException("'" + name + "' is not a bpf object name (expected up to 15 of [A-Za-z0-9_.])");
        }
        for (int i = 0; i < name.length(); i++) {
            attr.set(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + i, (byte) name.charAt(i));
        }
    }
}
