package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;

/**
 * IPv4 reassembly for datagrams sent to the director in fragments, as the kernel's ip_defrag does before IPVS sees
 * them (IPVS depends on nf_defrag_ipv4): a datagram is whole once every 8-byte unit up to its last fragment has
 * arrived, and then goes through the director as if it had come in one frame. Fragments are keyed by source,
 * destination, protocol and IP identification (RFC 791).
 * <p>
 * Memory is bounded as the kernel bounds it (ipfrag_high_thresh, 4 MiB): {@link #CONTEXTS} datagrams under way
 * at most, each in its own 64 KiB buffer allocated once; a new datagram when all are taken pushes out the oldest.
 * A datagram not complete within {@link #TIMEOUT_NS} (ipfrag_time, 30 s) is dropped, when a fragment of it comes
 * again or by the periodic {@link #expire} (the data plane's two-second housekeeping), whichever is first. An overlapping fragment drops
 * its whole datagram (RFC 5722's rule, which Linux applies to IPv4 too), as does one that would make the datagram
 * exceed 65535 bytes. Each of these drops is counted. Allocates nothing per fragment; not thread-safe.
 */
final class Reassembly {
    static final int CONTEXTS = 64;
    static final long TIMEOUT_NS = 30_000_000_000L;
    /** Room before the payload for the Ethernet header and the largest IP header. */
    private static final int HEADROOM = EthernetHeader.LENGTH + 60;
    private static final int MAX_PAYLOAD = Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.MIN_LENGTH;
    private static final int BUFFER_BYTES = HEADROOM + MAX_PAYLOAD;
    private static final int DONT_FRAGMENT_FLAG = 0x4000;
    /** One bit per 8-byte fragment unit of the largest payload. */
    private static final int UNIT_WORDS = (MAX_PAYLOAD / 8 + 1 + 63) / 64;

    private final MemorySegment buffers = Arena.ofAuto().allocate((long) CONTEXTS * BUFFER_BYTES, Long.BYTES);
    private final long[] units = new long[CONTEXTS * UNIT_WORDS];
    private final long[] addresses = new long[CONTEXTS];
    private final int[] identities = new int[CONTEXTS];
    private final boolean[] used = new boolean[CONTEXTS];
    private final long[] startedAtNs = new long[CONTEXTS];
    /** Payload bytes of the whole datagram, known once its last fragment (MF clear) came; -1 before. */
    private final int[] payloadLength = new int[CONTEXTS];
    private final int[] receivedBytes = new int[CONTEXTS];
    /** The first fragment's Ethernet + IP header length, 0 until it came. */
    private final int[] headerBytes = new int[CONTEXTS];
    private final Counters counters;
    private final Ipv4Header ip = new Ipv4Header();
    private final Ipv4Header whole = new Ipv4Header();
    private int completeOffset;
    private int completeLength;

    Reassembly(Counters counters) {
        this.counters = counters;
    }

    /**
     * Adds the fragment in the Ethernet frame at {@code frame[offset, offset+length)} (its IP header validated by
     * the caller). True when it completed its datagram: {@link #datagram()}, {@link #datagramOffset()} and
     * {@link #datagramLength()} then describe the whole frame, valid until the next call.
     */
    boolean add(MemorySegment frame, long offset, int length, long nowNs) {
        counters.increment(Counter.FRAGMENTS_IN);
        ip.wrap(frame, offset + EthernetHeader.LENGTH);
        int ipHeaderLength = ip.headerLength();
        int fragmentBytes = ip.totalLength() - ipHeaderLength;
        int start = ip.fragmentOffset() * 8;
        boolean last = !ip.moreFragments();
        if (fragmentBytes <= 0 || start + fragmentBytes > MAX_PAYLOAD || (!last && (fragmentBytes & 7) != 0)) {
            counters.increment(Counter.DROP_FRAGMENT_MALFORMED);
            return false;
        }
        long addressPair = (long) ip.source() << 32 | (ip.destination() & 0xFFFFFFFFL);
        int identity = ip.identification() << 8 | ip.protocol();
        int context = find(addressPair, identity, nowNs);
        if (context < 0) {
            context = claim(addressPair, identity, nowNs);
        }
        int marked = markUnits(context, start, fragmentBytes);
        if (marked == DUPLICATE) {
            return false;
        }
        if (marked == OVERLAP) {
            counters.increment(Counter.DROP_FRAGMENT_MALFORMED);
            used[context] = false;
            return false;
        }
        if (last) {
            if (payloadLength[context] >= 0 && payloadLength[context] != start + fragmentBytes) {
                counters.increment(Counter.DROP_FRAGMENT_MALFORMED);
                used[context] = false;
                return false;
            }
            payloadLength[context] = start + fragmentBytes;
        }
        long base = (long) context * BUFFER_BYTES;
        MemorySegment.copy(frame, offset + EthernetHeader.LENGTH + ipHeaderLength, buffers, base + HEADROOM + start,
                fragmentBytes);
        receivedBytes[context] += fragmentBytes;
        if (start == 0) {
            int headers = EthernetHeader.LENGTH + ipHeaderLength;
            MemorySegment.copy(frame, offset, buffers, base + HEADROOM - headers, headers);
            headerBytes[context] = headers;
        }
        if (headerBytes[context] == 0 || payloadLength[context] < 0
                || receivedBytes[context] != payloadLength[context]) {
            return false;
        }
        return complete(context);
    }

