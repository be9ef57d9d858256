package org.jvs.sched;

import org.jvs.service.Ipv4;
import org.jvs.service.Ipv6;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * The flow {@code ./jvs explain} asks a scheduler about, in either family: the 32-bit addresses every scheduler
 * hashes (an IPv6 address folded as IPVS folds it, {@link Ipv6#fold}) with, for IPv6, the whole addresses beside
 * them, so that a scheduler's reasons name the address the operator typed. Off the hot path.
 */
public record ExplainedFlow(int clientAddress, int clientPort, int virtualAddress, int virtualPort, boolean ipv6,
                            long clientHi, long clientLo, long virtualHi, long virtualLo) {

    public static ExplainedFlow ipv4(int clientAddress, int clientPort, int virtualAddress, int virtualPort) {
        return new ExplainedFlow(clientAddress, clientPort, virtualAddress, virtualPort, false, 0, 0, 0, 0);
    }

    public static ExplainedFlow ipv6(long clientHi, long clientLo, int clientPort, long virtualHi, long virtualLo,
                                     int virtualPort) {
        return new ExplainedFlow(Ipv6.fold(clientHi, clientLo), clientPort, Ipv6.fold(virtualHi, virtualLo),
                virtualPort, true, clientHi, clientLo, virtualHi, virtualLo);
    }

    /** What {@code scheduler} chooses for this flow, by the family's own entry point. */
    RealServer scheduleWith(Scheduler scheduler, VirtualService service) {
        return ipv6 ? scheduler.schedule6(service, clientHi, clientLo, clientPort, virtualHi, virtualLo, virtualPort)
                : scheduler.schedule(service, clientAddress, clientPort, virtualAddress, virtualPort);
    }

    /** The client address as a hashing scheduler saw it: {@code 2001:db8::1 (folded: 20010db9)} for IPv6. */
    String hashedClient() {
        return ipv6 ? hashed(clientHi, clientLo) : Ipv4.toString(clientAddress);
    }

    /** The virtual address as a hashing scheduler saw it. */
    String hashedVirtual() {
        return ipv6 ? hashed(virtualHi, virtualLo) : Ipv4.toString(virtualAddress);
    }

    /** The virtual address as typed, for schedulers that key by the whole address. */
    String virtual() {
        return ipv6 ? Ipv6.toString(virtualHi, virtualLo) : Ipv4.toString(virtualAddress);
    }

    private static String hashed(long hi, long lo) {
        return Ipv6.toString(hi, lo) + " (folded: " + Integer.toHexString(Ipv6.fold(hi, lo)) + ")";
    }
}
