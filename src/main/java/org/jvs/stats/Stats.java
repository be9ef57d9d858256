package org.jvs.stats;

/**
 * Counters of one virtual service or real server, as IPVS keeps them (struct ip_vs_stats): totals since the
 * last zeroing, and the rates its estimator derives from them. Written only by the data-plane thread.
 */
public final class Stats {
    public long connections;
    public long inPackets;
    public long outPackets;
    public long inBytes;
    public long outBytes;

    /** Estimated rates, scaled as IPVS scales them: per-second rates &lt;&lt; 10 for cps and pps, &lt;&lt; 5 for bps. */
    public long cpsScaled;
    public long inPpsScaled;
    public long outPpsScaled;
    public long inBpsScaled;
    public long outBpsScaled;

    /** Totals the estimator saw at its previous tick. */
    public long lastConnections;
    public long lastInPackets;
    public long lastOutPackets;
    public long lastInBytes;
    public long lastOutBytes;

    /** A per-second rate kept &lt;&lt; 10 (cps, pps), rounded as ipvsadm prints it. */
    public static long perSecond(long scaled) {
        return (scaled + 0x1FF) >> 10;
    }

    /** Bytes per second, kept &lt;&lt; 5, rounded as ipvsadm prints them. */
    public static long bytesPerSecond(long scaled) {
        return (scaled + 0xF) >> 5;
    }

    public void countIn(int bytes) {
        inPackets++;
        inBytes += bytes;
    }

    /** Traffic the kernel forwarded for the director (its fast path), folded in afterwards. */
    public void countIn(long packets, long bytes) {
        inPackets += packets;
        inBytes += bytes;
    }

    public void countOut(long packets, long bytes) {
        outPackets += packets;
        outBytes += bytes;
    }

    public void countOut(int bytes) {
        outPackets++;
        outBytes += bytes;
    }

    /** {@code ipvsadm -Z}: totals and rates back to zero. */
    public void zero() {
        connections = inPackets = outPackets = inBytes = outBytes = 0;
        cpsScaled = inPpsScaled = outPpsScaled = inBpsScaled = outBpsScaled = 0;
        lastConnections = lastInPackets = lastOutPackets = lastInBytes = lastOutBytes = 0;
    }

    public void copyTo(Stats target) {
        target.connections = connections;
        target.inPackets = inPackets;
        target.outPackets = outPackets;
        target.inBytes = inBytes;
        target.outBytes = outBytes;
        target.cpsScaled = cpsScaled;
        target.inPpsScaled = inPpsScaled;
        target.outPpsScaled = outPpsScaled;
        target.inBpsScaled = inBpsScaled;
        target.outBpsScaled = outBpsScaled;
    }

    /** Adds another's totals and rates to these: the workers of one director each count their own share. */
    public void add(Stats other) {
        connections += other.connections;
        inPackets += other.inPackets;
        outPackets += other.outPackets;
        inBytes += other.inBytes;
        outBytes += other.outBytes;
        cpsScaled += other.cpsScaled;
        inPpsScaled += other.inPpsScaled;
        outPpsScaled += other.outPpsScaled;
        inBpsScaled += other.inBpsScaled;
        outBpsScaled += other.outBpsScaled;
    }
}
