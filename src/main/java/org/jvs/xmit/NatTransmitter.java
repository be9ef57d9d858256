package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.IpOutput;
import org.jvs.net.Ipv6Output;

/**
 * IPVS NAT (masquerading, ip_vs_nat_xmit): client packets get the real server's address and port as destination,
 * replies get the virtual service's address and port back as source; everything else is left as it came. The
 * rewrite, checksums, offload flags and checks are {@link AddressTranslation}'s. Not thread-safe; allocates nothing.
 */
public final class NatTransmitter implements Transmitter {
    private final AddressTranslation translation;
    private final AddressTranslation6 translation6;

    public NatTransmitter(IpOutput output) {
        this(output, Ipv6Output.NONE);
    }

    /** A transmitter for IPv4 and, through {@code output6}, NAT66 (ip_vs_nat_xmit_v6). */
    public NatTransmitter(IpOutput output, Ipv6Output output6) {
        this.translation = new AddressTranslation(output);
        this.translation6 = new AddressTranslation6(output6);
    }

    /** NAT66, client to real server: destination VIP:VPORT becomes RIP:RPORT. ICMPv6 errors come from the VIP. */
    public int toRealServer6(MemorySegment frame, long offset, int length, long realHi, long realLo, int realPort,
                             int flags) {
        return translation6.forward(frame, offset, length, flags, true, AddressTranslation.KEEP,
                AddressTranslation.KEEP, AddressTranslation.KEEP, realHi, realLo, realPort);
    }

    /** NAT66, real server to client: source RIP:RPORT becomes VIP:VPORT; routed to the client. */
    public int toClient6(MemorySegment frame, long offset, int length, long virtualHi, long virtualLo,
                         int virtualPort, int flags) {
        return translation6.forward(frame, offset, length, flags, false, virtualHi, virtualLo, virtualPort,
                AddressTranslation.KEEP, AddressTranslation.KEEP, AddressTranslation.KEEP);
    }

    /** Client to real server: destination VIP:VPORT becomes RIP:RPORT. ICMP errors come from the VIP. */
    @Override
    public int toRealServer(MemorySegment frame, long offset, int length, int realAddress, int realPort) {
        return toRealServer(frame, offset, length, realAddress, realPort, 0);
    }

    /** As {@link #toRealServer(MemorySegment, long, int, int, int)} with offload {@code flags} as received. */
    public int toRealServer(MemorySegment frame, long offset, int length, int realAddress, int realPort, int flags) {
        return translation.forward(frame, offset, length, flags, true, AddressTranslation.KEEP, AddressTranslation.KEEP,
                realAddress, realPort);
    }

    /**
     * Real server to client (the reply half of NAT, as handle_response): source RIP:RPORT becomes
     * {@code virtualAddress:virtualPort} and the packet is routed to its destination, the client.
     * Returns a {@link Verdict}; ICMP errors go to the real server from the director's own address.
     */
    public int toClient(MemorySegment frame, long offset, int length, int virtualAddress, int virtualPort) {
        return toClient(frame, offset, length, virtualAddress, virtualPort, 0);
    }

    /** As {@link #toClient(MemorySegment, long, int, int, int)} with offload {@code flags} as received. */
    public int toClient(MemorySegment frame, long offset, int length, int virtualAddress, int virtualPort, int flags) {
        return translation.forward(frame, offset, length, flags, false, virtualAddress, virtualPort,
                AddressTranslation.KEEP, AddressTranslation.KEEP);
    }
}
