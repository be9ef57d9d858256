package org.jvs.packet;

import java.util.HexFormat;

/**
 * Golden tunnel packets written out byte by byte: a 3-byte UDP datagram from 203.0.113.7:40000 to the VIP
 * 192.0.2.10:53 (TTL 64, DF), tunnelled by the director 198.18.0.1 to the real server 198.51.100.20 over GUE
 * (to port 6080) and GRE. Checksums and the GUE source port were worked out apart from JVS's own code. The
 * transmitter must emit them; the real server's decapsulators must take them apart.
 */
public final class TunnelGoldenPackets {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    /** As received: TTL 64, header checksum 2a88, UDP checksum 87d9. */
    public static final String INNER_RECEIVED = "45 00 00 1f 12 34 40 00 40 11 2a 88 cb 00 71 07 c0 00 02 0a "
            + "9c 40 00 35 00 0b 87 d9 6a 76 73";
    /** As a sender with checksum offload hands it over: the UDP checksum field holds the pseudo-header sum. */
    public static final String INNER_RECEIVED_PARTIAL = "45 00 00 1f 12 34 40 00 40 11 2a 88 cb 00 71 07 c0 00 02 0a "
            + "9c 40 00 35 00 0b fe 2e 6a 76 73";
    /** As tunnelled: TTL 63, header checksum 2b88. */
    public static final String INNER_SENT = "45 00 00 1f 12 34 40 00 3f 11 2b 88 cb 00 71 07 c0 00 02 0a "
            + "9c 40 00 35 00 0b 87 d9 6a 76 73";
    /** Outer IPv4 (protocol 17, DF, TTL 63), UDP 40972 -> 6080 without checksum, GUE variant 0 for protocol 4. */
    public static final String GUE_NOCSUM = "45 00 00 3f 00 00 40 00 3f 11 4b 53 c6 12 00 01 c6 33 64 14 "
            + "a0 0c 17 c0 00 2b 00 00 "
            + "00 04 00 00 "
            + INNER_SENT;
    /** The same with the UDP checksum. */
    public static final String GUE_CSUM = "45 00 00 3f 00 00 40 00 3f 11 4b 53 c6 12 00 01 c6 33 64 14 "
            + "a0 0c 17 c0 00 2b 55 9b "
            + "00 04 00 00 "
            + INNER_SENT;
    /**
     * Remote checksum offload: Hlen 2, flag P; private flags R; start 20, offset 26 (the inner UDP checksum, still
     * the pseudo-header sum fe2e); the outer UDP checksum as with csum.
     */
    public static final String GUE_REMCSUM = "45 00 00 47 00 00 40 00 3f 11 4b 4b c6 12 00 01 c6 33 64 14 "
            + "a0 0c 17 c0 00 33 5d 06 "
            + "02 04 00 01 80 00 00 00 00 14 00 1a "
            + "45 00 00 1f 12 34 40 00 3f 11 2b 88 cb 00 71 07 c0 00 02 0a 9c 40 00 35 00 0b fe 2e 6a 76 73";
    /** Outer IPv4 (protocol 47), GRE without checksum for protocol 0x0800. */
    public static final String GRE_NOCSUM = "45 00 00 37 00 00 40 00 3f 2f 4b 3d c6 12 00 01 c6 33 64 14 "
            + "00 00 08 00 "
            + INNER_SENT;
    /** GRE with C set and the checksum 762e over the GRE header and the inner packet. */
    public static final String GRE_CSUM = "45 00 00 3b 00 00 40 00 3f 2f 4b 39 c6 12 00 01 c6 33 64 14 "
            + "80 00 08 00 76 2e 00 00 "
            + INNER_SENT;

    private TunnelGoldenPackets() {
    }

    public static byte[] bytes(String hex) {
        return HEX.parseHex(hex);
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
