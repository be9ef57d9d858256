package org.jvs.net;

import java.lang.foreign.MemorySegment;

/** Receives frames from a {@link PacketPort}; the bytes are valid (and writable) only during the call. */
@FunctionalInterface
public interface FrameHandler {

    /** The L4 checksum is not computed yet (the sender left it to offload: TP_STATUS_CSUMNOTREADY). */
    int CHECKSUM_NOT_READY = 1;

    /**
     * One received Ethernet frame. {@code length} is the whole frame, which may exceed the MTU when the sender
     * used segmentation offload (veth carries such frames): the handler segments it.
     */
    void onFrame(int ifindex, MemorySegment frame, long offset, int length, int flags);
}
