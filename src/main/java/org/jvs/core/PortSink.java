package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameSink;
import org.jvs.net.PacketPort;

/** Sends each frame through the port of its egress interface, found by ifindex in a flat array. */
public final class PortSink implements FrameSink {
    private final PacketPort[] byIfindex;

    public PortSink(PacketPort[] ports) {
        int max = 0;
        for (PacketPort port : ports) {
            max = Math.max(max, port.ifindex());
        }
        byIfindex = new PacketPort[max + 1];
        for (PacketPort port : ports) {
            byIfindex[port.ifindex()] = port;
        }
    }

    @Override
    public boolean send(int ifindex, MemorySegment frame, long offset, int length, int flags) {
        if (ifindex < 0 || ifindex >= byIfindex.length || byIfindex[ifindex] == null) {
            return false;
        }
        return byIfindex[ifindex].send(frame, offset, length, flags);
    }
}
