package org.jvs.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * IPv6 fragmentation at the source (RFC 8200 section 4.5, as the kernel's ip6_fragment): only the sender
 * fragments in IPv6, so this is for packets JVS originates or encapsulates (the TUN path), never for packets it
 * forwards. The packet's per-fragment part (the fixed header, then hop-by-hop and routing headers with the
 * destination options before routing) is repeated in each fragment, followed by a fragment header and at most
 * {@code mtu} bytes in all; every fragment's data but the last is a multiple of 8 bytes. Each fragment is built in
 * a scratch buffer this fragmenter owns and handed on before the next one overwrites it. The packet's checksums
 * must be complete. Not thread-safe; allocates nothing per call.
 */
public final class Ipv6Fragmenter {
    private static final int MAX_PACKET_LENGTH = Ipv6Header.LENGTH + Ipv6Header.MAX_PAYLOAD_LENGTH;
    private static final int SCRATCH_LENGTH = EthernetHeader.LENGTH + MAX_PACKET_LENGTH + Ipv6FragmentHeader.LENGTH;

    private final MemorySegment scratch = Arena.ofAuto().allocate(SCRATCH_LENGTH, Long.BYTES);
    private final Ipv6Header ip = new Ipv6Header();
    private final Ipv6Header fragmentIp = new Ipv6Header();
    private final Ipv6FragmentHeader fragmentHeader = new Ipv6FragmentHeader();
    private final Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();

    /**
     * Sends the Ethernet/IPv6 frame at {@code frame[offset, offset+length)} as fragments of at most {@code mtu} IP
     * bytes, all with {@code identification} (the caller's choice, unpredictable per RFC 7739). Returns how many
     * fragments the output took, or -1 when the packet cannot be fragmented here (already a fragment, an extension
     * chain the walk refuses, an MTU leaving no room, or headers that would not all be in the first fragment as
     * RFC 7112 requires) or the output refused one.
     */
    public int fragment(MemorySegment frame, long offset, int length, int mtu, int identification,
                        Ipv4Fragmenter.Output output) {
        long ipOffset = offset + EthernetHeader.LENGTH;
        ip.wrap(frame, ipOffset);
        int packetLength = Math.min(ip.packetLength(), length - EthernetHeader.LENGTH);
        if (headers.walk(frame, ipOffset, packetLength) != Ipv6ExtensionHeaders.UPPER_LAYER
                || headers.hasFragmentHeader()) {
            return -1;
        }
        int perFragment = (int) (headers.fragmentableOffset() - ipOffset);
        int chunk = (Math.min(mtu, MAX_PACKET_LENGTH) - perFragment - Ipv6FragmentHeader.LENGTH) & ~7;
        int fragmentable = packetLength - perFragment;
        if (chunk <= 0 || fragmentable <= 0 || headers.upperLayerOffset() - headers.fragmentableOffset() > chunk) {
            return -1;
        }
        int copied = EthernetHeader.LENGTH + perFragment;
        long nextHeaderAt = headers.fragmentableNextHeaderOffset() - offset;
        int nextHeader = NetworkOrder.u8(frame, headers.fragmentableNextHeaderOffset());
        long fragmentableStart = offset + copied;
        int sent = 0;
        for (int start = 0; start < fragmentable; start += chunk) {
            int bytes = Math.min(chunk, fragmentable - start);
            boolean last = start + bytes == fragmentable;
            MemorySegment.copy(frame, offset, scratch, 0, copied);
            NetworkOrder.u8(scratch, nextHeaderAt, Ipv6ExtensionHeaders.FRAGMENT);
            fragmentHeader.wrap(scratch, copied).write(nextHeader, start, !last, identification);
            MemorySegment.copy(frame, fragmentableStart + start, scratch, copied + Ipv6FragmentHeader.LENGTH, bytes);
            fragmentIp.wrap(scratch, EthernetHeader.LENGTH)
                    .payloadLength(perFragment - Ipv6Header.LENGTH + Ipv6FragmentHeader.LENGTH + bytes);
            if (!output.send(scratch, 0, copied + Ipv6FragmentHeader.LENGTH + bytes)) {
                return -1;
            }
            sent++;
        }
        return sent;
    }
}
