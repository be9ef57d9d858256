package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jvs.packet.NeighborDiscoveryWriter;
import org.jvs.packet.NeighborMessage;

/**
 * Unsolicited neighbour advertisements for IPv6 addresses a new VRRP master took over, IPv6's gratuitous ARPs, as
 * keepalived's ndisc_send_unsolicited_na sends them: from the address to all nodes (ff02::1), Override set so that
 * neighbours replace the MAC they cached, Router set when the interface forwards IPv6
 * (net.ipv6.conf.IF.forwarding), the frames written by {@link NeighborDiscoveryWriter#unsolicited}.
 */
public final class UnsolicitedNeighbourAdverts {
    private static final int ETH_P_IPV6 = 0x86DD;

    private UnsolicitedNeighbourAdverts() {
    }

    /**
     * Sends {@code count} advertisements for each address on the interface: {@code addresses} holds each address's
     * two longs, hi then lo.
     */
    public static void send(String interfaceName, long mac, long[] addresses, int count) throws IOException {
        int flags = NeighborMessage.OVERRIDE | (forwards(interfaceName) ? NeighborMessage.ROUTER : 0);
        NeighborDiscoveryWriter writer = new NeighborDiscoveryWriter();
        byte[][] frames = new byte[addresses.length / 2][];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(NeighborDiscoveryWriter.FRAME_LENGTH);
            for (int i = 0; i < frames.length; i++) {
                int length = writer.unsolicited(frame, 0, mac, addresses[2 * i], addresses[2 * i + 1], flags);
                frames[i] = frame.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
            }
        }
        LinkFrames.send(interfaceName, ETH_P_IPV6, frames, count, "unsolicited neighbour advertisement");
    }

    private static boolean forwards(String interfaceName) {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv6/conf", interfaceName, "forwarding")).trim()
                    .equals("1");
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }
}
