package org.jvs.net;

import java.util.Locale;

/**
 * What a driver lost or refused below the director, per port, in one table: each is a frame the director's own
 * counters never see, so `jvs counters` shows them beside those under their {@link #label()}. The ordinal indexes
 * the array {@link PacketPort#counters()} returns.
 */
public enum PortCounter {
    /** Frames the kernel dropped because the receive ring had no free slot (PACKET_STATISTICS tp_drops). */
    RX_RING_DROPS,
    /** Frames the kernel cut to fit a ring slot and could not hand over whole (no room to copy them aside). */
    RX_TRUNCATED,
    /** Frames larger than a ring slot (GSO super-packets) received whole through the copy path. */
    RX_COPIED,
    /** Frames not queued because every TX slot was still owned by the kernel, even after a kick. */
    TX_RING_FULL,
    /** Frames longer than a TX slot. */
    TX_TOO_LONG,
    /** Frames whose flags asked for an offload they cannot take (not IPv4 TCP/UDP). */
    TX_OFFLOAD_REFUSED,
    /** Kicks (sendto on the TX ring) the kernel refused, e.g. ENOBUFS; their slots go out with the next kick. */
    TX_KICKS_REFUSED;

    private static final PortCounter[] ALL = values();

    public static final int COUNT = ALL.length;

    private final String label;

    PortCounter() {
        label = name().toLowerCase(Locale.ROOT);
    }

    /** The name {@code jvs counters} and the metrics show: {@code rx_ring_drops}. */
    public String label() {
        return label;
    }

    /** The counter at index {@code index} (its ordinal). */
    public static PortCounter of(int index) {
        return ALL[index];
    }
}
