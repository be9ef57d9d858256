package org.jvs.core;

import java.lang.foreign.MemorySegment;

import org.jvs.net.FrameHandler;
import org.jvs.net.PacketPort;

/**
 * A port that "receives" scripted rounds of frames: each receive call delivers the next round whole (a round
 * must fit the data plane's receive batch), cycling through the rounds forever. Sends are refused: the director
 * sends through its sink, not through ports.
 */
public final class ReplayPort implements PacketPort {
    private final int ifindex;
    private final ReplayFrame[][] rounds;
    private int next;
    private long delivered;

    public ReplayPort(int ifindex, ReplayFrame[][] rounds) {
        this.ifindex = ifindex;
        this.rounds = rounds.clone();
    }

    @Override
    public int ifindex() {
        return ifindex;
    }

    @Override
    public String name() {
        return "replay" + ifindex;
    }

    /** Replays lose nothing: every scripted frame is handed over. */
    @Override
    public long[] counters() {
        return new long[org.jvs.net.PortCounter.COUNT];
    }

    @Override
    public int receive(FrameHandler handler, int limit) {
        ReplayFrame[] round = rounds[next];
        if (round.length > limit) {
            throw new IllegalStateException("round of " + round.length + " frames exceeds the receive batch of " + limit);
        }
        next = next + 1 == rounds.length ? 0 : next + 1;
        for (ReplayFrame frame : round) {
            frame.replay(handler);
        }
        delivered += round.length;
        return round.length;
    }

    /** Frames handed to the director so far. */
    public long delivered() {
        return delivered;
    }

    @Override
    public boolean send(MemorySegment frame, long offset, int length, int flags) {
        return false;
    }

    @Override
    public void flush() {
    }

    @Override
    public int pollFd() {
        return -1;
    }

    @Override
    public void close() {
    }
}
