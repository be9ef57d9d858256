package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameSink;
import org.jvs.net.HostNetwork;
import org.jvs.net.NetInterface;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Icmpv6Header;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.Ipv6Multicast;
import org.jvs.packet.NeighborDiscoveryWriter;
import org.jvs.packet.NeighborMessage;
import org.jvs.service.Protocol;

/**
 * Neighbour Discovery on the director's ports, {@link ArpResponder}'s IPv6 twin: answers solicitations for the
 * IPv6 VIPs and full-NAT local addresses the host does not hold (a standby VIP not, a local address given with an
 * interface only there), and learns neighbours for {@link NeighbourSolicitor} as RFC 4861 7.2 allows: from the
 * source link-layer option of a solicitation for an address of its own (7.2.3), and from an advertisement for a
 * neighbour it has an entry for, whose MAC replaces a known one only with the Override flag (7.2.5). A message
 * failing RFC 4861 7.1.1 or 7.1.2 is dropped and counted ({@link Counter#DROP_ND_INVALID}). Other IPv6 frames are
 * not its business.
 */
final class NeighbourDiscovery {
    /** {@link #check} results. */
    static final int NOT_NEIGHBOUR_DISCOVERY = 0;
    static final int INVALID = 1;
    static final int VALID = 2;

    private static final int LEAST_LENGTH = EthernetHeader.LENGTH + Ipv6Header.LENGTH + Icmpv6Header.LENGTH;

    private final HostNetwork network;
    private final ServiceTable services;
    private final LocalAddresses localAddresses;
    private final Ipv6Neighbours neighbours;
    private final NeighbourSolicitor solicitor;
    private final FrameSink sink;
    private final Counters counters;
    private final Ipv6Header ip = new Ipv6Header();
    private final NeighborMessage message = new NeighborMessage();
    private final NeighborDiscoveryWriter writer = new NeighborDiscoveryWriter();
    private final MemorySegment advertisement = Arena.ofAuto().allocate(NeighborDiscoveryWriter.FRAME_LENGTH, 8);

    NeighbourDiscovery(HostNetwork network, ServiceTable services, LocalAddresses localAddresses,
                       Ipv6Neighbours neighbours, NeighbourSolicitor solicitor, FrameSink sink, Counters counters) {
        this.network = network;
        this.services = services;
        this.localAddresses = localAddresses;
        this.neighbours = neighbours;
        this.solicitor = solicitor;
        this.sink = sink;
        this.counters = counters;
    }

    /**
     * Whether the IPv6 frame is a solicitation or advertisement (an ICMPv6 type 135 or 136 right after the fixed
     * header), and if so whether it passes RFC 4861 7.1; an invalid one is counted here.
     */
    int check(MemorySegment frame, long offset, int length) {
        if (length < LEAST_LENGTH) {
            return NOT_NEIGHBOUR_DISCOVERY;
        }
        ip.wrap(frame, offset + EthernetHeader.LENGTH);
        if (ip.validate(length - EthernetHeader.LENGTH) != Ipv6Header.OK || ip.nextHeader() != Protocol.ICMPV6) {
            return NOT_NEIGHBOUR_DISCOVERY;
        }
        message.wrap(frame, ip.payloadOffset());
        int type = message.icmp().type();
        if (type != Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION && type != Icmpv6Header.TYPE_NEIGHBOR_ADVERTISEMENT) {
            return NOT_NEIGHBOUR_DISCOVERY;
        }
        if (message.validate(ip, ip.payloadLength()) != NeighborMessage.OK) {
            counters.increment(Counter.DROP_ND_INVALID);
            return INVALID;
        }
        return VALID;
    }

    /**
     * Learns from a message {@link #check} found {@link #VALID} (and left wrapped); answers a solicitation for a
     * VIP or local address when {@code answer} (one worker does).
     */
    void onNeighborMessage(int ifindex, MemorySegment frame, long offset, boolean answer) {
        int icmpLength = ip.payloadLength();
        if (message.icmp().type() == Icmpv6Header.TYPE_NEIGHBOR_ADVERTISEMENT) {
            onAdvertisement(ifindex, icmpLength);
            return;
        }
        long targetHi = message.targetHi();
        long targetLo = message.targetLo();
        NetInterface port = network.interfaceByIndex(ifindex);
        if (port == null || !owns(port, targetHi, targetLo)) {
            return; // RFC 4861 7.2.3: a solicitation for an address not ours is discarded, its sender not learnt
        }
        long sourceMac = message.sourceLinkLayerAddress(icmpLength);
        if (sourceMac != NeighborMessage.NO_LINK_LAYER_ADDRESS) {
            // never from :: (validate refuses a DAD probe with the option)
            learn(neighbours.entry(ifindex, ip.sourceHi(), ip.sourceLo()), sourceMac);
        }
        if (!answer) {
            return;
        }
        // as Linux's ndisc_recv_ns for an address of its own: Override set when asked by multicast, which includes
        // DAD (the writer answers that to all nodes, Solicited clear: RFC 4861 7.2.4)
        int flags = Ipv6Multicast.isMulticast(ip.destinationHi()) ? NeighborMessage.OVERRIDE : 0;
        writer.answer(advertisement, 0, frame, offset, ip.payloadOffset(), icmpLength, port.mac(), flags);
        if (sink.send(ifindex, advertisement, 0, NeighborDiscoveryWriter.FRAME_LENGTH)) {
            counters.increment(Counter.ND_ADVERTISEMENTS_SENT);
        }
    }

    /** A VIP or local address (on this interface) the host does not hold and the director is not standby for. */
    private boolean owns(NetInterface port, long hi, long lo) {
        return !network.isLocalAddress6(hi, lo) && (services.isVirtualAddress6(hi, lo)
                || localAddresses.usedOn6(hi, lo, port.name()) && !services.onStandby6(hi, lo));
    }

    /**
     * RFC 4861 7.2.5: an advertisement for a neighbour without an entry, or without a target link-layer option, is
     * ignored; one that names a MAC other than the known one replaces it only with the Override flag.
     */
    private void onAdvertisement(int ifindex, int icmpLength) {
        Ipv6Neighbours.Entry entry = neighbours.find(ifindex, message.targetHi(), message.targetLo());
        long targetMac = message.targetLinkLayerAddress(icmpLength);
        if (entry == null || targetMac == NeighborMessage.NO_LINK_LAYER_ADDRESS) {
            return;
        }
        if (entry.mac == Neighbours.UNKNOWN || message.override()) {
            learn(entry, targetMac);
        }
    }

    private void learn(Ipv6Neighbours.Entry entry, long mac) {
        if (entry.mac != mac) {
            entry.mac = mac;
            solicitor.resolved(entry);
        }
    }
}
