package org.jvs.core;

import java.lang.foreign.MemorySegment;

/**
 * A connection's transmitter, as IPVS's cp->packet_xmit: bound by the connection's forwarding method when the
 * connection is created (ip_vs_bind_xmit) and called per packet without a switch on the method. Frames start with
 * their Ethernet header and may be rewritten in place. Each call returns a {@link org.jvs.xmit.Verdict} code.
 */
interface PacketXmit {

    /** A client packet of connection {@code id}, to its real server. */
    int toRealServer(int id, MemorySegment frame, long offset, int length, int flags);

    /** A reply of connection {@code id} from its real server, back to the client (NAT and full NAT only). */
    int toClient(int id, MemorySegment frame, long offset, int length, int flags);
}
