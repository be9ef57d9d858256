package org.jvs.net;

import java.lang.foreign.MemorySegment;

/** Where the data plane hands finished Ethernet frames for transmission. */
public interface FrameSink {

    /**
     * Sends the frame out of the given interface. The bytes are copied before return.
     * Returns false when the frame could not be queued (ring full, unknown interface); the caller counts it.
     */
    default boolean send(int ifindex, MemorySegment frame, long offset, int length) {
        return send(ifindex, frame, offset, length, 0);
    }

    /**
     * As {@link #send(int, MemorySegment, long, int)}, for a frame whose checksum or segmentation is left to the
     * kernel: {@code flags} as in {@link FrameHandler} (0: a plain frame with complete checksums).
     */
    boolean send(int ifindex, MemorySegment frame, long offset, int length, int flags);
}
