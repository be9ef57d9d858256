package org.jvs.vrrp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.jvs.packet.Checksum;
import org.jvs.packet.Ipv6Checksum;

/**
 * Flyweight over a VRRP advertisement, the IP payload after the IPv4 or IPv6 header.
 * VRRPv2 (RFC 3768 §5.1):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Type  | Virtual Rtr ID|   Priority    | Count IP Addrs|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Auth Type   |   Adver Int   |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         IP Address (1..n)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Authentication Data (1)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Authentication Data (2)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * VRRPv3 (RFC 5798 §5.1) has no authentication data, and the second word is
 * {@code |(rsvd)|  Max Adver Int (12 bits, centiseconds)  |  Checksum  |}.
 * <p>
 * The v2 checksum covers the VRRP message only (authentication data included); the v3 checksum also covers the
 * IPv4 pseudo-header (source, destination, zero, protocol 112, VRRP length), as keepalived's vrrp_build_vrrp_v2/_v3
 * compute them. Over IPv6 (RFC 5798 §5.1, VRRPv3 only) each address is 16 bytes and the checksum covers the IPv6
 * pseudo-header of RFC 8200 §8.1 (source, destination, 32-bit length, 24 zero bits, next header 112), which
 * keepalived leaves to the kernel (IPV6_CHECKSUM at offset 6) and {@link #write6} computes itself. Getters do no bounds checks beyond the segment's own: call {@link #validate} on a received
 * advert first. Nothing here allocates.
 */
public final class VrrpAdvert {
    public static final int PROTOCOL = 112;
    public static final int VERSION_2 = 2;
    public static final int VERSION_3 = 3;
    public static final int TYPE_ADVERTISEMENT = 1;
    /** v2 Auth Type: none. */
    public static final int AUTH_NONE = 0;
    /** v2 Auth Type: simple text password (RFC 2338; dropped from RFC 3768, still spoken by keepalived). */
    public static final int AUTH_PASS = 1;
    /** Fixed header: version/type, VRID, priority, count, auth type/interval, checksum. */
    public static final int HEADER_LENGTH = 8;
    /** v2 authentication data after the addresses (keepalived's VRRP_AUTH_LEN). */
    public static final int AUTH_DATA_LENGTH = 8;
    /** The count field is 8 bits wide (keepalived's VRRP_MAX_ADDR). */
    public static final int MAX_ADDRESSES = 255;
    /** v3 carries the interval in 12 bits of centiseconds; the top 4 bits are reserved. */
    public static final int MAX_V3_INTERVAL_CENTIS = 0x0FFF;

    static final int VERSION_TYPE_OFFSET = 0;
    static final int VIRTUAL_ROUTER_ID_OFFSET = 1;
    static final int PRIORITY_OFFSET = 2;
    static final int ADDRESS_COUNT_OFFSET = 3;
    static final int AUTH_TYPE_OFFSET = 4;
    static final int V2_INTERVAL_OFFSET = 5;
    static final int V3_INTERVAL_OFFSET = 4;
    static final int CHECKSUM_OFFSET = 6;
    static final int ADDRESSES_OFFSET = 8;

    private static final int CENTIS_PER_SECOND = 100;
    private static final int IPV6_ADDRESS_LENGTH = 16;

    /** {@link #validate} results: OK, or why the advert must be dropped (as keepalived's vrrp_check_packet). */
    public static final int OK = 0;
    /** Fewer bytes than the fixed header, or than the length claimed, are there. */
    public static final int TOO_SHORT = -1;
    /** The length is not what the version and address count imply (keepalived: "vrrp packet too long/short"). */
    public static final int BAD_LENGTH = -2;
    /** Neither VRRPv2 nor VRRPv3. */
    public static final int BAD_VERSION = -3;
    /** v2: neither no authentication nor a simple password (IPsec AH is not supported). */
    public static final int BAD_AUTH_TYPE = -4;
    /** Not an ADVERTISEMENT. */
    public static final int BAD_TYPE = -5;
    public static final int BAD_CHECKSUM = -6;

    private static final String[] VALIDATION_NAMES = {
        "ok", "too_short", "bad_length", "bad_version", "bad_auth_type", "bad_type", "bad_checksum"};

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment segment;
    private long offset;