    private boolean complete(int context) {
        used[context] = false;
        int headers = headerBytes[context];
        int payload = payloadLength[context];
        if (headers - EthernetHeader.LENGTH + payload > Ipv4Header.MAX_TOTAL_LENGTH) {
            counters.increment(Counter.DROP_FRAGMENT_MALFORMED);
            return false;
        }
        completeOffset = context * BUFFER_BYTES + HEADROOM - headers;
        completeLength = headers + payload;
        whole.wrap(buffers, completeOffset + EthernetHeader.LENGTH);
        whole.totalLength(headers - EthernetHeader.LENGTH + payload).flagsAndFragmentOffset(
                whole.flagsAndFragmentOffset() & DONT_FRAGMENT_FLAG).updateHeaderChecksum();
        counters.increment(Counter.DATAGRAMS_REASSEMBLED);
        return true;
    }

    MemorySegment datagram() {
        return buffers;
    }

    long datagramOffset() {
        return completeOffset;
    }

    int datagramLength() {
        return completeLength;
    }

    /** Drops every datagram under way for longer than {@link #TIMEOUT_NS}; returns how many. */
    int expire(long nowNs) {
        int expired = 0;
        for (int context = 0; context < CONTEXTS; context++) {
            if (used[context] && nowNs - startedAtNs[context] > TIMEOUT_NS) {
                used[context] = false;
                counters.increment(Counter.DROP_FRAGMENT_TIMEOUT);
                expired++;
            }
        }
        return expired;
    }

    private int find(long addressPair, int identity, long nowNs) {
        for (int context = 0; context < CONTEXTS; context++) {
            if (used[context] && addresses[context] == addressPair && identities[context] == identity) {
                if (nowNs - startedAtNs[context] <= TIMEOUT_NS) {
                    return context;
                }
                used[context] = false;
                counters.increment(Counter.DROP_FRAGMENT_TIMEOUT);
                return -1;
            }
        }
        return -1;
    }

    /** A free context, else the oldest datagram's, whose fragments are dropped (counted). */
    private int claim(long addressPair, int identity, long nowNs) {
        int oldest = 0;
        int chosen = -1;
        for (int context = 0; context < CONTEXTS && chosen < 0; context++) {
            if (!used[context]) {
                chosen = context;
            } else if (startedAtNs[context] < startedAtNs[oldest]) {
                oldest = context;
            }
        }
        if (chosen < 0) {
            chosen = oldest;
            counters.increment(Counter.DROP_FRAGMENT_OVERFLOW);
        }
        used[chosen] = true;
        addresses[chosen] = addressPair;
        identities[chosen] = identity;
        startedAtNs[chosen] = nowNs;
        payloadLength[chosen] = -1;
        receivedBytes[chosen] = 0;
        headerBytes[chosen] = 0;
        Arrays.fill(units, chosen * UNIT_WORDS, (chosen + 1) * UNIT_WORDS, 0L);
        return chosen;
    }

    private static final int MARKED = 0;
    private static final int DUPLICATE = 1;
    private static final int OVERLAP = 2;

    /**
     * Marks the fragment's 8-byte units as received: MARKED; DUPLICATE when all of them were already (a copy the
     * network duplicated, ignored as ip_frag_queue does); OVERLAP when some were.
     */
    private int markUnits(int context, int start, int bytes) {
        int first = start >>> 3;
        int end = (start + bytes + 7) >>> 3;
        int base = context * UNIT_WORDS;
        int seen = 0;
        for (int unit = first; unit < end; unit++) {
            if ((units[base + (unit >>> 6)] & 1L << unit) != 0) {
                seen++;
            }
        }
        if (seen == end - first) {
            return DUPLICATE;
        }
        if (seen != 0) {
            return OVERLAP;
        }
        for (int unit = first; unit < end; unit++) {
            units[base + (unit >>> 6)] |= 1L << unit;
        }
        return MARKED;
    }
}
