package org.jvs.packet;

/**
 * Test oracle: the Internet checksum the slow obvious way (16-bit words, fold after every add) over byte arrays,
 * independent of {@link Checksum}, plus big-endian field readers.
 */
public final class Reference {
    public static final int ETHERNET = 14;

    private Reference() {
    }

    public static int u8(byte[] bytes, int offset) {
        return bytes[offset] & 0xFF;
    }

    public static int u16(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 8 | (bytes[offset + 1] & 0xFF);
    }

    public static int u32(byte[] bytes, int offset) {
        return u16(bytes, offset) << 16 | u16(bytes, offset + 2);
    }

    public static void u16(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
    }

    public static void u32(byte[] bytes, int offset, int value) {
        u16(bytes, offset, value >>> 16);
        u16(bytes, offset + 2, value);
    }

    /** Folded ones' complement sum of bytes [from, to), starting from {@code initial}. */
    public static int sum(byte[] bytes, int from, int to, int initial) {
        int sum = initial;
        for (int i = from; i < to; i += 2) {
            int word = (bytes[i] & 0xFF) << 8 | (i + 1 < to ? bytes[i + 1] & 0xFF : 0);
            sum += word;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum;
    }

    /** Checksum of a range whose 16-bit checksum field at absolute index {@code field} counts as zero. */
    public static int checksumWithoutField(byte[] bytes, int from, int to, int field, int initial) {
        byte[] copy = bytes.clone();
        copy[field] = 0;
        copy[field + 1] = 0;
        return ~sum(copy, from, to, initial) & 0xFFFF;
    }

    public static int ipHeaderLength(byte[] frame, int ipOffset) {
        return (frame[ipOffset] & 0x0F) * 4;
    }

    /** The IPv4 header checksum recomputed from scratch. */
    public static int ipChecksum(byte[] frame, int ipOffset) {
        return checksumWithoutField(frame, ipOffset, ipOffset + ipHeaderLength(frame, ipOffset), ipOffset + 10, 0);
    }

    /** The TCP (protocol 6) or UDP (17) checksum recomputed from scratch, pseudo-header included. */
    public static int transportChecksum(byte[] frame, int ipOffset) {
        int headerLength = ipHeaderLength(frame, ipOffset);
        int totalLength = u16(frame, ipOffset + 2);
        int protocol = u8(frame, ipOffset + 9);
        int l4 = ipOffset + headerLength;
        int l4Length = totalLength - headerLength;
        int pseudo = 0;
        for (int word : new int[] {u16(frame, ipOffset + 12), u16(frame, ipOffset + 14), u16(frame, ipOffset + 16),
                u16(frame, ipOffset + 18), protocol, l4Length}) {
            pseudo += word;
            pseudo = (pseudo & 0xFFFF) + (pseudo >>> 16);
        }
        int field = l4 + (protocol == 6 ? 16 : 6);
        int checksum = checksumWithoutField(frame, l4, l4 + l4Length, field, pseudo);
        return protocol == 17 && checksum == 0 ? 0xFFFF : checksum;
    }

    /** The stored checksum of the transport header. */
    public static int storedTransportChecksum(byte[] frame, int ipOffset) {
        int l4 = ipOffset + ipHeaderLength(frame, ipOffset);
        return u16(frame, l4 + (u8(frame, ipOffset + 9) == 6 ? 16 : 6));
    }

    public static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }
}
