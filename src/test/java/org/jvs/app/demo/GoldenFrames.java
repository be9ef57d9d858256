package org.jvs.app.demo;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Frames as they appear on the wire, written byte by byte (not through the flyweights under test): Ethernet, IPv4
 * without options, TCP without options, optionally inside an IPIP packet.
 */
final class GoldenFrames {
    static final int SYN = 0x02;
    static final int SYN_ACK = 0x12;

    private GoldenFrames() {
    }

    static byte[] tcp(String sourceMac, String destinationMac, String source, String destination, int flags) {
        ByteBuffer frame = ByteBuffer.allocate(14 + 20 + 20);
        ethernet(frame, sourceMac, destinationMac, 0x0800);
        ipAndTcp(frame, source, destination, flags);
        return frame.array();
    }

    /** An IPIP packet from {@code outerSource} to {@code outerDestination} carrying a TCP segment. */
    static byte[] ipip(String sourceMac, String destinationMac, String outerSource, String outerDestination,
                       String source, String destination, int flags) {
        ByteBuffer frame = ByteBuffer.allocate(14 + 20 + 20 + 20);
        ethernet(frame, sourceMac, destinationMac, 0x0800);
        ipHeader(frame, outerSource, outerDestination, 4, 40);
        ipAndTcp(frame, source, destination, flags);
        return frame.array();
    }

    static byte[] arp(String sourceMac) {
        ByteBuffer frame = ByteBuffer.allocate(14 + 28);
        ethernet(frame, sourceMac, "ff:ff:ff:ff:ff:ff", 0x0806);
        return frame.array();
    }

    static SeenFrame decode(byte[] frame) {
        return SeenFrame.decode(MemorySegment.ofArray(frame), frame.length);
    }

    /** Endpoints are "a.b.c.d:port". */
    private static void ipAndTcp(ByteBuffer frame, String source, String destination, int flags) {
        ipHeader(frame, address(source), address(destination), 6, 20);
        frame.putShort((short) port(source)).putShort((short) port(destination));
        frame.putInt(0x1000_0000).putInt((flags & 0x10) != 0 ? 0x2000_0001 : 0);
        frame.put((byte) 0x50).put((byte) flags).putShort((short) 64240).putShort((short) 0).putShort((short) 0);
    }

    private static void ethernet(ByteBuffer frame, String sourceMac, String destinationMac, int etherType) {
        for (String mac : new String[] {destinationMac, sourceMac}) {
            for (String octet : mac.split(":")) {
                frame.put((byte) Integer.parseInt(octet, 16));
            }
        }
        frame.putShort((short) etherType);
    }

    private static void ipHeader(ByteBuffer frame, String source, String destination, int protocol, int payload) {
        frame.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload)).putShort((short) 1)
                .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0);
        for (String address : new String[] {source, destination}) {
            for (String octet : address.split("\\.")) {
                frame.put((byte) Integer.parseInt(octet));
            }
        }
    }

    private static String address(String endpoint) {
        return endpoint.split(":")[0];
    }

    private static int port(String endpoint) {
        String[] parts = endpoint.split(":");
        return parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
    }
}
