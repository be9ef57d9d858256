package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

/**
 * One forwarding method (as a transmitter in ip_vs_xmit.c): takes a client packet of a connection and gets it
 * to the connection's real server. Frames start with a 14-byte Ethernet header, IPv4 right after it; the frame
 * may be rewritten in place. Returns one of the {@link Verdict} codes; never throws per packet, never allocates.
 */
public interface Transmitter {

    int toRealServer(MemorySegment frame, long offset, int length, int realAddress, int realPort);
}
