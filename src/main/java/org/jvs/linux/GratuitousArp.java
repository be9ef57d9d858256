package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Gratuitous ARPs for addresses a new VRRP master took over, as keepalived sends them: an ARP request from the
 * address for itself, broadcast, so that switches and neighbours move it to this interface's MAC at once.
 */
public final class GratuitousArp {
    private static final int FRAME_LENGTH = 42;
    private static final int ETH_P_ARP = 0x0806;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private GratuitousArp() {
    }

    /** The 42-byte frame: Ethernet broadcast, ARP request, sender = target = {@code address} at {@code mac}. */
    static byte[] frame(long mac, int address) {
        byte[] bytes = new byte[FRAME_LENGTH];
        MemorySegment frame = MemorySegment.ofArray(bytes);
        for (int i = 0; i < 6; i++) {
            frame.set(ValueLayout.JAVA_BYTE, i, (byte) 0xFF);
            frame.set(ValueLayout.JAVA_BYTE, 6 + i, (byte) (mac >>> (40 - 8 * i)));
            frame.set(ValueLayout.JAVA_BYTE, 22 + i, (byte) (mac >>> (40 - 8 * i)));
            frame.set(ValueLayout.JAVA_BYTE, 32 + i, (byte) 0xFF);
        }
        frame.set(BE16, 12, (short) ETH_P_ARP);
        frame.set(BE16, 14, (short) 1);       // hardware: Ethernet
        frame.set(BE16, 16, (short) 0x0800);  // protocol: IPv4
        frame.set(ValueLayout.JAVA_BYTE, 18, (byte) 6);
        frame.set(ValueLayout.JAVA_BYTE, 19, (byte) 4);
        frame.set(BE16, 20, (short) 1);       // request
        frame.set(BE32, 28, address);
        frame.set(BE32, 38, address);
        return bytes;
    }

    /** Sends {@code count} gratuitous ARPs for each address on the interface. */
    public static void send(String interfaceName, long mac, int[] addresses, int count) throws IOException {
        byte[][] frames = new byte[addresses.length][];
        for (int i = 0; i < addresses.length; i++) {
            frames[i] = frame(mac, addresses[i]);
        }
        LinkFrames.send(interfaceName, ETH_P_ARP, frames, count, "gratuitous ARP");
    }
}
