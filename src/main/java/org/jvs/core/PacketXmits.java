package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.jvs.conn.ConnectionTable;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.RealServer;
import org.jvs.xmit.DirectRouteTransmitter;
import org.jvs.xmit.FullNatTransmitter;
import org.jvs.xmit.Ipv6TunnelTransmitter;
import org.jvs.xmit.Nat64Transmitter;
import org.jvs.xmit.NatTransmitter;
import org.jvs.xmit.TunnelTransmitter;
import org.jvs.xmit.Verdict;

/**
 * The four transmitters of ip_vs_xmit.c bound to the connection table, one per forwarding method: a connection's
 * method, fixed when it was created, picks its {@link PacketXmit}. DR and TUN connections have no reply entry, so
 * their toClient is never reached; it goes the NAT way as a matter of form. A TUN connection's encapsulation (IPIP,
 * GUE, GRE and their options) is bound with it, from its real server at the time, as its method is. An IPv6
 * connection takes the IPv6 transmitters (NAT66, DR, IPv6 tunnels, full NAT over IPv6); one to an IPv4 real server
 * takes IPv6 in IPv4 (TUN) or NAT64 (full NAT), and an IPv4 connection to an IPv6 real server IPv4 in IPv6 (TUN):
 * the control plane allows no other mix.
 */
final class PacketXmits {
    private final ConnectionTable connections;
    private final NatTransmitter nat;
    private final PacketXmit[] byMethod = new PacketXmit[ForwardingMethod.values().length];
    /** IPv6 connections to IPv6 real servers (ip_vs_*_xmit_v6). */
    private final PacketXmit[] byMethod6 = new PacketXmit[ForwardingMethod.values().length];
    /** IPv6 connections to IPv4 real servers: TUN's IPv6 in IPv4, full NAT's NAT64; nothing else is allowed. */
    private final PacketXmit[] byMethod64 = new PacketXmit[ForwardingMethod.values().length];
    /** IPv4 connections to an IPv6 real server: TUN's IPv4 in IPv6 alone. */
    private final PacketXmit fourInSix;

    PacketXmits(ConnectionTable connections, NatTransmitter nat, TunnelTransmitter tunnel,
                DirectRouteTransmitter directRoute, FullNatTransmitter fullNat, Ipv6TunnelTransmitter tunnel6,
                Nat64Transmitter nat64) {
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
        byMethod6[ForwardingMethod.MASQ.ordinal()] = new Bound6() {
            @Override
            public int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
                return nat.toRealServer6(frame, offset, length, connections.realHi(id), connections.realLo(id),
                        connections.realPort(id), flags);
            }
        };
        byMethod6[ForwardingMethod.TUNNEL.ordinal()] = new Bound6() {
            @Override
            public int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
                return tunnel6.sixInSix(frame, offset, length, connections.realHi(id), connections.realLo(id),
                        flags);
            }
        };
        byMethod6[ForwardingMethod.ROUTE.ordinal()] = new Bound6() {
            @Override
            public int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
                return directRoute.toRealServer6(frame, offset, length, connections.realHi(id), connections.realLo(id),
                        flags);
            }
        };
        byMethod6[ForwardingMethod.FULLNAT.ordinal()] = new PacketXmit() {
            @Override
            public int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
                return fullNat.toRealServer6(frame, offset, length, connections.localHi(id), connections.localLo(id),
                        connections.localPort(id), connections.realHi(id), connections.realLo(id),
                        connections.realPort(id), flags);
            }

            @Override
            public int toClient(int id, MemorySegment frame, long offset, int length, int flags) {
                return fullNat.toClient6(frame, offset, length, connections.virtualHi(id), connections.virtualLo(id),
                        connections.virtualPort(id), connections.clientHi(id), connections.clientLo(id),
                        connections.clientPort(id), flags);
            }
        };
        PacketXmit refused = new PacketXmit() {
            @Override
            public int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
                return Verdict.MALFORMED;
            }

            @Override
            public int toClient(int id, MemorySegment frame, long offset, int length, int flags) {
                return Verdict.MALFORMED;
            }
        };
        Arrays.fill(byMethod64, refused);
        byMethod64[ForwardingMethod.TUNNEL.ordinal()] = new Bound6() {
            @Override
            public int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
                return tunnel6.sixInFour(frame, offset, length, (int) connections.realLo(id));
            }
        };
        byMethod64[ForwardingMethod.FULLNAT.ordinal()] = new PacketXmit() {
            @Override
            public int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
                return nat64.toRealServer(frame, offset, length, (int) connections.localLo(id),
                        connections.localPort(id), (int) connections.realLo(id), connections.realPort(id), flags);
            }

            @Override
            public int toClient(int id, MemorySegment frame, long offset, int length, int flags) {
                return nat64.toClient(frame, offset, length, connections.virtualHi(id), connections.virtualLo(id),
                        connections.virtualPort(id), connections.clientHi(id), connections.clientLo(id),
                        connections.clientPort(id), flags);
            }
        };
        fourInSix = new Bound() {
            @Override
            public int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
                RealServer server = connections.realServer(id);
                return tunnel6.fourInSix(frame, offset, length, server.addressHi(), server.addressLo());
            }
        };
    }

    /** The transmitter connection {@code id} is bound to, by its method and its and its real server's families. */
    PacketXmit of(int id) {
        int method = connections.forwardingMethod(id).ordinal();
        boolean serverIpv6 = connections.realServer(id).ipv6();
        if (connections.ipv6(id)) {
            return serverIpv6 ? byMethod6[method] : byMethod64[method];
        }
        return serverIpv6 ? fourInSix : byMethod[method];
    }

    /** The NAT reply half (handle_response), shared by every method but full NAT. */
    private abstract class Bound implements PacketXmit {
        @Override
        public int toClient(int id, MemorySegment frame, long offset, int length, int flags) {
            return nat.toClient(frame, offset, length, connections.virtualAddress(id), connections.virtualPort(id),
                    flags);
        }
    }

    /** NAT66's reply half (handle_response for AF_INET6), shared by every IPv6 method but full NAT. */
    private abstract class Bound6 implements PacketXmit {
        @Override
        public int toClient(int id, MemorySegment frame, long offset, int length, int flags) {
            return nat.toClient6(frame, offset, length, connections.virtualHi(id), connections.virtualLo(id),
                    connections.virtualPort(id), flags);
        }
    }
}
