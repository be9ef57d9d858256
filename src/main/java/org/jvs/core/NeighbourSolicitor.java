package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameSink;
import org.jvs.net.HostNetwork;
import org.jvs.net.NetInterface;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.NeighborDiscoveryWriter;

/**
 * The director's IPv6 next hops, {@link Egress}'s ARP half for IPv6: a frame towards a neighbour whose MAC is
 * known leaves at once; otherwise it waits in the ring IPv4's frames wait in ({@link PendingFrames}: the same byte
 * budget, the same second, the same {@link Counter#DROP_NEIGHBOUR_UNRESOLVED}) while a Neighbour Solicitation goes
 * to the neighbour's solicited-node group (RFC 4861 7.2.2), again at most every {@link Egress#ARP_RETRY_NS} while
 * frames keep coming, as ARP requests are. The solicitation's source is the interface's link-local address, as
 * Linux's ndisc_send_ns takes when the packet prompting it is not from an address of the interface (a client's,
 * a VIP's): the director's one, formed from the MAC as the kernel's default addr_gen_mode eui64 forms it. Allocates
 * nothing per frame; data-plane thread only.
 */
final class NeighbourSolicitor {
    /** fe80::/64, the link-local prefix (RFC 4291 2.5.6). */
    static final long LINK_LOCAL_HI = 0xFE80_0000_0000_0000L;
    /** The universal/local bit of a MAC's first byte, inverted in a modified EUI-64 interface id (RFC 4291 App. A). */
    private static final long UNIVERSAL_LOCAL_BIT = 0x02_0000L;

    private final HostNetwork network;
    private final Ipv6Neighbours neighbours;
    private final PendingFrames pending;
    private final FrameSink sink;
    private final Counters counters;
    private final EthernetHeader ethernet = new EthernetHeader();
    private final NeighborDiscoveryWriter writer = new NeighborDiscoveryWriter();
    private final MemorySegment solicitation = Arena.ofAuto().allocate(NeighborDiscoveryWriter.FRAME_LENGTH, 8);
    private final PendingFrames.Release releaseToSink = this::sendResolved;
    private long nowNs;
    private NetInterface releasePort;
    private long releaseMac;

    NeighbourSolicitor(HostNetwork network, Ipv6Neighbours neighbours, PendingFrames pending, FrameSink sink,
                       Counters counters) {
        this.network = network;
        this.neighbours = neighbours;
        this.pending = pending;
        this.sink = sink;
        this.counters = counters;
    }

    /** The clock for this duty cycle, read once by the runner. */
    void now(long nowNs) {
        this.nowNs = nowNs;
    }

    /** The low half of the link-local address formed from {@code mac} (RFC 4291 Appendix A, RFC 2464 section 4). */
    static long linkLocalLo(long mac) {
        return ((mac >>> 24 ^ UNIVERSAL_LOCAL_BIT) << 40) | 0xFFFEL << 24 | mac & 0xFF_FFFFL;
    }

    /**
     * Sends the IPv6 frame (Ethernet header included, its addresses filled here) to the neighbour
     * {@code hopHi}/{@code hopLo} on {@code ifindex}, or holds it until the neighbour answers. False when it can
     * neither leave nor wait (no such interface, too large to hold, the sink refused): the caller counts it.
     */
    boolean send(int ifindex, long hopHi, long hopLo, MemorySegment frame, long offset, int length, int flags) {
        NetInterface port = network.interfaceByIndex(ifindex);
        if (port == null) {
            return false;
        }
        Ipv6Neighbours.Entry entry = neighbours.entry(ifindex, hopHi, hopLo);
        if (entry.mac != Neighbours.UNKNOWN) {
            return sendTo(port, entry.mac, frame, offset, length, flags);
        }
        if (!pending.hold(Ipv6Neighbours.pendingKey(entry), frame, offset, length, flags, nowNs)) {
            return false;
        }
        if (Ipv6Neighbours.shouldSolicit(entry, nowNs, Egress.ARP_RETRY_NS)) {
            solicit(port, hopHi, hopLo);
        }
        return true;
    }

    private void solicit(NetInterface port, long targetHi, long targetLo) {
        writer.solicit(solicitation, 0, port.mac(), LINK_LOCAL_HI, linkLocalLo(port.mac()), targetHi, targetLo);
        if (sink.send(port.ifindex(), solicitation, 0, NeighborDiscoveryWriter.FRAME_LENGTH)) {
            counters.increment(Counter.ND_SOLICITATIONS_SENT);
        }
    }

    /** The entry's MAC became known: send what waited for it. */
    void resolved(Ipv6Neighbours.Entry entry) {
        NetInterface port = network.interfaceByIndex(entry.ifindex);
        if (port == null) {
            return;
        }
        releasePort = port;
        releaseMac = entry.mac;
        pending.release(Ipv6Neighbours.pendingKey(entry), nowNs, releaseToSink);
    }

    private void sendResolved(MemorySegment frame, long offset, int length, int flags) {
        if (!sendTo(releasePort, releaseMac, frame, offset, length, flags)) {
            counters.increment(Counter.DROP_OUTPUT);
        }
    }

    private boolean sendTo(NetInterface port, long mac, MemorySegment frame, long offset, int length, int flags) {
        ethernet.wrap(frame, offset).destination(mac).source(port.mac()).etherType(EthernetHeader.TYPE_IPV6);
        return sink.send(port.ifindex(), frame, offset, length, flags);
    }
}
