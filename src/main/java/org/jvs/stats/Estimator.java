package org.jvs.stats;

/**
 * IPVS's rate estimator (ip_vs_est.c): every 2 s the growth of each counter becomes a per-second rate that is
 * folded into a moving average, avg += (rate - avg) / 4, so the figures describe roughly the last 8 seconds.
 * The averages are kept scaled (cps and pps by 2^10, bps by 2^5) to keep fractions in integer arithmetic.
 */
public final class Estimator {
    /** How often {@link #tick} must run. */
    public static final long INTERVAL_NS = 2_000_000_000L;

    private Estimator() {
    }

    /** One estimator period over {@code stats}; call every {@link #INTERVAL_NS} on the thread that owns it. */
    public static void tick(Stats stats) {
        // << 9 is << 10 (the scale) and / 2 (the period); << 4 likewise is << 5 / 2
        long connections = stats.connections;
        stats.cpsScaled += (((connections - stats.lastConnections) << 9) - stats.cpsScaled) >> 2;
        stats.lastConnections = connections;

        long inPackets = stats.inPackets;
        stats.inPpsScaled += (((inPackets - stats.lastInPackets) << 9) - stats.inPpsScaled) >> 2;
        stats.lastInPackets = inPackets;

        long outPackets = stats.outPackets;
        stats.outPpsScaled += (((outPackets - stats.lastOutPackets) << 9) - stats.outPpsScaled) >> 2;
        stats.lastOutPackets = outPackets;

        long inBytes = stats.inBytes;
        stats.inBpsScaled += (((inBytes - stats.lastInBytes) << 4) - stats.inBpsScaled) >> 2;
        stats.lastInBytes = inBytes;

        long outBytes = stats.outBytes;
        stats.outBpsScaled += (((outBytes - stats.lastOutBytes) << 4) - stats.outBpsScaled) >> 2;
        stats.lastOutBytes = outBytes;
    }

    /** Connections per second as ipvsadm --rate shows it (ip_vs_read_estimator rounds to nearest). */
    public static long cps(Stats stats) {
        return (stats.cpsScaled + 0x1FF) >> 10;
    }

    public static long inPps(Stats stats) {
        return (stats.inPpsScaled + 0x1FF) >> 10;
    }

    public static long outPps(Stats stats) {
        return (stats.outPpsScaled + 0x1FF) >> 10;
    }

    /** Bytes per second. */
    public static long inBps(Stats stats) {
        return (stats.inBpsScaled + 0xF) >> 5;
    }

    public static long outBps(Stats stats) {
        return (stats.outBpsScaled + 0xF) >> 5;
    }
}
