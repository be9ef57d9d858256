package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameSink;

/**
 * A sink that only counts what the director sends, for tests and benchmarks that must not allocate per frame
 * (the recording sink of {@link InMemoryHost} copies every frame into a list).
 */
public final class DiscardingSink implements FrameSink {
    private long frames;
    private long bytes;

    @Override
    public boolean send(int ifindex, MemorySegment frame, long offset, int length, int flags) {
        frames++;
        bytes += length;
        return true;
    }

    public long frames() {
        return frames;
    }

    public long bytes() {
        return bytes;
    }
}
