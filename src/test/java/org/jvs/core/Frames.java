package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Ipv4Fragmenter;
import org.jvs.packet.Reference;

/** Frames a test feeds to the director, and readers for the frames it sends. */
final class Frames {
    private Frames() {
    }

    static byte[] withMacs(byte[] frame, long destination, long source) {
        for (int i = 0; i < 6; i++) {
            frame[i] = (byte) (destination >>> (40 - 8 * i));
            frame[6 + i] = (byte) (source >>> (40 - 8 * i));
        }
        return frame;
    }

    static byte[] arp(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        byte[] frame = new byte[42];
        withMacs(frame, operation == 1 ? 0xFFFF_FFFF_FFFFL : targetMac, senderMac);
        Reference.u16(frame, 12, 0x0806);
        Reference.u16(frame, 14, 1);
        Reference.u16(frame, 16, 0x0800);
        frame[18] = 6;
        frame[19] = 4;
        Reference.u16(frame, 20, operation);
        for (int i = 0; i < 6; i++) {
            frame[22 + i] = (byte) (senderMac >>> (40 - 8 * i));
            frame[32 + i] = (byte) (targetMac >>> (40 - 8 * i));
        }
        Reference.u32(frame, 28, senderIp);
        Reference.u32(frame, 38, targetIp);
        return frame;
    }

    /** The fragments of an Ethernet/IPv4 frame for an MTU, as the director's own output cuts them. */
    static List<byte[]> fragments(byte[] whole, int mtu) {
        List<byte[]> fragments = new ArrayList<>();
        new Ipv4Fragmenter().fragment(FrameBuilder.copyToNative(whole), 0, whole.length, mtu, (frame, offset, length) ->
                fragments.add(frame.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE)));
        return fragments;
    }

    static MemorySegment nativeCopy(byte[] frame) {
        return FrameBuilder.copyToNative(frame);
    }

    static long destinationMac(byte[] frame) {
        return mac(frame, 0);
    }

    static long sourceMac(byte[] frame) {
        return mac(frame, 6);
    }

    private static long mac(byte[] frame, int offset) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (frame[offset + i] & 0xFF);
        }
        return mac;
    }

    static int etherType(byte[] frame) {
        return Reference.u16(frame, 12);
    }

    static int protocol(byte[] frame) {
        return frame[14 + 9] & 0xFF;
    }

    static int ipSource(byte[] frame) {
        return Reference.u32(frame, 14 + 12);
    }

    static int ipDestination(byte[] frame) {
        return Reference.u32(frame, 14 + 16);
    }

    static int l4Offset(byte[] frame) {
        return 14 + Reference.ipHeaderLength(frame, 14);
    }

    static int sourcePort(byte[] frame) {
        return Reference.u16(frame, l4Offset(frame));
    }

    static int destinationPort(byte[] frame) {
        return Reference.u16(frame, l4Offset(frame) + 2);
    }

    /** True when both the IPv4 header checksum and the TCP/UDP checksum equal ones computed from scratch. */
    static boolean checksumsValid(byte[] frame, int ipOffset) {
        boolean ipValid = Reference.u16(frame, ipOffset + 10) == Reference.ipChecksum(frame, ipOffset);
        return ipValid && Reference.storedTransportChecksum(frame, ipOffset) == Reference.transportChecksum(frame, ipOffset);
    }

    /**
     * True when the frame, sent with a partial checksum, completes to valid checksums as the kernel would complete
     * it (the frame itself is left as it is).
     */
    static boolean partialChecksumCompletes(byte[] frame, int ipOffset) {
        MemorySegment copy = nativeCopy(frame);
        if (!new org.jvs.packet.ChecksumOffload().complete(copy, ipOffset - 14, frame.length - (ipOffset - 14))) {
            return false;
        }
        return checksumsValid(FrameBuilder.toBytes(copy, 0, frame.length), ipOffset);
    }
}
