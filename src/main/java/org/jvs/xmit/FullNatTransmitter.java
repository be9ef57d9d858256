package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.IpOutput;
import org.jvs.net.Ipv6Output;

/**
 * Full NAT (DPVS's FNAT, the seed's four NAT steps): client packets leave with the local address and port as source
 * and the real server as destination (CLIENT:CPORT->VIP:VPORT becomes LIP:LPORT->RIP:RPORT), replies with the
 * virtual service as source and the client as destination (RIP:RPORT->LIP:LPORT becomes VIP:VPORT->CLIENT:CPORT).
 * So the real server needs no route to the client. The rewrite, checksums, offload flags and checks are
 * {@link AddressTranslation}'s, as for {@link NatTransmitter}. Not thread-safe; allocates nothing.
 */
public final class FullNatTransmitter {
    private final AddressTranslation translation;
    private final AddressTranslation6 translation6;

    public FullNatTransmitter(IpOutput output) {
        this(output, Ipv6Output.NONE);
    }

    /** A transmitter for IPv4 and, through {@code output6}, full NAT between IPv6 clients and IPv6 real servers. */
    public FullNatTransmitter(IpOutput output, Ipv6Output output6) {
        this.translation = new AddressTranslation(output);
        this.translation6 = new AddressTranslation6(output6);
    }

    /** As {@link #toRealServer} over IPv6: source becomes the IPv6 LIP:LPORT, destination RIP:RPORT. */
    public int toRealServer6(MemorySegment frame, long offset, int length, long localHi, long localLo, int localPort,
                             long realHi, long realLo, int realPort, int flags) {
        return translation6.forward(frame, offset, length, flags, true, localHi, localLo, localPort, realHi, realLo,
                realPort);
    }

    /** As {@link #toClient} over IPv6: source becomes VIP:VPORT, destination CLIENT:CPORT. */
    public int toClient6(MemorySegment frame, long offset, int length, long virtualHi, long virtualLo,
                         int virtualPort, long clientHi, long clientLo, int clientPort, int flags) {
        return translation6.forward(frame, offset, length, flags, false, virtualHi, virtualLo, virtualPort,
                clientHi, clientLo, clientPort);
    }

    /**
     * Client to real server: source becomes LIP:LPORT, destination RIP:RPORT. ICMP errors (TTL, MTU) go to the
     * client from the VIP. Returns a {@link Verdict}.
     */
    public int toRealServer(MemorySegment frame, long offset, int length, int localAddress, int localPort,
                            int realAddress, int realPort, int flags) {
        return translation.forward(frame, offset, length, flags, true, localAddress, localPort, realAddress,
                realPort);
    }

    /**
     * Real server to client: source becomes VIP:VPORT, destination CLIENT:CPORT. ICMP errors go to the real
     * server from the director's own address. Returns a {@link Verdict}.
     */
    public int toClient(MemorySegment frame, long offset, int length, int virtualAddress, int virtualPort,
                        int clientAddress, int clientPort, int flags) {
        return translation.forward(frame, offset, length, flags, false, virtualAddress, virtualPort, clientAddress,
                clientPort);
    }
}
