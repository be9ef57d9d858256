package org.jvs.net;

import java.lang.foreign.MemorySegment;

/** Where the data plane hands finished Ethernet frames for transmission. */
public interface FrameSink {

    /**
     * Sends the frame out of the given interface. The bytes are copied before return.
     * Returns false when the frame could not be queued (ring full, unknown interface); the caller counts it.
     */
    boolean send(int ifindex, MemorySegment frame, long offset, int length);
}
