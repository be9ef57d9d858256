package org.jvs.check;

import java.time.Duration;

/** Waits between checks; tests replace it to run a checker loop without real delays. */
@FunctionalInterface
interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration);

    void sleep(Duration duration) throws InterruptedException;
}
