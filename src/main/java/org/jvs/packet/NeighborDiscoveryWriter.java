package org.jvs.packet;

import java.lang.foreign.MemorySegment;

import org.jvs.service.Protocol;

/**
 * Builds the director's own Neighbour Discovery frames (Ethernet, IPv6, NS or NA with one link-layer address
 * option), what {@code ArpWriter} does for ARP: the answer to a solicitation (RFC 4861 section 7.2.4) and a
 * solicitation of a neighbour's MAC (section 7.2.2). Frames are written where the caller says; not thread-safe
 * (it keeps its flyweights), allocates nothing.
 */
public final class NeighborDiscoveryWriter {
    /** Ethernet, IPv6 and a 32-byte message: 24 bytes and one link-layer address option. */
    public static final int FRAME_LENGTH = EthernetHeader.LENGTH + Ipv6Header.LENGTH + NeighborMessage.LENGTH
            + NeighborMessage.LINK_LAYER_OPTION_LENGTH;
    private static final int MESSAGE_LENGTH = NeighborMessage.LENGTH + NeighborMessage.LINK_LAYER_OPTION_LENGTH;

    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv6Header ip = new Ipv6Header();
    private final NeighborMessage message = new NeighborMessage();
    private final EthernetHeader requestEthernet = new EthernetHeader();
    private final Ipv6Header requestIp = new Ipv6Header();
    private final NeighborMessage request = new NeighborMessage();

    /**
     * Writes at {@code out[outOffset]} the advertisement answering the solicitation in {@code frame} (Ethernet at
     * {@code frameOffset}, its ICMPv6 message of {@code icmpLength} bytes at {@code icmpOffset}, already
     * {@link NeighborMessage#validate validated}) for its target, from {@code mac}. A solicitation from the
     * unspecified address (DAD) is answered to all nodes with S clear, any other to its sender with S set, at the
     * MAC its source link-layer option names or else the one it came from. {@code flags} adds
     * {@link NeighborMessage#ROUTER} or {@link NeighborMessage#OVERRIDE}. Returns {@link #FRAME_LENGTH}.
     */
    public int answer(MemorySegment out, long outOffset, MemorySegment frame, long frameOffset, long icmpOffset,
                      int icmpLength, long mac, int flags) {
        requestEthernet.wrap(frame, frameOffset);
        requestIp.wrap(frame, frameOffset + EthernetHeader.LENGTH);
        request.wrap(frame, icmpOffset);
        long targetHi = request.targetHi();
        long targetLo = request.targetLo();
        long destinationHi = requestIp.sourceHi();
        long destinationLo = requestIp.sourceLo();
        long destinationMac;
        if (Ipv6Multicast.isUnspecified(destinationHi, destinationLo)) {
            destinationHi = Ipv6Multicast.ALL_NODES_HI;
            destinationLo = Ipv6Multicast.ALL_NODES_LO;
            destinationMac = Ipv6Multicast.ethernetMac(destinationLo);
            flags &= ~NeighborMessage.SOLICITED;
        } else {
            destinationMac = request.sourceLinkLayerAddress(icmpLength);
            if (destinationMac == NeighborMessage.NO_LINK_LAYER_ADDRESS) {
                destinationMac = requestEthernet.source();
            }
            flags |= NeighborMessage.SOLICITED;
        }
        headers(out, outOffset, destinationMac, mac, targetHi, targetLo, destinationHi, destinationLo);
        message.advertisement(flags, targetHi, targetLo)
                .linkLayerAddressOption(NeighborMessage.OPTION_TARGET_LINK_LAYER_ADDRESS, mac);
        message.icmp().updateChecksum(MESSAGE_LENGTH, ip);
        return FRAME_LENGTH;
    }

    /**
     * Writes at {@code out[outOffset]} a solicitation for the target's MAC from {@code mac} and the source address,
     * to the target's solicited-node group, with a source link-layer address option. Returns {@link #FRAME_LENGTH}.
     */
    public int solicit(MemorySegment out, long outOffset, long mac, long sourceHi, long sourceLo,
                       long targetHi, long targetLo) {
        long groupLo = Ipv6Multicast.solicitedNodeLo(targetLo);
        headers(out, outOffset, Ipv6Multicast.ethernetMac(groupLo), mac, sourceHi, sourceLo,
                Ipv6Multicast.SOLICITED_NODE_HI, groupLo);
        message.solicitation(targetHi, targetLo)
                .linkLayerAddressOption(NeighborMessage.OPTION_SOURCE_LINK_LAYER_ADDRESS, mac);
        message.icmp().updateChecksum(MESSAGE_LENGTH, ip);
        return FRAME_LENGTH;
    }

    /**
     * Writes at {@code out[outOffset]} the unsolicited advertisement a new VRRP master sends for a virtual address
     * it took over (RFC 4861 7.2.6), as keepalived's ndisc_send_unsolicited_na: from the address itself to all nodes
     * (ff02::1), the address as target, {@code flags} ({@link NeighborMessage#OVERRIDE}, and
     * {@link NeighborMessage#ROUTER} when the interface forwards), and a target link-layer option with {@code mac}.
     * Returns {@link #FRAME_LENGTH}.
     */
    public int unsolicited(MemorySegment out, long outOffset, long mac, long targetHi, long targetLo, int flags) {
        headers(out, outOffset, Ipv6Multicast.ethernetMac(Ipv6Multicast.ALL_NODES_LO), mac, targetHi, targetLo,
                Ipv6Multicast.ALL_NODES_HI, Ipv6Multicast.ALL_NODES_LO);
        message.advertisement(flags, targetHi, targetLo)
                .linkLayerAddressOption(NeighborMessage.OPTION_TARGET_LINK_LAYER_ADDRESS, mac);
        message.icmp().updateChecksum(MESSAGE_LENGTH, ip);
        return FRAME_LENGTH;
    }

    private void headers(MemorySegment out, long outOffset, long destinationMac, long sourceMac,
                         long sourceHi, long sourceLo, long destinationHi, long destinationLo) {
        ethernet.wrap(out, outOffset).destination(destinationMac).source(sourceMac)
                .etherType(EthernetHeader.TYPE_IPV6);
        ip.wrap(out, ethernet.payloadOffset()).versionClassAndFlow(0, 0).payloadLength(MESSAGE_LENGTH)
                .nextHeader(Protocol.ICMPV6).hopLimit(NeighborMessage.HOP_LIMIT)
                .source(sourceHi, sourceLo).destination(destinationHi, destinationLo);
        message.wrap(out, ip.payloadOffset());
    }
}
