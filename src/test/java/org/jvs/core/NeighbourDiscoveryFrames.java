package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;

import org.jvs.packet.CapturedFrames;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.NeighborMessage;
import org.jvs.service.Ipv6;

/**
 * Neighbour Discovery frames for the director's tests: Linux's own from {@code linux-icmpv6-capture.txt}, where
 * 2001:db8::b (02:00:00:00:0b:02) is the host a director with that MAC stands in for, and those it must send
 * written out byte by byte, their checksums computed apart.
 */
final class NeighbourDiscoveryFrames {
    static final List<byte[]> CAPTURE = CapturedFrames.load("/packet/linux-icmpv6-capture.txt");
    /** who has fe80::ff:fe00:a01, from :: (DAD), with a nonce option. */
    static final byte[] DAD_PROBE = CAPTURE.get(0);
    /** 2001:db8::a (02:00:00:00:0a:01) asks ff02::1:ff00:b who has 2001:db8::b. */
    static final byte[] SOLICITATION = CAPTURE.get(1);
    /** 2001:db8::b answers: S and O set, its MAC in the target link-layer option. */
    static final byte[] ADVERTISEMENT = CAPTURE.get(2);
    static final byte[] ECHO_REQUEST = CAPTURE.get(3);
    /** 2001:db8::b's reply to 2001:db8::a: what the director sends to its neighbour, MACs included. */
    static final byte[] ECHO_REPLY = CAPTURE.get(4);
    static final long DIRECTOR_MAC = 0x02_00_00_00_0b_02L;
    static final long NEIGHBOUR_MAC = 0x02_00_00_00_0a_01L;
    static final Ipv6 VIP = Ipv6.parse("2001:db8::b");
    static final Ipv6 NEIGHBOUR = Ipv6.parse("2001:db8::a");
    /** The NS Linux's ndisc_send_ns would send from 02:00:00:00:0b:02 for 2001:db8::a: from fe80::ff:fe00:b02. */
    static final byte[] EXPECTED_SOLICITATION = HexFormat.of().parseHex("3333ff00000a020000000b0286dd"
            + "6000000000203afffe80000000000000000000fffe000b02ff0200000000000000000001ff00000a"
            + "8700364d0000000020010db800000000000000000000000a0101020000000b02");
    /** 2001:db8::a's answer to it, S and O set, to the director's link-local address. */
    static final byte[] NEIGHBOUR_ADVERTISEMENT = HexFormat.of().parseHex("020000000b02020000000a0186dd"
            + "6000000000203aff20010db800000000000000000000000afe80000000000000000000fffe000b02"
            + "8800a5996000000020010db800000000000000000000000a0201020000000a01");
    /** The answer to DAD_PROBE's twin for the VIP: to all nodes (33:33:00:00:00:01), O set, S clear. */
    static final byte[] EXPECTED_DAD_DEFENCE = HexFormat.of().parseHex("333300000001020000000b0286dd"
            + "6000000000203aff20010db800000000000000000000000bff020000000000000000000000000001"
            + "8800ee152000000020010db800000000000000000000000b0201020000000b02");

    /** DAD_PROBE asking for {@code target} instead. */
    static byte[] dadProbe(Ipv6 target) {
        return rewritten(DAD_PROBE, (ip, message) -> message.solicitation(target.hi(), target.lo()));
    }

    /** An advertisement 2001:db8::a sends to all nodes with {@code flags} and {@code mac}. */
    static byte[] unsolicited(long mac, int flags) {
        return rewritten(NEIGHBOUR_ADVERTISEMENT, (ip, message) -> {
            ip.destination(0xFF02_0000_0000_0000L, 1);
            message.advertisement(flags, NEIGHBOUR.hi(), NEIGHBOUR.lo())
                    .linkLayerAddressOption(NeighborMessage.OPTION_TARGET_LINK_LAYER_ADDRESS, mac);
        });
    }

    interface Change {
        void apply(Ipv6Header ip, NeighborMessage message);
    }

    /** The frame with {@code change} applied and its checksum left as it was. */
    static byte[] changed(byte[] frame, Change change) {
        return edit(frame, change, false);
    }

    /** The frame with {@code change} applied and its checksum made right again. */
    static byte[] rewritten(byte[] frame, Change change) {
        return edit(frame, change, true);
    }

    static byte[] edit(byte[] frame, Change change, boolean checksum) {
        MemorySegment segment = Frames.nativeCopy(frame);
        Ipv6Header ip = new Ipv6Header().wrap(segment, EthernetHeader.LENGTH);
        NeighborMessage message = new NeighborMessage().wrap(segment, ip.payloadOffset());
        change.apply(ip, message);
        if (checksum) {
            message.icmp().updateChecksum(ip.payloadLength(), ip);
        }
        return FrameBuilder.toBytes(segment, 0, frame.length);
    }
}
