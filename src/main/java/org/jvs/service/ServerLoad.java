package org.jvs.service;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection counts the schedulers weigh a real server by, and its overload flag, for the whole director:
 * with several data-plane workers, each worker's copy of a real server shares one of these, so least-connection
 * scheduling and thresholds see every worker's connections (as IPVS's atomic activeconns and inactconns do for
 * every CPU). Written when a connection starts, changes between active and inactive, or ends; never per packet.
 */
public final class ServerLoad {
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger inactive = new AtomicInteger();
    private volatile boolean overloaded;

    public int active() {
        return active.get();
    }

    public int inactive() {
        return inactive.get();
    }

    void add(int activeDelta, int inactiveDelta) {
        if (activeDelta != 0) {
            active.addAndGet(activeDelta);
        }
        if (inactiveDelta != 0) {
            inactive.addAndGet(inactiveDelta);
        }
    }

    boolean overloaded() {
        return overloaded;
    }

    void overloaded(boolean overloaded) {
        this.overloaded = overloaded;
    }
}
