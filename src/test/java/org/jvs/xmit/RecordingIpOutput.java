package org.jvs.xmit;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jvs.net.IpOutput;
import org.jvs.net.NextHop;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Reference;

/** A fake output: every destination routes through one interface; sent frames are copied and kept. */
final class RecordingIpOutput implements IpOutput {
    static final int IFINDEX = 3;
    static final int DIRECTOR = Reference.ip(198, 18, 0, 1);
    static final int CLIENT = Reference.ip(203, 0, 113, 7);
    static final int VIP = Reference.ip(192, 0, 2, 10);
    static final int RIP = Reference.ip(198, 51, 100, 20);

    record Sent(int ifindex, int gateway, int source, int mtu, byte[] frame, int flags) {
    }

    final List<Sent> sent = new ArrayList<>();
    final Set<Integer> unroutable = new HashSet<>();
    int mtu = 1500;
    /** 0: every destination is on-link. */
    int gateway;
    boolean refuseSends;

    @Override
    public boolean route(int destination, NextHop hop) {
        if (unroutable.contains(destination)) {
            return false;
        }
        hop.set(IFINDEX, gateway == 0 ? destination : gateway, DIRECTOR, mtu);
        return true;
    }

    @Override
    public boolean send(NextHop hop, MemorySegment frame, long offset, int length, int flags) {
        sent.add(new Sent(hop.ifindex, hop.gateway, hop.source, hop.mtu, FrameBuilder.toBytes(frame, offset, length),
                flags));
        return !refuseSends;
    }

    byte[] onlyFrame() {
        if (sent.size() != 1) {
            throw new AssertionError("expected exactly one sent frame, got " + sent.size());
        }
        return sent.getFirst().frame();
    }
}
