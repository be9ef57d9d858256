package org.jvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over a Neighbour Solicitation or Advertisement (RFC 4861 sections 4.3, 4.4), from its ICMPv6 header:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type 135/136 |     Code 0    |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|S|O|                     Reserved (NS: all reserved)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                       Target Address (128)                    +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Options: Type | Length (8-byte units) | ... ; a link-layer   |
 * |   address option on Ethernet: 1 or 2 | 1 | MAC (6 bytes)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-
 * </pre>
 * The flags R (router), S (solicited) and O (override) exist in advertisements only.
 */
public final class NeighborMessage {
    /** The message without options, the least a receiver accepts (sections 7.1.1, 7.1.2). */
    public static final int LENGTH = 24;
    /** A source or target link-layer address option carrying an Ethernet MAC. */
    public static final int LINK_LAYER_OPTION_LENGTH = 8;
    public static final int OPTION_SOURCE_LINK_LAYER_ADDRESS = 1;
    public static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;
    /** What the option readers return when the message carries no such option. */
    public static final long NO_LINK_LAYER_ADDRESS = -1;

    public static final int ROUTER = 0x80;
    public static final int SOLICITED = 0x40;
    public static final int OVERRIDE = 0x20;
    private static final int FLAGS = ROUTER | SOLICITED | OVERRIDE;
    /** Neighbour Discovery is link-local: a message that crossed a router has a lower hop limit (section 6.1.1). */
    public static final int HOP_LIMIT = 255;

    /** {@link #validate} results: OK, or the rule of RFC 4861 section 7.1.1 (NS) or 7.1.2 (NA) broken. */
    public static final int OK = 0;
    public static final int NOT_NEIGHBOR_MESSAGE = 1;
    public static final int BAD_HOP_LIMIT = 2;
    public static final int BAD_CHECKSUM = 3;
    public static final int BAD_CODE = 4;
    public static final int TOO_SHORT = 5;
    public static final int MULTICAST_TARGET = 6;
    public static final int BAD_OPTION = 7;
    /** From the unspecified address (DAD) but not to a solicited-node group, or with a source link-layer address. */
    public static final int BAD_UNSPECIFIED_SOURCE = 8;
    /** An advertisement with S set sent to a multicast group. */
    public static final int SOLICITED_TO_MULTICAST = 9;

    private static final String[] VALIDATION_NAMES = {"ok", "not_neighbor_message", "bad_hop_limit", "bad_checksum",
        "bad_code", "too_short", "multicast_target", "bad_option", "bad_unspecified_source", "solicited_to_multicast"};

    static final int FLAGS_OFFSET = 4;
    static final int TARGET_OFFSET = 8;

    private final Icmpv6Header icmp = new Icmpv6Header();
    private MemorySegment segment;
    private long offset;

