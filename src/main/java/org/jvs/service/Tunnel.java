package org.jvs.service;

/**
 * A TUN real server's encapsulation as struct ip_vs_dest keeps it: tun_type, tun_port (GUE's UDP destination port,
 * 0 otherwise) and tun_flags. Which options go with which type is ipvsadm's table (tunnel_types_v_options): GUE
 * needs a port and takes any checksum option, GRE takes no port and no remote checksum, IPIP takes neither.
 */
public record Tunnel(TunnelType type, int port, TunnelChecksum checksum) {
    /** What a TUN server without tunnel options gets: IPIP, as before kernel 5.2. */
    public static final Tunnel IPIP = new Tunnel(TunnelType.IPIP, 0, TunnelChecksum.NOCSUM);

    /** The GUE option announcing a remote checksum: 4 bytes of private flags, then start and offset (GUE_PLEN_REMCSUM). */
    public static final int GUE_REMOTE_CHECKSUM_LENGTH = 8;
    private static final int UDP_HEADER = 8;
    private static final int GUE_HEADER = 4;
    private static final int GRE_HEADER = 4;
    private static final int GRE_CHECKSUM = 4;

    public Tunnel {
        if (type == null || checksum == null) {
            throw new IllegalArgumentException("tunnel type and checksum option are required");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("tunnel port " + port + " out of range (expected 0..65535)");
        }
    }

    /**
     * Why ipvsadm or the kernel would refuse this combination, or null when it is valid: GUE without a port (the
     * kernel's "tunnel port is zero"), a port without GUE, checksum options on IPIP, remote checksum on GRE.
     */
    public String refusal() {
        return switch (type) {
            case IPIP -> port != 0 ? "a tunnel port is only for gue"
                    : checksum != TunnelChecksum.NOCSUM ? "checksum options are only for gue and gre" : null;
            case GUE -> port == 0 ? "gue needs a tunnel port 1..65535" : null;
            case GRE -> port != 0 ? "a tunnel port is only for gue"
                    : checksum == TunnelChecksum.REMCSUM ? "remote checksum is only for gue" : null;
        };
    }

    /**
     * Bytes between the outer IPv4 header and the inner packet: 0 for IPIP, UDP + GUE (+ the remote checksum option
     * when the inner checksum is left {@code partial}) for GUE, GRE (+ its checksum word) for GRE.
     */
    public int headerLength(boolean partial) {
        return switch (type) {
            case IPIP -> 0;
            case GUE -> UDP_HEADER + GUE_HEADER + (remoteChecksum(partial) ? GUE_REMOTE_CHECKSUM_LENGTH : 0);
            case GRE -> GRE_HEADER + (checksum == TunnelChecksum.CSUM ? GRE_CHECKSUM : 0);
        };
    }

    /** True when a packet with a {@code partial} inner checksum leaves it to the real server (GUE remcsum). */
    public boolean remoteChecksum(boolean partial) {
        return partial && type == TunnelType.GUE && checksum == TunnelChecksum.REMCSUM;
    }

    /** What ipvsadm -L --tun-info prints: {@code ipip}, {@code gue:6080:-c}, {@code gre:+c}. */
    public String tunnelInfo() {
        return switch (type) {
            case IPIP -> type.ipvsadmName();
            case GUE -> type.ipvsadmName() + ":" + port + ":" + checksum.tunnelInfo();
            case GRE -> type.ipvsadmName() + ":" + checksum.tunnelInfo();
        };
    }
}