    /** The length of an IPv4 advert: v2 8 + 4n + 8 bytes of authentication data, v3 8 + 4n. */
    public static int length(int version, int addressCount) {
        int length = HEADER_LENGTH + 4 * addressCount;
        return version == VERSION_2 ? length + AUTH_DATA_LENGTH : length;
    }

    /** The length of an IPv6 advert (VRRPv3): 8 + 16n. */
    public static int length6(int addressCount) {
        return HEADER_LENGTH + IPV6_ADDRESS_LENGTH * addressCount;
    }

    /** A short name for a {@link #validate} result, for counters and logs. */
    public static String validationName(int result) {
        return result <= 0 && -result < VALIDATION_NAMES.length ? VALIDATION_NAMES[-result] : "unknown";
    }

    /**
     * The 8 bytes keepalived puts in the v2 authentication data for {@code password}: its first 8 bytes, padded
     * with zeros (vrrp_auth_pass_handler truncates longer ones), as a big-endian long to compare with
     * {@link #authPassword()} without allocating. A null password is all zeros.
     */
    public static long passwordBits(byte[] password) {
        long bits = 0;
        for (int i = 0; i < AUTH_DATA_LENGTH; i++) {
            int octet = password != null && i < password.length ? password[i] & 0xFF : 0;
            bits = bits << 8 | octet;
        }
        return bits;
    }

    public VrrpAdvert wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public int version() {
        return u8(VERSION_TYPE_OFFSET) >>> 4;
    }

    public int type() {
        return u8(VERSION_TYPE_OFFSET) & 0x0F;
    }

    public int virtualRouterId() {
        return u8(VIRTUAL_ROUTER_ID_OFFSET);
    }

    public int priority() {
        return u8(PRIORITY_OFFSET);
    }

    public int addressCount() {
        return u8(ADDRESS_COUNT_OFFSET);
    }

    /** v2 only: {@link #AUTH_NONE} or {@link #AUTH_PASS} on a valid advert. */
    public int authType() {
        return u8(AUTH_TYPE_OFFSET);
    }

    /** v2: the 8-bit seconds field × 100; v3: the 12-bit Max Adver Int (reserved bits ignored, as keepalived). */
    public int advertIntervalCentis() {
        if (version() == VERSION_2) {
            return u8(V2_INTERVAL_OFFSET) * CENTIS_PER_SECOND;
        }
        return segment.get(U16, offset + V3_INTERVAL_OFFSET) & MAX_V3_INTERVAL_CENTIS;
    }

    public int checksum() {
        return segment.get(U16, offset + CHECKSUM_OFFSET) & 0xFFFF;
    }

    /** The {@code i}th virtual address, e.g. 0xC0000201 for 192.0.2.1. */
    public int address(int i) {
        return segment.get(U32, offset + ADDRESSES_OFFSET + 4L * i);
    }

    /** The upper 64 bits of the {@code i}th IPv6 virtual address (an advert received over IPv6). */
    public long addressHi(int i) {
        return segment.get(U64, offset + ADDRESSES_OFFSET + (long) IPV6_ADDRESS_LENGTH * i);
    }

    /** The lower 64 bits of the {@code i}th IPv6 virtual address. */
    public long addressLo(int i) {
        return segment.get(U64, offset + ADDRESSES_OFFSET + (long) IPV6_ADDRESS_LENGTH * i + 8);
    }

    /** v2: the 8 raw bytes of authentication data after the addresses, as a big-endian long ({@link #passwordBits}). */
    public long authPassword() {
        return segment.get(U64, offset + ADDRESSES_OFFSET + 4L * addressCount());
    }

    /**
     * Checks a received advert of {@code length} bytes (the IP payload) that came from {@code sourceAddress} to
     * {@code destinationAddress} (the v3 checksum covers them), in keepalived's vrrp_check_packet order: length
     * implied by the header's version and address count, version, v2 authentication type, type, checksum.
     * What keepalived checks against the instance (its version, VRID, v2 interval, address list, password, TTL)
     * is the caller's. Returns {@link #OK} or a negative reason; never throws for any content or length.
     */
    public int validate(int length, int sourceAddress, int destinationAddress) {
        if (length < HEADER_LENGTH || segment.byteSize() - offset < length) {
            return TOO_SHORT;
        }
        int version = version();
        // keepalived sizes the advert by the version it claims before checking that version (expected_vrrp_pkt_len).
        if (length != length(version, addressCount())) {
            return BAD_LENGTH;
        }
        long pseudoHeader = version == VERSION_3
                ? Checksum.pseudoHeaderSum(sourceAddress, destinationAddress, PROTOCOL, length) : 0;
        return checkFields(version, length, pseudoHeader);
    }