    public NeighborMessage wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        icmp.wrap(segment, offset);
        return this;
    }

    /** The ICMPv6 header of this message (type, code, checksum). */
    public Icmpv6Header icmp() {
        return icmp;
    }

    /**
     * Checks a received solicitation or advertisement of {@code length} ICMPv6 bytes, carried by {@code ip}, as
     * a node must before acting on it (RFC 4861 section 7.1.1 for NS, 7.1.2 for NA). Returns {@link #OK} or the
     * rule broken; never throws.
     */
    public int validate(Ipv6Header ip, int length) {
        int type = length < Icmpv6Header.LENGTH ? -1 : icmp.type();
        if (type != Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION && type != Icmpv6Header.TYPE_NEIGHBOR_ADVERTISEMENT) {
            return NOT_NEIGHBOR_MESSAGE;
        }
        if (ip.hopLimit() != HOP_LIMIT) {
            return BAD_HOP_LIMIT;
        }
        if (!icmp.checksumValid(length, ip)) {
            return BAD_CHECKSUM;
        }
        if (icmp.code() != 0) {
            return BAD_CODE;
        }
        if (length < LENGTH) {
            return TOO_SHORT;
        }
        if (Ipv6Multicast.isMulticast(targetHi())) {
            return MULTICAST_TARGET;
        }
        if (!optionsWellFormed(length)) {
            return BAD_OPTION;
        }
        if (type == Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION) {
            if (Ipv6Multicast.isUnspecified(ip.sourceHi(), ip.sourceLo())
                    && (!Ipv6Multicast.isSolicitedNode(ip.destinationHi(), ip.destinationLo())
                    || sourceLinkLayerAddress(length) != NO_LINK_LAYER_ADDRESS)) {
                return BAD_UNSPECIFIED_SOURCE;
            }
        } else if (solicited() && Ipv6Multicast.isMulticast(ip.destinationHi())) {
            return SOLICITED_TO_MULTICAST;
        }
        return OK;
    }

    /** A {@link #validate} result as a counter name. */
    public static String validationName(int result) {
        return VALIDATION_NAMES[result];
    }

    /** Every option has a non-zero length and none runs past the message. */
    private boolean optionsWellFormed(int length) {
        long end = offset + length;
        long position = offset + LENGTH;
        while (position + 2 <= end) {
            int units = NetworkOrder.u8(segment, position + 1);
            if (units == 0) {
                return false;
            }
            position += units * 8L;
        }
        return position == end;
    }

    /** The flags byte's R, S and O bits ({@link #ROUTER}, {@link #SOLICITED}, {@link #OVERRIDE}). */
    public int flags() {
        return NetworkOrder.u8(segment, offset + FLAGS_OFFSET) & FLAGS;
    }

    public boolean router() {
        return (flags() & ROUTER) != 0;
    }

    public boolean solicited() {
        return (flags() & SOLICITED) != 0;
    }

    public boolean override() {
        return (flags() & OVERRIDE) != 0;
    }

    public long targetHi() {
        return NetworkOrder.u64(segment, offset + TARGET_OFFSET);
    }

    public long targetLo() {
        return NetworkOrder.u64(segment, offset + TARGET_OFFSET + 8);
    }

    /** The MAC of the source link-layer address option, or {@link #NO_LINK_LAYER_ADDRESS}. */
    public long sourceLinkLayerAddress(int length) {
        return linkLayerAddress(OPTION_SOURCE_LINK_LAYER_ADDRESS, length);
    }

    /** The MAC of the target link-layer address option, or {@link #NO_LINK_LAYER_ADDRESS}. */
    public long targetLinkLayerAddress(int length) {
        return linkLayerAddress(OPTION_TARGET_LINK_LAYER_ADDRESS, length);
    }

    /** The first option of {@code type} one unit long (an Ethernet MAC) in a message of {@code length} bytes. */
    private long linkLayerAddress(int type, int length) {
        long end = offset + length;
        long position = offset + LENGTH;
        while (position + LINK_LAYER_OPTION_LENGTH <= end) {
            int units = NetworkOrder.u8(segment, position + 1);
            if (units == 0) {
                return NO_LINK_LAYER_ADDRESS;
            }
            if (units == 1 && NetworkOrder.u8(segment, position) == type) {
                return NetworkOrder.mac(segment, position + 2);
            }
            position += units * 8L;
        }
        return NO_LINK_LAYER_ADDRESS;
    }

    /** Writes a solicitation for the target, code and reserved zero; the checksum is the caller's last step. */
    public NeighborMessage solicitation(long targetHi, long targetLo) {
        return write(Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION, 0, targetHi, targetLo);
    }

    /** Writes an advertisement of the target with the given flags; the checksum is the caller's last step. */
    public NeighborMessage advertisement(int flags, long targetHi, long targetLo) {
        return write(Icmpv6Header.TYPE_NEIGHBOR_ADVERTISEMENT, flags & FLAGS, targetHi, targetLo);
    }

    private NeighborMessage write(int type, int flags, long targetHi, long targetLo) {
        icmp.type(type).code(0).checksum(0);
        NetworkOrder.u32(segment, offset + FLAGS_OFFSET, flags << 24);
        NetworkOrder.u64(segment, offset + TARGET_OFFSET, targetHi);
        NetworkOrder.u64(segment, offset + TARGET_OFFSET + 8, targetLo);
        return this;
    }

    /** Writes one link-layer address option right after the fixed message: the message is then 32 bytes long. */
    public NeighborMessage linkLayerAddressOption(int optionType, long mac) {
        long option = offset + LENGTH;
        NetworkOrder.u8(segment, option, optionType);
        NetworkOrder.u8(segment, option + 1, 1);
        NetworkOrder.mac(segment, option + 2, mac);
        return this;
    }
}
