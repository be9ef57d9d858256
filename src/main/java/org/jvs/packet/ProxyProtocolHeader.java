package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Writes the PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) that tells a real server the
 * client's address of a TCP connection: source = the client, destination = the virtual service.
 * <pre>
 * v1: "PROXY TCP4 " src " " dst " " srcport " " dstport "\r\n"      (at most 56 bytes for TCP4)
 * v2: signature(12) ver|cmd=0x21 fam=0x11 len=12(2) src(4) dst(4) srcport(2) dstport(2)   (28 bytes)
 * IPv6 (the methods ending in 6): "PROXY TCP6 ", addresses in RFC 5952 text (at most 104 bytes); v2 with fam=0x21,
 * len=36 and 16-byte addresses (52 bytes).
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
    /** The longest v1 header for TCP6: two addresses of 39 characters. */
    public static final int V1_TCP6_MAX_LENGTH = 104;
    public static final int V2_TCP6_LENGTH = 52;

    /** "\r\n\r\n\0\r\nQUIT\n", the v2 signature, as three big-endian words. */
    private static final int SIGNATURE_0 = 0x0D0A0D0A;
    private static final int SIGNATURE_1 = 0x000D0A51;
    private static final int SIGNATURE_2 = 0x5549540A;
    /** Version 2 in the high nibble, command PROXY in the low one. */
    private static final int V2_VERSION_COMMAND = 0x21;
    /** AF_INET in the high nibble, STREAM in the low one. */
    private static final int V2_TCP_OVER_IPV4 = 0x11;
    private static final int V2_IPV4_ADDRESS_LENGTH = 12;
    /** AF_INET6 in the high nibble, STREAM in the low one. */
    private static final int V2_TCP_OVER_IPV6 = 0x21;
    private static final int V2_IPV6_ADDRESS_LENGTH = 36;
    private static final int V2_ADDRESS_LENGTH_OFFSET = 14;
    private static final int V2_ADDRESSES_OFFSET = 16;
    private static final byte[] V1_PREFIX = {'P', 'R', 'O', 'X', 'Y', ' ', 'T', 'C', 'P', '4', ' '};
    private static final byte[] V1_PREFIX6 = {'P', 'R', 'O', 'X', 'Y', ' ', 'T', 'C', 'P', '6', ' '};
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

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

    /** As {@link #length} for an IPv6 client of an IPv6 virtual service, each address as two longs. */
    public static int length6(int version, long clientHi, long clientLo, int clientPort, long virtualHi,
                              long virtualLo, int virtualPort) {
        return switch (version) {
            case V1 -> V1_PREFIX6.length + textLength6(clientHi, clientLo) + 1 + textLength6(virtualHi, virtualLo) + 1
                    + digits(clientPort) + 1 + digits(virtualPort) + 2;
            case V2 -> V2_TCP6_LENGTH;
            default -> 0;
        };
    }

    /** As {@link #write} for an IPv6 client of an IPv6 virtual service; returns {@link #length6}. */
    public static int write6(int version, MemorySegment segment, long offset, long clientHi, long clientLo,
                             int clientPort, long virtualHi, long virtualLo, int virtualPort) {
        if (version == V1) {
            long position = offset;
            for (byte b : V1_PREFIX6) {
                NetworkOrder.u8(segment, position++, b);
            }
            position = writeAddress6(segment, position, clientHi, clientLo);
            NetworkOrder.u8(segment, position++, ' ');
            position = writeAddress6(segment, position, virtualHi, virtualLo);
            NetworkOrder.u8(segment, position++, ' ');
            position = writeDecimal(segment, position, clientPort & 0xFFFF);
            NetworkOrder.u8(segment, position++, ' ');
            position = writeDecimal(segment, position, virtualPort & 0xFFFF);
            NetworkOrder.u8(segment, position++, '\r');
            NetworkOrder.u8(segment, position++, '\n');
            return (int) (position - offset);
        }
        if (version != V2) {
            return 0;
        }
        NetworkOrder.u32(segment, offset, SIGNATURE_0);
        NetworkOrder.u32(segment, offset + 4, SIGNATURE_1);
        NetworkOrder.u32(segment, offset + 8, SIGNATURE_2);
        NetworkOrder.u8(segment, offset + 12, V2_VERSION_COMMAND);
        NetworkOrder.u8(segment, offset + 13, V2_TCP_OVER_IPV6);
        NetworkOrder.u16(segment, offset + V2_ADDRESS_LENGTH_OFFSET, V2_IPV6_ADDRESS_LENGTH);
        long addresses = offset + V2_ADDRESSES_OFFSET;
        NetworkOrder.u64(segment, addresses, clientHi);
        NetworkOrder.u64(segment, addresses + 8, clientLo);
        NetworkOrder.u64(segment, addresses + 16, virtualHi);
        NetworkOrder.u64(segment, addresses + 24, virtualLo);
        NetworkOrder.u16(segment, addresses + 32, clientPort);
        NetworkOrder.u16(segment, addresses + 34, virtualPort);
        return V2_TCP6_LENGTH;
    }

    /** The 16-bit group {@code index} (0..7) of an address. */
    private static int group(long hi, long lo, int index) {
        long half = index < 4 ? hi : lo;
        return (int) (half >>> (48 - 16 * (index & 3))) & 0xFFFF;
    }

    /**
     * RFC 5952 4.2.3: the longest run of two or more zero groups (the first of equals) is written "::"; returns its
     * first group in the low byte and its length in the next, 0 for none.
     */
    private static int zeroRun(long hi, long lo) {
        int bestStart = 0;
        int bestLength = 0;
        int length = 0;
        for (int i = 0; i < 8; i++) {
            length = group(hi, lo, i) == 0 ? length + 1 : 0;
            if (length > bestLength) {
                bestLength = length;
                bestStart = i - length + 1;
            }
        }
        return bestLength < 2 ? 0 : bestLength << 8 | bestStart;
    }

    private static int textLength6(long hi, long lo) {
        int run = zeroRun(hi, lo);
        int start = run & 0xFF;
        int end = start + (run >>> 8);
        int length = run == 0 ? 0 : 2;
        for (int i = 0; i < 8; i++) {
            if (run == 0 || i < start || i >= end) {
                length += hexDigits(group(hi, lo, i));
            }
        }
        // colons between the groups on each side of "::", or seven without one
        int before = run == 0 ? 0 : start;
        int after = run == 0 ? 0 : 8 - end;
        return length + (run == 0 ? 7 : Math.max(0, before - 1) + Math.max(0, after - 1));
    }

    private static long writeAddress6(MemorySegment segment, long position, long hi, long lo) {
        int run = zeroRun(hi, lo);
        int start = run & 0xFF;
        int end = start + (run >>> 8);
        for (int i = 0; i < 8; i++) {
            if (run != 0 && i == start) {
                NetworkOrder.u8(segment, position++, ':');
                NetworkOrder.u8(segment, position++, ':');
                i = end - 1;
                continue;
            }
            if (i != 0 && !(run != 0 && i == end)) {
                NetworkOrder.u8(segment, position++, ':');
            }
            int value = group(hi, lo, i);
            for (int shift = (hexDigits(value) - 1) * 4; shift >= 0; shift -= 4) {
                NetworkOrder.u8(segment, position++, HEX[(value >>> shift) & 0xF]);
            }
        }
        return position;
    }

    private static int hexDigits(int value) {
        return value < 0x10 ? 1 : value < 0x100 ? 2 : value < 0x1000 ? 3 : 4;
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
