package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Whole Ethernet frames sent on an interface through a one-off AF_PACKET socket, as keepalived sends its gratuitous
 * ARPs (vrrp_arp.c) and unsolicited neighbour advertisements (vrrp_ndisc.c): each frame of the list, the list
 * {@code rounds} times over.
 */
final class LinkFrames {
    private static final int SOCKADDR_LL_SIZE = 20;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private LinkFrames() {
    }

    /** Sends the frames ({@code what} names them in errors); the destination MAC is each frame's own. */
    static void send(String interfaceName, int etherType, byte[][] frames, int rounds, String what)
            throws IOException {
        int ifindex = Native.ifNameToIndex(interfaceName);
        if (ifindex == 0) {
            throw new IOException("no interface " + interfaceName + " for " + what);
        }
        int fd = (int) Native.check(Native.socket(Native.AF_PACKET, Native.SOCK_RAW | Native.SOCK_CLOEXEC, 0),
                "socket(AF_PACKET) for " + what);
        try (Arena arena = Arena.ofConfined()) {
            // struct sockaddr_ll { family, protocol, ifindex, hatype, pkttype, halen, addr[8] }
            MemorySegment to = arena.allocate(SOCKADDR_LL_SIZE, 4);
            to.set(ValueLayout.JAVA_SHORT, 0, (short) Native.AF_PACKET);
            to.set(BE16, 2, (short) etherType);
            to.set(ValueLayout.JAVA_INT, 4, ifindex);
            to.set(ValueLayout.JAVA_BYTE, 11, (byte) 6);
            for (int round = 0; round < rounds; round++) {
                for (byte[] frame : frames) {
                    MemorySegment buffer = arena.allocateFrom(ValueLayout.JAVA_BYTE, frame);
                    MemorySegment.copy(frame, 0, to, ValueLayout.JAVA_BYTE, 12, 6);
                    Native.check(Native.sendto(fd, buffer, frame.length, 0, to, SOCKADDR_LL_SIZE),
                            what + " on " + interfaceName);
                }
            }
        } finally {
            Native.close(fd);
        }
    }
}
