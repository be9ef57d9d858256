package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;

/** The entry check every transmitter makes: an Ethernet frame carrying a valid IPv4 packet. */
final class Ipv4Frames {
    private Ipv4Frames() {
    }

    /** Wraps {@code ip} over the frame's IPv4 packet; false when the frame is not Ethernet/IPv4 or fails validation. */
    static boolean wrap(EthernetHeader ethernet, Ipv4Header ip, MemorySegment frame, long offset, int length) {
        if (length < EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH || offset < 0
                || offset + EthernetHeader.LENGTH > frame.byteSize()) {
            return false;
        }
        if (ethernet.wrap(frame, offset).etherType() != EthernetHeader.TYPE_IPV4) {
            return false;
        }
        return ip.wrap(frame, ethernet.payloadOffset()).validate(length - EthernetHeader.LENGTH) == Ipv4Header.OK;
    }
}
