package org.jvs.linux;

import java.lang.foreign.MemorySegment;

/**
 * Finds the inner packet of one received tunnel packet (IPIP, GRE, GUE, or IPv6 in IPv4 or IPv6) in place: validates it, remembers
 * where the inner packet starts and returns its length, or refuses it with a negative reason the real server
 * counts. Nothing is copied or allocated; not thread-safe.
 */
public interface TunnelDecapsulator {
    int TRUNCATED = -1;
    int OUTER_NOT_IPV4 = -2;
    /** The outer header carries another protocol than the tunnel's (or, for GUE, another than IPv4). */
    int WRONG_PROTOCOL = -3;
    int INNER_NOT_IPV4 = -4;
    int BAD_HEADER_LENGTH = -5;
    int BAD_TOTAL_LENGTH = -6;
    /** A GRE checksum that does not verify, or a GUE remote checksum option pointing outside the packet. */
    int BAD_CHECKSUM = -7;
    /** Flags, options or a version the decapsulator does not know (as the kernel's, it refuses rather than guess). */
    int UNSUPPORTED = -8;
    /** An IPv6-in-IP packet whose inner packet is not IPv6. */
    int INNER_NOT_IPV6 = -9;
    /** How many reasons there are, for counting them by {@code -reason}. */
    int REASONS = 10;

    /** Validates packet[0, length) as received; returns the inner packet's total length or a negative reason. */
    int decapsulate(MemorySegment packet, int length);

    /** Where the inner packet found by the last successful {@link #decapsulate} begins. */
    int innerOffset();

    /** A reason's name for the real server's counts. */
    static String reasonName(int reason) {
        return switch (reason) {
            case TRUNCATED -> "truncated";
            case OUTER_NOT_IPV4 -> "outer_not_ipv4";
            case WRONG_PROTOCOL -> "wrong_protocol";
            case INNER_NOT_IPV4 -> "inner_not_ipv4";
            case BAD_HEADER_LENGTH -> "bad_header_length";
            case BAD_TOTAL_LENGTH -> "bad_total_length";
            case BAD_CHECKSUM -> "bad_checksum";
            case UNSUPPORTED -> "unsupported";
            case INNER_NOT_IPV6 -> "inner_not_ipv6";
            default -> "reason_" + -reason;
        };
    }
}
