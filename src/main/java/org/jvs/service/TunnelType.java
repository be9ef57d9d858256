package org.jvs.service;

/**
 * How a TUN real server's packets are encapsulated (IP_VS_CONN_F_TUNNEL_TYPE_*, kernel 5.2+), named as ipvsadm's
 * {@code --tun-type} and keepalived's {@code tun_type} spell them. The ordinal is the kernel's value.
 */
public enum TunnelType {
    /** IP in IP (RFC 2003): the outer IPv4 header alone. */
    IPIP("ipip"),
    /** Generic UDP Encapsulation (draft-ietf-intarea-gue): outer IPv4, UDP to the server's tunnel port, GUE header. */
    GUE("gue"),
    /** GRE (RFC 2784): outer IPv4 and a GRE header for protocol 0x0800. */
    GRE("gre");

    private final String ipvsadmName;

    TunnelType(String ipvsadmName) {
        this.ipvsadmName = ipvsadmName;
    }

    public String ipvsadmName() {
        return ipvsadmName;
    }

    /** The type spelled {@code name} ({@code ipip}, {@code gue}, {@code gre}), or null. */
    public static TunnelType byName(String name) {
        for (TunnelType type : values()) {
            if (type.ipvsadmName.equals(name)) {
                return type;
            }
        }
        return null;
    }
}