    /**
     * As {@link #validate} for an advert received over IPv6 from {@code source} to {@code destination} (each as its
     * two longs): the length is 8 + 16 × the address count, the version 3 (keepalived speaks VRRPv3 over IPv6), and
     * the checksum covers the IPv6 pseudo-header.
     */
    public int validate6(int length, long sourceHi, long sourceLo, long destinationHi, long destinationLo) {
        if (length < HEADER_LENGTH || segment.byteSize() - offset < length) {
            return TOO_SHORT;
        }
        if (length != length6(addressCount())) {
            return BAD_LENGTH;
        }
        int version = version();
        if (version != VERSION_3) {
            return BAD_VERSION;
        }
        return checkFields(version, length, Ipv6Checksum.pseudoHeaderSum(sourceHi, sourceLo, destinationHi,
                destinationLo, PROTOCOL, length));
    }

    /** Version, v2 authentication type, type and checksum, in vrrp_check_packet's order. */
    private int checkFields(int version, int length, long pseudoHeaderSum) {
        if (version != VERSION_2 && version != VERSION_3) {
            return BAD_VERSION;
        }
        if (version == VERSION_2 && authType() != AUTH_NONE && authType() != AUTH_PASS) {
            return BAD_AUTH_TYPE;
        }
        if (type() != TYPE_ADVERTISEMENT) {
            return BAD_TYPE;
        }
        // Summing the checksum field along with the rest gives all ones exactly when the checksum is right.
        long sum = Checksum.accumulate(pseudoHeaderSum, segment, offset, length);
        return Checksum.fold(sum) == 0xFFFF ? OK : BAD_CHECKSUM;
    }

    /**
     * Writes a complete advert at {@code offset} and returns its length. The v2 interval field is
     * {@code advertIntervalCentis / 100} (whole seconds, as keepalived's {@code adver_int / TIMER_HZ}); the v3 one
     * is the centiseconds in 12 bits. v2 authentication data is the padded password for {@link #AUTH_PASS}, zeros
     * otherwise; v3 ignores {@code authType} and {@code password}. The addresses (sources for a v3 checksum) are
     * big-endian values, 192.0.2.1 = 0xC0000201.
     *
     * @throws IllegalArgumentException for a version, field or address count that does not fit the format
     */
    public static int write(MemorySegment segment, long offset, int version, int virtualRouterId, int priority,
                            int advertIntervalCentis, int[] addresses, int authType, byte[] password,
                            int sourceAddress, int destinationAddress) {
        if (version != VERSION_2 && version != VERSION_3) {
            throw new IllegalArgumentException("VRRP version " + version);
        }
        checkOctet("virtual router id", virtualRouterId);
        checkOctet("priority", priority);
        if (addresses.length > MAX_ADDRESSES) {
            throw new IllegalArgumentException(addresses.length + " addresses, at most " + MAX_ADDRESSES);
        }
        int maxInterval = version == VERSION_2 ? 0xFF * CENTIS_PER_SECOND + (CENTIS_PER_SECOND - 1) : MAX_V3_INTERVAL_CENTIS;
        if (advertIntervalCentis < 0 || advertIntervalCentis > maxInterval) {
            throw new IllegalArgumentException("advert interval " + advertIntervalCentis + " centiseconds for VRRPv" + version);
        }
        int length = length(version, addresses.length);
        writeHeader(segment, offset, version, virtualRouterId, priority, addresses.length);
        if (version == VERSION_2) {
            checkOctet("auth type", authType);
            segment.set(ValueLayout.JAVA_BYTE, offset + AUTH_TYPE_OFFSET, (byte) authType);
            segment.set(ValueLayout.JAVA_BYTE, offset + V2_INTERVAL_OFFSET, (byte) (advertIntervalCentis / CENTIS_PER_SECOND));
        } else {
            segment.set(U16, offset + V3_INTERVAL_OFFSET, (short) advertIntervalCentis);
        }
        for (int i = 0; i < addresses.length; i++) {
            segment.set(U32, offset + ADDRESSES_OFFSET + 4L * i, addresses[i]);
        }
        long sum = 0;
        if (version == VERSION_2) {
            long authData = authType == AUTH_PASS ? passwordBits(password) : 0;
            segment.set(U64, offset + ADDRESSES_OFFSET + 4L * addresses.length, authData);
        } else {
            sum = Checksum.pseudoHeaderSum(sourceAddress, destinationAddress, PROTOCOL, length);
        }
        int checksum = ~Checksum.fold(Checksum.accumulate(sum, segment, offset, length)) & 0xFFFF;
        segment.set(U16, offset + CHECKSUM_OFFSET, (short) checksum);
        return length;
    }

