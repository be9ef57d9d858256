package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameHandler;
import org.jvs.net.FrameSink;
import org.jvs.net.HostNetwork;
import org.jvs.net.IpOutput;
import org.jvs.net.NetInterface;
import org.jvs.net.NextHop;
import org.jvs.packet.ArpPacket;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Fragmenter;

/**
 * The director's IPv4 output: routes through the host's table, resolves next hops with its own ARP, fills the
 * Ethernet header and sends. A frame whose next hop is not yet known is held until the ARP reply comes (or for
 * at most a second), so the first packet of a connection is not lost.
 */
public final class Egress implements IpOutput {
    /** At most one ARP request (or IPv6 solicitation) per neighbour this often while frames keep coming. */
    static final long ARP_RETRY_NS = 200_000_000L;

    private final HostNetwork network;
    private final Neighbours neighbours;
    private final FrameSink sink;
    private final Counters counters;
    private final PendingFrames pending;
    private final EthernetHeader ethernet = new EthernetHeader();
    private final ArpWriter arpWriter = new ArpWriter();
    private final PendingFrames.Release releaseToSink = this::sendResolved;
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final Ipv4Fragmenter.Output sendFragment = this::sendFragment;
    private int fragmentIfindex;
    private long nowNs;
    private int releaseIfindex;
    private long releaseMac;

    public Egress(HostNetwork network, Neighbours neighbours, FrameSink sink, Counters counters) {
        this.network = network;
        this.neighbours = neighbours;
        this.sink = sink;
        this.counters = counters;
        this.pending = new PendingFrames(counters);
    }

    /** The clock for this duty cycle, read once by the runner. */
    void now(long nowNs) {
        this.nowNs = nowNs;
    }

    @Override
    public boolean route(int destination, NextHop hop) {
        return network.route(destination, hop);
    }

    @Override
    public boolean send(NextHop hop, MemorySegment frame, long offset, int length, int flags) {
        NetInterface egress = network.interfaceByIndex(hop.ifindex);
        if (egress == null) {
            return false;
        }
        long mac = neighbours.mac(hop.ifindex, hop.gateway);
        if (mac == Neighbours.UNKNOWN) {
            if (!pending.hold(Neighbours.key(hop.ifindex, hop.gateway), frame, offset, length, flags, nowNs)) {
                return false;
            }
            requestMac(egress, hop.gateway);
            return true;
        }
        return sendTo(egress, mac, frame, offset, length, flags);
    }

    private boolean sendTo(NetInterface egress, long mac, MemorySegment frame, long offset, int length, int flags) {
        ethernet.wrap(frame, offset);
        ethernet.destination(mac);
        ethernet.source(egress.mac());
        ethernet.etherType(EthernetHeader.TYPE_IPV4);
        if (FrameHandler.gsoSize(flags) == 0 && length - EthernetHeader.LENGTH > egress.mtu()) {
            // a datagram made whole from fragments, or one the way in carried whole: fragments again, DF clear
            // (the transmitters answered DF with fragmentation-needed); a partial checksum cannot be split
            if ((flags & FrameHandler.CHECKSUM_NOT_READY) != 0) {
                return false;
            }
            fragmentIfindex = egress.ifindex();
            if (fragmenter.fragment(frame, offset, length, egress.mtu(), sendFragment) < 0) {
                return false;
            }
            counters.increment(Counter.DATAGRAMS_FRAGMENTED);
            return true;
        }
        return sink.send(egress.ifindex(), frame, offset, length, flags);
    }

    private boolean sendFragment(MemorySegment fragment, long offset, int length) {
        return sink.send(fragmentIfindex, fragment, offset, length, 0);
    }

    /** The frames waiting for a neighbour, IPv6's too ({@link NeighbourSolicitor}): one ring, one byte budget. */
    PendingFrames pendingFrames() {
        return pending;
    }

    /** A neighbour became known: send what waited for it. */
    void resolved(int ifindex, int address, long mac) {
        NetInterface egress = network.interfaceByIndex(ifindex);
        if (egress == null) {
            return;
        }
        releaseIfindex = ifindex;
        releaseMac = mac;
        pending.release(Neighbours.key(ifindex, address), nowNs, releaseToSink);
    }

    private void sendResolved(MemorySegment frame, long offset, int length, int flags) {
        if (!sendTo(network.interfaceByIndex(releaseIfindex), releaseMac, frame, offset, length, flags)) {
            counters.increment(Counter.DROP_OUTPUT);
        }
    }

    private void requestMac(NetInterface egress, int address) {
        if (!neighbours.shouldRequest(egress.ifindex(), address, nowNs, ARP_RETRY_NS)) {
            return;
        }
        MemorySegment request = arpWriter.write(ArpPacket.OP_REQUEST, EthernetHeader.BROADCAST, egress.mac(),
                egress.ipv4Address(), 0L, address);
        if (sink.send(egress.ifindex(), request, 0, ArpWriter.FRAME_LENGTH)) {
            counters.increment(Counter.ARP_REQUESTS_SENT);
        }
    }
}
