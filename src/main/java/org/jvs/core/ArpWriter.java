package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.packet.ArpPacket;
import org.jvs.packet.EthernetHeader;

/** Builds the director's own Ethernet/IPv4 ARP frames (requests and replies) in a buffer it owns. */
final class ArpWriter {
    static final int FRAME_LENGTH = EthernetHeader.LENGTH + ArpPacket.LENGTH;

    private final MemorySegment frame = Arena.ofAuto().allocate(64, 8);
    private final EthernetHeader ethernet = new EthernetHeader();
    private final ArpPacket arp = new ArpPacket();

    /** Writes one ARP frame from {@code senderMac}; the frame is {@link #frame()}, {@link #FRAME_LENGTH} long. */
    MemorySegment write(int operation, long ethernetDestination, long senderMac, int senderIp, long targetMac,
                        int targetIp) {
        ethernet.wrap(frame, 0);
        ethernet.destination(ethernetDestination);
        ethernet.source(senderMac);
        ethernet.etherType(EthernetHeader.TYPE_ARP);
        arp.wrap(frame, EthernetHeader.LENGTH);
        arp.ethernetIpv4().op(operation);
        arp.senderMac(senderMac);
        arp.senderIp(senderIp);
        arp.targetMac(targetMac);
        arp.targetIp(targetIp);
        return frame;
    }
}
