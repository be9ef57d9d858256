package org.jvs.core;

import java.util.List;

import org.agrona.concurrent.IdleStrategy;
import org.jvs.net.PacketPort;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.jvs.stats.Estimator;

/**
 * The data-plane agent of one worker: one duty cycle reads the clock once, drains every port and the frames other
 * workers handed over into the director, flushes what it sent, applies a few queued control calls, expires due connections and, every two seconds, runs IPVS's rate
 * estimator. When a cycle did nothing the idle strategy waits (on the ports' fds in production).
 */
public final class DataPlane implements Runnable {
    private static final int RECEIVE_BATCH = 256;
    private static final int CONTROL_BATCH = 16;
    private static final int EXPIRE_BATCH = 1024;
    private static final long ESTIMATOR_INTERVAL_NS = 2_000_000_000L;

    private final Director director;
    private final PacketPort[] ports;
    private final DataPlaneControl control;
    private final IdleStrategy idle;
    private volatile boolean running = true;
    private long nextEstimateNs;

    public DataPlane(Director director, PacketPort[] ports, DataPlaneControl control, IdleStrategy idle) {
        this.director = director;
        this.ports = ports.clone();
        this.control = control;
        this.idle = idle;
    }

    @Override
    public void run() {
        nextEstimateNs = System.nanoTime() + ESTIMATOR_INTERVAL_NS;
        while (running) {
            idle.idle(doWork(System.nanoTime()));
        }
    }

    /** One duty cycle; returns how much work it did (0 lets the idle strategy wait). */
    public int doWork(long nowNs) {
        director.now(nowNs);
        int work = 0;
        for (PacketPort port : ports) {
            work += port.receive(director, RECEIVE_BATCH);
        }
        work += director.receiveHandedOff(RECEIVE_BATCH);
        work += control.drain(CONTROL_BATCH);
        work += director.expire(EXPIRE_BATCH);
        // not counted as work: a pass comes due every half second and must not keep the idle strategy awake
        director.sweepFastPath();
        if (nowNs - nextEstimateNs >= 0) {
            nextEstimateNs += ESTIMATOR_INTERVAL_NS;
            estimate();
            control.sweep();
        }
        for (PacketPort port : ports) {
            port.flush();
        }
        return work;
    }

    /** Indexed loops: a for-each would allocate two iterators per service on this thread. */
    private void estimate() {
        List<VirtualService> services = director.services().all();
        for (int i = 0, n = services.size(); i < n; i++) {
            VirtualService service = services.get(i);
            Estimator.tick(service.stats);
            List<RealServer> servers = service.realServers();
            for (int j = 0, m = servers.size(); j < m; j++) {
                Estimator.tick(servers.get(j).stats);
            }
        }
    }

    public void stop() {
        running = false;
    }
}
