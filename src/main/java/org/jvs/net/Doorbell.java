package org.jvs.net;

/**
 * How another thread wakes a data-plane worker that may be waiting for frames: a control call queued for it, a frame
 * another worker handed over. Without it the worker would find them only when its wait times out. Thread-safe;
 * ringing a worker that is awake costs it one extra, empty, wake-up at most.
 */
@FunctionalInterface
public interface Doorbell {
    void ring();

    /** For workers that never wait (tests that drive the duty cycle themselves). */
    Doorbell NONE = () -> { };
}
