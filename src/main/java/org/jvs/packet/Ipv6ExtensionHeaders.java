package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Walks an IPv6 packet's extension headers (RFC 8200 section 4) to its upper-layer header, as the kernel's
 * ipv6_skip_exthdr does, and keeps what the walk found: the upper-layer protocol and offset, the fragment header's
 * fields, and where the per-fragment headers end. One instance is reused for every packet; {@link #walk} returns a
 * verdict and never throws, whatever the bytes.
 * <p>
 * Walked: hop-by-hop options (0, only first, section 4.3), routing (43), fragment (44), destination options (60).
 * Anything else is the upper layer (TCP, UDP, ICMPv6, IPv6 or IPv4 in IPv6...), as for ipv6_ext_hdr. AH and ESP end
 * the walk: JVS does not look inside IPsec. RFC 8200 section 4.1 allows each header once (destination options twice),
 * so a legitimate chain holds fewer than {@link #MAX_HEADERS}; a longer one is refused before it can cost more.
 */
public final class Ipv6ExtensionHeaders {
    public static final int HOP_BY_HOP = 0;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int ESP = 50;
    public static final int AH = 51;
    public static final int NO_NEXT_HEADER = 59;
    public static final int DESTINATION_OPTIONS = 60;

    /** More than any chain that follows RFC 8200 section 4.1's order and once-only rule. */
    public static final int MAX_HEADERS = 8;

    /** {@link #walk} results. */
    public static final int UPPER_LAYER = 0;
    /** A fragment other than the first: its upper-layer header is in the first one (reassemble first). */
    public static final int LATER_FRAGMENT = 1;
    /** Next header 59: nothing follows (RFC 8200 section 4.7). */
    public static final int NO_UPPER_LAYER = 2;
    /** AH or ESP: the upper layer is behind IPsec. */
    public static final int IPSEC = 3;
    /** The chain runs past the packet's end. */
    public static final int TRUNCATED = 4;
    /** Hop-by-hop not first, more than {@link #MAX_HEADERS}, or a non-last fragment not a multiple of 8 bytes. */
    public static final int MALFORMED = 5;

    private static final String[] RESULT_NAMES = {
        "upper_layer", "later_fragment", "no_upper_layer", "ipsec", "truncated", "malformed"};

    static final int FRAGMENT_HEADER_LENGTH = 8;

    private int protocol;
    private long upperLayerOffset;
    private long fragmentHeaderOffset;
    private int fragmentOffsetAndFlags;
    private int fragmentIdentification;
    private long fragmentableOffset;
    private long fragmentableNextHeaderOffset;

    /**
     * Walks the headers of the IPv6 packet at {@code ipOffset}, whose {@code packetLength} bytes (its fixed header
     * included, as {@link Ipv6Header#packetLength} bounded by what was captured) are all there. Returns
     * {@link #UPPER_LAYER} with {@link #protocol} and {@link #upperLayerOffset} set, or why the packet has no
     * upper layer to look at here.
     */
    public int walk(MemorySegment segment, long ipOffset, int packetLength) {
        long end = ipOffset + packetLength;
        long position = ipOffset + Ipv6Header.LENGTH;
        long nextHeaderOffset = ipOffset + Ipv6Header.NEXT_HEADER_OFFSET;
        int next = NetworkOrder.u8(segment, nextHeaderOffset);
        fragmentHeaderOffset = -1;
        fragmentOffsetAndFlags = 0;
        fragmentIdentification = 0;
        fragmentableOffset = position;
        fragmentableNextHeaderOffset = nextHeaderOffset;
        protocol = next;
        upperLayerOffset = position;
        for (int headers = 0; ; headers++) {
            switch (next) {
                case HOP_BY_HOP, ROUTING, DESTINATION_OPTIONS, FRAGMENT -> {
                    if (headers == MAX_HEADERS || next == HOP_BY_HOP && headers != 0) {
                        return MALFORMED;
                    }
                }
                case NO_NEXT_HEADER -> {
                    return NO_UPPER_LAYER;
                }
                case AH, ESP -> {
                    return IPSEC;
                }
                default -> {
                    protocol = next;
                    upperLayerOffset = position;
                    return position <= end ? UPPER_LAYER : TRUNCATED;
                }
            }
            // every extension header starts with next header and, but for the fragment header, its length
            if (position + 2 > end) {
                return TRUNCATED;
            }
            int length = next == FRAGMENT ? FRAGMENT_HEADER_LENGTH : (NetworkOrder.u8(segment, position + 1) + 1) * 8;
            if (position + length > end) {
                return TRUNCATED;
            }
            nextHeaderOffset = position;
            int header = next;
            next = NetworkOrder.u8(segment, position);
            position += length;
            if (header == FRAGMENT) {
                int verdict = fragment(segment, nextHeaderOffset, next, position, end);
                if (verdict != UPPER_LAYER) {
                    return verdict;
                }
            } else if (header != DESTINATION_OPTIONS && fragmentHeaderOffset < 0) {
                // RFC 8200 section 4.5: the per-fragment part ends after routing if present, else after hop-by-hop
                fragmentableOffset = position;
                fragmentableNextHeaderOffset = nextHeaderOffset;
            }
        }
    }

    private int fragment(MemorySegment segment, long headerOffset, int next, long dataOffset, long end) {
        fragmentHeaderOffset = headerOffset;
        fragmentOffsetAndFlags = NetworkOrder.u16(segment, headerOffset + Ipv6FragmentHeader.OFFSET_FLAGS_OFFSET);
        fragmentIdentification = NetworkOrder.u32(segment, headerOffset + Ipv6FragmentHeader.IDENTIFICATION_OFFSET);
        // RFC 8200 section 4.5: a fragment with M set whose data is not a multiple of 8 bytes is discarded
        if (moreFragments() && ((end - dataOffset) & 7) != 0) {
            return MALFORMED;
        }
        if (fragmentOffset() != 0) {
            protocol = next;
            upperLayerOffset = dataOffset;
            return LATER_FRAGMENT;
        }
        return UPPER_LAYER;
    }

    /** A {@link #walk} result as a counter name. */
    public static String resultName(int result) {
        return RESULT_NAMES[result];
    }

    /** The upper-layer protocol (TCP 6, UDP 17, ICMPv6 58 ...); for a later fragment, the one its datagram carries. */
    public int protocol() {
        return protocol;
    }

    /** Where the upper-layer header starts; for a later fragment, where its data starts. */
    public long upperLayerOffset() {
        return upperLayerOffset;
    }

    /** True when the packet carries a fragment header, an atomic fragment (offset 0, M clear; RFC 6946) included. */
    public boolean hasFragmentHeader() {
        return fragmentHeaderOffset >= 0;
    }

    /** Where the fragment header starts, or -1 without one. */
    public long fragmentHeaderOffset() {
        return fragmentHeaderOffset;
    }

    /** True for a fragment of a larger datagram: M set or a non-zero offset (not an atomic fragment). */
    public boolean isFragment() {
        return (fragmentOffsetAndFlags & ~Ipv6FragmentHeader.RESERVED_FLAGS) != 0;
    }

    /** The fragment's offset in the original datagram's fragmentable part, in bytes. */
    public int fragmentOffset() {
        return fragmentOffsetAndFlags & Ipv6FragmentHeader.OFFSET_MASK;
    }

    /** The M flag: more fragments follow this one. */
    public boolean moreFragments() {
        return (fragmentOffsetAndFlags & Ipv6FragmentHeader.MORE_FRAGMENTS) != 0;
    }

    public int fragmentIdentification() {
        return fragmentIdentification;
    }

    /**
     * Where the fragmentable part starts: after the routing header if any, else after hop-by-hop if any, else right
     * after the fixed header (RFC 8200 section 4.5). Set for every packet the walk accepted.
     */
    public long fragmentableOffset() {
        return fragmentableOffset;
    }

    /** The byte naming the first header of the fragmentable part (a fragmenter's fragment header goes there). */
    public long fragmentableNextHeaderOffset() {
        return fragmentableNextHeaderOffset;
    }
}
