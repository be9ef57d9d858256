package org.jvs.xmit;

/**
 * What a transmitter did with a packet; each drop reason is counted separately by the director, under the
 * counter core.Counters.countVerdict maps it to (the verdicts have no names of their own).
 */
public final class Verdict {
    /** Sent (or held for ARP resolution). */
    public static final int SENT = 0;
    /** No route to the destination. */
    public static final int NO_ROUTE = 1;
    /** The output refused the frame (neighbour unresolved, ring full). */
    public static final int OUTPUT_DROP = 2;
    /** Too big for the egress MTU with DF set: ICMP fragmentation-needed went back to the client. */
    public static final int FRAGMENTATION_NEEDED = 3;
    /** Too big and no way to signal it (DF clear, fragmentation not supported). */
    public static final int TOO_BIG = 4;
    /** The packet could not be parsed for this method. */
    public static final int MALFORMED = 5;
    /** The TTL ran out: ICMP time-exceeded went back to the sender. */
    public static final int TTL_EXCEEDED = 6;

    /** Too big for the egress MTU: ICMPv6 Packet Too Big went back to the IPv6 sender (routers never fragment). */
    public static final int PACKET_TOO_BIG = 7;

    public static final int COUNT = 8;

    private Verdict() {
    }
}
