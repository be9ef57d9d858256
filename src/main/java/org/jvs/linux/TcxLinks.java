package org.jvs.linux;

import java.io.IOException;

import org.agrona.collections.Int2IntHashMap;

/**
 * One program's tcx ingress links, one per interface: the attachment lives exactly as long as its link fd, so a
 * dying director detaches it. Not thread-safe: its owner synchronizes.
 */
final class TcxLinks {
    private final BpfProgram program;
    /** Ahead of the programs already attached (BPF_F_BEFORE) rather than behind them. */
    private final boolean first;
    private final Int2IntHashMap linkByIfindex = new Int2IntHashMap(-1);

    TcxLinks(BpfProgram program, boolean first) {
        this.program = program;
        this.first = first;
    }

    /** Attaches the program at tcx ingress of ifindex; a no-op if it is attached there already. */
    void attach(int ifindex) throws IOException {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("interface index " + ifindex + " is not valid (expected > 0)");
        }
        if (!linkByIfindex.containsKey(ifindex)) {
            linkByIfindex.put(ifindex, program.attachTcxIngress(ifindex, first));
        }
    }

    /** Detaches the program from ifindex; a no-op if it was not attached there. */
    void detach(int ifindex) {
        int link = linkByIfindex.remove(ifindex);
        if (link >= 0) {
            Native.close(link);
        }
    }

    void detachAll() {
        linkByIfindex.forEach((ifindex, link) -> Native.close(link));
        linkByIfindex.clear();
    }
}
