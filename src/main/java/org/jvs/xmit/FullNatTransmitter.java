package org.jvs.xmit;

import java.lang.foreign.MemorySegment;

import org.jvs.net.IpOutput;

/**
 * Full NAT (DPVS's FNAT, the seed's four NAT steps): client packets leave with the local address and port as source
 * and the real server as destination (CLIENT:CPORT->VIP:VPORT becomes LIP:LPORT->RIP:RPORT), replies with the
 * virtual service as source and the client as destination (RIP:RPORT->LIP:LPORT becomes VIP:VPORT->CLIENT:CPORT).
 * So the real server needs no route to the client. The rewrite, checksums, offload flags and checks are
 * {@link AddressTranslation}'s, as for {@link NatTransmitter}. Not thread-safe; allocates nothing.
 */
public final class FullNatTransmitter {
    private final AddressTranslation translation;

    public FullNatTransmitter(IpOutput output) {
        this.translation = new AddressTranslation(output);
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
