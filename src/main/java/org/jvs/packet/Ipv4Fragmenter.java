package org.jvs.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * IPv4 fragmentation on output (as the kernel's ip_do_fragment): a datagram larger than the way out, DF clear,
 * leaves as fragments of at most {@code mtu} IP bytes, each payload but the last a multiple of 8 bytes. Each
 * fragment is built in a scratch buffer this fragmenter owns and handed on before the next one overwrites it.
 * Every fragment carries the whole IP header (options included: JVS never adds options, and a datagram with them
 * is rare enough that copying the uncopied ones too is harmless to the receiver's reassembly). The datagram's
 * checksums must be complete. Not thread-safe; allocates nothing per call.
 */
public final class Ipv4Fragmenter {
    private static final int SCRATCH_LENGTH = EthernetHeader.LENGTH + Ipv4Header.MAX_TOTAL_LENGTH;
    private static final int MORE_FRAGMENTS = 0x2000;
    private static final int OFFSET_MASK = 0x1FFF;

    /** Where each fragment goes. */
    @FunctionalInterface
    public interface Output {
        boolean send(MemorySegment frame, long offset, int length);
    }

    private final MemorySegment scratch = Arena.ofAuto().allocate(SCRATCH_LENGTH, Long.BYTES);
    private final Ipv4Header ip = new Ipv4Header();
    private final Ipv4Header fragmentIp = new Ipv4Header();

    /**
     * Sends the Ethernet/IPv4 frame at {@code frame[offset, offset+length)} as fragments of at most {@code mtu} IP
     * bytes. Returns how many fragments the output took, or -1 when the frame cannot be fragmented (DF set, an
     * MTU leaving less than 8 payload bytes) or the output refused one.
     */
    public int fragment(MemorySegment frame, long offset, int length, int mtu, Output output) {
        ip.wrap(frame, offset + EthernetHeader.LENGTH);
        int headerLength = ip.headerLength();
        int chunk = (Math.min(mtu, Ipv4Header.MAX_TOTAL_LENGTH) - headerLength) & ~7;
        int payload = Math.min(ip.totalLength(), length - EthernetHeader.LENGTH) - headerLength;
        if (ip.dontFragment() || chunk <= 0 || payload <= 0) {
            return -1;
        }
        int headers = EthernetHeader.LENGTH + headerLength;
        // a datagram that is itself a fragment keeps its place: offsets add up, MF stays on all but its end
        int baseUnits = ip.fragmentOffset();
        boolean moreAfter = ip.moreFragments();
        int flags = ip.flagsAndFragmentOffset() & ~(OFFSET_MASK | MORE_FRAGMENTS);
        long payloadStart = offset + headers;
        int sent = 0;
        for (int start = 0; start < payload; start += chunk) {
            int bytes = Math.min(chunk, payload - start);
            boolean last = start + bytes == payload;
            MemorySegment.copy(frame, offset, scratch, 0, headers);
            MemorySegment.copy(frame, payloadStart + start, scratch, headers, bytes);
            fragmentIp.wrap(scratch, EthernetHeader.LENGTH)
                    .totalLength(headerLength + bytes)
                    .flagsAndFragmentOffset(flags | (last && !moreAfter ? 0 : MORE_FRAGMENTS)
                            | (baseUnits + start / 8))
                    .updateHeaderChecksum();
            if (!output.send(scratch, 0, headers + bytes)) {
                return -1;
            }
            sent++;
        }
        return sent;
    }
}
