package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameSink;
import org.jvs.net.HostNetwork;
import org.jvs.net.NetInterface;
import org.jvs.packet.ArpPacket;
import org.jvs.packet.EthernetHeader;

/**
 * ARP on the director's ports: learns every sender it sees (the director's own neighbour table) and answers
 * requests for VIPs and full-NAT local addresses the host does not hold itself, so neither needs an address on the
 * director; a local address given with an interface (-F) only there. Where the VIP is on
 * the host (on lo, as the LVS how-tos do) the kernel answers and this stays silent.
 */
final class ArpResponder {
    private final HostNetwork network;
    private final ServiceTable services;
    private final LocalAddresses localAddresses;
    private final Neighbours neighbours;
    private final Egress egress;
    private final FrameSink sink;
    private final Counters counters;
    private final ArpPacket arp = new ArpPacket();
    private final ArpWriter arpWriter = new ArpWriter();

    ArpResponder(HostNetwork network, ServiceTable services, LocalAddresses localAddresses, Neighbours neighbours,
                 Egress egress, FrameSink sink, Counters counters) {
        this.network = network;
        this.services = services;
        this.localAddresses = localAddresses;
        this.neighbours = neighbours;
        this.egress = egress;
        this.sink = sink;
        this.counters = counters;
    }

    /** Learns the sender; answers a request for a VIP or local address when {@code answer} (one worker does). */
    void onArp(int ifindex, MemorySegment frame, long offset, int length, boolean answer) {
        if (length < EthernetHeader.LENGTH + ArpPacket.LENGTH) {
            counters.increment(Counter.DROP_MALFORMED);
            return;
        }
        arp.wrap(frame, offset + EthernetHeader.LENGTH);
        if (!arp.isEthernetIpv4(length - EthernetHeader.LENGTH)) {
            return;
        }
        int sender = arp.senderIp();
        long senderMac = arp.senderMac();
        if (sender != 0) {
            long known = neighbours.mac(ifindex, sender);
            if (known != senderMac) {
                neighbours.learn(ifindex, sender, senderMac);
                egress.resolved(ifindex, sender, senderMac);
            }
        }
        int target = arp.targetIp();
        if (!answer || arp.op() != ArpPacket.OP_REQUEST || network.isLocalAddress(target)) {
            return;
        }
        NetInterface port = network.interfaceByIndex(ifindex);
        if (port != null && (services.isVirtualAddress(target)
                || localAddresses.usedOn(target, port.name()) && !services.onStandby(target))) {
            answer(port, ifindex, sender, senderMac, target);
        }
    }

    private void answer(NetInterface port, int ifindex, int requester, long requesterMac, int target) {
        MemorySegment reply = arpWriter.write(ArpPacket.OP_REPLY, requesterMac, port.mac(), target, requesterMac,
                requester);
        if (sink.send(ifindex, reply, 0, ArpWriter.FRAME_LENGTH)) {
            counters.increment(Counter.ARP_REPLIES_SENT);
        }
    }
}
