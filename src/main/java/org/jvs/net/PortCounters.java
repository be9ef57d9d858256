package org.jvs.net;

/**
 * What a driver lost or refused below the director, per port: each is a frame the director's own counters never
 * see, so `jvs counters` shows them beside those. Indexes into the array {@link PacketPort#counters()} returns.
 */
public final class PortCounters {
    /** Frames the kernel dropped because the receive ring had no free slot (PACKET_STATISTICS tp_drops). */
    public static final int RX_RING_DROPS = 0;
    /** Frames the kernel cut to fit a ring slot and could not hand over whole (no room to copy them aside). */
    public static final int RX_TRUNCATED = 1;
    /** Frames larger than a ring slot (GSO super-packets) received whole through the copy path. */
    public static final int RX_COPIED = 2;
    /** Frames not queued because every TX slot was still owned by the kernel, even after a kick. */
    public static final int TX_RING_FULL = 3;
    /** Frames longer than a TX slot. */
    public static final int TX_TOO_LONG = 4;
    /** Frames whose flags asked for an offload they cannot take (not IPv4 TCP/UDP). */
    public static final int TX_OFFLOAD_REFUSED = 5;
    /** Kicks (sendto on the TX ring) the kernel refused, e.g. ENOBUFS; their slots go out with the next kick. */
    public static final int TX_KICKS_REFUSED = 6;

    private static final String[] NAMES = {
        "rx_ring_drops", "rx_truncated", "rx_copied", "tx_ring_full", "tx_too_long", "tx_offload_refused",
        "tx_kicks_refused",
    };

    public static final int COUNT = NAMES.length;

    private PortCounters() {
    }

    public static String name(int counter) {
        return NAMES[counter];
    }
}
