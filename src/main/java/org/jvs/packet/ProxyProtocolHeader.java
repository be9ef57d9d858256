package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Writes the PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) that tells a real server the
 * client's address of a TCP connection over IPv4: source = the client, destination = the virtual service.
 * <pre>
 * v1: "PROXY TCP4 " src " " dst " " srcport " " dstport "\r\n"      (at most 56 bytes for TCP4)
 * v2: signature(12) ver|cmd=0x21 fam=0x11 len=12(2) src(4) dst(4) srcport(2) dstport(2)   (28 bytes)
 * </pre>
 * Allocation-free: digits are written byte by byte. The length is a pure function of the four values, so a
 * connection can write the same header again for a retransmission and know its length before writing it.
 */
public final class ProxyProtocolHeader {
    public static final int NONE = 0;
    public static final int V1 = 1;
    public static final int V2 = 2;
    /** The longest v1 header for TCP4, "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n". */
    public static final int V1_TCP4_MAX_LENGTH = 56;
    public static final int V2_TCP4_LENGTH = 28;

    /** "\r\n\r\n\0\r\nQUIT\n", the v2 signature, as three big-endian words. */
    private static final int SIGNATURE_0 = 0x0D0A0D0A;
    private static final int SIGNATURE_1 = 0x000D0A51;
    private static final int SIGNATURE_2 = 0x5549540A;
    /** Version 2 in the high nibble, command PROXY in the low one. */
    private static final int V2_VERSION_COMMAND = 0x21;
    /** AF_INET in the high nibble, STREAM in the low one. */
    private static final int V2_TCP_OVER_IPV4 = 0x11;
    private static final int V2_IPV4_ADDRESS_LENGTH = 12;
    private static final int V2_ADDRESS_LENGTH_OFFSET = 14;
    private static final int V2_ADDRESSES_OFFSET = 16;
    private static final byte[] V1_PREFIX = {'P', 'R', 'O', 'X', 'Y', ' ', 'T', 'C', 'P', '4', ' '};

    private ProxyProtocolHeader() {
    }

    /** The header's length in bytes for {@code version}, 0 for {@link #NONE} or an unknown version. */
    public static int length(int version, int clientAddress, int clientPort, int virtualAddress, int virtualPort) {
        return switch (version) {
            case V1 -> V1_PREFIX.length + addressLength(clientAddress) + 1 + addressLength(virtualAddress) + 1
                    + digits(clientPort) + 1 + digits(virtualPort) + 2;
            case V2 -> V2_TCP4_LENGTH;
            default -> 0;
        };
    }

    /**
     * Writes the header of {@code version} at {@code offset} and returns its length ({@link #length}), or 0,
     * writing nothing, for {@link #NONE} or an unknown version. The caller provides the room.
     */
    public static int write(int version, MemorySegment segment, long offset, int clientAddress, int clientPort,
                            int virtualAddress, int virtualPort) {
        return switch (version) {
            case V1 -> writeV1(segment, offset, clientAddress, clientPort, virtualAddress, virtualPort);
            case V2 -> writeV2(segment, offset, clientAddress, clientPort, virtualAddress, virtualPort);
            default -> 0;
        };
    }

    /** The human-readable header; returns its length. */
    public static int writeV1(MemorySegment segment, long offset, int clientAddress, int clientPort,
                              int virtualAddress, int virtualPort) {
        long position = offset;
        for (byte b : V1_PREFIX) {
            NetworkOrder.u8(segment, position++, b);
        }
        position = writeAddress(segment, position, clientAddress);
        NetworkOrder.u8(segment, position++, ' ');
        position = writeAddress(segment, position, virtualAddress);
        NetworkOrder.u8(segment, position++, ' ');
        position = writeDecimal(segment, position, clientPort & 0xFFFF);
        NetworkOrder.u8(segment, position++, ' ');
        position = writeDecimal(segment, position, virtualPort & 0xFFFF);
        NetworkOrder.u8(segment, position++, '\r');
        NetworkOrder.u8(segment, position++, '\n');
        return (int) (position - offset);
    }

    /** The binary header, command PROXY, TCP over IPv4; returns {@link #V2_TCP4_LENGTH}. */
    public static int writeV2(MemorySegment segment, long offset, int clientAddress, int clientPort,
                              int virtualAddress, int virtualPort) {
        NetworkOrder.u32(segment, offset, SIGNATURE_0);
        NetworkOrder.u32(segment, offset + 4, SIGNATURE_1);
        NetworkOrder.u32(segment, offset + 8, SIGNATURE_2);
        NetworkOrder.u8(segment, offset + 12, V2_VERSION_COMMAND);
        NetworkOrder.u8(segment, offset + 13, V2_TCP_OVER_IPV4);
        NetworkOrder.u16(segment, offset + V2_ADDRESS_LENGTH_OFFSET, V2_IPV4_ADDRESS_LENGTH);
        long addresses = offset + V2_ADDRESSES_OFFSET;
        NetworkOrder.u32(segment, addresses, clientAddress);
        NetworkOrder.u32(segment, addresses + 4, virtualAddress);
        NetworkOrder.u16(segment, addresses + 8, clientPort);
        NetworkOrder.u16(segment, addresses + 10, virtualPort);
        return V2_TCP4_LENGTH;
    }

    private static long writeAddress(MemorySegment segment, long position, int address) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            position = writeDecimal(segment, position, (address >>> shift) & 0xFF);
            if (shift != 0) {
                NetworkOrder.u8(segment, position++, '.');
            }
        }
        return position;
    }

    /** Writes {@code value} (0..65535) in decimal without leading zeros, as the spec requires. */
    private static long writeDecimal(MemorySegment segment, long position, int value) {
        int count = digits(value);
        for (int i = count - 1; i >= 0; i--) {
            NetworkOrder.u8(segment, position + i, '0' + value % 10);
            value /= 10;
        }
        return position + count;
    }

    private static int addressLength(int address) {
        return digits(address >>> 24) + digits((address >>> 16) & 0xFF) + digits((address >>> 8) & 0xFF)
                + digits(address & 0xFF) + 3;
    }

    private static int digits(int value) {
        int v = value & 0xFFFF;
        return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : 5;
    }
}
