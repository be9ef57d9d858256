package org.jvs.net;

import java.lang.foreign.MemorySegment;

/**
 * Receives frames from a {@link PacketPort}; the bytes are valid (and writable) only during the call.
 * <p>
 * The {@code flags} int carries what the sender left to offload, in one word so that nothing is allocated per
 * frame: bit 0 {@link #CHECKSUM_NOT_READY}, bits 16-31 the GSO segment size of a TCP super-packet, IPv4 or IPv6 (0: not
 * one). The same encoding goes back out through {@link FrameSink} and {@link PacketPort}, so a super-packet can
 * leave as it came.
 */
@FunctionalInterface
public interface FrameHandler {

    /**
     * The L4 checksum is not computed yet (CHECKSUM_PARTIAL; AF_PACKET's TP_STATUS_CSUMNOTREADY): its field holds
     * the folded, not complemented, pseudo-header sum, and whoever sends the frame on must say so.
     */
    int CHECKSUM_NOT_READY = 1;

    /** Where the GSO segment size sits in the flags. */
    int GSO_SIZE_SHIFT = 16;

    /** The TCP payload bytes per segment of a TCP super-packet (IPv4 or IPv6), or 0 when the frame is not one. */
    static int gsoSize(int flags) {
        return flags >>> GSO_SIZE_SHIFT;
    }

    /**
     * Flags of a TCP/IPv4 super-packet cut into segments of {@code gsoSize} payload bytes; its checksum is
     * necessarily partial (each segment's checksum is completed when it is cut).
     */
    static int tcpSegmentation(int gsoSize) {
        return gsoSize << GSO_SIZE_SHIFT | CHECKSUM_NOT_READY;
    }

    /**
     * One received Ethernet frame. {@code length} is the whole frame, which may exceed the MTU when the sender
     * used segmentation offload (veth carries such frames); {@code flags} says whether and how.
     */
    void onFrame(int ifindex, MemorySegment frame, long offset, int length, int flags);
}
