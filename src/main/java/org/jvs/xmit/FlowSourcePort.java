package org.jvs.xmit;

/**
 * The outer UDP source port of a GUE packet, as udp_flow_src_port picks it: a hash of the inner flow, so that one
 * flow keeps one port (no reordering) while different flows spread over the receivers' NIC queues (RSS hashes
 * the outer ports). The kernel scales the hash into the local port range; JVS uses that range's default.
 * The kernel keys its flow hash with a random secret; this one is unkeyed, so a given flow always maps to the
 * same port (which the tests rely on).
 */
final class FlowSourcePort {
    /** net.ipv4.ip_local_port_range's default, whose bounds udp_flow_src_port scales into. */
    static final int LOWEST = 32768;
    static final int HIGHEST = 60999;

    private FlowSourcePort() {
    }

    /** The port for the flow of an inner packet; {@code ports} is its source and destination port word, or 0. */
    static int of(int source, int destination, int protocol, int ports) {
        int hash = mix(mix(mix(source * 0x9E3779B1 ^ destination) ^ ports) ^ protocol);
        // as udp_flow_src_port: fold the high half into the low one, then scale into [LOWEST, HIGHEST)
        hash ^= hash << 16;
        return (int) (((hash & 0xFFFF_FFFFL) * (HIGHEST - LOWEST)) >>> 32) + LOWEST;
    }

    /** MurmurHash3's 32-bit finaliser: every input bit moves about half the output bits. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EB_CA6B;
        h ^= h >>> 13;
        h *= 0xC2B2_AE35;
        h ^= h >>> 16;
        return h;
    }
}
