package org.jvs.linux;

import java.nio.ByteBuffer;

/** Builds well-formed test frames (checksums included) so a peer kernel accepts them. */
final class TestFrames {
    private TestFrames() {
    }

    static byte[] icmpEchoRequest(long sourceMac, long destinationMac, int source, int destination, int id, int sequence) {
        byte[] payload = "jvs-afpacket-test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int icmpLength = 8 + payload.length;
        ByteBuffer frame = ByteBuffer.allocate(14 + 20 + icmpLength);
        putMac(frame, destinationMac);
        putMac(frame, sourceMac);
        frame.putShort((short) 0x0800);
        int ip = frame.position();
        frame.put((byte) 0x45).put((byte) 0).putShort((short) (20 + icmpLength))
                .putShort((short) 0x1234).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 1).putShort((short) 0)
                .putInt(source).putInt(destination);
        frame.putShort(ip + 10, checksum(frame.array(), ip, 20));
        int icmp = frame.position();
        frame.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) sequence).put(payload);
        frame.putShort(icmp + 2, checksum(frame.array(), icmp, icmpLength));
        return frame.array();
    }

    /** IEEE 802 "local experimental" ethertype: no kernel on the path reacts to it. */
    static final int ETHERTYPE_EXPERIMENTAL = 0x88B5;

    /** A minimum-size frame of the experimental ethertype carrying a 16-bit sequence number. */
    static byte[] experimental(long sourceMac, long destinationMac, int sequence) {
        ByteBuffer frame = ByteBuffer.allocate(60);
        putMac(frame, destinationMac);
        putMac(frame, sourceMac);
        frame.putShort((short) ETHERTYPE_EXPERIMENTAL).putShort((short) sequence);
        return frame.array();
    }

    private static void putMac(ByteBuffer buffer, long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            buffer.put((byte) (mac >>> shift));
        }
    }

    static short checksum(byte[] bytes, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = bytes[offset + i] & 0xFF;
            int low = i + 1 < length ? bytes[offset + i + 1] & 0xFF : 0;
            sum += high << 8 | low;
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
