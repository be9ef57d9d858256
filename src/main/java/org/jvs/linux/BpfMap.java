package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A kernel BPF map owned through its fd: user space writes entries, programs that were loaded with the fd read
 * them. Control path only: every call goes to the kernel.
 */
final class BpfMap implements AutoCloseable {
    static final int TYPE_HASH = 1;
    static final int TYPE_ARRAY = 2;
    /** One value per CPU for each index; a program sees its CPU's, user space all of them at once. */
    static final int TYPE_PERCPU_ARRAY = 6;
    /** Allocate entries on insert rather than all at creation, so a generous max_entries costs nothing idle. */
    static final int FLAG_NO_PREALLOC = 1;

    private static final long CREATE_TYPE = 0;
    private static final long CREATE_KEY_SIZE = 4;
    private static final long CREATE_VALUE_SIZE = 8;
    private static final long CREATE_MAX_ENTRIES = 12;
    private static final long CREATE_FLAGS = 16;
    private static final long CREATE_NAME = 28;
    private static final long ELEM_MAP_FD = 0;
    private static final long ELEM_KEY = 8;
    private static final long ELEM_VALUE = 16;
    private static final long ELEM_FLAGS = 24;
    /** BPF_ANY: create the entry or overwrite it. */
    private static final long UPDATE_ANY = 0;

    private final String name;
    private final int keySize;
    private final int valueSize;
    private int fd;

    private BpfMap(String name, int fd, int keySize, int valueSize) {
        this.name = name;
        this.fd = fd;
        this.keySize = keySize;
        this.valueSize = valueSize;
    }

