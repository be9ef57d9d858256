package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.jvs.net.FrameSink;
import org.jvs.net.HostNetwork;
import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;
import org.jvs.net.NextHop6;
import org.jvs.packet.FrameBuilder;

import static org.jvs.packet.Reference.ip;

/**
 * A director's host with no kernel: two interfaces, connected routes only, and a sink that records every frame
 * the director sends. Client side: if 1, 198.51.100.1/24 and 2001:db8:c::1/64. Real-server side: if 2, 192.0.2.1/24
 * and 2001:db8:5::1/64.
 */
final class InMemoryHost implements HostNetwork, FrameSink {
    static final int CLIENT_SIDE = 1;
    static final int SERVER_SIDE = 2;
    static final long CLIENT_SIDE_MAC = 0x02_00_00_00_01_01L;
    static final long SERVER_SIDE_MAC = 0x02_00_00_00_02_01L;
    static final int DIRECTOR_CLIENT_IP = ip(198, 51, 100, 1);
    static final int DIRECTOR_SERVER_IP = ip(192, 0, 2, 1);
    static final int MTU = 1500;
    /** 2001:db8:c::/64, the client side's IPv6 prefix; the director is ::1 in it. */
    static final long CLIENT_SIDE_PREFIX6 = 0x2001_0DB8_000C_0000L;
    /** 2001:db8:5::/64, the real-server side's IPv6 prefix; the director is ::1 in it. */
    static final long SERVER_SIDE_PREFIX6 = 0x2001_0DB8_0005_0000L;
    static final long DIRECTOR_IP6_LO = 1;

    /** {@code flags}: the offload flags the frame was sent with, as in FrameHandler. */
    record Sent(int ifindex, byte[] frame, int flags) {
    }

    private final NetInterface[] interfaces;
    final List<Sent> sent = new ArrayList<>();
    int localAddress = 0;
    /** An IPv6 address of the host's own, or :: for none. */
    long localAddress6Hi;
    long localAddress6Lo;

    InMemoryHost() {
        this(CLIENT_SIDE_MAC);
    }

    /** A host whose client-side interface has {@code clientSideMac}, to answer as a captured Linux host did. */
    InMemoryHost(long clientSideMac) {
        interfaces = new NetInterface[] {
            null,
            new NetInterface(CLIENT_SIDE, "c0", clientSideMac, MTU, DIRECTOR_CLIENT_IP, 24),
            new NetInterface(SERVER_SIDE, "s0", SERVER_SIDE_MAC, MTU, DIRECTOR_SERVER_IP, 24),
        };
    }

    @Override
    public NetInterface interfaceByIndex(int ifindex) {
        return ifindex > 0 && ifindex < interfaces.length ? interfaces[ifindex] : null;
    }

    @Override
    public boolean route(int destination, NextHop hop) {
        for (int i = 1; i < interfaces.length; i++) {
            if (interfaces[i].onLink(destination)) {
                hop.set(i, destination, interfaces[i].ipv4Address(), interfaces[i].mtu());
                return true;
            }
        }
        return false;
    }

    /** Connected IPv6 routes: each side's /64, the director's ::1 there as source. */
    @Override
    public boolean route6(long destinationHi, long destinationLo, NextHop6 hop) {
        if (destinationHi == CLIENT_SIDE_PREFIX6 || destinationHi == SERVER_SIDE_PREFIX6) {
            int ifindex = destinationHi == CLIENT_SIDE_PREFIX6 ? CLIENT_SIDE : SERVER_SIDE;
            hop.set(ifindex, destinationHi, destinationLo, destinationHi, DIRECTOR_IP6_LO, interfaces[ifindex].mtu());
            return true;
        }
        return false;
    }

    @Override
    public boolean isLocalAddress(int address) {
        return address == DIRECTOR_CLIENT_IP || address == DIRECTOR_SERVER_IP || address == localAddress;
    }

    @Override
    public boolean isLocalAddress6(long hi, long lo) {
        return (localAddress6Hi | localAddress6Lo) != 0 && hi == localAddress6Hi && lo == localAddress6Lo;
    }

    @Override
    public boolean send(int ifindex, MemorySegment frame, long offset, int length, int flags) {
        sent.add(new Sent(ifindex, FrameBuilder.toBytes(frame, offset, length), flags));
        return true;
    }

    List<Sent> drain() {
        List<Sent> copy = new ArrayList<>(sent);
        sent.clear();
        return copy;
    }
}
