package org.jvs.linux;

import java.lang.foreign.MemorySegment;

import org.jvs.packet.Checksum;
import org.jvs.packet.GueHeader;
import org.jvs.service.Protocol;

/**
 * Finds the inner IPv4 packet of a GUE datagram as a UDP socket bound to the tunnel port delivers it (the kernel
 * has checked the UDP checksum, when there is one), as Linux's fou does for a "gue" port: variant 0 data messages
 * for protocol 4 whose flags and options it knows (the private flags word and its remote checksum option, which
 * it applies: the inner checksum is completed over [start, end) into the field at offset), and variant 1, where
 * the IPv4 header follows UDP directly. Control messages and unknown flags are refused, as the kernel drops them.
 * <p>
 * The datagram starts at {@code datagramOffset} of each slot, leaving room before it for what the writer puts in
 * front of the inner packet. A flyweight; allocates nothing. Not thread-safe.
 */
public final class GueDecapsulator implements TunnelDecapsulator {
    private static final int VARIANT_DIRECT_IP = 1;
    private static final int IPV4_VERSION = 4;

    private final int datagramOffset;
    private final GueHeader gue = new GueHeader();
    private int innerOffset;

    public GueDecapsulator(int datagramOffset) {
        this.datagramOffset = datagramOffset;
    }

    /** Validates the datagram at [datagramOffset, datagramOffset + length) of the slot. */
    @Override
    public int decapsulate(MemorySegment packet, int length) {
        if (length < GueHeader.LENGTH || datagramOffset + length > packet.byteSize()) {
            return TRUNCATED;
        }
        gue.wrap(packet, datagramOffset);
        if (gue.variant() == VARIANT_DIRECT_IP) {
            if (Ipv4Checks.u8(packet, datagramOffset) >>> 4 != IPV4_VERSION) {
                return INNER_NOT_IPV4;
            }
            return found(datagramOffset, Ipv4Checks.inner(packet, datagramOffset, length));
        }
        if (gue.variant() != 0 || gue.control()) {
            return UNSUPPORTED;
        }
        if (gue.protocol() != Protocol.IPIP) {
            return WRONG_PROTOCOL;
        }
        int headerLength = GueHeader.LENGTH + gue.optionsLength();
        if (headerLength > length) {
            return TRUNCATED;
        }
        boolean remoteChecksum = false;
        int flags = gue.flags();
        if (flags == GueHeader.FLAG_PRIVATE) {
            // validate_gue_flags: the options are exactly those the flags announce
            int privateFlags = gue.privateFlags();
            int expected = GueHeader.PRIVATE_FLAGS_LENGTH;
            if (privateFlags == GueHeader.PRIVATE_FLAG_REMOTE_CHECKSUM) {
                expected += GueHeader.REMOTE_CHECKSUM_LENGTH;
                remoteChecksum = true;
            } else if (privateFlags != 0) {
                return UNSUPPORTED;
            }
            if (gue.optionsLength() != expected) {
                return UNSUPPORTED;
            }
        } else if (flags != 0 || gue.optionsLength() != 0) {
            return UNSUPPORTED;
        }
        int inner = datagramOffset + headerLength;
        int innerTotal = Ipv4Checks.inner(packet, inner, length - headerLength);
        if (innerTotal > 0 && remoteChecksum) {
            int start = gue.remoteChecksumStart();
            int field = gue.remoteChecksumOffset();
            if (start >= innerTotal || field + 2 > innerTotal) {
                return BAD_CHECKSUM;
            }
            // skb_remcsum_process: the field holds the pseudo-header sum, so summing over it finishes the checksum
            int sum = Checksum.sum(packet, inner + start, innerTotal - start);
            Ipv4Checks.u16(packet, inner + field, ~sum);
        }
        return found(inner, innerTotal);
    }

    private int found(int inner, int innerTotal) {
        if (innerTotal > 0) {
            innerOffset = inner;
        }
        return innerTotal;
    }

    @Override
    public int innerOffset() {
        return innerOffset;
    }
}
