package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.conn.ConnectionTable;
import org.jvs.service.ForwardingMethod;
import org.jvs.xmit.DirectRouteTransmitter;
import org.jvs.xmit.FullNatTransmitter;
import org.jvs.xmit.NatTransmitter;
import org.jvs.xmit.TunnelTransmitter;

/**
 * The four transmitters of ip_vs_xmit.c bound to the connection table, one per forwarding method: a connection's
 * method, fixed when it was created, picks its {@link PacketXmit}. DR and TUN connections have no reply entry, so
 * their toClient is never reached; it goes the NAT way as a matter of form. A TUN connection's encapsulation (IPIP,
 * GUE, GRE and their options) is bound with it, from its real server at the time, as its method is.
 */
final class PacketXmits {
    private final ConnectionTable connections;
    private final NatTransmitter nat;
    private final PacketXmit[] byMethod = new PacketXmit[ForwardingMethod.values().length];

    PacketXmits(ConnectionTable connections, NatTransmitter nat, TunnelTransmitter tunnel,
                DirectRouteTransmitter directRoute, FullNatTransmitter fullNat) {
        this.connections = connections;
        this.nat = nat;
        byMethod[ForwardingMethod.MASQ.ordinal()] = new Bound() {
            @Override
            public int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
                return nat.toRealServer(frame, offset, length, connections.realAddress(id), connections.realPort(id),
                        flags);
            }
        };
        byMethod[ForwardingMethod.TUNNEL.ordinal()] = new Bound() {
            @Override
            public int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
                return tunnel.toRealServer(frame, offset, length, connections.realAddress(id), connections.tunnel(id),
                        flags);
            }
        };
        byMethod[ForwardingMethod.ROUTE.ordinal()] = new Bound() {
            @Override
            public int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
                return directRoute.toRealServer(frame, offset, length, connections.realAddress(id),
                        connections.realPort(id), flags);
            }
        };
        byMethod[ForwardingMethod.FULLNAT.ordinal()] = new PacketXmit() {
            @Override
            public int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
                return fullNat.toRealServer(frame, offset, length, connections.localAddress(id),
                        connections.localPort(id), connections.realAddress(id), connections.realPort(id), flags);
            }

            @Override
            public int toClient(int id, MemorySegment frame, long offset, int length, int flags) {
                return fullNat.toClient(frame, offset, length, connections.virtualAddress(id),
                        connections.virtualPort(id), connections.clientAddress(id), connections.clientPort(id), flags);
            }
        };
    }

    /** The transmitter connection {@code id} is bound to. */
    PacketXmit of(int id) {
        return byMethod[connections.forwardingMethod(id).ordinal()];
    }

    /** The NAT reply half (handle_response), shared by every method but full NAT. */
    private abstract class Bound implements PacketXmit {
        @Override
        public int toClient(int id, MemorySegment frame, long offset, int length, int flags) {
            return nat.toClient(frame, offset, length, connections.virtualAddress(id), connections.virtualPort(id),
                    flags);
        }
    }
}
