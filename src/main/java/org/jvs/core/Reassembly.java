package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv4Header;
import org.jvs.packet.Ipv6ExtensionHeaders;
import org.jvs.packet.Ipv6FragmentHeader;
import org.jvs.packet.Ipv6Header;

/**
 * IPv4 and IPv6 reassembly for datagrams sent to the director in fragments, as the kernel's ip_defrag and
 * nf_ct_frag6_gather do before IPVS sees them (IPVS depends on nf_defrag_ipv4/ipv6): a datagram is whole once every
 * 8-byte unit up to its last fragment has arrived, and then goes through the director as if it had come in one
 * frame. Fragments are keyed by source, destination, protocol and IP identification (RFC 791), or for IPv6 by
 * source, destination and the fragment header's identification (RFC 8200 4.5); an IPv6 datagram is rebuilt from the
 * first fragment's per-fragment headers, the fragment header dropped.
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
    /**
     * Room before the payload for the Ethernet header and the largest IPv4 header, or an IPv6 header with its
     * hop-by-hop and routing headers (a first fragment with more is dropped).
     */
    private static final int HEADROOM = EthernetHeader.LENGTH + 128;
    private static final int MAX_PAYLOAD = Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.MIN_LENGTH;
    private static final int MAX_PAYLOAD6 = Ipv6Header.MAX_PAYLOAD_LENGTH;
    private static final int BUFFER_BYTES = HEADROOM + MAX_PAYLOAD6;
    private static final int DONT_FRAGMENT_FLAG = 0x4000;
    /** One bit per 8-byte fragment unit of the largest payload. */
    private static final int UNIT_WORDS = (MAX_PAYLOAD6 / 8 + 1 + 63) / 64;

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
    /** An IPv6 datagram's: its addresses (the key with its identification), and where the first fragment's
     * per-fragment headers name the fragment header, with the next header that replaces it. */
    private final boolean[] ipv6 = new boolean[CONTEXTS];
    private final long[] sourceHi = new long[CONTEXTS];
    private final long[] sourceLo = new long[CONTEXTS];
    private final long[] destinationHi = new long[CONTEXTS];
    private final long[] destinationLo = new long[CONTEXTS];
    private final int[] nextHeaderAt = new int[CONTEXTS];
    private final int[] nextHeader = new int[CONTEXTS];
    private final Ipv6Header ip6 = new Ipv6Header();
    private final Ipv6Header whole6 = new Ipv6Header();
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
        int headers = EthernetHeader.LENGTH + ipHeaderLength;
        return place(context, frame, offset, start, last, offset + headers, fragmentBytes, headers);
    }

    /**
     * As {@link #add} for an IPv6 fragment whose headers {@code headers} walked (the caller's walk, which found a
     * fragment header). The first fragment's headers before the fragment header must be the per-fragment ones
     * (hop-by-hop, routing) and fit {@link #HEADROOM}; otherwise, as for a fragment RFC 8200 4.5 discards, the
     * fragment is dropped and counted.
     */
    boolean add6(MemorySegment frame, long offset, int length, Ipv6ExtensionHeaders headers, long nowNs) {
        counters.increment(Counter.FRAGMENTS_IN);
        ip6.wrap(frame, offset + EthernetHeader.LENGTH);
        long dataOffset = headers.fragmentHeaderOffset() + Ipv6FragmentHeader.LENGTH;
        int fragmentBytes = (int) (ip6.offset() + ip6.packetLength() - dataOffset);
        int start = headers.fragmentOffset();
        boolean last = !headers.moreFragments();
        int perFragment = (int) (headers.fragmentHeaderOffset() - offset);
        if (fragmentBytes <= 0 || start + fragmentBytes > MAX_PAYLOAD6 || (!last && (fragmentBytes & 7) != 0)
                || start == 0 && (perFragment > HEADROOM
                        || headers.fragmentableOffset() != headers.fragmentHeaderOffset())) {
            counters.increment(Counter.DROP_FRAGMENT_MALFORMED);
            return false;
        }
        int identity = headers.fragmentIdentification();
        int context = find6(identity, nowNs);
        if (context < 0) {
            context = claim(0, identity, nowNs);
            ipv6[context] = true;
            sourceHi[context] = ip6.sourceHi();
            sourceLo[context] = ip6.sourceLo();
            destinationHi[context] = ip6.destinationHi();
            destinationLo[context] = ip6.destinationLo();
        }
        if (start == 0) {
            nextHeaderAt[context] = (int) (headers.fragmentableNextHeaderOffset() - offset);
            nextHeader[context] = frame.get(ValueLayout.JAVA_BYTE, headers.fragmentHeaderOffset()) & 0xFF;
        }
        return place(context, frame, offset, start, last, dataOffset, fragmentBytes, perFragment);
    }

    /**
     * Puts one fragment's {@code fragmentBytes} at {@code dataOffset} into its datagram at {@code start}, the first
     * one's {@code headers} bytes from {@code offset} too; true when that completed the datagram.
     */
    private boolean place(int context, MemorySegment frame, long offset, int start, boolean last, long dataOffset,
                          int fragmentBytes, int headers) {
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
        MemorySegment.copy(frame, dataOffset, buffers, base + HEADROOM + start, fragmentBytes);
        receivedBytes[context] += fragmentBytes;
        if (start == 0) {
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
        if (ipv6[context]) {
            return complete6(context, headers, payload);
        }
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

    private boolean complete6(int context, int headers, int payload) {
        int payloadLength6 = headers - EthernetHeader.LENGTH - Ipv6Header.LENGTH + payload;
        if (payloadLength6 > Ipv6Header.MAX_PAYLOAD_LENGTH) {
            counters.increment(Counter.DROP_FRAGMENT_MALFORMED);
            return false;
        }
        completeOffset = context * BUFFER_BYTES + HEADROOM - headers;
        completeLength = headers + payload;
        whole6.wrap(buffers, completeOffset + EthernetHeader.LENGTH).payloadLength(payloadLength6);
        buffers.set(ValueLayout.JAVA_BYTE, completeOffset + nextHeaderAt[context], (byte) nextHeader[context]);
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
            if (used[context] && !ipv6[context] && addresses[context] == addressPair
                    && identities[context] == identity) {
                return live(context, nowNs);
            }
        }
        return -1;
    }

    /** As {@link #find} for the IPv6 fragment {@link #ip6} wraps. */
    private int find6(int identity, long nowNs) {
        for (int context = 0; context < CONTEXTS; context++) {
            if (used[context] && ipv6[context] && identities[context] == identity
                    && sourceHi[context] == ip6.sourceHi() && sourceLo[context] == ip6.sourceLo()
                    && destinationHi[context] == ip6.destinationHi() && destinationLo[context] == ip6.destinationLo()) {
                return live(context, nowNs);
            }
        }
        return -1;
    }

    /** The context found, or -1 (its datagram dropped and counted) when it outlived {@link #TIMEOUT_NS}. */
    private int live(int context, long nowNs) {
        if (nowNs - startedAtNs[context] <= TIMEOUT_NS) {
            return context;
        }
        used[context] = false;
        counters.increment(Counter.DROP_FRAGMENT_TIMEOUT);
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
        ipv6[chosen] = false;
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
