package org.jvs.service;

/**
 * A tunnel's checksum option (IP_VS_TUNNEL_ENCAP_FLAG_*): none, a checksum over the encapsulation (the outer UDP
 * checksum for GUE, the GRE checksum), or GUE's remote checksum offload, where a packet whose inner checksum is
 * still partial leaves it so and tells the real server where to complete it. The ordinal is the kernel's flag value.
 */
public enum TunnelChecksum {
    NOCSUM("nocsum", "-c"),
    CSUM("csum", "+c"),
    REMCSUM("remcsum", "r+c");

    private final String name;
    private final String tunnelInfo;

    TunnelChecksum(String name, String tunnelInfo) {
        this.name = name;
        this.tunnelInfo = tunnelInfo;
    }

    /** The word after {@code --tun-} in ipvsadm and in keepalived's {@code tun_flags}. */
    public String keyword() {
        return name;
    }

    /** How {@code ipvsadm -L --tun-info} shows it: {@code -c}, {@code +c}, {@code r+c}. */
    public String tunnelInfo() {
        return tunnelInfo;
    }

    /** The option spelled {@code keyword} ({@code nocsum}, {@code csum}, {@code remcsum}), or null. */
    public static TunnelChecksum byKeyword(String keyword) {
        for (TunnelChecksum checksum : values()) {
            if (checksum.name.equals(keyword)) {
                return checksum;
            }
        }
        return null;
    }
}