    /**
     * Writes a complete VRRPv3 advert for IPv6 at {@code offset} and returns its length (8 + 16n): the addresses are
     * {@code addresses[2i]} (upper 64 bits) and {@code addresses[2i + 1]} (lower), the checksum over the IPv6
     * pseudo-header from {@code source} to {@code destination}.
     *
     * @throws IllegalArgumentException for a field or address count that does not fit the format
     */
    public static int write6(MemorySegment segment, long offset, int virtualRouterId, int priority,
                             int advertIntervalCentis, long[] addresses, long sourceHi, long sourceLo,
                             long destinationHi, long destinationLo) {
        checkOctet("virtual router id", virtualRouterId);
        checkOctet("priority", priority);
        int count = addresses.length / 2;
        if (addresses.length % 2 != 0 || count > MAX_ADDRESSES) {
            throw new IllegalArgumentException(addresses.length + " longs: pairs of hi and lo, at most "
                    + MAX_ADDRESSES + " addresses");
        }
        if (advertIntervalCentis < 0 || advertIntervalCentis > MAX_V3_INTERVAL_CENTIS) {
            throw new IllegalArgumentException("advert interval " + advertIntervalCentis + " centiseconds for VRRPv3");
        }
        int length = length6(count);
        writeHeader(segment, offset, VERSION_3, virtualRouterId, priority, count);
        segment.set(U16, offset + V3_INTERVAL_OFFSET, (short) advertIntervalCentis);
        for (int i = 0; i < count; i++) {
            segment.set(U64, offset + ADDRESSES_OFFSET + (long) IPV6_ADDRESS_LENGTH * i, addresses[2 * i]);
            segment.set(U64, offset + ADDRESSES_OFFSET + (long) IPV6_ADDRESS_LENGTH * i + 8, addresses[2 * i + 1]);
        }
        long sum = Ipv6Checksum.pseudoHeaderSum(sourceHi, sourceLo, destinationHi, destinationLo, PROTOCOL, length);
        int checksum = ~Checksum.fold(Checksum.accumulate(sum, segment, offset, length)) & 0xFFFF;
        segment.set(U16, offset + CHECKSUM_OFFSET, (short) checksum);
        return length;
    }

    /** The first four bytes, and a zero checksum to sum over. */
    private static void writeHeader(MemorySegment segment, long offset, int version, int virtualRouterId,
                                    int priority, int count) {
        segment.set(ValueLayout.JAVA_BYTE, offset + VERSION_TYPE_OFFSET, (byte) (version << 4 | TYPE_ADVERTISEMENT));
        segment.set(ValueLayout.JAVA_BYTE, offset + VIRTUAL_ROUTER_ID_OFFSET, (byte) virtualRouterId);
        segment.set(ValueLayout.JAVA_BYTE, offset + PRIORITY_OFFSET, (byte) priority);
        segment.set(ValueLayout.JAVA_BYTE, offset + ADDRESS_COUNT_OFFSET, (byte) count);
        segment.set(U16, offset + CHECKSUM_OFFSET, (short) 0);
    }

    private int u8(int field) {
        return segment.get(ValueLayout.JAVA_BYTE, offset + field) & 0xFF;
    }

    private static void checkOctet(String what, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(what + " " + value + " does not fit 8 bits");
        }
    }
}