    static BpfMap create(int type, String name, int keySize, int valueSize, int maxEntries, int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(Bpf.ATTR_SIZE, 8);
            attr.set(JAVA_INT, CREATE_TYPE, type);
            attr.set(JAVA_INT, CREATE_KEY_SIZE, keySize);
            attr.set(JAVA_INT, CREATE_VALUE_SIZE, valueSize);
            attr.set(JAVA_INT, CREATE_MAX_ENTRIES, maxEntries);
            attr.set(JAVA_INT, CREATE_FLAGS, flags);
            Bpf.name(attr, CREATE_NAME, name);
            int fd = (int) Native.check(Bpf.call(Bpf.MAP_CREATE, attr), "bpf(BPF_MAP_CREATE " + name + ")");
            return new BpfMap(name, fd, keySize, valueSize);
        }
    }

    int keySize() {
        return keySize;
    }

    int fd() {
        return fd;
    }

    /** Inserts or replaces the entry for key. */
    void update(MemorySegment key, MemorySegment value) throws IOException {
        checkSizes(key, value);
        updateChecked(key, value);
    }

    private void updateChecked(MemorySegment key, MemorySegment value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = elementAttr(arena, key, value);
            attr.set(JAVA_LONG, ELEM_FLAGS, UPDATE_ANY);
            Native.check(Bpf.call(Bpf.MAP_UPDATE_ELEM, attr), "bpf(BPF_MAP_UPDATE_ELEM " + name + ")");
        }
    }

    /**
     * A per-CPU map's entry for key on every possible CPU: {@code values} holds them one after the other, each
     * rounded up to 8 bytes, as bpf(2) lays them out. For tests and diagnostics.
     */
    boolean lookupEveryCpu(MemorySegment key, MemorySegment values) throws IOException {
        checkSizes(key, null);
        checkEveryCpu(values);
        return lookupChecked(key, values);
    }

    /** Sets a per-CPU map's entry for key on every possible CPU, laid out as {@link #lookupEveryCpu} reads it. */
    void updateEveryCpu(MemorySegment key, MemorySegment values) throws IOException {
        checkSizes(key, null);
        checkEveryCpu(values);
        updateChecked(key, values);
    }

    /** Bytes per CPU in a per-CPU map's user-space view. */
    int perCpuStride() {
        return (valueSize + 7) & ~7;
    }

    private void checkEveryCpu(MemorySegment values) {
        long expected = (long) perCpuStride() * Bpf.possibleCpus();
        if (!values.isNative() || values.byteSize() != expected) {
            throw new IllegalArgumentException("bpf map " + name + " needs native values of " + expected + " bytes, got "
                    + values);
        }
    }

    /** Removes the entry for key; false when there was none. */
    boolean delete(MemorySegment key) throws IOException {
        checkSizes(key, null);
        try (Arena arena = Arena.ofConfined()) {
            long result = Bpf.call(Bpf.MAP_DELETE_ELEM, elementAttr(arena, key, null));
            if (result == -Bpf.ENOENT) {
                return false;
            }
            Native.check(result, "bpf(BPF_MAP_DELETE_ELEM " + name + ")");
            return true;
        }
    }

    /** Copies the entry for key into valueOut; false when there is none. */
    boolean lookup(MemorySegment key, MemorySegment valueOut) throws IOException {
        checkSizes(key, valueOut);
        return lookupChecked(key, valueOut);
    }

    private boolean lookupChecked(MemorySegment key, MemorySegment valueOut) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            long result = Bpf.call(Bpf.MAP_LOOKUP_ELEM, elementAttr(arena, key, valueOut));
            if (result == -Bpf.ENOENT) {
                return false;
            }
            Native.check(result, "bpf(BPF_MAP_LOOKUP_ELEM " + name + ")");
            return true;
        }
    }

    /**
     * A preallocated attr, key and value for one thread: map calls that allocate nothing, for the data plane.
     * Each call returns what bpf(2) did (0, or -errno: -ENOENT for no such entry, -E2BIG for a full map).
     */
    final class Access {
        final MemorySegment key;
        final MemorySegment value;
        private final MemorySegment attr;

        Access(Arena arena) {
            key = arena.allocate(keySize, 8);
            value = arena.allocate(valueSize, 8);
            attr = arena.allocate(Bpf.ATTR_SIZE, 8);
        }

        long update() {
            return call(Bpf.MAP_UPDATE_ELEM, true);
        }

        long lookup() {
            return call(Bpf.MAP_LOOKUP_ELEM, true);
        }

        long delete() {
            return call(Bpf.MAP_DELETE_ELEM, false);
        }

        /** BPF_MAP_LOOKUP_AND_DELETE_ELEM (hash maps since Linux 5.14): the value as it was when removed. */
        long lookupAndDelete() {
            return call(Bpf.MAP_LOOKUP_AND_DELETE_ELEM, true);
        }

        private long call(int command, boolean withValue) {
            if (fd < 0) {
                throw new IllegalStateException("bpf map " + name + " is closed");
            }
            attr.fill((byte) 0);
            attr.set(JAVA_INT, ELEM_MAP_FD, fd);
            attr.set(JAVA_LONG, ELEM_KEY, key.address());
            if (withValue) {
                attr.set(JAVA_LONG, ELEM_VALUE, value.address());
            }
            attr.set(JAVA_LONG, ELEM_FLAGS, UPDATE_ANY);
            return Bpf.call(command, attr);
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Native.close(fd);
            fd = -1;
        }
    }

    private MemorySegment elementAttr(Arena arena, MemorySegment key, MemorySegment value) {
        if (fd < 0) {
            throw new IllegalStateException("bpf map " + name + " is closed");
        }
        MemorySegment attr = arena.allocate(Bpf.ATTR_SIZE, 8);
        attr.set(JAVA_INT, ELEM_MAP_FD, fd);
        attr.set(JAVA_LONG, ELEM_KEY, key.address());
        if (value != null) {
            attr.set(JAVA_LONG, ELEM_VALUE, value.address());
        }
        return attr;
    }

    private void checkSizes(MemorySegment key, MemorySegment value) {
        if (!key.isNative() || key.byteSize() != keySize) {
            throw new IllegalArgumentException("bpf map " + name + " needs a native key of " + keySize + " bytes, got " + key);
        }
        if (value != null && (!value.isNative() || value.byteSize() != valueSize)) {
            throw new IllegalArgumentException("bpf map " + name + " needs a native value of " + valueSize + " bytes, got " + value);
        }
    }
}
