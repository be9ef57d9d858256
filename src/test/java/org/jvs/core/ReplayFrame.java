package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameHandler;

/**
 * One received frame that can be handed to the director again and again without allocating: the director
 * rewrites frames in place (addresses, ports, TTL, checksums), so each replay first restores the original bytes
 * into a native working copy, as a fresh receive ring slot would hold them.
 */
public final class ReplayFrame {
    private final int ifindex;
    private final int length;
    private final int flags;
    private final MemorySegment original;
    private final MemorySegment working;

    public ReplayFrame(int ifindex, byte[] frame, int flags) {
        this.ifindex = ifindex;
        this.length = frame.length;
        this.flags = flags;
        Arena arena = Arena.ofAuto();
        original = arena.allocate(length, 64);
        working = arena.allocate(length, 64);
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, original, 0, length);
    }

    /** Restores the original bytes and hands them to {@code handler} as a port would. */
    public void replay(FrameHandler handler) {
        restore();
        handler.onFrame(ifindex, working, 0, length, flags);
    }

    /** Only the restore step of {@link #replay}, to measure what replaying itself costs. */
    public MemorySegment restore() {
        MemorySegment.copy(original, 0, working, 0, length);
        return working;
    }

    public int length() {
        return length;
    }
}
