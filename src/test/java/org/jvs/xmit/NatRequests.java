package org.jvs.xmit;

import static org.jvs.xmit.RecordingIpOutput.CLIENT;
import static org.jvs.xmit.RecordingIpOutput.VIP;

import org.jvs.packet.FrameBuilder;

/** The client's request NAT and full-NAT tests start from: CLIENT:CLIENT_PORT -> VIP:VIRTUAL_PORT, 100 bytes. */
final class NatRequests {
    static final int CLIENT_PORT = 40000;
    static final int VIRTUAL_PORT = 80;

    private NatRequests() {
    }

    /** {@code protocol}: "tcp", "udp", or "udp-no-checksum" (a UDP checksum of zero). */
    static FrameBuilder request(String protocol) {
        FrameBuilder builder = new FrameBuilder().source(CLIENT).destination(VIP).ports(CLIENT_PORT, VIRTUAL_PORT)
                .payloadLength(100);
        return switch (protocol) {
            case "udp" -> builder.udp();
            case "udp-no-checksum" -> builder.udp().udpChecksum(false);
            default -> builder;
        };
    }
}
